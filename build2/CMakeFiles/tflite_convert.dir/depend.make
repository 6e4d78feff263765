# Empty dependencies file for tflite_convert.
# This may be replaced when dependencies are built.
