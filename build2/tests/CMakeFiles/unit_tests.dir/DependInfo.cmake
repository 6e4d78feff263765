
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/tests/unit/analyzer_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/analyzer_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/analyzer_test.cc.o.d"
  "/work/main/tests/unit/calibrate_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/calibrate_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/calibrate_test.cc.o.d"
  "/work/main/tests/unit/control_flow_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/control_flow_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/control_flow_test.cc.o.d"
  "/work/main/tests/unit/custom_ops_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/custom_ops_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/custom_ops_test.cc.o.d"
  "/work/main/tests/unit/elementwise_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/elementwise_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/elementwise_test.cc.o.d"
  "/work/main/tests/unit/fake_quant_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/fake_quant_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/fake_quant_test.cc.o.d"
  "/work/main/tests/unit/flex_ops_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/flex_ops_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/flex_ops_test.cc.o.d"
  "/work/main/tests/unit/golden_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/golden_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/golden_test.cc.o.d"
  "/work/main/tests/unit/graph_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/graph_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/graph_test.cc.o.d"
  "/work/main/tests/unit/graphdef_op_defs_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/graphdef_op_defs_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/graphdef_op_defs_test.cc.o.d"
  "/work/main/tests/unit/hardening_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/hardening_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/hardening_test.cc.o.d"
  "/work/main/tests/unit/keras_attention_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/keras_attention_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/keras_attention_test.cc.o.d"
  "/work/main/tests/unit/keras_file_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/keras_file_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/keras_file_test.cc.o.d"
  "/work/main/tests/unit/keras_layers_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/keras_layers_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/keras_layers_test.cc.o.d"
  "/work/main/tests/unit/keras_nested_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/keras_nested_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/keras_nested_test.cc.o.d"
  "/work/main/tests/unit/keras_recurrent_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/keras_recurrent_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/keras_recurrent_test.cc.o.d"
  "/work/main/tests/unit/metadata_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/metadata_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/metadata_test.cc.o.d"
  "/work/main/tests/unit/nn_ops_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/nn_ops_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/nn_ops_test.cc.o.d"
  "/work/main/tests/unit/op_constraints_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/op_constraints_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/op_constraints_test.cc.o.d"
  "/work/main/tests/unit/op_defs_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/op_defs_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/op_defs_test.cc.o.d"
  "/work/main/tests/unit/options_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/options_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/options_test.cc.o.d"
  "/work/main/tests/unit/passes_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/passes_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/passes_test.cc.o.d"
  "/work/main/tests/unit/qparams_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/qparams_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/qparams_test.cc.o.d"
  "/work/main/tests/unit/quant_dataset_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/quant_dataset_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/quant_dataset_test.cc.o.d"
  "/work/main/tests/unit/quant_integer_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/quant_integer_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/quant_integer_test.cc.o.d"
  "/work/main/tests/unit/quant_weights_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/quant_weights_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/quant_weights_test.cc.o.d"
  "/work/main/tests/unit/registry_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/registry_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/registry_test.cc.o.d"
  "/work/main/tests/unit/sample_source_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/sample_source_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/sample_source_test.cc.o.d"
  "/work/main/tests/unit/saved_model_flatten_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/saved_model_flatten_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/saved_model_flatten_test.cc.o.d"
  "/work/main/tests/unit/sequence_lstm_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/sequence_lstm_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/sequence_lstm_test.cc.o.d"
  "/work/main/tests/unit/shape_ops_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/shape_ops_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/shape_ops_test.cc.o.d"
  "/work/main/tests/unit/tensor_bundle_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/tensor_bundle_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/tensor_bundle_test.cc.o.d"
  "/work/main/tests/unit/writer_test.cc" "tests/CMakeFiles/unit_tests.dir/unit/writer_test.cc.o" "gcc" "tests/CMakeFiles/unit_tests.dir/unit/writer_test.cc.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build2/CMakeFiles/tf_protos.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
