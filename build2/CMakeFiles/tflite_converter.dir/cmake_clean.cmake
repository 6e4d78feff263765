file(REMOVE_RECURSE
  "libtflite_converter.pdb"
  "libtflite_converter.so"
  "libtflite_converter.so.0"
  "libtflite_converter.so.0.1.0"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/tflite_converter.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
