// CONCATENATION: joins inputs along its axis (negative counts from the end).
#include <cstring>

#include "ops/kernels.h"
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

using Options = tflite::ConcatenationOptionsT;

Status infer_concat(Graph& g, Op& op) {
  if (op.inputs.empty()) return invalid_input("CONCATENATION needs at least one input");
  const Tensor& x0 = input(g, op, 0);
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const Tensor& x = input(g, op, static_cast<int>(i));
    if (x.unknown_rank) return unsupported("not supported yet: CONCATENATION of a tensor with unknown rank");
    if (x.dtype != x0.dtype)
      return invalid_input("CONCATENATION inputs have different types (" + dtype_name(x0.dtype) + ", " +
                           dtype_name(x.dtype) + ")");
    if (x.rank() != x0.rank())
      return invalid_input("CONCATENATION inputs have different ranks: " + shape_str(x0.shape) + " and " +
                           shape_str(x.shape));
  }
  ASSIGN_OR_RETURN(int axis, normalize_axis(opts<Options>(op).axis, x0.rank()));
  Shape out = x0.shape;
  out[axis] = 0;
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const Shape& s = input(g, op, static_cast<int>(i)).shape;
    for (int d = 0; d < x0.rank(); ++d) {
      if (d == axis) continue;
      if (out[d] < 0) out[d] = s[d];
      else if (s[d] >= 0 && s[d] != out[d])
        return invalid_input("CONCATENATION inputs " + shape_str(x0.shape) + " and " + shape_str(s) +
                             " differ outside the axis " + std::to_string(axis));
    }
    out[axis] = out[axis] < 0 || s[axis] < 0 ? -1 : out[axis] + s[axis];
  }
  set_output(g, op, 0, x0.dtype, out);
  return ok_status();
}

Status eval_concat(Graph& g, Op& op) {
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(out.dtype));
  ASSIGN_OR_RETURN(int axis, normalize_axis(opts<Options>(op).axis, out.rank()));
  int64_t outer = 1, inner = elem;
  for (int d = 0; d < axis; ++d) outer *= out.shape[d];
  for (int d = axis + 1; d < out.rank(); ++d) inner *= out.shape[d];
  std::string bytes(static_cast<size_t>(num_elements(out.shape)) * elem, '\0');
  int64_t out_row = out.shape[axis] * inner, col = 0;
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    const Tensor& x = input(g, op, static_cast<int>(i));
    int64_t row = x.shape[axis] * inner;
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(bytes.data() + o * out_row + col, x.data->data() + o * row, row);
    col += row;
  }
  out.data = make_buffer(std::move(bytes));
  Activation act = opts<Options>(op).fused_activation_function;
  if (act != Activation::NONE) {
    if (out.dtype != DType::kFloat32)
      return unsupported("not supported yet: a fused activation on a " + dtype_name(out.dtype) + " CONCATENATION");
    std::vector<float> v = const_values<float>(out);
    for (float& f : v) f = static_cast<float>(apply_activation(act, f));
    out.data = make_buffer(to_bytes(v));
  }
  return ok_status();
}

// op_version.cc: uint32 -> 4, int16 -> 3, int8 -> 2.
int version_concat(const Graph& g, const Op& op) {
  switch (input(g, op, 0).dtype) {
    case DType::kUInt32: return 4;
    case DType::kInt16: return 3;
    case DType::kInt8: return 2;
    default: return 1;
  }
}

TFLC_REGISTER_OP(concatenation, {.code = OpCode::CONCATENATION,
                                 .infer = infer_concat,
                                 .eval = eval_concat,
                                 .options = Options{},
                                 .version = version_concat,
                                 .runtime_versions = {"1.5.0", "1.14.0", "2.3.0", "2.14.0"},
                                 .quant = {.output = QuantSpec::Output::kSameAsOutput}});

}  // namespace
}  // namespace tflc
