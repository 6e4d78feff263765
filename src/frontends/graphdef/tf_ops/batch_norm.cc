// TF FusedBatchNorm{,V2,V3} in inference mode -> y = x * m + b with
// m = scale * rsqrt(variance + epsilon) and b = offset - mean * m. The
// ADD/RSQRT/MUL/SUB on the parameters fold when they are constants; the
// batch-norm folding pass can then merge the final MUL and ADD into a conv.
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

Expected<std::vector<TensorId>> lower_fused_batch_norm(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(5));
  RETURN_IF_ERROR(ctx.expect_nhwc());
  ASSIGN_OR_RETURN(bool training, ctx.attr_bool("is_training", true));
  if (training)
    return unsupported("not supported yet: " + ctx.node().op() + " with is_training=true (freeze for inference)");
  for (int i = 0; i < 5; ++i) {
    DType t = ctx.in_tensor(i).dtype;
    if (t != DType::kFloat32)
      return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(t) + " tensors (float32 only)");
  }
  for (int i = 1; i < 5; ++i) {
    const Tensor& p = ctx.in_tensor(i);
    if (!p.unknown_rank && p.rank() != 1)
      return invalid_input("input " + std::to_string(i) + " of " + ctx.node().op() + " node '" + ctx.name() +
                           "' must have rank 1, got " + shape_str(p.shape));
  }
  ASSIGN_OR_RETURN(float epsilon, ctx.attr_float("epsilon", 0.0001f));
  const TensorId x = ctx.in(0), scale = ctx.in(1), offset = ctx.in(2), mean = ctx.in(3), var = ctx.in(4);
  ASSIGN_OR_RETURN(TensorId v, ctx.emit1(OpCode::ADD, {var, ctx.const_f32_scalar(epsilon, "epsilon")}));
  ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::RSQRT, {v}));
  ASSIGN_OR_RETURN(TensorId m, ctx.emit1(OpCode::MUL, {scale, r}));
  ASSIGN_OR_RETURN(TensorId mm, ctx.emit1(OpCode::MUL, {mean, m}));
  ASSIGN_OR_RETURN(TensorId b, ctx.emit1(OpCode::SUB, {offset, mm}));
  ASSIGN_OR_RETURN(TensorId xm, ctx.emit1(OpCode::MUL, {x, m}));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::ADD, {xm, b}));
  // The statistics outputs only matter in training; inference consumers
  // (rare) get the population statistics the op was given.
  std::vector<TensorId> outs = {y, mean, var, mean, var};
  if (ctx.node().op() == "FusedBatchNormV3") outs.push_back(mean);
  return outs;
}

TFLC_REGISTER_TF_OP(fused_batch_norm, {{"FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3"},
                                       lower_fused_batch_norm});

}  // namespace
}  // namespace tflc
