#include "ops/kernels.h"

namespace tflc {

Status infer_binary_broadcast(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& a = input(g, op, 0);
  const Tensor& b = input(g, op, 1);
  if (a.dtype != b.dtype)
    return invalid_input("operand types differ: " + dtype_name(a.dtype) + " and " + dtype_name(b.dtype));
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
  const Tensor& a = input(g, op, 0);
  set_output(g, op, 0, a.dtype, a.shape);
  return ok_status();
}

}  // namespace tflc
