// Convolution-family Keras layers (channels_last): Conv2D, DepthwiseConv2D,
// pooling, ZeroPadding2D and BatchNormalization.
#include <cmath>

#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Expected<Padding> padding_of(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(std::string p, ctx.get_string("padding", std::string("valid")));
  if (p == "same") return Padding::SAME;
  if (p == "valid") return Padding::VALID;
  return unsupported("not supported yet: padding '" + p + "'");
}

// padding, strides and dilation_rate of a 2D convolution layer, as the
// options table T (Conv2DOptionsT or DepthwiseConv2DOptionsT).
template <class T>
Expected<T> conv_options(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, ctx.get_ints("strides", 2, std::vector<int64_t>{1, 1}));
  ASSIGN_OR_RETURN(std::vector<int64_t> dilation, ctx.get_ints("dilation_rate", 2, std::vector<int64_t>{1, 1}));
  T a;
  ASSIGN_OR_RETURN(a.padding, padding_of(ctx));
  a.stride_h = static_cast<int>(strides[0]);
  a.stride_w = static_cast<int>(strides[1]);
  a.dilation_h_factor = static_cast<int>(dilation[0]);
  a.dilation_w_factor = static_cast<int>(dilation[1]);
  return a;
}

Expected<TensorId> bias_or_zeros(KerasLayerContext& ctx, int index, int64_t channels) {
  ASSIGN_OR_RETURN(bool use_bias, ctx.get_bool("use_bias", true));
  if (use_bias) return ctx.weight(index, "bias");
  return ctx.constant(DType::kFloat32, {channels}, std::string(static_cast<size_t>(channels) * 4, '\0'), "bias");
}

// Conv2D: kernel [kh, kw, in, out] -> TFLite OHWI (the TRANSPOSE folds).
Outs lower_conv2d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  ASSIGN_OR_RETURN(int64_t groups, ctx.get_int("groups", 1));
  if (groups != 1) return unsupported("not supported yet: Conv2D with groups=" + std::to_string(groups));
  ASSIGN_OR_RETURN(tflite::Conv2DOptionsT a, conv_options<tflite::Conv2DOptionsT>(ctx));
  ASSIGN_OR_RETURN(TensorId kernel, ctx.weight(0, "kernel"));
  ASSIGN_OR_RETURN(TensorId w, ctx.emit1(OpCode::TRANSPOSE, {kernel, ctx.const_i32({3, 0, 1, 2}, "perm")}));
  int64_t out_ch = ctx.graph().t(w).shape[0];
  ASSIGN_OR_RETURN(TensorId b, bias_or_zeros(ctx, 1, out_ch));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::CONV_2D, {ctx.in(0), w, b}, a));
  ASSIGN_OR_RETURN(std::string act, ctx.get_string("activation", std::string("linear")));
  ASSIGN_OR_RETURN(y, ctx.activation(y, act));
  return std::vector<TensorId>{y};
}

// DepthwiseConv2D: kernel [kh, kw, in, m] -> [1, kh, kw, in*m].
Outs lower_depthwise(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  ASSIGN_OR_RETURN(int64_t mult, ctx.get_int("depth_multiplier", 1));
  ASSIGN_OR_RETURN(tflite::DepthwiseConv2DOptionsT a, conv_options<tflite::DepthwiseConv2DOptionsT>(ctx));
  a.depth_multiplier = static_cast<int>(mult);
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(std::vector<float> k, ctx.weight_values(0, &shape));
  if (shape.size() != 4) return invalid_input("DepthwiseConv2D kernel must have rank 4");
  int64_t out_ch = shape[2] * shape[3];
  TensorId w = ctx.constant(DType::kFloat32, {1, shape[0], shape[1], out_ch}, to_bytes(k), "depthwise_kernel");
  ASSIGN_OR_RETURN(TensorId b, bias_or_zeros(ctx, 1, out_ch));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::DEPTHWISE_CONV_2D, {ctx.in(0), w, b}, a));
  ASSIGN_OR_RETURN(std::string act, ctx.get_string("activation", std::string("linear")));
  ASSIGN_OR_RETURN(y, ctx.activation(y, act));
  return std::vector<TensorId>{y};
}

Outs lower_pool2d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  ASSIGN_OR_RETURN(std::vector<int64_t> size, ctx.get_ints("pool_size", 2, std::vector<int64_t>{2, 2}));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, ctx.get_ints("strides", 2, size));
  tflite::Pool2DOptionsT a;
  ASSIGN_OR_RETURN(a.padding, padding_of(ctx));
  a.filter_height = static_cast<int>(size[0]);
  a.filter_width = static_cast<int>(size[1]);
  a.stride_h = static_cast<int>(strides[0]);
  a.stride_w = static_cast<int>(strides[1]);
  OpCode c = ctx.class_name() == "MaxPooling2D" || ctx.class_name() == "MaxPool2D" ? OpCode::MAX_POOL_2D
                                                                                   : OpCode::AVERAGE_POOL_2D;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(c, {ctx.in(0)}, a));
  return std::vector<TensorId>{y};
}

// GlobalAverage/MaxPooling2D: MEAN / REDUCE_MAX over the spatial axes.
Outs lower_global_pool2d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  tflite::ReducerOptionsT a;
  ASSIGN_OR_RETURN(a.keep_dims, ctx.get_bool("keepdims", false));
  OpCode c = ctx.class_name().find("Max") != std::string::npos ? OpCode::REDUCE_MAX : OpCode::MEAN;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(c, {ctx.in(0), ctx.const_i32({1, 2}, "axes")}, a));
  return std::vector<TensorId>{y};
}

Outs lower_zero_padding2d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  const auto& p = ctx.config().contains("padding") ? ctx.config()["padding"] : nlohmann::json(1);
  std::vector<int32_t> pads = {0, 0, 0, 0, 0, 0, 0, 0};
  // Every amount is checked before it is read: const json's [] past the end reads out of bounds.
  auto amount = [](const nlohmann::json& v) {
    return v.is_number_integer() && v.get<int64_t>() >= 0 && v.get<int64_t>() <= (int64_t{1} << 24);
  };
  auto pair = [&](const nlohmann::json& v) { return v.is_array() && v.size() == 2 && amount(v[0]) && amount(v[1]); };
  if (amount(p)) {
    int32_t v = p.get<int32_t>();
    pads = {0, 0, v, v, v, v, 0, 0};
  } else if (pair(p)) {
    int32_t h = p[0].get<int32_t>(), w = p[1].get<int32_t>();
    pads = {0, 0, h, h, w, w, 0, 0};
  } else if (p.is_array() && p.size() == 2 && pair(p[0]) && pair(p[1])) {
    pads = {0, 0, p[0][0].get<int32_t>(), p[0][1].get<int32_t>(), p[1][0].get<int32_t>(), p[1][1].get<int32_t>(), 0, 0};
  } else {
    return invalid_input("config 'padding' is " + p.dump().substr(0, 80) +
                         ", expected n, [h, w] or [[top, bottom], [left, right]] of sizes >= 0; the file is damaged");
  }
  TensorId paddings = ctx.constant(DType::kInt32, {4, 2}, to_bytes(pads), "paddings");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::PAD, {ctx.in(0), paddings}));
  return std::vector<TensorId>{y};
}

// BatchNormalization (inference): y = x*m + b with m = gamma/sqrt(var+eps),
// b = beta - mean*m, in double. The MUL folds into a preceding conv.
Outs lower_batch_norm(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const Tensor& x = ctx.in_tensor(0);
  const auto& axis = ctx.config().contains("axis") ? ctx.config()["axis"] : nlohmann::json(-1);
  const auto& a1 = axis.is_array() && axis.size() == 1 ? axis[0] : axis;
  if (!a1.is_number_integer())
    return unsupported("not supported yet: BatchNormalization over axis " + axis.dump() + " (one axis is read)");
  int64_t ax = a1.get<int64_t>();
  if (x.unknown_rank) return unsupported("not supported yet: BatchNormalization on an input of unknown rank");
  if (ax < 0) ax += x.rank();
  if (ax < 0 || ax >= x.rank())
    return invalid_input("BatchNormalization layer '" + ctx.scope() + "': axis out of range for the input's rank");
  ASSIGN_OR_RETURN(bool scale, ctx.get_bool("scale", true));
  ASSIGN_OR_RETURN(bool center, ctx.get_bool("center", true));
  ASSIGN_OR_RETURN(double eps, ctx.get_float("epsilon", 1e-3));
  int i = 0;
  std::vector<float> gamma, beta;
  if (scale) {
    ASSIGN_OR_RETURN(gamma, ctx.weight_values(i++));
  }
  if (center) {
    ASSIGN_OR_RETURN(beta, ctx.weight_values(i++));
  }
  ASSIGN_OR_RETURN(std::vector<float> mean, ctx.weight_values(i++));
  ASSIGN_OR_RETURN(std::vector<float> var, ctx.weight_values(i++));
  size_t n = mean.size();
  if (var.size() != n || (scale && gamma.size() != n) || (center && beta.size() != n))
    return invalid_input("BatchNormalization layer '" + ctx.scope() + "' has weights of different lengths");
  std::vector<float> m(n), b(n);
  for (size_t k = 0; k < n; ++k) {
    double mk = (scale ? gamma[k] : 1.0) / std::sqrt(static_cast<double>(var[k]) + eps);
    m[k] = static_cast<float>(mk);
    b[k] = static_cast<float>((center ? beta[k] : 0.0) - mean[k] * mk);
  }
  int64_t len = static_cast<int64_t>(n);
  if (x.shape[ax] >= 0 && x.shape[ax] != len)
    return invalid_input("BatchNormalization layer '" + ctx.scope() + "' has " + std::to_string(len) +
                         " channels but its input has " + std::to_string(x.shape[ax]) + " on axis " +
                         std::to_string(ax));
  // A non-last axis: [len, 1, ..., 1] broadcasts along the trailing dims.
  Shape ps{len};
  ps.resize(static_cast<size_t>(x.rank() - ax), 1);
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MUL, {ctx.in(0), ctx.constant(DType::kFloat32, ps, to_bytes(m), "scale")}));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, ctx.constant(DType::kFloat32, ps, to_bytes(b), "offset")}));
  return std::vector<TensorId>{y};
}

int64_t channels(const Tensor* x) { return x && !x->unknown_rank && !x->shape.empty() ? x->shape.back() : -1; }

std::vector<int64_t> kernel_hw(const nlohmann::json& c) {
  auto k = c.find("kernel_size");
  if (k != c.end() && k->is_number_integer()) return {k->get<int64_t>(), k->get<int64_t>()};
  if (k != c.end() && k->is_array() && k->size() == 2 && (*k)[0].is_number_integer() && (*k)[1].is_number_integer())
    return {(*k)[0].get<int64_t>(), (*k)[1].get<int64_t>()};
  return {-1, -1};
}

Expected<std::vector<KerasWeightSpec>> conv2d_weights(const nlohmann::json& c, const Tensor* x) {
  const int64_t filters = c.value("filters", int64_t{-1}), groups = c.value("groups", int64_t{1});
  const int64_t in = channels(x);
  std::vector<int64_t> k = kernel_hw(c);
  std::vector<KerasWeightSpec> w{{{k[0], k[1], in < 0 || groups <= 0 ? -1 : in / groups, filters}}};
  if (c.value("use_bias", true)) w.push_back({{filters}});
  return w;
}

Expected<std::vector<KerasWeightSpec>> depthwise_weights(const nlohmann::json& c, const Tensor* x) {
  const int64_t dm = c.value("depth_multiplier", int64_t{1}), in = channels(x);
  std::vector<int64_t> k = kernel_hw(c);
  std::vector<KerasWeightSpec> w{{{k[0], k[1], in, dm}}};
  if (c.value("use_bias", true)) w.push_back({{in < 0 ? -1 : in * dm}});
  return w;
}

// gamma, beta (trainable), moving_mean, moving_variance, on the axis' size.
Expected<std::vector<KerasWeightSpec>> batch_norm_weights(const nlohmann::json& c, const Tensor* x) {
  int64_t n = -1;
  auto a = c.find("axis");
  const nlohmann::json* ax = a == c.end() ? nullptr : a->is_array() && a->size() == 1 ? &(*a)[0] : &*a;
  if (x && !x->unknown_rank && (!ax || ax->is_number_integer())) {
    int64_t i = ax ? ax->get<int64_t>() : -1;
    if (i < 0) i += x->rank();
    if (i >= 0 && i < x->rank()) n = x->shape[i];
  }
  std::vector<KerasWeightSpec> w;
  if (c.value("scale", true)) w.push_back({{n}});
  if (c.value("center", true)) w.push_back({{n}});
  w.push_back({{n}, false});
  w.push_back({{n}, false});
  return w;
}

TFLC_REGISTER_KERAS_LAYER(conv2d, {{"Conv2D"}, lower_conv2d});
TFLC_REGISTER_KERAS_WEIGHTS(conv2d, {"Conv2D"}, conv2d_weights);
TFLC_REGISTER_KERAS_WEIGHTS(depthwise, {"DepthwiseConv2D"}, depthwise_weights);
TFLC_REGISTER_KERAS_WEIGHTS(batch_norm, {"BatchNormalization"}, batch_norm_weights);
TFLC_REGISTER_KERAS_WEIGHTS(conv2d_no_weights, {"MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D",
                                                "GlobalAveragePooling2D", "GlobalAvgPool2D", "GlobalMaxPooling2D",
                                                "GlobalMaxPool2D", "ZeroPadding2D"},
                            keras_no_weights);
TFLC_REGISTER_KERAS_LAYER(depthwise, {{"DepthwiseConv2D"}, lower_depthwise});
TFLC_REGISTER_KERAS_LAYER(pool2d, {{"MaxPooling2D", "MaxPool2D", "AveragePooling2D", "AvgPool2D"}, lower_pool2d});
TFLC_REGISTER_KERAS_LAYER(global_pool2d, {{"GlobalAveragePooling2D", "GlobalAvgPool2D", "GlobalMaxPooling2D",
                                           "GlobalMaxPool2D"},
                                          lower_global_pool2d});
TFLC_REGISTER_KERAS_LAYER(zero_padding2d, {{"ZeroPadding2D"}, lower_zero_padding2d});
TFLC_REGISTER_KERAS_LAYER(batch_norm, {{"BatchNormalization"}, lower_batch_norm});

}  // namespace
}  // namespace tflc
