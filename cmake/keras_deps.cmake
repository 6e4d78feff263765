# Libraries the Keras frontend reads files with (Debian: libhdf5-dev,
# libzip-dev, nlohmann-json3-dev). Include this file, then link `keras_deps`
# into the target that compiles src/frontends/keras/*.cc.
include_guard(GLOBAL)

# FindHDF5 probes with a C test program, so C must be enabled.
enable_language(C)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
find_package(nlohmann_json 3.2 REQUIRED)

add_library(keras_deps INTERFACE)
if(TARGET hdf5::hdf5)
  target_link_libraries(keras_deps INTERFACE hdf5::hdf5)  # CMake >= 3.19 FindHDF5
else()
  target_include_directories(keras_deps INTERFACE ${HDF5_INCLUDE_DIRS})
  target_compile_definitions(keras_deps INTERFACE ${HDF5_DEFINITIONS})
  target_link_libraries(keras_deps INTERFACE ${HDF5_C_LIBRARIES})
endif()
target_link_libraries(keras_deps INTERFACE PkgConfig::LIBZIP nlohmann_json::nlohmann_json)
