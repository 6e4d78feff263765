// Frozen GraphDef (.pb or .pbtxt) -> IR model, lowering each TF node through
// the legalization table. Unsupported ops are all collected, then reported
// in TensorFlow's wording.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"
#include "tensorflow/core/framework/graph.pb.h"

namespace tflc {

struct GraphDefImportOptions {
  std::vector<std::string> input_arrays;   // empty: the Placeholders
  std::vector<std::string> output_arrays;  // empty: the sink nodes
  std::vector<std::vector<int64_t>> input_shapes;  // parallel to the inputs
  int64_t fold_budget = 1 << 20;
  // What to tell the user when an input has an unknown rank.
  std::string unknown_rank_hint = "give its shape with --input_shapes";
  // SELECT_TF_OPS: a node with no builtin lowering that TF's Flex delegate
  // runs becomes a CUSTOM "Flex<Op>" carrying its NodeDef.
  bool select_tf_ops = false;
};

Expected<tensorflow::GraphDef> read_graphdef(const std::string& path);
Expected<Model> import_graphdef(tensorflow::GraphDef& graph, const GraphDefImportOptions& options);
// Parses TF's "1,28,28,1:1,10" --input_shapes form.
Expected<std::vector<std::vector<int64_t>>> parse_input_shapes(const std::string& text);

}  // namespace tflc
