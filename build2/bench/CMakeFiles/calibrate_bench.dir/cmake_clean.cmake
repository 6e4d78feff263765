file(REMOVE_RECURSE
  "CMakeFiles/calibrate_bench.dir/calibrate_bench.cc.o"
  "CMakeFiles/calibrate_bench.dir/calibrate_bench.cc.o.d"
  "calibrate_bench"
  "calibrate_bench.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/calibrate_bench.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
