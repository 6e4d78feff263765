# Empty custom commands generated dependencies file for python_package.
# This may be replaced when dependencies are built.
