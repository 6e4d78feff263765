file(REMOVE_RECURSE
  "CMakeFiles/stablehlo_testdata_case.dir/stablehlo/testdata_case.cc.o"
  "CMakeFiles/stablehlo_testdata_case.dir/stablehlo/testdata_case.cc.o.d"
  "stablehlo_testdata_case"
  "stablehlo_testdata_case.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/stablehlo_testdata_case.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
