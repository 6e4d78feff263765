# CMAKE generated file: DO NOT EDIT!
# Timestamp file for custom commands dependencies management for tf_op_defs_gen.
