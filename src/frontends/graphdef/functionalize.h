// TF1 control flow -> functional control flow, as TF's importer does by
// default: Enter/Merge/Switch/LoopCond/NextIteration/Exit loops become
// StatelessWhile nodes, and Switch/Merge conds become StatelessIf nodes,
// whose bodies are GraphFunctions (small GraphDefs with argument
// Placeholders). The functional lowering (tf_ops/control_flow.cc) then makes
// TFLite WHILE/IF ops of them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/status.h"
#include "tensorflow/core/framework/graph.pb.h"

namespace tflc {

struct GraphFunction {
  tensorflow::GraphDef graph;
  std::vector<std::string> inputs;   // Placeholder node names, in argument order
  std::vector<std::string> outputs;  // tensor names ("node" or "node:i"), in result order
};
using GraphFunctions = std::map<std::string, GraphFunction>;

// Rewrites `graph` (and the bodies it creates) in place, adding the bodies
// to `functions`. A graph without TF1 control flow is left as it is. A
// graph that cannot be functionalized (a Merge with no Switch, a loop value
// without its Merge/Switch/NextIteration) is an error naming the node.
Status functionalize_control_flow(tensorflow::GraphDef& graph, GraphFunctions& functions);

}  // namespace tflc
