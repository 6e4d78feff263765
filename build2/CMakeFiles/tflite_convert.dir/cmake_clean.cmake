file(REMOVE_RECURSE
  "CMakeFiles/tflite_convert.dir/src/tools/tflite_convert.cc.o"
  "CMakeFiles/tflite_convert.dir/src/tools/tflite_convert.cc.o.d"
  "tflite_convert"
  "tflite_convert.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/tflite_convert.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
