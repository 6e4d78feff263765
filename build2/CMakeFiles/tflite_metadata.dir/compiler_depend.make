# Empty compiler generated dependencies file for tflite_metadata.
# This may be replaced when dependencies are built.
