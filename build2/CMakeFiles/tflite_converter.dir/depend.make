# Empty dependencies file for tflite_converter.
# This may be replaced when dependencies are built.
