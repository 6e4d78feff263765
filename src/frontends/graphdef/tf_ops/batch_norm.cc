// TF FusedBatchNorm{,V2,V3} -> elementwise TFLite ops, computed in float32
// as TF's kernel computes them (T may be half; U, the parameters, float):
//   inference: y = x * m + b, m = scale * rsqrt(variance + epsilon),
//              b = offset - mean * m (folds to constants, then into a conv);
//   training:  the batch statistics over N, H, W replace mean and variance,
//              as TF's lowering does: mean = MEAN(x), var = MEAN((x-mean)^2),
//              y = (x - mean) * m + offset. The running-variance output has
//              Bessel's correction n/(n-1) and exponential_avg_factor mixes
//              in the given statistics.
// NCHW nodes run between TRANSPOSEs (lower_channels_last).
#include <algorithm>

#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

// n / max(n - 1, 1) for n = N*H*W of NHWC `x`, as a float32 scalar.
Expected<TensorId> bessel_factor(TfNodeContext& ctx, TensorId x) {
  const Tensor& t = ctx.graph().t(x);
  if (t.has_static_shape() && !t.unknown_rank && t.rank() == 4) {
    const double n = static_cast<double>(t.shape[0] * t.shape[1] * t.shape[2]);
    return ctx.const_f32_scalar(static_cast<float>(n / std::max(n - 1, 1.0)), "bessel");
  }
  ASSIGN_OR_RETURN(TensorId shape, ctx.emit1(OpCode::SHAPE, {x}));
  ASSIGN_OR_RETURN(TensorId rest, ctx.emit1(OpCode::SLICE, {shape, ctx.const_i32({0}, "begin"), ctx.const_i32({3}, "size")}));
  tflite::ReducerOptionsT keep;
  ASSIGN_OR_RETURN(TensorId n_i, ctx.emit1(OpCode::REDUCE_PROD, {rest, ctx.const_i32({0}, "axis")}, keep));
  ASSIGN_OR_RETURN(TensorId n, ctx.cast(n_i, DType::kFloat32));
  ASSIGN_OR_RETURN(TensorId n1, ctx.emit1(OpCode::SUB, {n, ctx.const_f32_scalar(1.0f, "one")}));
  ASSIGN_OR_RETURN(TensorId d, ctx.emit1(OpCode::MAXIMUM, {n1, ctx.const_f32_scalar(1.0f, "one")}));
  return ctx.emit1(OpCode::DIV, {n, d});
}

// (1 - f) * old + f * k * batch, or k * batch when f == 1.
Expected<TensorId> running(TfNodeContext& ctx, TensorId batch, TensorId old, float f, TensorId k) {
  TensorId v = batch;
  if (k != kNoTensor) {
    ASSIGN_OR_RETURN(v, ctx.emit1(OpCode::MUL, {v, k}));
  }
  if (f == 1.0f) return v;
  ASSIGN_OR_RETURN(TensorId fb, ctx.emit1(OpCode::MUL, {v, ctx.const_f32_scalar(f, "avg_factor")}));
  ASSIGN_OR_RETURN(TensorId fo, ctx.emit1(OpCode::MUL, {old, ctx.const_f32_scalar(1.0f - f, "one_minus_factor")}));
  return ctx.emit1(OpCode::ADD, {fo, fb});
}

Expected<std::vector<TensorId>> lower_nhwc(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(5));
  RETURN_IF_ERROR(ctx.expect_nhwc());
  ASSIGN_OR_RETURN(bool training, ctx.attr_bool("is_training", true));
  const DType xt = ctx.in_tensor(0).dtype;
  if (xt != DType::kFloat32 && xt != DType::kFloat16)
    return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(xt) +
                       " tensors (float32 or float16 only)");
  for (int i = 1; i < 5; ++i) {
    const Tensor& p = ctx.in_tensor(i);
    if (p.dtype != DType::kFloat32)
      return unsupported("not supported yet: " + ctx.node().op() + " with " + dtype_name(p.dtype) +
                         " parameters (float32 only)");
    if (!p.unknown_rank && p.rank() != 1)
      return invalid_input("input " + std::to_string(i) + " of " + ctx.node().op() + " node '" + ctx.name() +
                           "' must have rank 1, got " + shape_str(p.shape));
  }
  ASSIGN_OR_RETURN(float epsilon, ctx.attr_float("epsilon", 0.0001f));
  ASSIGN_OR_RETURN(float avg_factor, ctx.attr_float("exponential_avg_factor", 1.0f));
  TensorId x = ctx.in(0);
  ASSIGN_OR_RETURN(x, ctx.cast(x, DType::kFloat32));
  const TensorId scale = ctx.in(1), offset = ctx.in(2);
  TensorId mean = ctx.in(3), var = ctx.in(4), centered = kNoTensor;
  if (training) {
    if (avg_factor != 1.0f && (ctx.in_tensor(3).num_elements() == 0 || ctx.in_tensor(4).num_elements() == 0))
      return invalid_input(ctx.node().op() + " node '" + ctx.name() +
                           "' has exponential_avg_factor != 1 but empty mean or variance inputs");
    tflite::ReducerOptionsT drop;
    TensorId axes = ctx.const_i32({0, 1, 2}, "axes");
    ASSIGN_OR_RETURN(mean, ctx.emit1(OpCode::MEAN, {x, axes}, drop));
    ASSIGN_OR_RETURN(centered, ctx.emit1(OpCode::SUB, {x, mean}));
    ASSIGN_OR_RETURN(TensorId sq, ctx.emit1(OpCode::MUL, {centered, centered}));
    ASSIGN_OR_RETURN(var, ctx.emit1(OpCode::MEAN, {sq, axes}, drop));
  }
  ASSIGN_OR_RETURN(TensorId v, ctx.emit1(OpCode::ADD, {var, ctx.const_f32_scalar(epsilon, "epsilon")}));
  ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::RSQRT, {v}));
  ASSIGN_OR_RETURN(TensorId m, ctx.emit1(OpCode::MUL, {scale, r}));
  TensorId y;
  if (training) {
    ASSIGN_OR_RETURN(TensorId cm, ctx.emit1(OpCode::MUL, {centered, m}));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {cm, offset}));
  } else {
    ASSIGN_OR_RETURN(TensorId mm, ctx.emit1(OpCode::MUL, {mean, m}));
    ASSIGN_OR_RETURN(TensorId b, ctx.emit1(OpCode::SUB, {offset, mm}));
    ASSIGN_OR_RETURN(TensorId xm, ctx.emit1(OpCode::MUL, {x, m}));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {xm, b}));
  }
  ASSIGN_OR_RETURN(y, ctx.cast(y, xt));
  // Outputs 1..4: running mean and variance, then the saved batch
  // statistics (the given ones in inference, where only y usually matters).
  std::vector<TensorId> outs = {y, mean, var, mean, var};
  if (training) {
    ASSIGN_OR_RETURN(TensorId k, bessel_factor(ctx, x));
    ASSIGN_OR_RETURN(outs[1], running(ctx, mean, ctx.in(3), avg_factor, kNoTensor));
    ASSIGN_OR_RETURN(outs[2], running(ctx, var, ctx.in(4), avg_factor, k));
  }
  if (ctx.node().op() == "FusedBatchNormV3") outs.push_back(mean);
  return outs;
}

Expected<std::vector<TensorId>> lower_fused_batch_norm(TfNodeContext& ctx) {
  return lower_channels_last(ctx, lower_nhwc, {.images = {0}});
}

TFLC_REGISTER_TF_OP(fused_batch_norm, {{"FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3"},
                                       lower_fused_batch_norm});

}  // namespace
}  // namespace tflc
