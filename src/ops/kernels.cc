#include "ops/kernels.h"

namespace tflc {

Status infer_binary_broadcast(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& a = input(g, op, 0);
  const Tensor& b = input(g, op, 1);
  if (a.dtype != b.dtype)
    return invalid_input("operand types differ: " + dtype_name(a.dtype) + " and " + dtype_name(b.dtype));
  if (a.unknown_rank || b.unknown_rank) {
    set_output(g, op, 0, a.dtype, {});
    output(g, op, 0).unknown_rank = true;
    return ok_status();
  }
  ASSIGN_OR_RETURN(Shape s, broadcast_shapes(a.shape, b.shape));
  set_output(g, op, 0, a.dtype, std::move(s));
  return ok_status();
}

Status infer_compare(Graph& g, Op& op) {
  RETURN_IF_ERROR(infer_binary_broadcast(g, op));
  output(g, op, 0).dtype = DType::kBool;
  return ok_status();
}

Status infer_same_as_input(Graph& g, Op& op) {
  if (op.inputs.empty() || op.inputs[0] < 0) return invalid_input("missing input 0");
  const Tensor& a = input(g, op, 0);
  bool unknown = a.unknown_rank;
  set_output(g, op, 0, a.dtype, a.shape);
  output(g, op, 0).unknown_rank = unknown;
  return ok_status();
}

bool needs_broadcast(const Graph& g, const Op& op) {
  if (op.inputs.size() < 2 || op.inputs[0] < 0 || op.inputs[1] < 0) return false;
  return input(g, op, 0).shape != input(g, op, 1).shape;
}

int max_input_rank(const Graph& g, const Op& op) {
  int r = 0;
  for (TensorId i : op.inputs)
    if (i >= 0) r = std::max(r, g.t(i).rank());
  return r;
}

}  // namespace tflc
