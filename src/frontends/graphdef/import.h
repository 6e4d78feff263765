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
#include "tensorflow/core/framework/op_def.pb.h"

namespace tflc {

// What the importer did with each source node, for `tflite_convert --analyze`
// (api/evaluate.h). Filled only when GraphDefImportOptions::trace is set.
enum class NodeMapping {
  kBuiltin,      // lowered to the builtins listed (none: a tensor, forwarded or folded)
  kFlex,         // a Flex op (TF's Flex allowlist)
  kCustom,       // TF has no OpDef for the op type: only a custom op could carry it
  kUnsupported,  // neither: `detail` says why
  kUnchecked,    // has a lowering, not tried: an input comes from a node that is not lowered
};
struct NodeTrace {
  std::string signature;  // SavedModel signature key; empty for a GraphDef
  std::string function;   // the control-flow body it is in; empty at top level
  std::string node, op;
  NodeMapping mapping = NodeMapping::kBuiltin;
  std::vector<std::string> builtins;  // emitted ops, in order ("CONV_2D")
  std::string detail;
};
struct ImportTrace {
  std::string signature;  // stamped on the nodes recorded next
  std::vector<NodeTrace> nodes;
};

// What may stand in for a TF op that has no builtin lowering, as TF's
// target_spec and allow_custom_ops say.
struct TfOpFallbacks {
  // SELECT_TF_OPS: an op TF's Flex delegate runs (the allowlist, plus
  // `select_user_tf_ops`) becomes a CUSTOM "Flex<Op>" carrying its NodeDef.
  bool select_tf_ops = false;
  std::vector<std::string> select_user_tf_ops;
  // allow_custom_ops: any other op becomes a CUSTOM op named by its type,
  // with its attrs as a FlexBuffer map. Ops TF lacks need an OpDef here
  // (TF's --custom_opdefs) so their outputs can be typed.
  bool allow_custom_ops = false;
  std::vector<tensorflow::OpDef> custom_opdefs;
};

struct GraphDefImportOptions {
  std::vector<std::string> input_arrays;   // empty: the Placeholders
  std::vector<std::string> output_arrays;  // empty: the sink nodes
  std::vector<std::vector<int64_t>> input_shapes;  // parallel to the inputs
  int64_t fold_budget = 1 << 20;
  // What to tell the user when an input has an unknown rank.
  std::string unknown_rank_hint = "give its shape with --input_shapes";
  TfOpFallbacks fallbacks;
  ImportTrace* trace = nullptr;  // records each reachable node's outcome
  std::string trace_function;    // the body being imported (for the trace)
};

Expected<tensorflow::GraphDef> read_graphdef(const std::string& path);
Expected<Model> import_graphdef(tensorflow::GraphDef& graph, const GraphDefImportOptions& options);
// Parses TF's "1,28,28,1:1,10" --input_shapes form.
Expected<std::vector<std::vector<int64_t>>> parse_input_shapes(const std::string& text);

}  // namespace tflc
