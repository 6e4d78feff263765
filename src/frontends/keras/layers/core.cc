// Core Keras layers: Dense, Activation and its relatives, Flatten, Reshape,
// the inference no-ops (Dropout...), Rescaling.
#include <algorithm>

#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

// Dense: y = act(x · kernel + bias) on the last axis. FULLY_CONNECTED wants
// the kernel as [units, in]; the TRANSPOSE folds at once.
Outs lower_dense(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(bool use_bias, ctx.get_bool("use_bias", true));
  ASSIGN_OR_RETURN(TensorId kernel, ctx.weight(0, "kernel"));
  {
    // FULLY_CONNECTED would silently reflow a kernel of the wrong width.
    const std::vector<int64_t> ks = ctx.graph().t(kernel).shape;
    const std::vector<int64_t>& xs = ctx.in_tensor(0).shape;
    auto units = ctx.get_int("units", -1);
    const int64_t in = xs.empty() ? -1 : xs.back();
    if (ks.size() != 2 || (in >= 0 && ks[0] != in) || (units.ok() && *units >= 0 && ks[1] != *units)) {
      std::string got;
      for (int64_t d : ks) got += (got.empty() ? "" : ", ") + std::to_string(d);
      return invalid_input("its kernel in the file is [" + got + "] but the config needs [" + std::to_string(in) +
                           ", " + std::to_string(units.ok() ? *units : -1) +
                           "] (input width, units); the weights do not match the config");
    }
  }
  ASSIGN_OR_RETURN(TensorId w, ctx.emit1(OpCode::TRANSPOSE, {kernel, ctx.const_i32({1, 0}, "perm")}));
  TensorId bias = kNoTensor;
  if (use_bias) {
    ASSIGN_OR_RETURN(bias, ctx.weight(1, "bias"));
  }
  tflite::FullyConnectedOptionsT a;
  a.keep_num_dims = ctx.in_tensor(0).rank() > 2;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::FULLY_CONNECTED, {ctx.in(0), w, bias}, a));
  ASSIGN_OR_RETURN(std::string act, ctx.get_string("activation", std::string("linear")));
  ASSIGN_OR_RETURN(y, ctx.activation(y, act));
  return std::vector<TensorId>{y};
}

Outs lower_activation(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(std::string act, ctx.get_string("activation"));
  ASSIGN_OR_RETURN(TensorId y, ctx.activation(ctx.in(0), act));
  return std::vector<TensorId>{y};
}

// Layers that do nothing at inference.
Outs lower_identity(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  return std::vector<TensorId>{ctx.in(0)};
}

Outs lower_softmax(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(int64_t axis, ctx.get_int("axis", -1));
  if (axis != -1 && axis != ctx.in_tensor(0).rank() - 1)
    return unsupported("not supported yet: Softmax over axis " + std::to_string(axis));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::SOFTMAX, {ctx.in(0)}));
  return std::vector<TensorId>{y};
}

// ReLU(max_value, negative_slope, threshold): the forms TFLite has builtins for.
Outs lower_relu(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(double slope, ctx.get_float("negative_slope", 0.0));
  ASSIGN_OR_RETURN(double threshold, ctx.get_float("threshold", 0.0));
  auto max_value = ctx.get_float("max_value", -1.0);
  if (!max_value.ok()) return max_value.status();
  if (slope != 0.0) return unsupported("not supported yet: ReLU with negative_slope");
  TensorId y = kNoTensor;
  if (threshold != 0.0) {
    // Keras keeps x where x >= threshold (even negative x), else 0.
    ASSIGN_OR_RETURN(TensorId keep, ctx.emit1(OpCode::GREATER_EQUAL,
                                              {ctx.in(0), ctx.const_f32_scalar(static_cast<float>(threshold), "threshold")}));
    ASSIGN_OR_RETURN(TensorId mask, ctx.cast(keep, DType::kFloat32));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MUL, {ctx.in(0), mask}));
  } else {
    ASSIGN_OR_RETURN(y, ctx.emit1(*max_value == 6.0 ? OpCode::RELU6 : OpCode::RELU, {ctx.in(0)}));
  }
  if (*max_value >= 0.0 && !(*max_value == 6.0 && threshold == 0.0)) {
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MINIMUM, {y, ctx.const_f32_scalar(static_cast<float>(*max_value), "max_value")}));
  }
  return std::vector<TensorId>{y};
}

Outs lower_leaky_relu(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  // Keras 2 calls it alpha (default 0.3); Keras 3 negative_slope (default 0.3).
  ASSIGN_OR_RETURN(double alpha, ctx.get_float("alpha", 0.3));
  ASSIGN_OR_RETURN(alpha, ctx.get_float("negative_slope", alpha));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::LEAKY_RELU, {ctx.in(0)},
                                         tflite::LeakyReluOptionsT{.alpha = static_cast<float>(alpha)}));
  return std::vector<TensorId>{y};
}

// Flatten and Reshape keep the (dynamic) batch: the shape constant is -1
// there, which RESHAPE resolves at run time.
Outs reshape_to(KerasLayerContext& ctx, std::vector<int32_t> tail) {
  tail.insert(tail.begin(), -1);
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::RESHAPE, {ctx.in(0), ctx.const_i32(tail, "shape")}));
  return std::vector<TensorId>{y};
}

Outs lower_flatten(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  const Tensor& x = ctx.in_tensor(0);
  int64_t n = 1;
  for (int d = 1; d < x.rank(); ++d) {
    if (x.shape[d] < 0) return unsupported("not supported yet: Flatten of a tensor with dynamic inner dims");
    n *= x.shape[d];
  }
  return reshape_to(ctx, {static_cast<int32_t>(n)});
}

Outs lower_reshape(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const auto& c = ctx.config();
  if (!c.contains("target_shape") || !c["target_shape"].is_array())
    return invalid_input("Reshape layer '" + ctx.scope() + "' has no target_shape");
  std::vector<int32_t> tail;
  for (const auto& d : c["target_shape"]) tail.push_back(d.is_null() ? -1 : d.get<int32_t>());
  // RESHAPE takes one -1 and the batch already is one: resolve Keras' -1 here.
  auto unknown = std::find(tail.begin(), tail.end(), -1);
  if (unknown != tail.end()) {
    const Tensor& x = ctx.in_tensor(0);
    int64_t total = 1, known = 1;
    for (int d = 1; d < x.rank(); ++d) {
      if (x.shape[d] < 0) return unsupported("not supported yet: Reshape with -1 of a tensor with dynamic inner dims");
      total *= x.shape[d];
    }
    for (int32_t d : tail)
      if (d != -1) known *= d;
    if (std::count(tail.begin(), tail.end(), -1) != 1 || known <= 0 || total % known != 0)
      return invalid_input("Reshape layer '" + ctx.scope() + "': target_shape does not fit the input");
    *unknown = static_cast<int32_t>(total / known);
  }
  return reshape_to(ctx, tail);
}

// Rescaling: y = x * scale + offset.
Outs lower_rescaling(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(double scale, ctx.get_float("scale"));
  ASSIGN_OR_RETURN(double offset, ctx.get_float("offset", 0.0));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MUL, {ctx.in(0), ctx.const_f32_scalar(static_cast<float>(scale), "scale")}));
  if (offset != 0.0) {
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, ctx.const_f32_scalar(static_cast<float>(offset), "offset")}));
  }
  return std::vector<TensorId>{y};
}

// The input's last dimension, or -1.
int64_t last_dim(const Tensor* x) { return x && !x->unknown_rank && !x->shape.empty() ? x->shape.back() : -1; }

Expected<std::vector<KerasWeightSpec>> dense_weights(const nlohmann::json& c, const Tensor* x) {
  const int64_t units = c.value("units", int64_t{-1});
  std::vector<KerasWeightSpec> w{{{last_dim(x), units}}};
  if (c.value("use_bias", true)) w.push_back({{units}});
  return w;
}

TFLC_REGISTER_KERAS_LAYER(dense, {{"Dense"}, lower_dense});
TFLC_REGISTER_KERAS_WEIGHTS(dense, {"Dense"}, dense_weights);
TFLC_REGISTER_KERAS_WEIGHTS(no_weights, {"Activation", "Dropout", "SpatialDropout1D", "SpatialDropout2D",
                                         "SpatialDropout3D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
                                         "Softmax", "ReLU", "LeakyReLU", "Flatten", "Reshape", "Rescaling"},
                            keras_no_weights);
TFLC_REGISTER_KERAS_LAYER(activation, {{"Activation"}, lower_activation});
TFLC_REGISTER_KERAS_LAYER(identity, {{"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                                      "GaussianNoise", "GaussianDropout", "AlphaDropout", "ActivityRegularization"},
                                     lower_identity});
TFLC_REGISTER_KERAS_LAYER(softmax, {{"Softmax"}, lower_softmax});
TFLC_REGISTER_KERAS_LAYER(relu, {{"ReLU"}, lower_relu});
TFLC_REGISTER_KERAS_LAYER(leaky_relu, {{"LeakyReLU"}, lower_leaky_relu});
TFLC_REGISTER_KERAS_LAYER(flatten, {{"Flatten"}, lower_flatten});
TFLC_REGISTER_KERAS_LAYER(reshape, {{"Reshape"}, lower_reshape});
TFLC_REGISTER_KERAS_LAYER(rescaling, {{"Rescaling"}, lower_rescaling});

}  // namespace
}  // namespace tflc
