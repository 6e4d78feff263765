#----------------------------------------------------------------
# Generated CMake target import file for configuration "Release".
#----------------------------------------------------------------

# Commands may need to know the format version.
set(CMAKE_IMPORT_FILE_VERSION 1)

# Import target "tflite_converter::tflite_converter" for configuration "Release"
set_property(TARGET tflite_converter::tflite_converter APPEND PROPERTY IMPORTED_CONFIGURATIONS RELEASE)
set_target_properties(tflite_converter::tflite_converter PROPERTIES
  IMPORTED_LOCATION_RELEASE "${_IMPORT_PREFIX}/lib/libtflite_converter.so.0.1.0"
  IMPORTED_SONAME_RELEASE "libtflite_converter.so.0"
  )

list(APPEND _cmake_import_check_targets tflite_converter::tflite_converter )
list(APPEND _cmake_import_check_files_for_tflite_converter::tflite_converter "${_IMPORT_PREFIX}/lib/libtflite_converter.so.0.1.0" )

# Commands beyond this point should not need to know the version.
set(CMAKE_IMPORT_FILE_VERSION)
