file(REMOVE_RECURSE
  "CMakeFiles/tflite_metadata.dir/src/tools/tflite_metadata.cc.o"
  "CMakeFiles/tflite_metadata.dir/src/tools/tflite_metadata.cc.o.d"
  "tflite_metadata"
  "tflite_metadata.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/tflite_metadata.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
