file(REMOVE_RECURSE
  "CMakeFiles/convert_bench.dir/convert_bench.cc.o"
  "CMakeFiles/convert_bench.dir/convert_bench.cc.o.d"
  "convert_bench"
  "convert_bench.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/convert_bench.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
