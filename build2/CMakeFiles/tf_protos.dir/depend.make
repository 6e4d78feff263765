# Empty dependencies file for tf_protos.
# This may be replaced when dependencies are built.
