# Empty custom commands generated dependencies file for tf_op_defs_gen.
# This may be replaced when dependencies are built.
