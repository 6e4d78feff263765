# Empty compiler generated dependencies file for converter.
# This may be replaced when dependencies are built.
