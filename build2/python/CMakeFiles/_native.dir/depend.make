# Empty dependencies file for _native.
# This may be replaced when dependencies are built.
