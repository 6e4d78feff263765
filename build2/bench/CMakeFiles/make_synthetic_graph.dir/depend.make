# Empty dependencies file for make_synthetic_graph.
# This may be replaced when dependencies are built.
