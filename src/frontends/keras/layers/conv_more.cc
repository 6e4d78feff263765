// More convolution layers (channels_last): Conv1D, Conv1DTranspose,
// DepthwiseConv1D and SeparableConv1D (as their 2-D forms on a [N,1,W,C]
// view), Conv2DTranspose, SeparableConv2D, Conv3D.
#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

// Reads "padding"; "causal" only where allow_causal (Conv1D).
Expected<std::string> padding_name(KerasLayerContext& ctx, bool allow_causal) {
  ASSIGN_OR_RETURN(std::string p, ctx.get_string("padding", std::string("valid")));
  if (p == "same" || p == "valid" || (allow_causal && p == "causal")) return p;
  return unsupported("not supported yet: " + ctx.class_name() + " layer '" + ctx.scope() + "' with padding '" + p + "'");
}

Padding to_padding(const std::string& p) { return p == "same" ? Padding::SAME : Padding::VALID; }

TensorId zeros(KerasLayerContext& ctx, int64_t n, const std::string& suffix) {
  return ctx.constant(DType::kFloat32, {n}, std::string(static_cast<size_t>(n) * 4, '\0'), suffix);
}

Expected<TensorId> bias_or_zeros(KerasLayerContext& ctx, int index, int64_t channels) {
  ASSIGN_OR_RETURN(bool use_bias, ctx.get_bool("use_bias", true));
  if (use_bias) return ctx.weight(index, "bias");
  return zeros(ctx, channels, "bias");
}

Expected<TensorId> finish(KerasLayerContext& ctx, TensorId y) {
  ASSIGN_OR_RETURN(std::string act, ctx.get_string("activation", std::string("linear")));
  return ctx.activation(y, act);
}

Expected<TensorId> expand_axis1(KerasLayerContext& ctx, TensorId x) {
  return ctx.emit1(OpCode::EXPAND_DIMS, {x, ctx.const_i32_scalar(1, "axis")});
}

Expected<TensorId> squeeze_axis1(KerasLayerContext& ctx, TensorId x) {
  return ctx.emit1(OpCode::SQUEEZE, {x}, tflite::SqueezeOptionsT{.squeeze_dims = {1}});
}

// Causal padding: pad the time axis on the left by dilation*(k-1), then
// convolve "valid", so output t sees inputs <= t only.
Expected<TensorId> pad_causal(KerasLayerContext& ctx, TensorId x, int64_t k, int64_t dilation) {
  int32_t left = static_cast<int32_t>(dilation * (k - 1));
  TensorId pads = ctx.constant(DType::kInt32, {3, 2}, to_bytes(std::vector<int32_t>{0, 0, left, 0, 0, 0}), "paddings");
  return ctx.emit1(OpCode::PAD, {x, pads});
}

// Input 0 as the 2-D kernels want it: behind the left PAD of
// padding="causal" (window k, dilation along W), then viewed as [N, 1, W, C]
// for a layer with n = 1 spatial dims.
Expected<TensorId> window_input(KerasLayerContext& ctx, const std::string& pad, int n, int64_t k, int64_t dilation) {
  TensorId x = ctx.in(0);
  if (pad == "causal") {
    ASSIGN_OR_RETURN(x, pad_causal(ctx, x, k, dilation));
  }
  if (n == 1) {
    ASSIGN_OR_RETURN(x, expand_axis1(ctx, x));
  }
  return x;
}

// Conv1D: kernel [k, in, out] -> OHWI [out, 1, k, in] on x viewed as
// [N, 1, W, C]; then the view is dropped again.
Outs lower_conv1d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(3));
  ASSIGN_OR_RETURN(int64_t groups, ctx.get_int("groups", 1));
  if (groups != 1) return unsupported("not supported yet: Conv1D with groups=" + std::to_string(groups));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, ctx.get_ints("strides", 1, std::vector<int64_t>{1}));
  ASSIGN_OR_RETURN(std::vector<int64_t> dilation, ctx.get_ints("dilation_rate", 1, std::vector<int64_t>{1}));
  ASSIGN_OR_RETURN(std::string pad, padding_name(ctx, true));
  std::vector<int64_t> kshape;
  ASSIGN_OR_RETURN(std::vector<float> k, ctx.weight_values(0, &kshape));
  if (kshape.size() != 3) return invalid_input("Conv1D layer '" + ctx.scope() + "' has a kernel of rank other than 3");
  TensorId kernel = ctx.constant(DType::kFloat32, {1, kshape[0], kshape[1], kshape[2]}, to_bytes(k), "kernel");
  ASSIGN_OR_RETURN(TensorId w, ctx.emit1(OpCode::TRANSPOSE, {kernel, ctx.const_i32({3, 0, 1, 2}, "perm")}));
  ASSIGN_OR_RETURN(TensorId b, bias_or_zeros(ctx, 1, kshape[2]));
  ASSIGN_OR_RETURN(TensorId x, window_input(ctx, pad, 1, kshape[0], dilation[0]));
  tflite::Conv2DOptionsT a;
  a.padding = to_padding(pad);
  a.stride_w = static_cast<int>(strides[0]);
  a.stride_h = 1;
  a.dilation_w_factor = static_cast<int>(dilation[0]);
  a.dilation_h_factor = 1;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::CONV_2D, {x, w, b}, a));
  ASSIGN_OR_RETURN(y, squeeze_axis1(ctx, y));
  ASSIGN_OR_RETURN(y, finish(ctx, y));
  return std::vector<TensorId>{y};
}

// Keras' deconv_output_length (dilation 1); op < 0 means no output_padding.
// TRANSPOSE_CONV derives its padding from the output shape the way TF's
// conv2d_transpose does, so the length is all the layer needs.
int64_t deconv_length(int64_t in, int64_t k, int64_t s, Padding p, int64_t op) {
  if (in < 0) return -1;
  if (op < 0) return p == Padding::SAME ? in * s : in * s + std::max<int64_t>(k - s, 0);
  int64_t pad = p == Padding::SAME ? k / 2 : 0;
  return (in - 1) * s + k - 2 * pad + op;
}

// TRANSPOSE_CONV of x [N,H,W,C] with a Keras kernel [kh, kw, out, in] (->
// OHWI [out, kh, kw, in]). The output shape is a constant when the input's
// spatial dims are static; a dynamic batch is read at run time.
Expected<TensorId> transpose_conv(KerasLayerContext& ctx, TensorId x, TensorId kernel, int64_t sh, int64_t sw,
                                  Padding padding, int64_t oph, int64_t opw) {
  const Shape kshape = ctx.graph().t(kernel).shape;
  tflite::TransposeConvOptionsT a;
  a.padding = padding;
  a.stride_h = static_cast<int>(sh);
  a.stride_w = static_cast<int>(sw);
  ASSIGN_OR_RETURN(TensorId w, ctx.emit1(OpCode::TRANSPOSE, {kernel, ctx.const_i32({2, 0, 1, 3}, "perm")}));
  int64_t out_ch = kshape[2];
  ASSIGN_OR_RETURN(TensorId b, bias_or_zeros(ctx, 1, out_ch));
  const Shape xs = ctx.graph().t(x).shape;
  int64_t oh = deconv_length(xs[1], kshape[0], sh, padding, oph);
  int64_t ow = deconv_length(xs[2], kshape[1], sw, padding, opw);
  if (oh == 0 || ow == 0) return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' has an empty output");
  if (oh < 0 || ow < 0)
    return unsupported("not supported yet: " + ctx.class_name() + " layer '" + ctx.scope() +
                       "' on an input with dynamic spatial dims");
  std::vector<int32_t> tail = {static_cast<int32_t>(oh), static_cast<int32_t>(ow), static_cast<int32_t>(out_ch)};
  TensorId out_shape;
  if (xs[0] >= 0) {
    out_shape = ctx.const_i32({static_cast<int32_t>(xs[0]), tail[0], tail[1], tail[2]}, "output_shape");
  } else {
    ASSIGN_OR_RETURN(TensorId shape,
                     ctx.emit1(OpCode::SHAPE, {x}, tflite::ShapeOptionsT{.out_type = tflite::TensorType::INT32}));
    ASSIGN_OR_RETURN(TensorId batch, ctx.emit1(OpCode::STRIDED_SLICE, {shape, ctx.const_i32({0}, "begin"),
                                                                      ctx.const_i32({1}, "end"),
                                                                      ctx.const_i32({1}, "strides")}));
    ASSIGN_OR_RETURN(out_shape, ctx.emit1(OpCode::CONCATENATION, {batch, ctx.const_i32(tail, "spatial")},
                                          tflite::ConcatenationOptionsT{.axis = 0}));
  }
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::TRANSPOSE_CONV, {out_shape, w, x, b}, a));
  // A run-time output_shape leaves inference with -1s; only the batch is unknown.
  Tensor& yt = ctx.graph().t(y);
  if (!yt.is_const()) yt.shape = {xs[0], oh, ow, out_ch};
  return y;
}

// Checks dilation 1 and reads output_padding (-1s when absent); Keras
// requires each value below its stride.
Expected<std::vector<int64_t>> output_padding(KerasLayerContext& ctx, const std::vector<int64_t>& dilation,
                                              const std::vector<int64_t>& strides) {
  for (int64_t d : dilation)
    if (d != 1)
      return unsupported("not supported yet: " + ctx.class_name() + " layer '" + ctx.scope() + "' with dilation_rate > 1");
  ASSIGN_OR_RETURN(std::vector<int64_t> op,
                   ctx.get_ints("output_padding", strides.size(), std::vector<int64_t>(strides.size(), -1)));
  for (size_t i = 0; i < op.size(); ++i)
    if (op[i] >= strides[i] || op[i] < -1)
      return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' has an output_padding not below its strides");
  return op;
}

// What Conv1DTranspose and Conv2DTranspose read first, in this order: the
// input checks, then strides, output_padding and padding over `n` spatial dims.
struct TransposeAttrs {
  std::vector<int64_t> strides, output_padding;
  Padding padding = Padding::VALID;
};

Expected<TransposeAttrs> transpose_attrs(KerasLayerContext& ctx, int n) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(n + 2));
  TransposeAttrs t;
  ASSIGN_OR_RETURN(t.strides, ctx.get_ints("strides", n, std::vector<int64_t>(n, 1)));
  ASSIGN_OR_RETURN(std::vector<int64_t> dilation, ctx.get_ints("dilation_rate", n, std::vector<int64_t>(n, 1)));
  ASSIGN_OR_RETURN(t.output_padding, output_padding(ctx, dilation, t.strides));
  ASSIGN_OR_RETURN(std::string pad, padding_name(ctx, false));
  t.padding = to_padding(pad);
  return t;
}

Outs lower_conv2d_transpose(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TransposeAttrs t, transpose_attrs(ctx, 2));
  ASSIGN_OR_RETURN(TensorId kernel, ctx.weight(0, "kernel"));
  if (ctx.graph().t(kernel).rank() != 4)
    return invalid_input("Conv2DTranspose layer '" + ctx.scope() + "' has a kernel of rank other than 4");
  const std::vector<int64_t>& s = t.strides;
  const std::vector<int64_t>& op = t.output_padding;
  ASSIGN_OR_RETURN(TensorId y, transpose_conv(ctx, ctx.in(0), kernel, s[0], s[1], t.padding, op[0], op[1]));
  ASSIGN_OR_RETURN(y, finish(ctx, y));
  return std::vector<TensorId>{y};
}

// Conv1DTranspose: kernel [k, out, in] as [1, k, out, in] on [N, 1, W, C].
Outs lower_conv1d_transpose(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TransposeAttrs t, transpose_attrs(ctx, 1));
  std::vector<int64_t> ks;
  ASSIGN_OR_RETURN(std::vector<float> k, ctx.weight_values(0, &ks));
  if (ks.size() != 3) return invalid_input("Conv1DTranspose layer '" + ctx.scope() + "' has a kernel of rank other than 3");
  TensorId kernel = ctx.constant(DType::kFloat32, {1, ks[0], ks[1], ks[2]}, to_bytes(k), "kernel");
  ASSIGN_OR_RETURN(TensorId x, expand_axis1(ctx, ctx.in(0)));
  ASSIGN_OR_RETURN(TensorId y, transpose_conv(ctx, x, kernel, 1, t.strides[0], t.padding, -1, t.output_padding[0]));
  ASSIGN_OR_RETURN(y, squeeze_axis1(ctx, y));
  ASSIGN_OR_RETURN(y, finish(ctx, y));
  return std::vector<TensorId>{y};
}

// What DepthwiseConv1D and SeparableConv1D/2D read first, in this order, over
// n spatial dims ("causal" padding only in 1-D), and the DEPTHWISE_CONV_2D
// options they give (a 1-D layer runs on [N, 1, W, C]).
struct DepthwiseAttrs {
  int n = 1;
  std::vector<int64_t> strides, dilation;
  int64_t mult = 1;
  std::string pad;
  tflite::DepthwiseConv2DOptionsT options() const {
    tflite::DepthwiseConv2DOptionsT a;
    a.padding = to_padding(pad);
    a.stride_h = n == 1 ? 1 : static_cast<int>(strides[0]);
    a.stride_w = static_cast<int>(strides[n - 1]);
    a.dilation_h_factor = n == 1 ? 1 : static_cast<int>(dilation[0]);
    a.dilation_w_factor = static_cast<int>(dilation[n - 1]);
    a.depth_multiplier = static_cast<int>(mult);
    return a;
  }
};

Expected<DepthwiseAttrs> depthwise_attrs(KerasLayerContext& ctx, int n) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(n + 2));
  DepthwiseAttrs d;
  d.n = n;
  ASSIGN_OR_RETURN(d.strides, ctx.get_ints("strides", n, std::vector<int64_t>(n, 1)));
  ASSIGN_OR_RETURN(d.dilation, ctx.get_ints("dilation_rate", n, std::vector<int64_t>(n, 1)));
  ASSIGN_OR_RETURN(d.mult, ctx.get_int("depth_multiplier", 1));
  ASSIGN_OR_RETURN(d.pad, padding_name(ctx, n == 1));
  return d;
}

// DepthwiseConv1D (Keras 3): kernel [k, in, m] -> [1, 1, k, in*m] on [N, 1, W, C].
Outs lower_depthwise1d(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(DepthwiseAttrs d, depthwise_attrs(ctx, 1));
  std::vector<int64_t> ks;
  ASSIGN_OR_RETURN(std::vector<float> k, ctx.weight_values(0, &ks));
  if (ks.size() != 3) return invalid_input("DepthwiseConv1D layer '" + ctx.scope() + "' has a kernel of rank other than 3");
  int64_t out_ch = ks[1] * ks[2];
  TensorId w = ctx.constant(DType::kFloat32, {1, 1, ks[0], out_ch}, to_bytes(k), "depthwise_kernel");
  ASSIGN_OR_RETURN(TensorId b, bias_or_zeros(ctx, 1, out_ch));
  ASSIGN_OR_RETURN(TensorId x, window_input(ctx, d.pad, 1, ks[0], d.dilation[0]));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::DEPTHWISE_CONV_2D, {x, w, b}, d.options()));
  ASSIGN_OR_RETURN(y, squeeze_axis1(ctx, y));
  ASSIGN_OR_RETURN(y, finish(ctx, y));
  return std::vector<TensorId>{y};
}

// SeparableConv1D/2D: DEPTHWISE_CONV_2D (depthwise_kernel [.., in, m] ->
// [1, kh, kw, in*m]) then a 1x1 CONV_2D (pointwise [.., in*m, out] ->
// [out, 1, 1, in*m]) carrying the bias.
Outs lower_separable(KerasLayerContext& ctx) {
  bool one_d = ctx.class_name() == "SeparableConv1D";
  int n = one_d ? 1 : 2;
  ASSIGN_OR_RETURN(DepthwiseAttrs d, depthwise_attrs(ctx, n));
  std::vector<int64_t> dshape, pshape;
  ASSIGN_OR_RETURN(std::vector<float> dk, ctx.weight_values(0, &dshape));
  ASSIGN_OR_RETURN(std::vector<float> pk, ctx.weight_values(1, &pshape));
  if (dshape.size() != static_cast<size_t>(n + 2) || pshape.size() != static_cast<size_t>(n + 2))
    return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' has kernels of the wrong rank");
  int64_t kh = one_d ? 1 : dshape[0], kw = dshape[n - 1];
  int64_t mid = dshape[n] * dshape[n + 1], out_ch = pshape[n + 1];
  if (pshape[n] != mid) return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' has mismatched kernels");
  TensorId dw = ctx.constant(DType::kFloat32, {1, kh, kw, mid}, to_bytes(dk), "depthwise_kernel");
  TensorId pk_t = ctx.constant(DType::kFloat32, {1, 1, mid, out_ch}, to_bytes(pk), "pointwise_kernel");
  ASSIGN_OR_RETURN(TensorId pw, ctx.emit1(OpCode::TRANSPOSE, {pk_t, ctx.const_i32({3, 0, 1, 2}, "perm")}));
  ASSIGN_OR_RETURN(TensorId b, bias_or_zeros(ctx, 2, out_ch));
  ASSIGN_OR_RETURN(TensorId x, window_input(ctx, d.pad, n, kw, d.dilation[n - 1]));
  ASSIGN_OR_RETURN(TensorId y,
                   ctx.emit1(OpCode::DEPTHWISE_CONV_2D, {x, dw, zeros(ctx, mid, "depthwise_bias")}, d.options()));
  tflite::Conv2DOptionsT p;  // 1x1, unit stride and dilation
  p.padding = Padding::VALID;
  p.stride_w = p.stride_h = 1;
  p.dilation_w_factor = p.dilation_h_factor = 1;
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::CONV_2D, {y, pw, b}, p));
  if (one_d) {
    ASSIGN_OR_RETURN(y, squeeze_axis1(ctx, y));
  }
  ASSIGN_OR_RETURN(y, finish(ctx, y));
  return std::vector<TensorId>{y};
}

// Conv3D: the Keras kernel [kd, kh, kw, in, out] is already CONV_3D's layout.
Outs lower_conv3d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(5));
  ASSIGN_OR_RETURN(int64_t groups, ctx.get_int("groups", 1));
  if (groups != 1) return unsupported("not supported yet: Conv3D with groups=" + std::to_string(groups));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, ctx.get_ints("strides", 3, std::vector<int64_t>{1, 1, 1}));
  ASSIGN_OR_RETURN(std::vector<int64_t> dilation, ctx.get_ints("dilation_rate", 3, std::vector<int64_t>{1, 1, 1}));
  ASSIGN_OR_RETURN(std::string pad, padding_name(ctx, false));
  tflite::Conv3DOptionsT a;
  a.padding = to_padding(pad);
  a.stride_d = static_cast<int>(strides[0]);
  a.stride_h = static_cast<int>(strides[1]);
  a.stride_w = static_cast<int>(strides[2]);
  a.dilation_d_factor = static_cast<int>(dilation[0]);
  a.dilation_h_factor = static_cast<int>(dilation[1]);
  a.dilation_w_factor = static_cast<int>(dilation[2]);
  ASSIGN_OR_RETURN(TensorId w, ctx.weight(0, "kernel"));
  const Shape& ks = ctx.graph().t(w).shape;
  if (ks.size() != 5) return invalid_input("Conv3D layer '" + ctx.scope() + "' has a kernel of rank other than 5");
  ASSIGN_OR_RETURN(TensorId b, bias_or_zeros(ctx, 1, ks[4]));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::CONV_3D, {ctx.in(0), w, b}, a));
  ASSIGN_OR_RETURN(y, finish(ctx, y));
  return std::vector<TensorId>{y};
}

// Keras 1's Convolution1D/3D (other config keys and kernel layouts) are left
// unregistered, so they are reported rather than misread.
// kernel [k, in, filters], bias [filters].
Expected<std::vector<KerasWeightSpec>> conv1d_weights(const nlohmann::json& c, const Tensor* x) {
  const int64_t filters = c.value("filters", int64_t{-1});
  auto k = c.find("kernel_size");
  const int64_t kw = k != c.end() && k->is_array() && k->size() == 1 && (*k)[0].is_number_integer() ? (*k)[0].get<int64_t>()
                     : k != c.end() && k->is_number_integer()                                      ? k->get<int64_t>()
                                                                                                   : -1;
  const int64_t in = x && !x->unknown_rank && x->rank() == 3 ? x->shape[2] : -1;
  std::vector<KerasWeightSpec> w{{{kw, in, filters}}};
  if (c.value("use_bias", true)) w.push_back({{filters}});
  return w;
}

TFLC_REGISTER_KERAS_LAYER(conv1d, {{"Conv1D"}, lower_conv1d});
TFLC_REGISTER_KERAS_WEIGHTS(conv1d, {"Conv1D"}, conv1d_weights);
TFLC_REGISTER_KERAS_LAYER(conv2d_transpose, {{"Conv2DTranspose"}, lower_conv2d_transpose});
TFLC_REGISTER_KERAS_LAYER(separable, {{"SeparableConv1D", "SeparableConv2D"},
                                      lower_separable});
TFLC_REGISTER_KERAS_LAYER(conv1d_transpose, {{"Conv1DTranspose"}, lower_conv1d_transpose});
TFLC_REGISTER_KERAS_LAYER(depthwise1d, {{"DepthwiseConv1D"}, lower_depthwise1d});
TFLC_REGISTER_KERAS_LAYER(conv3d, {{"Conv3D"}, lower_conv3d});

}  // namespace
}  // namespace tflc
