// TensorProto -> IR constant bytes, following TF's rules: tensor_content when
// present, else the typed *_val field with its last value repeated to fill.
#pragma once

#include "ir/graph.h"
#include "support/status.h"
#include "tensorflow/core/framework/tensor.pb.h"

namespace tflc {

struct ConstValue {
  DType dtype;
  std::vector<int64_t> shape;
  std::string bytes;
};

// Moves tensor_content out of `proto` when possible (no second copy).
Expected<ConstValue> const_from_tensor_proto(tensorflow::TensorProto& proto);
Expected<std::vector<int64_t>> shape_from_proto(const tensorflow::TensorShapeProto& shape, bool* unknown_rank);

}  // namespace tflc
