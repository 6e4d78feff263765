# Empty custom commands generated dependencies file for schema_gen.
# This may be replaced when dependencies are built.
