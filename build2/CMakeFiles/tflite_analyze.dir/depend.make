# Empty dependencies file for tflite_analyze.
# This may be replaced when dependencies are built.
