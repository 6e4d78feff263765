# CMake generated Testfile for 
# Source directory: /work/main/python
# Build directory: /work/main/build2/python
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[python_tests]=] "/usr/bin/cmake" "-E" "env" "PYTHONPATH=/work/main/build2/python" "TFLC_BUILD_DIR=/work/main/build2" "/usr/bin/python3" "-m" "pytest" "-q" "-p" "no:cacheprovider" "/work/main/tests/python")
set_tests_properties([=[python_tests]=] PROPERTIES  TIMEOUT "1200" _BACKTRACE_TRIPLES "/work/main/python/CMakeLists.txt;40;add_test;/work/main/python/CMakeLists.txt;0;")
add_test([=[python_pip_install]=] "bash" "/work/main/tests/python/pip_install_test.sh" "/work/main/build2" "/work/main" "/usr/bin/python3")
set_tests_properties([=[python_pip_install]=] PROPERTIES  TIMEOUT "600" _BACKTRACE_TRIPLES "/work/main/python/CMakeLists.txt;47;add_test;/work/main/python/CMakeLists.txt;0;")
