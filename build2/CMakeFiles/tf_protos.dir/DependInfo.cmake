
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/build2/gen/tensorflow/core/framework/attr_value.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/attr_value.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/attr_value.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/full_type.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/full_type.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/full_type.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/function.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/function.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/function.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/graph.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/graph.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/graph.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/graph_debug_info.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/graph_debug_info.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/graph_debug_info.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/node_def.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/node_def.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/node_def.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/op_def.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/op_def.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/op_def.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/resource_handle.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/resource_handle.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/resource_handle.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/tensor.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/tensor.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/tensor.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/tensor_shape.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/tensor_shape.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/tensor_shape.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/tensor_slice.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/tensor_slice.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/tensor_slice.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/types.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/types.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/types.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/variable.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/variable.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/variable.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/framework/versions.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/versions.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/framework/versions.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/protobuf/meta_graph.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/meta_graph.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/meta_graph.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/protobuf/saved_model.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/saved_model.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/saved_model.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/protobuf/saved_object_graph.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/saved_object_graph.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/saved_object_graph.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/protobuf/saver.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/saver.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/saver.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/protobuf/struct.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/struct.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/struct.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/protobuf/tensor_bundle.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/tensor_bundle.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/tensor_bundle.pb.cc.o.d"
  "/work/main/build2/gen/tensorflow/core/protobuf/trackable_object_graph.pb.cc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/trackable_object_graph.pb.cc.o" "gcc" "CMakeFiles/tf_protos.dir/gen/tensorflow/core/protobuf/trackable_object_graph.pb.cc.o.d"
  )

# Pairs of files generated by the same build rule.
set(CMAKE_MULTIPLE_OUTPUT_PAIRS
  "/work/main/build2/gen/tensorflow/core/framework/attr_value.pb.h" "/work/main/build2/gen/tensorflow/core/framework/attr_value.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/full_type.pb.h" "/work/main/build2/gen/tensorflow/core/framework/full_type.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/function.pb.h" "/work/main/build2/gen/tensorflow/core/framework/function.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/graph.pb.h" "/work/main/build2/gen/tensorflow/core/framework/graph.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/graph_debug_info.pb.h" "/work/main/build2/gen/tensorflow/core/framework/graph_debug_info.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/node_def.pb.h" "/work/main/build2/gen/tensorflow/core/framework/node_def.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/op_def.pb.h" "/work/main/build2/gen/tensorflow/core/framework/op_def.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/resource_handle.pb.h" "/work/main/build2/gen/tensorflow/core/framework/resource_handle.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/tensor.pb.h" "/work/main/build2/gen/tensorflow/core/framework/tensor.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/tensor_shape.pb.h" "/work/main/build2/gen/tensorflow/core/framework/tensor_shape.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/tensor_slice.pb.h" "/work/main/build2/gen/tensorflow/core/framework/tensor_slice.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/types.pb.h" "/work/main/build2/gen/tensorflow/core/framework/types.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/variable.pb.h" "/work/main/build2/gen/tensorflow/core/framework/variable.pb.cc"
  "/work/main/build2/gen/tensorflow/core/framework/versions.pb.h" "/work/main/build2/gen/tensorflow/core/framework/versions.pb.cc"
  "/work/main/build2/gen/tensorflow/core/protobuf/meta_graph.pb.h" "/work/main/build2/gen/tensorflow/core/protobuf/meta_graph.pb.cc"
  "/work/main/build2/gen/tensorflow/core/protobuf/saved_model.pb.h" "/work/main/build2/gen/tensorflow/core/protobuf/saved_model.pb.cc"
  "/work/main/build2/gen/tensorflow/core/protobuf/saved_object_graph.pb.h" "/work/main/build2/gen/tensorflow/core/protobuf/saved_object_graph.pb.cc"
  "/work/main/build2/gen/tensorflow/core/protobuf/saver.pb.h" "/work/main/build2/gen/tensorflow/core/protobuf/saver.pb.cc"
  "/work/main/build2/gen/tensorflow/core/protobuf/struct.pb.h" "/work/main/build2/gen/tensorflow/core/protobuf/struct.pb.cc"
  "/work/main/build2/gen/tensorflow/core/protobuf/tensor_bundle.pb.h" "/work/main/build2/gen/tensorflow/core/protobuf/tensor_bundle.pb.cc"
  "/work/main/build2/gen/tensorflow/core/protobuf/trackable_object_graph.pb.h" "/work/main/build2/gen/tensorflow/core/protobuf/trackable_object_graph.pb.cc"
  )


# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
