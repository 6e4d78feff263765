file(REMOVE_RECURSE
  "CMakeFiles/gen_op_defs.dir/tools/gen/gen_op_defs.cc.o"
  "CMakeFiles/gen_op_defs.dir/tools/gen/gen_op_defs.cc.o.d"
  "gen_op_defs"
  "gen_op_defs.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/gen_op_defs.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
