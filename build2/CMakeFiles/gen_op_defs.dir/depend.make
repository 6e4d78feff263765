# Empty dependencies file for gen_op_defs.
# This may be replaced when dependencies are built.
