file(REMOVE_RECURSE
  "CMakeFiles/_native.dir/src/native_module.cc.o"
  "CMakeFiles/_native.dir/src/native_module.cc.o.d"
  "tflite_converter/_native.cpython-311-x86_64-linux-gnu.so"
  "tflite_converter/_native.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/_native.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
