// TF matrix products -> TFLite. MatMul with a constant right operand becomes
// FULLY_CONNECTED (weights [out,in]: a TRANSPOSE unless transpose_b, which
// folds; no bias; keep_num_dims=false); otherwise BATCH_MATMUL. BatchMatMul,
// V2 and V3 become BATCH_MATMUL with adj_x/adj_y.
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

Status expect_float_operands(const TfNodeContext& ctx) {
  for (int i = 0; i < 2; ++i) {
    DType t = ctx.in_tensor(i).dtype;
    if (t != DType::kFloat32)
      return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(t) + " tensors (float32 only)");
  }
  return ok_status();
}

Status expect_matrix(const TfNodeContext& ctx, int i) {
  const Tensor& t = ctx.in_tensor(i);
  if (t.unknown_rank) return unsupported("not supported yet: MatMul operand of unknown rank");
  if (t.rank() != 2)
    return invalid_input("operand " + std::to_string(i) + " of MatMul node '" + ctx.name() + "' must be a matrix, got " +
                         shape_str(t.shape));
  return ok_status();
}

Expected<std::vector<TensorId>> lower_matmul(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  RETURN_IF_ERROR(expect_float_operands(ctx));
  RETURN_IF_ERROR(expect_matrix(ctx, 0));
  RETURN_IF_ERROR(expect_matrix(ctx, 1));
  ASSIGN_OR_RETURN(bool ta, ctx.attr_bool("transpose_a", false));
  ASSIGN_OR_RETURN(bool tb, ctx.attr_bool("transpose_b", false));
  if (!ctx.in_tensor(1).is_const()) {
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::BATCH_MATMUL, {ctx.in(0), ctx.in(1)},
                                           tflite::BatchMatMulOptionsT{.adj_x = ta, .adj_y = tb}));
    return std::vector<TensorId>{y};
  }
  TensorId lhs = ctx.in(0), weights = ctx.in(1);
  if (ta) {
    ASSIGN_OR_RETURN(lhs, ctx.emit1(OpCode::TRANSPOSE, {lhs, ctx.const_i32({1, 0}, "perm_a")}));
  }
  if (!tb) {
    ASSIGN_OR_RETURN(weights, ctx.emit1(OpCode::TRANSPOSE, {weights, ctx.const_i32({1, 0}, "perm_b")}));
  }
  tflite::FullyConnectedOptionsT a;
  a.keep_num_dims = false;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::FULLY_CONNECTED, {lhs, weights, kNoTensor}, a));
  return std::vector<TensorId>{y};
}

Expected<std::vector<TensorId>> lower_batch_matmul(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  if (ctx.node().op() == "BatchMatMulV3") {
    ASSIGN_OR_RETURN(DType ta, ctx.attr_type("Ta", DType::kFloat32));
    ASSIGN_OR_RETURN(DType tb, ctx.attr_type("Tb", DType::kFloat32));
    ASSIGN_OR_RETURN(DType tout, ctx.attr_type("Tout", ta));
    if (ta != tb || tout != ta)
      return unsupported("not supported yet: BatchMatMulV3 with mixed types " + dtype_name(ta) + " x " + dtype_name(tb) +
                         " -> " + dtype_name(tout));
  }
  RETURN_IF_ERROR(expect_float_operands(ctx));
  tflite::BatchMatMulOptionsT a;
  ASSIGN_OR_RETURN(a.adj_x, ctx.attr_bool("adj_x", false));
  ASSIGN_OR_RETURN(a.adj_y, ctx.attr_bool("adj_y", false));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::BATCH_MATMUL, {ctx.in(0), ctx.in(1)}, a));
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_TF_OP(matmul, {{"MatMul"}, lower_matmul});
TFLC_REGISTER_TF_OP(batch_matmul, {{"BatchMatMul", "BatchMatMulV2", "BatchMatMulV3"}, lower_batch_matmul});

}  // namespace
}  // namespace tflc
