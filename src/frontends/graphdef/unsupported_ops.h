// TensorFlow's wording for ops with no TFLite builtin: the ones TF can run
// through Flex are listed as "TF Select ops"; the rest are "neither a custom
// op nor a flex op".
#pragma once

#include <string>
#include <vector>

#include "support/status.h"

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

}  // namespace tflc
