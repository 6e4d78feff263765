
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/tests/saved_model/check.cc" "tests/saved_model/CMakeFiles/make_saved_models.dir/check.cc.o" "gcc" "tests/saved_model/CMakeFiles/make_saved_models.dir/check.cc.o.d"
  "/work/main/tests/saved_model/make_saved_models.cc" "tests/saved_model/CMakeFiles/make_saved_models.dir/make_saved_models.cc.o" "gcc" "tests/saved_model/CMakeFiles/make_saved_models.dir/make_saved_models.cc.o.d"
  "/work/main/tests/saved_model/sm_builder.cc" "tests/saved_model/CMakeFiles/make_saved_models.dir/sm_builder.cc.o" "gcc" "tests/saved_model/CMakeFiles/make_saved_models.dir/sm_builder.cc.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build2/CMakeFiles/tf_protos.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
