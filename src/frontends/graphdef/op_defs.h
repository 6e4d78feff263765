// TensorFlow's OpDefs for the ops the converter meets: every op the
// frontends lower, every Flex allowlist op, and the control-flow and
// function-call ops the SavedModel inliner handles. The table is
// tf_op_defs.pbtxt, transcribed from TensorFlow's ops.pbtxt and embedded at
// build time by tools/gen/gen_op_defs.cc.
//
// It answers what a NodeDef alone does not say: the names and counts of an
// op's outputs (so `node:arg:i` maps to a flat output index and an unknown
// node has a known output count) and the attr defaults an older GraphDef
// leaves out.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"
#include "tensorflow/core/framework/node_def.pb.h"
#include "tensorflow/core/framework/op_def.pb.h"

namespace tflc {

// A node's outputs are capped so a hostile count attr cannot make a caller
// allocate billions of tensors.
inline constexpr int kMaxNodeOutputs = 1 << 16;

// The OpDef of TF op `op`, or nullptr when the table has none.
const tensorflow::OpDef* find_op_def(std::string_view op);

// Number of OpDefs in the table.
int op_def_count();

// One output_arg of an op as a given node instantiates it: tensors
// [first, first + count) of the node's flat outputs.
struct OutputArg {
  std::string name;
  int first = 0;
  int count = 1;
};

// The node's output args in order. A number_attr or type_list_attr is read
// from the node's attrs, else from the OpDef's default; a missing, mistyped,
// below-minimum or over-cap value is invalid input, one bound to a function
// parameter (in a function body) is unsupported.
Expected<std::vector<OutputArg>> output_args(const tensorflow::OpDef& op, const tensorflow::NodeDef& node);

// Total number of output tensors given the result of output_args().
int output_count(const std::vector<OutputArg>& args);

// Flat output index of `arg:index` (the form function bodies use), or an
// error naming the op's output args when `arg` is not one or `index` is out
// of range.
Expected<int> flat_output_index(const std::vector<OutputArg>& args, std::string_view arg, int index);

// Adds each attr the OpDef gives a default and the node lacks. Attrs the
// node sets are left alone.
void fill_attr_defaults(const tensorflow::OpDef& op, tensorflow::NodeDef& node);

}  // namespace tflc
