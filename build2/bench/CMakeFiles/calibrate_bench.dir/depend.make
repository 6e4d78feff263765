# Empty dependencies file for calibrate_bench.
# This may be replaced when dependencies are built.
