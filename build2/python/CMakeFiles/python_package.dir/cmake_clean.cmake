file(REMOVE_RECURSE
  "CMakeFiles/python_package"
  "tflite_converter/__init__.py"
  "tflite_converter/cli.py"
  "tflite_converter/converter.py"
  "tflite_converter/dtypes.py"
  "tflite_converter/errors.py"
  "tflite_converter/experimental.py"
  "tflite_converter/tf.py"
)

# Per-language clean rules from dependency scanning.
foreach(lang )
  include(CMakeFiles/python_package.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
