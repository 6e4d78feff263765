// Activation layers with parameters (PReLU, ELU, ThresholdedReLU) and the
// Keras activation names KerasLayerContext::activation has no builtin for,
// composed from TFLite elementwise builtins.
#include "frontends/keras/layers/activations_more.h"

#include <cmath>

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Expected<TensorId> scalar_op(KerasLayerContext& ctx, OpCode c, TensorId x, float v, const std::string& suffix) {
  return ctx.emit1(c, {x, ctx.const_f32_scalar(v, suffix)});
}

// alpha * (exp(x) - 1) for x <= 0 and x otherwise: RELU(x) + alpha*MIN(ELU(x), 0);
// ELU(x) is exp(x)-1 exactly where it is negative.
Expected<TensorId> scaled_elu(KerasLayerContext& ctx, TensorId x, float alpha) {
  ASSIGN_OR_RETURN(TensorId e, ctx.emit1(OpCode::ELU, {x}));
  if (alpha == 1.0f) return e;
  ASSIGN_OR_RETURN(TensorId neg, scalar_op(ctx, OpCode::MINIMUM, e, 0.0f, "zero"));
  ASSIGN_OR_RETURN(neg, scalar_op(ctx, OpCode::MUL, neg, alpha, "alpha"));
  ASSIGN_OR_RETURN(TensorId pos, ctx.emit1(OpCode::RELU, {x}));
  return ctx.emit1(OpCode::ADD, {pos, neg});
}

// relu(x) + log(1 + exp(-|x|)): softplus without overflow for large |x|.
Expected<TensorId> softplus(KerasLayerContext& ctx, TensorId x) {
  ASSIGN_OR_RETURN(TensorId a, ctx.emit1(OpCode::ABS, {x}));
  ASSIGN_OR_RETURN(a, ctx.emit1(OpCode::NEG, {a}));
  ASSIGN_OR_RETURN(a, ctx.emit1(OpCode::EXP, {a}));
  ASSIGN_OR_RETURN(a, scalar_op(ctx, OpCode::ADD, a, 1.0f, "one"));
  ASSIGN_OR_RETURN(a, ctx.emit1(OpCode::LOG, {a}));
  ASSIGN_OR_RETURN(TensorId r, ctx.emit1(OpCode::RELU, {x}));
  return ctx.emit1(OpCode::ADD, {r, a});
}

// erf(|z|) by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, about
// float32 rounding): 1 - (a1 t + ... + a5 t^5) exp(-z^2), t = 1/(1 + p|z|).
Expected<TensorId> erf_abs(KerasLayerContext& ctx, TensorId z) {
  const float p = 0.3275911f;
  const float a[5] = {0.254829592f, -0.284496736f, 1.421413741f, -1.453152027f, 1.061405429f};
  ASSIGN_OR_RETURN(TensorId az, ctx.emit1(OpCode::ABS, {z}));
  ASSIGN_OR_RETURN(TensorId den, scalar_op(ctx, OpCode::MUL, az, p, "p"));
  ASSIGN_OR_RETURN(den, scalar_op(ctx, OpCode::ADD, den, 1.0f, "one"));
  ASSIGN_OR_RETURN(TensorId t, ctx.emit1(OpCode::DIV, {ctx.const_f32_scalar(1.0f, "one"), den}));
  // Horner: ((((a5 t + a4) t + a3) t + a2) t + a1) t
  ASSIGN_OR_RETURN(TensorId poly, scalar_op(ctx, OpCode::MUL, t, a[4], "a5"));
  const char* names[4] = {"a1", "a2", "a3", "a4"};
  for (int k = 3; k >= 0; --k) {
    ASSIGN_OR_RETURN(poly, scalar_op(ctx, OpCode::ADD, poly, a[k], names[k]));
    ASSIGN_OR_RETURN(poly, ctx.emit1(OpCode::MUL, {poly, t}));
  }
  ASSIGN_OR_RETURN(TensorId z2, ctx.emit1(OpCode::SQUARE, {az}));
  ASSIGN_OR_RETURN(TensorId nz2, ctx.emit1(OpCode::NEG, {z2}));
  ASSIGN_OR_RETURN(TensorId ex, ctx.emit1(OpCode::EXP, {nz2}));
  ASSIGN_OR_RETURN(TensorId pe, ctx.emit1(OpCode::MUL, {poly, ex}));
  return ctx.emit1(OpCode::SUB, {ctx.const_f32_scalar(1.0f, "one"), pe});
}

Expected<TensorId> gelu_exact(KerasLayerContext& ctx, TensorId x) {
  ASSIGN_OR_RETURN(TensorId z, scalar_op(ctx, OpCode::MUL, x, static_cast<float>(1.0 / std::sqrt(2.0)), "inv_sqrt2"));
  ASSIGN_OR_RETURN(TensorId e, erf_abs(ctx, z));
  ASSIGN_OR_RETURN(TensorId ne, ctx.emit1(OpCode::NEG, {e}));
  ASSIGN_OR_RETURN(TensorId nonneg, scalar_op(ctx, OpCode::GREATER_EQUAL, z, 0.0f, "zero"));
  ASSIGN_OR_RETURN(TensorId erf, ctx.emit1(OpCode::SELECT_V2, {nonneg, e, ne}));
  ASSIGN_OR_RETURN(TensorId s, scalar_op(ctx, OpCode::ADD, erf, 1.0f, "one"));
  ASSIGN_OR_RETURN(s, scalar_op(ctx, OpCode::MUL, s, 0.5f, "half"));
  return ctx.emit1(OpCode::MUL, {x, s});
}

// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
Expected<TensorId> gelu_tanh(KerasLayerContext& ctx, TensorId x) {
  ASSIGN_OR_RETURN(TensorId x3, ctx.emit1(OpCode::MUL, {x, x}));
  ASSIGN_OR_RETURN(x3, ctx.emit1(OpCode::MUL, {x3, x}));
  ASSIGN_OR_RETURN(x3, scalar_op(ctx, OpCode::MUL, x3, 0.044715f, "c"));
  ASSIGN_OR_RETURN(TensorId u, ctx.emit1(OpCode::ADD, {x, x3}));
  ASSIGN_OR_RETURN(u, scalar_op(ctx, OpCode::MUL, u, static_cast<float>(std::sqrt(2.0 / M_PI)), "sqrt_2_over_pi"));
  ASSIGN_OR_RETURN(u, ctx.emit1(OpCode::TANH, {u}));
  ASSIGN_OR_RETURN(u, scalar_op(ctx, OpCode::ADD, u, 1.0f, "one"));
  ASSIGN_OR_RETURN(u, scalar_op(ctx, OpCode::MUL, u, 0.5f, "half"));
  return ctx.emit1(OpCode::MUL, {x, u});
}

Expected<TensorId> hard_sigmoid(KerasLayerContext& ctx, TensorId x, const std::string& keras_version) {
  if (keras_version.empty())
    return unsupported("not supported yet: activation 'hard_sigmoid' in layer '" + ctx.scope() +
                       "' of a file that does not say its Keras version (Keras 2 and 3 define it differently)");
  if (keras_version[0] == '3') {  // relu6(x + 3) / 6
    ASSIGN_OR_RETURN(TensorId y, scalar_op(ctx, OpCode::ADD, x, 3.0f, "three"));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::RELU6, {y}));
    return scalar_op(ctx, OpCode::MUL, y, 1.0f / 6.0f, "sixth");
  }
  // Keras 1/2: clip(0.2 x + 0.5, 0, 1)
  ASSIGN_OR_RETURN(TensorId y, scalar_op(ctx, OpCode::MUL, x, 0.2f, "slope"));
  ASSIGN_OR_RETURN(y, scalar_op(ctx, OpCode::ADD, y, 0.5f, "half"));
  ASSIGN_OR_RETURN(y, scalar_op(ctx, OpCode::MAXIMUM, y, 0.0f, "zero"));
  return scalar_op(ctx, OpCode::MINIMUM, y, 1.0f, "one");
}

}  // namespace

Expected<TensorId> keras_activation_extra(KerasLayerContext& ctx, TensorId x, const std::string& name,
                                          const std::string& keras_version) {
  if (name == "hard_sigmoid") return hard_sigmoid(ctx, x, keras_version);
  if (name == "hard_silu" || name == "hard_swish") {  // Keras 3 only: x * relu6(x + 3) / 6
    ASSIGN_OR_RETURN(TensorId h, hard_sigmoid(ctx, x, "3"));
    return ctx.emit1(OpCode::MUL, {x, h});
  }
  if (name == "gelu") return gelu_exact(ctx, x);  // Keras' default approximate=False
  if (name == "selu") {
    ASSIGN_OR_RETURN(TensorId y, scaled_elu(ctx, x, 1.6732632423543772f));
    return scalar_op(ctx, OpCode::MUL, y, 1.0507009873554805f, "scale");
  }
  if (name == "softplus") return softplus(ctx, x);
  if (name == "mish") {  // x * tanh(softplus(x))
    ASSIGN_OR_RETURN(TensorId sp, softplus(ctx, x));
    ASSIGN_OR_RETURN(sp, ctx.emit1(OpCode::TANH, {sp}));
    return ctx.emit1(OpCode::MUL, {x, sp});
  }
  if (name == "log_sigmoid") {  // -softplus(-x)
    ASSIGN_OR_RETURN(TensorId n, ctx.emit1(OpCode::NEG, {x}));
    ASSIGN_OR_RETURN(n, softplus(ctx, n));
    return ctx.emit1(OpCode::NEG, {n});
  }
  if (name == "log_softmax") return ctx.emit1(OpCode::LOG_SOFTMAX, {x});  // last axis, as Keras' default
  if (name == "hard_tanh") return ctx.emit1(OpCode::RELU_N1_TO_1, {x});
  if (name == "celu") return ctx.emit1(OpCode::ELU, {x});  // Keras' default alpha=1 makes it ELU
  if (name == "tanh_shrink") {  // x - tanh(x)
    ASSIGN_OR_RETURN(TensorId t, ctx.emit1(OpCode::TANH, {x}));
    return ctx.emit1(OpCode::SUB, {x, t});
  }
  if (name == "squareplus") {  // (x + sqrt(x^2 + 4)) / 2, Keras' default b=4
    ASSIGN_OR_RETURN(TensorId q, ctx.emit1(OpCode::SQUARE, {x}));
    ASSIGN_OR_RETURN(q, scalar_op(ctx, OpCode::ADD, q, 4.0f, "b"));
    ASSIGN_OR_RETURN(q, ctx.emit1(OpCode::SQRT, {q}));
    ASSIGN_OR_RETURN(q, ctx.emit1(OpCode::ADD, {x, q}));
    return scalar_op(ctx, OpCode::MUL, q, 0.5f, "half");
  }
  if (name == "soft_shrink") {  // x - clip(x, -0.5, 0.5), Keras' default threshold
    ASSIGN_OR_RETURN(TensorId c, scalar_op(ctx, OpCode::MAXIMUM, x, -0.5f, "lo"));
    ASSIGN_OR_RETURN(c, scalar_op(ctx, OpCode::MINIMUM, c, 0.5f, "hi"));
    return ctx.emit1(OpCode::SUB, {x, c});
  }
  if (name == "hard_shrink") {  // x where |x| > 0.5, else 0
    ASSIGN_OR_RETURN(TensorId a, ctx.emit1(OpCode::ABS, {x}));
    ASSIGN_OR_RETURN(TensorId keep, scalar_op(ctx, OpCode::GREATER, a, 0.5f, "threshold"));
    ASSIGN_OR_RETURN(TensorId m, ctx.cast(keep, DType::kFloat32));
    return ctx.emit1(OpCode::MUL, {x, m});
  }
  if (name == "softsign") {  // x / (1 + |x|)
    ASSIGN_OR_RETURN(TensorId a, ctx.emit1(OpCode::ABS, {x}));
    ASSIGN_OR_RETURN(a, scalar_op(ctx, OpCode::ADD, a, 1.0f, "one"));
    return ctx.emit1(OpCode::DIV, {x, a});
  }
  return unsupported("not supported yet: activation '" + name + "' in layer '" + ctx.scope() + "'");
}

Expected<TensorId> keras_gelu(KerasLayerContext& ctx, TensorId x, bool approximate) {
  return approximate ? gelu_tanh(ctx, x) : gelu_exact(ctx, x);
}

namespace {

// PReLU: max(x, 0) + alpha * min(x, 0); alpha has the input's shape without
// the batch (1 on shared axes), so it broadcasts.
Outs lower_prelu(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(TensorId alpha, ctx.weight(0, "alpha"));
  if (ctx.graph().t(alpha).rank() >= ctx.in_tensor(0).rank() + 1)
    return invalid_input("PReLU layer '" + ctx.scope() + "' has an alpha of higher rank than its input");
  ASSIGN_OR_RETURN(TensorId pos, ctx.emit1(OpCode::RELU, {ctx.in(0)}));
  ASSIGN_OR_RETURN(TensorId neg, scalar_op(ctx, OpCode::MINIMUM, ctx.in(0), 0.0f, "zero"));
  ASSIGN_OR_RETURN(neg, ctx.emit1(OpCode::MUL, {neg, alpha}));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::ADD, {pos, neg}));
  return std::vector<TensorId>{y};
}

Outs lower_elu(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(double alpha, ctx.get_float("alpha", 1.0));
  ASSIGN_OR_RETURN(TensorId y, scaled_elu(ctx, ctx.in(0), static_cast<float>(alpha)));
  return std::vector<TensorId>{y};
}

// ThresholdedReLU: x where x > theta, else 0.
Outs lower_thresholded_relu(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(double theta, ctx.get_float("theta", 1.0));
  ASSIGN_OR_RETURN(TensorId keep, scalar_op(ctx, OpCode::GREATER, ctx.in(0), static_cast<float>(theta), "theta"));
  ASSIGN_OR_RETURN(TensorId mask, ctx.cast(keep, DType::kFloat32));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MUL, {ctx.in(0), mask}));
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_KERAS_LAYER(prelu, {{"PReLU"}, lower_prelu});
TFLC_REGISTER_KERAS_LAYER(elu, {{"ELU"}, lower_elu});
TFLC_REGISTER_KERAS_LAYER(thresholded_relu, {{"ThresholdedReLU"}, lower_thresholded_relu});

}  // namespace
}  // namespace tflc
