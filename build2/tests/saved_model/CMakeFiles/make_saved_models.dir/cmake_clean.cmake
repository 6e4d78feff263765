file(REMOVE_RECURSE
  "CMakeFiles/make_saved_models.dir/check.cc.o"
  "CMakeFiles/make_saved_models.dir/check.cc.o.d"
  "CMakeFiles/make_saved_models.dir/make_saved_models.cc.o"
  "CMakeFiles/make_saved_models.dir/make_saved_models.cc.o.d"
  "CMakeFiles/make_saved_models.dir/sm_builder.cc.o"
  "CMakeFiles/make_saved_models.dir/sm_builder.cc.o.d"
  "make_saved_models"
  "make_saved_models.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/make_saved_models.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
