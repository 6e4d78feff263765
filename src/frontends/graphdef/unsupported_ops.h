// TensorFlow's wording for ops with no TFLite builtin: the ones TF can run
// through Flex are listed as "TF Select ops"; the rest are "neither a custom
// op nor a flex op".
#pragma once

#include <string>
#include <vector>

#include "support/status.h"
#include "tensorflow/core/framework/node_def.pb.h"

namespace tflc {

struct UnsupportedOp {
  std::string tf_op;
  std::string node;
  std::vector<std::string> input_types;  // "tensor<1x3xf32>"
  std::string reason;                    // why a known op's form is unsupported
};

// True when TensorFlow's Flex delegate has a kernel for this op type.
bool is_flex_op(const std::string& tf_op);
Status unsupported_ops_status(const std::vector<UnsupportedOp>& ops);

// The custom_options of a Flex op for source node `node` (its OpDef defaults
// already filled in): the FlexBuffer vector [op, serialized NodeDef] that
// TF's exporter writes (tensorflow/compiler/mlir/lite/flatbuffer_export.cc,
// CreateFlexOpCustomOptions). Checked byte for byte against softplus_flex.bin
// (LiteRT tflite/testdata @ f67457790c9c2ab67347d6fe53270e8d3df20868), whose
// NodeDef has no name, one empty input per data input, the device as the
// source gave it, the attrs, and an empty experimental_debug_info. Attrs
// starting with '_' (_class colocation, _output_shapes) are not op attrs and
// are dropped, as TF's importer does.
std::vector<uint8_t> flex_custom_options(const tensorflow::NodeDef& node);

}  // namespace tflc
