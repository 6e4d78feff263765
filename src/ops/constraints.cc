#include "ops/constraints.h"

#include <vector>

namespace tflc {
namespace {

bool is_quantized(const Tensor& t) { return t.quant && !t.quant->scale.empty(); }

// Types that hold every value of `t`, narrowest first (an int32 form of a
// kernel is older than its int16 or float forms).
std::vector<DType> exact_widenings(DType t) {
  switch (t) {
    case DType::kInt8: case DType::kUInt8: case DType::kInt16: case DType::kUInt16:
      return {DType::kInt32, DType::kInt64, DType::kFloat32};
    case DType::kInt32: case DType::kUInt32: return {DType::kInt64};
    case DType::kFloat16: case DType::kBFloat16: return {DType::kFloat32};
    default: return {};
  }
}

}  // namespace

bool kernel_takes(const OpSchema& s, DType t, bool quantized) {
  if (s.types.empty()) return true;
  for (const OperandType& o : s.types)
    if (o.type == t && (quantized || !o.quantized)) return true;
  return false;
}

std::optional<DType> unaccepted_type(const OpSchema& s, const Graph& g, const Op& op) {
  if (s.types.empty()) return std::nullopt;
  if (s.type_input < static_cast<int>(op.inputs.size()) && op.inputs[s.type_input] >= 0) {
    const Tensor& in = g.t(op.inputs[s.type_input]);
    if (!kernel_takes(s, in.dtype, is_quantized(in))) return in.dtype;
  }
  if (s.output_typed && !op.outputs.empty()) {
    const Tensor& out = g.t(op.outputs[0]);
    if (!kernel_takes(s, out.dtype, is_quantized(out))) return out.dtype;
  }
  return std::nullopt;
}

std::optional<DType> widened_type(const OpSchema& s, DType t) {
  if (s.other_types == TypeLegalization::kRefuse) return std::nullopt;
  for (DType w : exact_widenings(t))
    if (kernel_takes(s, w, /*quantized=*/false)) return w;
  return std::nullopt;
}

bool broadcast_too_wide(const OpSchema& s, const Graph& g, const Op& op) {
  if (s.broadcast_rank <= 0 || op.outputs.empty()) return false;
  const Tensor& out = g.t(op.outputs[0]);
  if (!out.unknown_rank && out.rank() <= s.broadcast_rank) return false;
  // Identical static shapes need no broadcasting, at any rank.
  const Tensor* first = nullptr;
  for (TensorId i : op.inputs) {
    if (i < 0) continue;
    const Tensor& in = g.t(i);
    if (in.unknown_rank || !in.has_static_shape()) return true;
    if (!first) first = &in;
    else if (in.shape != first->shape) return true;
  }
  return false;
}

}  // namespace tflc
