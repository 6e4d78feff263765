# The C++ library as an installable package: libtflite_converter.so, the API
# headers only (options, convert, the error list), a CMake package for
# find_package(tflite_converter) and a pkg-config file.
# Included from the top-level CMakeLists.txt after the `converter` target.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TFLC_PACKAGE_VERSION 0.1.0)
# A shared library: the op registrations (static initializers) all stay in,
# which a static archive would let the linker drop.
add_library(tflite_converter SHARED)
target_link_libraries(tflite_converter PRIVATE converter)
set_target_properties(tflite_converter PROPERTIES VERSION ${TFLC_PACKAGE_VERSION} SOVERSION 0)
target_include_directories(tflite_converter INTERFACE
  $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}/src>
  $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/tflite_converter>)
target_compile_features(tflite_converter INTERFACE cxx_std_17)
add_library(tflite_converter::tflite_converter ALIAS tflite_converter)

# The public headers; everything they include is in this list.
set(TFLC_PUBLIC_HEADERS api/converter.h quant/quantize_options.h quant/sample_source.h ir/dtype.h support/status.h)
foreach(h ${TFLC_PUBLIC_HEADERS})
  get_filename_component(dir ${h} DIRECTORY)
  install(FILES ${CMAKE_SOURCE_DIR}/src/${h} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tflite_converter/${dir})
endforeach()

install(TARGETS tflite_converter EXPORT tflite_converter_targets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tflite_converter)
install(EXPORT tflite_converter_targets NAMESPACE tflite_converter::
  FILE tflite_converterTargets.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tflite_converter)
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/tflite_converter_config.cmake.in
  ${CMAKE_BINARY_DIR}/tflite_converterConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tflite_converter)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/tflite_converterConfigVersion.cmake
  VERSION ${TFLC_PACKAGE_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/tflite_converterConfig.cmake ${CMAKE_BINARY_DIR}/tflite_converterConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tflite_converter)
file(RELATIVE_PATH TFLC_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(${CMAKE_SOURCE_DIR}/cmake/tflite_converter.pc.in ${CMAKE_BINARY_DIR}/tflite_converter.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/tflite_converter.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Installs into a temporary prefix and builds tests/package/consumer against
# it with find_package (and checks the pkg-config file).
add_test(NAME cpp_package
  COMMAND bash ${CMAKE_SOURCE_DIR}/tests/package/package_test.sh ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
set_tests_properties(cpp_package PROPERTIES TIMEOUT 600)
