// TF activations -> TFLite builtins. Selu and Softplus have no builtin and
// become exact compositions of TF's own formulas.
#include <cmath>
#include <limits>

#include "frontends/graphdef/tf_ops/elementwise.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Outs one(Expected<TensorId> t) {
  if (!t.ok()) return t.status();
  return std::vector<TensorId>{*t};
}

DType in_dtype(const TfNodeContext& ctx) { return ctx.in_tensor(0).dtype; }

template <OpCode C>
Outs lower_unary(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  return one(ctx.emit1(C, {ctx.in(0)}));
}

// TFLite RELU/RELU6 are float-only; integers use MAXIMUM/MINIMUM with
// constants (the official converter does the same for Relu).
Outs lower_relu(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  DType t = in_dtype(ctx);
  if (t == DType::kInt32 || t == DType::kInt64)
    return one(ctx.emit1(OpCode::MAXIMUM, {ctx.in(0), scalar_const(ctx, t, 0, "zero")}));
  return one(ctx.emit1(OpCode::RELU, {ctx.in(0)}));
}

Outs lower_relu6(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  DType t = in_dtype(ctx);
  if (t == DType::kInt32 || t == DType::kInt64) {
    ASSIGN_OR_RETURN(TensorId lo, ctx.emit1(OpCode::MAXIMUM, {ctx.in(0), scalar_const(ctx, t, 0, "zero")}));
    return one(ctx.emit1(OpCode::MINIMUM, {lo, scalar_const(ctx, t, 6, "six")}));
  }
  return one(ctx.emit1(OpCode::RELU6, {ctx.in(0)}));
}

Outs lower_leaky_relu(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  tflite::LeakyReluOptionsT a;
  ASSIGN_OR_RETURN(a.alpha, ctx.attr_float("alpha", 0.2f));
  return one(ctx.emit1(OpCode::LEAKY_RELU, {ctx.in(0)}, a));
}

// Softmax/LogSoftmax act on the last axis in both TF and TFLite; beta = 1.
Outs lower_softmax(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  return one(ctx.emit1(OpCode::SOFTMAX, {ctx.in(0)}, tflite::SoftmaxOptionsT{.beta = 1.0f}));
}

// Selu: TF computes x < 0 ? scale_alpha * (exp(x) - 1) : scale * x. With
// TFLite ELU (x < 0 ? expm1(x) : x) that is ELU(x) * (x < 0 ? scale_alpha : scale).
Outs lower_selu(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  if (in_dtype(ctx) != DType::kFloat32)
    return unsupported("not supported yet: Selu on " + dtype_name(in_dtype(ctx)) + " tensors (float32 only)");
  const float kScale = 1.0507009873554804934193349852946f;
  const float kScaleAlpha = 1.7580993408473768599402175208123f;
  ASSIGN_OR_RETURN(TensorId elu, ctx.emit1(OpCode::ELU, {ctx.in(0)}));
  ASSIGN_OR_RETURN(TensorId neg, ctx.emit1(OpCode::LESS, {ctx.in(0), ctx.const_f32_scalar(0.f, "zero")}));
  ASSIGN_OR_RETURN(TensorId s, ctx.emit1(OpCode::SELECT_V2, {neg, ctx.const_f32_scalar(kScaleAlpha, "scale_alpha"),
                                                                     ctx.const_f32_scalar(kScale, "scale")}));
  return one(ctx.emit1(OpCode::MUL, {elu, s}));
}

// Softplus: TF's kernel (softplus_op.h) is
//   x > -t ? x : (x < t ? exp(x) : log1p(exp(x))),  t = log(FLT_EPSILON) + 2.
// The official converter's log(exp(x) + 1) overflows for large x and loses
// precision for negative x. We keep TF's branches and compute log1p(e)
// exactly as log(u) * e / (u - 1) with u = 1 + e (u > 1 in that branch).
Outs lower_softplus(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  if (in_dtype(ctx) != DType::kFloat32)
    return unsupported("not supported yet: Softplus on " + dtype_name(in_dtype(ctx)) + " tensors (float32 only)");
  const float t = std::log(std::numeric_limits<float>::epsilon()) + 2.0f;
  TensorId x = ctx.in(0);
  TensorId one_c = ctx.const_f32_scalar(1.f, "one");
  ASSIGN_OR_RETURN(TensorId e, ctx.emit1(OpCode::EXP, {x}));
  ASSIGN_OR_RETURN(TensorId u, ctx.emit1(OpCode::ADD, {e, one_c}));
  ASSIGN_OR_RETURN(TensorId d, ctx.emit1(OpCode::SUB, {u, one_c}));
  ASSIGN_OR_RETURN(TensorId l, ctx.emit1(OpCode::LOG, {u}));
  ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::DIV, {e, d}));
  ASSIGN_OR_RETURN(TensorId mid, ctx.emit1(OpCode::MUL, {l, r}));
  ASSIGN_OR_RETURN(TensorId small, ctx.emit1(OpCode::LESS, {x, ctx.const_f32_scalar(t, "small")}));
  ASSIGN_OR_RETURN(TensorId low, ctx.emit1(OpCode::SELECT, {small, e, mid}));
  ASSIGN_OR_RETURN(TensorId large, ctx.emit1(OpCode::GREATER, {x, ctx.const_f32_scalar(-t, "large")}));
  return one(ctx.emit1(OpCode::SELECT, {large, x, low}));
}

TFLC_REGISTER_TF_OP(relu, {{"Relu"}, lower_relu});
TFLC_REGISTER_TF_OP(relu6, {{"Relu6"}, lower_relu6});
TFLC_REGISTER_TF_OP(leaky_relu, {{"LeakyRelu"}, lower_leaky_relu});
TFLC_REGISTER_TF_OP(elu, {{"Elu"}, lower_unary<OpCode::ELU>});
TFLC_REGISTER_TF_OP(selu, {{"Selu"}, lower_selu});
TFLC_REGISTER_TF_OP(sigmoid, {{"Sigmoid"}, lower_unary<OpCode::LOGISTIC>});
TFLC_REGISTER_TF_OP(tanh, {{"Tanh"}, lower_unary<OpCode::TANH>});
TFLC_REGISTER_TF_OP(softmax, {{"Softmax"}, lower_softmax});
TFLC_REGISTER_TF_OP(log_softmax, {{"LogSoftmax"}, lower_unary<OpCode::LOG_SOFTMAX>});
TFLC_REGISTER_TF_OP(softplus, {{"Softplus"}, lower_softplus});

}  // namespace
}  // namespace tflc
