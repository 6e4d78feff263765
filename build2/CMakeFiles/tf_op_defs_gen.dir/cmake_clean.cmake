file(REMOVE_RECURSE
  "CMakeFiles/tf_op_defs_gen"
  "gen/tf_op_defs.inc"
)

# Per-language clean rules from dependency scanning.
foreach(lang )
  include(CMakeFiles/tf_op_defs_gen.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
