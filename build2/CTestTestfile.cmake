# CMake generated Testfile for 
# Source directory: /work/main
# Build directory: /work/main/build2
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[cpp_package]=] "bash" "/work/main/tests/package/package_test.sh" "/work/main/build2" "/work/main")
set_tests_properties([=[cpp_package]=] PROPERTIES  TIMEOUT "600" _BACKTRACE_TRIPLES "/work/main/cmake/package.cmake;45;add_test;/work/main/cmake/package.cmake;0;;/work/main/CMakeLists.txt;117;include;/work/main/CMakeLists.txt;0;")
subdirs("python")
subdirs("tests")
subdirs("tests/saved_model")
subdirs("bench")
