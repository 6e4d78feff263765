file(REMOVE_RECURSE
  "CMakeFiles/tflite_analyze.dir/src/tools/tflite_analyze.cc.o"
  "CMakeFiles/tflite_analyze.dir/src/tools/tflite_analyze.cc.o.d"
  "tflite_analyze"
  "tflite_analyze.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/tflite_analyze.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
