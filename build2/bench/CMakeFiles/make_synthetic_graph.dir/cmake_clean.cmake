file(REMOVE_RECURSE
  "CMakeFiles/make_synthetic_graph.dir/make_synthetic_graph.cc.o"
  "CMakeFiles/make_synthetic_graph.dir/make_synthetic_graph.cc.o.d"
  "make_synthetic_graph"
  "make_synthetic_graph.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/make_synthetic_graph.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
