// Turns one signature of a SavedModel graph into a frozen GraphDef: function
// calls (StatefulPartitionedCall, PartitionedCall, direct calls) are inlined
// from the FunctionDefLibrary, and variables become Consts holding their
// checkpoint values. The result goes through the GraphDef frontend.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "support/status.h"
#include "tensorflow/core/framework/graph.pb.h"

namespace tflc {

// Returns the value of the variable behind a VarHandleOp / VariableV2 node
// as a Const's TensorProto.
using VariableResolver = std::function<Expected<tensorflow::TensorProto>(const tensorflow::NodeDef& var)>;

// Copies the nodes of `graph` reachable from `outputs` (tensor names), with
// calls inlined (names "<call>/<inner node>") and variables frozen.
Expected<tensorflow::GraphDef> flatten_graph(const tensorflow::GraphDef& graph, const std::vector<std::string>& outputs,
                                             const VariableResolver& resolve_variable);

}  // namespace tflc
