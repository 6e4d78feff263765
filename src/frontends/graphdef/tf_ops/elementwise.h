// Helpers shared by the elementwise, activation and creation lowerings.
#pragma once

#include <string>
#include <vector>

#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {

// A scalar constant of `dtype` (float, integer or bool) holding v.
TensorId scalar_const(TfNodeContext& ctx, DType dtype, double v, const std::string& suffix);

// Fails with "not supported yet" when the TFLite runtime has no kernel for
// this op's operand types, or cannot broadcast its inputs at their rank.
Status check_runtime_support(const Graph& g, const Op& op, const std::string& tf_op);

// Emits one builtin (shape inference + folding) and, unless it folded to a
// constant, checks check_runtime_support.
Expected<TensorId> emit_checked(TfNodeContext& ctx, OpCode code, std::vector<TensorId> inputs,
                                OpOptions options = {});

}  // namespace tflc
