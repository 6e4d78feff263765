# Empty dependencies file for convert_bench.
# This may be replaced when dependencies are built.
