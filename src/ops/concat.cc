// CONCATENATION: joins inputs along its axis (negative counts from the end).
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
    if (!merge_known_dims(out, s, axis))
      return invalid_input("CONCATENATION inputs " + shape_str(x0.shape) + " and " + shape_str(s) +
                           " differ outside the axis " + std::to_string(axis));
    out[axis] = out[axis] < 0 || s[axis] < 0 ? -1 : out[axis] + s[axis];
  }
  set_output(g, op, 0, x0.dtype, out);
  return ok_status();
}

Status eval_concat(Graph& g, Op& op) {
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(out.dtype));
  ASSIGN_OR_RETURN(int axis, normalize_axis(opts<Options>(op).axis, out.rank()));
  AxisRows rows = axis_rows(out.shape, axis, elem);
  std::vector<RowPart> parts;
  for (TensorId id : op.inputs) parts.push_back({g.t(id).data->data(), g.t(id).shape[axis] * rows.inner});
  out.data = make_buffer(join_rows(rows.outer, out.shape[axis] * rows.inner, parts));
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

TFLC_REGISTER_OP(concatenation, {.code = OpCode::CONCATENATION,
                                 .infer = infer_concat,
                                 .eval = eval_concat,
                                 .options = Options{},
                                 .types_unchecked = kNoKernelFacts,
                                 // op_version.cc: uint32 -> 4, int16 -> 3, int8 -> 2.
                                 .version_by_type = {{DType::kUInt32, 4}, {DType::kInt16, 3}, {DType::kInt8, 2}},
                                 .runtime_versions = {"1.5.0", "1.14.0", "2.3.0", "2.14.0"},
                                 .quant = {.output = QuantSpec::Output::kSameAsOutput}});

}  // namespace
}  // namespace tflc
