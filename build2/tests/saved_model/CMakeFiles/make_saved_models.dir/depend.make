# Empty dependencies file for make_saved_models.
# This may be replaced when dependencies are built.
