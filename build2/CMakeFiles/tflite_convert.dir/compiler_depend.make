# Empty compiler generated dependencies file for tflite_convert.
# This may be replaced when dependencies are built.
