# CMake generated Testfile for 
# Source directory: /work/main/tests/saved_model
# Build directory: /work/main/build2/tests/saved_model
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[saved_model_generate]=] "/work/main/build2/tests/saved_model/make_saved_models" "/work/main/build2/saved_model_cases")
set_tests_properties([=[saved_model_generate]=] PROPERTIES  FIXTURES_SETUP "saved_model_cases" _BACKTRACE_TRIPLES "/work/main/tests/saved_model/CMakeLists.txt;11;add_test;/work/main/tests/saved_model/CMakeLists.txt;0;")
add_test([=[e2e_saved_model]=] "node" "/work/main/tests/e2e/saved_model.mjs" "--converter" "/work/main/build2/tflite_convert" "--cases" "/work/main/build2/saved_model_cases")
set_tests_properties([=[e2e_saved_model]=] PROPERTIES  FIXTURES_REQUIRED "saved_model_cases" TIMEOUT "1200" _BACKTRACE_TRIPLES "/work/main/tests/saved_model/CMakeLists.txt;13;add_test;/work/main/tests/saved_model/CMakeLists.txt;0;")
