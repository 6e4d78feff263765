// BROADCAST_TO: input 0 repeated to the shape given by input 1 (NumPy
// broadcasting, up to rank 8). IrBuilder emits it to make a broadcast
// explicit that an op's kernel cannot do at its rank.
#include "ops/constraints.h"
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

Status infer_broadcast_to(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  ASSIGN_OR_RETURN(ShapeOperand shape, read_shape_operand(g, op, 1, "BROADCAST_TO shape"));
  if (!shape.known) {
    set_output_shape(g, op, 0, x.dtype, shape);
    return ok_status();
  }
  const Shape& out = shape.dims;
  if (static_cast<int>(out.size()) > kBroadcastToMaxRank)
    return unsupported("not supported yet: BROADCAST_TO to rank " + std::to_string(out.size()) + " (up to " +
                       std::to_string(kBroadcastToMaxRank) + ")");
  if (!x.unknown_rank) {
    const int extra = static_cast<int>(out.size()) - x.rank();
    bool ok = extra >= 0;
    for (int d = 0; ok && d < x.rank(); ++d) ok = x.shape[d] == 1 || x.shape[d] < 0 || x.shape[d] == out[extra + d];
    if (!ok) return invalid_input("BROADCAST_TO cannot broadcast " + shape_str(x.shape) + " to " + shape_str(out));
  }
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status eval_broadcast_to(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  // Strides of x over the output's dims: 0 where x repeats.
  const int extra = out.rank() - x.rank();
  std::vector<int64_t> x_strides = strides_of(x.shape), strides(out.rank(), 0);
  for (int d = 0; d < x.rank(); ++d)
    if (x.shape[d] != 1) strides[extra + d] = x_strides[d];
  out.data = make_buffer(view_bytes(x.data->data(), elem, out.shape, strides));
  return ok_status();
}

using D = DType;

// broadcast_to.cc copies elements by size: any type but string. op_version.cc:
// int8/int16 -> 3, else 2 (version 1 was withdrawn and is never written).
int version_broadcast_to(const Graph& g, const Op& op) {
  const DType t = input(g, op, 0).dtype;
  return t == D::kInt8 || t == D::kInt16 ? 3 : 2;
}

// Official converter: tfl.broadcast_to has no options.
TFLC_REGISTER_OP(broadcast_to, {.code = OpCode::BROADCAST_TO,
                                .infer = infer_broadcast_to,
                                .eval = eval_broadcast_to,
                                .types = {{D::kFloat32, 2}, {D::kFloat16, 2}, {D::kFloat64, 2}, {D::kInt32, 2},
                                          {D::kInt64, 2}, {D::kUInt8, 2}, {D::kUInt16, 2}, {D::kUInt32, 2},
                                          {D::kBool, 2}, {D::kInt8, 3}, {D::kInt16, 3}},
                                .version = version_broadcast_to,
                                // runtime_version.cc lists versions 2 and 3 (2.5.0); version 1 is never
                                // written, its slot repeats 2.5.0.
                                .runtime_versions = {"2.5.0", "2.5.0", "2.5.0"},
                                .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
