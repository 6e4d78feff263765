// One record per TFLite builtin: shape inference, reference evaluation (used
// by constant folding and later calibration), flatbuffer options and the op
// version rule. Adding a builtin means adding one record in one ops/*.cc file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "flatbuffers/flatbuffers.h"
#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

struct WrittenOptions {
  tflite::BuiltinOptions type = tflite::BuiltinOptions::NONE;
  flatbuffers::Offset<void> offset;
};

struct OpSchema {
  OpCode code;
  // Sets dtype and shape of op.outputs from the inputs (and constant inputs).
  Status (*infer)(Graph& g, Op& op) = nullptr;
  // Computes output data when every input is constant; nullptr if the op
  // cannot be folded (the reason is then in no_eval_reason).
  Status (*eval)(Graph& g, Op& op) = nullptr;
  const char* no_eval_reason = nullptr;
  WrittenOptions (*write_options)(flatbuffers::FlatBufferBuilder& fbb, const Graph& g, const Op& op) = nullptr;
  // The lowest op version that covers the features used, as TFLite's
  // tools/versioning/op_version.cc decides it. nullptr means version 1.
  int (*version)(const Graph& g, const Op& op) = nullptr;
  // Minimum runtime per op version (index 0 = version 1), as in TFLite's
  // tools/versioning/runtime_version.cc.
  std::vector<const char*> runtime_versions;
};

// Registers at static-initialization time; returns true for use in a static.
bool register_op(OpSchema schema);
const OpSchema* find_op(OpCode code);
std::vector<const OpSchema*> all_ops();
std::string op_name(OpCode code);  // "CONV_2D"

// Runs infer; then folds when every input is constant and the result fits
// in the byte budget (or is no larger than the constant inputs).
Status infer_op(Graph& g, Op& op);
bool all_inputs_const(const Graph& g, const Op& op);
Status try_fold(Graph& g, Op& op, int64_t byte_budget);

#define TFLC_REGISTER_OP(ident, ...) \
  static const bool ident##_registered = ::tflc::register_op(__VA_ARGS__)

}  // namespace tflc
