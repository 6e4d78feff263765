// Convolutions: CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and CONV_3D.
// Layouts are TFLite's: NHWC activations, OHWI filters for CONV_2D and
// TRANSPOSE_CONV, [1,H,W,C*M] for DEPTHWISE_CONV_2D and DHWIO for CONV_3D.
// The kernels loop in TFLite's reference order (sum over the window, then add
// the bias, then the fused activation) and avoid per-element allocation so
// that folding and calibration stay fast.
#include <algorithm>

#include "ops/conv_padding.h"
#include "ops/kernels.h"

namespace tflc {
namespace {

using Conv2D = tflite::Conv2DOptionsT;
using Depthwise = tflite::DepthwiseConv2DOptionsT;
using TransposeConv = tflite::TransposeConvOptionsT;
using Conv3D = tflite::Conv3DOptionsT;

// Strides (and dilations, where the table has them) must be positive.
template <class T>
Status check_window_options(const T& a) {
  bool strides_ok = a.stride_h > 0 && a.stride_w > 0;
  if constexpr (requires { a.stride_d; }) strides_ok = strides_ok && a.stride_d > 0;
  if (!strides_ok) return invalid_input("strides must be positive");
  if constexpr (requires { a.dilation_h_factor; }) {
    bool dilations_ok = a.dilation_h_factor > 0 && a.dilation_w_factor > 0;
    if constexpr (requires { a.dilation_d_factor; }) dilations_ok = dilations_ok && a.dilation_d_factor > 0;
    if (!dilations_ok) return invalid_input("dilations must be positive");
  }
  return ok_status();
}

// Output extent of one spatial axis; -1 when the input or filter is dynamic.
int64_t conv_out_dim(Padding p, int64_t in, int64_t filter, int64_t stride, int64_t dilation) {
  if (in < 0 || filter < 0) return -1;
  return window_out_size(p, in, filter, stride, dilation);
}

Status check_bias(const Graph& g, const Op& op, int index, int64_t channels) {
  if (!has_input(op, index)) return ok_status();
  const Tensor& b = input(g, op, index);
  if (b.unknown_rank) return ok_status();
  if (b.rank() != 1) return invalid_input("bias must have rank 1, got " + shape_str(b.shape));
  if (channels >= 0 && b.shape[0] >= 0 && b.shape[0] != channels)
    return invalid_input("bias has " + std::to_string(b.shape[0]) + " elements for " + std::to_string(channels) +
                         " output channels");
  return ok_status();
}

// The reference kernels are float-only; quantized models are calibrated in
// float. TRANSPOSE_CONV's input 0 is its int32 output shape.
Status expect_float_eval(const Graph& g, const Op& op) {
  size_t first = op.code == OpCode::TRANSPOSE_CONV ? 1 : 0;
  for (size_t i = first; i < op.inputs.size(); ++i) {
    if (op.inputs[i] < 0) continue;
    DType t = g.t(op.inputs[i]).dtype;
    if (t != DType::kFloat32)
      return unsupported("not supported yet: evaluating " + op_name(op.code) + " with a " + dtype_name(t) +
                         " input " + std::to_string(i));
  }
  return ok_status();
}

// Bias values or zeros when the op has none.
std::vector<float> bias_or_zeros(const Graph& g, const Op& op, int index, int64_t channels) {
  if (has_input(op, index)) return const_values<float>(input(g, op, index));
  return std::vector<float>(static_cast<size_t>(channels), 0.0f);
}

inline float activate(Activation a, float v) {
  return a == Activation::NONE ? v : static_cast<float>(apply_activation(a, v));
}

// Checks CONV_2D, DEPTHWISE_CONV_2D and CONV_3D share: input and filter
// of rank `rank`, an optional bias, positive strides and dilations.
template <class T>
Status check_conv_inputs(const Graph& g, const Op& op, int rank) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 3));
  RETURN_IF_ERROR(expect_rank(input(g, op, 0), rank, "input"));
  RETURN_IF_ERROR(expect_rank(input(g, op, 1), rank, "filter"));
  return check_window_options(opts<T>(op));
}

// The bias check and NHWC output of a 2-D conv: the window over H and W,
// `channels` deep.
template <class T>
Status set_conv2d_output(Graph& g, Op& op, int64_t channels) {
  RETURN_IF_ERROR(check_bias(g, op, 2, channels));
  const Tensor& x = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  const T& a = opts<T>(op);
  set_output(g, op, 0, x.dtype,
             {x.shape[0], conv_out_dim(a.padding, x.shape[1], f.shape[1], a.stride_h, a.dilation_h_factor),
              conv_out_dim(a.padding, x.shape[2], f.shape[2], a.stride_w, a.dilation_w_factor), channels});
  return ok_status();
}

// What the 2-D window kernels read: the extents of the NHWC input, the
// [.,KH,KW,.] filter and the [N,OH,OW,.] output, the padding before the
// first row and column, and the float data.
struct Window2D {
  int64_t n, h, w, c, kh, kw, oh, ow, pad_h, pad_w;
  const Shape& filter;
  const float* x;
  const float* f;
};

template <class T>
Expected<Window2D> window_2d(const Graph& g, const Op& op, const T& a) {
  RETURN_IF_ERROR(expect_float_eval(g, op));
  const Tensor& x = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  const Tensor& out = output(g, op, 0);
  Window2D k{x.shape[0], x.shape[1], x.shape[2], x.shape[3], f.shape[1], f.shape[2], out.shape[1], out.shape[2],
             0, 0, f.shape, x.as<float>(), f.as<float>()};
  k.pad_h = window_pad_before(a.stride_h, a.dilation_h_factor, k.h, k.kh, k.oh);
  k.pad_w = window_pad_before(a.stride_w, a.dilation_w_factor, k.w, k.kw, k.ow);
  return k;
}

// Calls fn(fy, fx, offset of input pixel (b, iy, ix)) for each filter tap of
// output pixel (b, oy, ox) that falls inside the input, in TFLite's order.
template <class T, class Fn>
inline void for_each_tap(const Window2D& k, const T& a, int64_t b, int64_t oy, int64_t ox, Fn&& fn) {
  for (int64_t fy = 0; fy < k.kh; ++fy) {
    const int64_t iy = oy * a.stride_h - k.pad_h + fy * a.dilation_h_factor;
    if (iy < 0 || iy >= k.h) continue;
    for (int64_t fx = 0; fx < k.kw; ++fx) {
      const int64_t ix = ox * a.stride_w - k.pad_w + fx * a.dilation_w_factor;
      if (ix < 0 || ix >= k.w) continue;
      fn(fy, fx, ((b * k.h + iy) * k.w + ix) * k.c);
    }
  }
}

// ---------------------------------------------------------------- CONV_2D

Status infer_conv2d(Graph& g, Op& op) {
  RETURN_IF_ERROR(check_conv_inputs<Conv2D>(g, op, 4));
  const Tensor& x = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  int64_t c = x.shape[3], fi = f.shape[3], o = f.shape[0];
  if (c >= 0 && fi > 0 && c % fi != 0)
    return invalid_input("input depth " + std::to_string(c) + " is not a multiple of filter depth " + std::to_string(fi));
  if (fi == 0) return invalid_input("filter depth is 0");
  if (c > 0 && fi > 0 && o >= 0 && o % (c / fi) != 0)
    return invalid_input("output channels " + std::to_string(o) + " are not divisible into " +
                         std::to_string(c / fi) + " groups");
  return set_conv2d_output<Conv2D>(g, op, o);
}

Status eval_conv2d(Graph& g, Op& op) {
  const Conv2D& a = opts<Conv2D>(op);
  ASSIGN_OR_RETURN(const Window2D k, window_2d(g, op, a));
  const int64_t o = k.filter[0], fi = k.filter[3];
  if (fi <= 0 || k.c % fi != 0 || k.c == 0) return invalid_input("input depth does not match the filter");
  const int64_t groups = k.c / fi, per_group = o / groups;
  std::vector<float> bias = bias_or_zeros(g, op, 2, o);
  std::vector<float> r(static_cast<size_t>(k.n * k.oh * k.ow * o));
  float* out = r.data();
  for (int64_t b = 0; b < k.n; ++b)
    for (int64_t oy = 0; oy < k.oh; ++oy)
      for (int64_t ox = 0; ox < k.ow; ++ox)
        for (int64_t oc = 0; oc < o; ++oc) {
          const int64_t group_off = (oc / per_group) * fi;
          float total = 0.0f;
          for_each_tap(k, a, b, oy, ox, [&](int64_t fy, int64_t fx, int64_t at) {
            const float* xp = k.x + at + group_off;
            const float* fp = k.f + ((oc * k.kh + fy) * k.kw + fx) * fi;
            for (int64_t ic = 0; ic < fi; ++ic) total += xp[ic] * fp[ic];
          });
          *out++ = activate(a.fused_activation_function, total + bias[oc]);
        }
  output(g, op, 0).data = make_buffer(to_bytes(r));
  return ok_status();
}

bool per_channel(const Tensor& t, int64_t channels) {
  return t.quant && channels > 0 && static_cast<int64_t>(t.quant->scale.size()) == channels;
}

// op_version.cc: grouped -> 6; int8 -> 3; int8 x int4 -> 7; hybrid -> 2 (5 per-channel).
int version_conv2d(const Graph& g, const Op& op) {
  const Tensor& x = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  DType out = output(g, op, 0).dtype;
  if (x.rank() == 4 && f.rank() == 4 && x.shape[3] >= 0 && f.shape[3] >= 0 && x.shape[3] != f.shape[3]) return 6;
  if (x.dtype == DType::kInt16 && f.dtype == DType::kInt16 && out == DType::kInt16) return 4;
  if (x.dtype == DType::kInt8 && f.dtype == DType::kInt8 && out == DType::kInt8) return 3;
  if (x.dtype == DType::kInt8 && f.dtype == DType::kInt4 && out == DType::kInt8) return 7;
  if (x.dtype == DType::kFloat32 && f.dtype == DType::kInt8 && out == DType::kFloat32)
    return per_channel(f, f.rank() > 0 ? f.shape[0] : -1) ? 5 : 2;
  return 1;
}

TFLC_REGISTER_OP(conv_2d, {.code = OpCode::CONV_2D,
                           .infer = infer_conv2d,
                           .eval = eval_conv2d,
                           .options = Conv2D{.stride_w = 1, .stride_h = 1},
                           .fused_activation = fused_activation_field<Conv2D>(),
                           .types_unchecked = kNoKernelFacts,
                           .weights = {.weight_input = 1, .channel_axis = 0, .bias_input = 2},  // OHWI
                           .version = version_conv2d,
                           .runtime_versions = {"1.5.0", "1.14.0", "1.14.0", "2.3.0", "2.4.0", "2.9.0", "2.11.0",
                                                "2.15.0"},
                           .quant = {.output = QuantSpec::Output::kOwnRange, .weights = QuantSpec::Weights::kPerChannel, .int16 = true, .hybrid = true}});

// ------------------------------------------------------- DEPTHWISE_CONV_2D

Status infer_depthwise(Graph& g, Op& op) {
  RETURN_IF_ERROR(check_conv_inputs<Depthwise>(g, op, 4));
  const Tensor& x = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  if (f.shape[0] > 1) return invalid_input("depthwise filter must have shape [1,H,W,C*M], got " + shape_str(f.shape));
  int64_t c = x.shape[3], o = f.shape[3];
  if (c > 0 && o >= 0 && o % c != 0)
    return invalid_input("filter channels " + std::to_string(o) + " are not a multiple of input depth " +
                         std::to_string(c));
  return set_conv2d_output<Depthwise>(g, op, o);
}

Status eval_depthwise(Graph& g, Op& op) {
  const Depthwise& a = opts<Depthwise>(op);
  ASSIGN_OR_RETURN(const Window2D k, window_2d(g, op, a));
  const int64_t c = k.c, o = k.filter[3];
  if (c == 0) return invalid_input("input depth is 0");
  const int64_t m = o / c;  // the depth multiplier follows from the shapes, as in TFLite
  std::vector<float> bias = bias_or_zeros(g, op, 2, o);
  std::vector<float> r(static_cast<size_t>(k.n * k.oh * k.ow * o));
  std::vector<float> acc(static_cast<size_t>(o));
  for (int64_t b = 0; b < k.n; ++b)
    for (int64_t oy = 0; oy < k.oh; ++oy)
      for (int64_t ox = 0; ox < k.ow; ++ox) {
        std::fill(acc.begin(), acc.end(), 0.0f);
        for_each_tap(k, a, b, oy, ox, [&](int64_t fy, int64_t fx, int64_t at) {
          const float* xp = k.x + at;
          const float* fp = k.f + (fy * k.kw + fx) * o;
          for (int64_t ic = 0; ic < c; ++ic)
            for (int64_t j = 0; j < m; ++j) acc[ic * m + j] += xp[ic] * fp[ic * m + j];
        });
        float* out = r.data() + ((b * k.oh + oy) * k.ow + ox) * o;
        for (int64_t oc = 0; oc < o; ++oc) out[oc] = activate(a.fused_activation_function, acc[oc] + bias[oc]);
      }
  output(g, op, 0).data = make_buffer(to_bytes(r));
  return ok_status();
}

// The written depth_multiplier follows from the shapes when they are known
// (the kernel derives it the same way); otherwise the table's value stays.
void finalize_depthwise(const Graph& g, Op& op, const std::vector<int>&) {
  const Tensor& x = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  if (x.rank() == 4 && f.rank() == 4 && x.shape[3] > 0 && f.shape[3] > 0)
    mutable_opts<Depthwise>(op).depth_multiplier = static_cast<int32_t>(f.shape[3] / x.shape[3]);
}

// op_version.cc: int16 -> 5; hybrid -> 4 (6 per-channel); int8 -> 3;
// int8 x int4 -> 7; dilation -> 2.
int version_depthwise(const Graph& g, const Op& op) {
  const Tensor& x = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  DType out = output(g, op, 0).dtype;
  if (x.dtype == DType::kInt16 && f.dtype == DType::kInt16 && out == DType::kInt16) return 5;
  if (x.dtype == DType::kFloat32 && f.dtype == DType::kInt8 && out == DType::kFloat32)
    return per_channel(f, f.rank() == 4 ? f.shape[3] : -1) ? 6 : 4;
  if (x.dtype == DType::kInt8 && f.dtype == DType::kInt8 && out == DType::kInt8) return 3;
  if (x.dtype == DType::kInt8 && f.dtype == DType::kInt4 && out == DType::kInt8) return 7;
  const Depthwise& a = opts<Depthwise>(op);
  if (a.dilation_w_factor != 1 || a.dilation_h_factor != 1) return 2;
  return 1;
}

TFLC_REGISTER_OP(depthwise_conv_2d, {.code = OpCode::DEPTHWISE_CONV_2D,
                                     .infer = infer_depthwise,
                                     .eval = eval_depthwise,
                                     .options = Depthwise{.stride_w = 1, .stride_h = 1, .depth_multiplier = 1},
                                     .finalize_options = finalize_depthwise,
                                     .fused_activation = fused_activation_field<Depthwise>(),
                                     .types_unchecked = kNoKernelFacts,
                                     .weights = {.weight_input = 1, .channel_axis = 3, .bias_input = 2},  // 1HWO
                                     .version = version_depthwise,
                                     .runtime_versions = {"1.5.0", "1.12.0", "1.14.0", "2.2.0", "2.3.0", "2.3.0",
                                                          "2.11.0"},
                                     .quant = {.output = QuantSpec::Output::kOwnRange, .weights = QuantSpec::Weights::kPerChannel, .int16 = true, .hybrid = true}});

// ---------------------------------------------------------- TRANSPOSE_CONV
// Inputs: output_shape (int32 [4]), weights [O,KH,KW,I], input [N,H,W,I],
// optional bias [O].

Status infer_transpose_conv(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 3, 4));
  const Tensor& os = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  const Tensor& x = input(g, op, 2);
  RETURN_IF_ERROR(expect_rank(f, 4, "weights"));
  RETURN_IF_ERROR(expect_rank(x, 4, "input"));
  RETURN_IF_ERROR(check_window_options(opts<TransposeConv>(op)));
  if (os.dtype != DType::kInt32) return invalid_input("output_shape must be int32, got " + dtype_name(os.dtype));
  if (x.shape[3] >= 0 && f.shape[3] >= 0 && x.shape[3] != f.shape[3])
    return invalid_input("input depth " + std::to_string(x.shape[3]) + " differs from weights depth " +
                         std::to_string(f.shape[3]));
  RETURN_IF_ERROR(check_bias(g, op, 3, f.shape[0]));
  Shape out = {x.shape[0], -1, -1, f.shape[0]};
  if (os.is_const()) {
    ASSIGN_OR_RETURN(std::vector<int64_t> v, const_ints(g, op.inputs[0]));
    if (v.size() != 4) return invalid_input("output_shape must have 4 elements, got " + std::to_string(v.size()));
    for (int64_t d : v)
      if (d < 0) return invalid_input("output_shape has a negative dimension");
    if (f.shape[0] >= 0 && v[3] != f.shape[0])
      return invalid_input("output_shape depth " + std::to_string(v[3]) + " differs from weights " +
                           shape_str(f.shape));
    out = Shape(v.begin(), v.end());
  }
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status eval_transpose_conv(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_float_eval(g, op));
  const Tensor& ft = input(g, op, 1);
  const Tensor& xt = input(g, op, 2);
  Tensor& ot = output(g, op, 0);
  const int64_t n = xt.shape[0], h = xt.shape[1], w = xt.shape[2], c = xt.shape[3];
  const int64_t o = ft.shape[0], kh = ft.shape[1], kw = ft.shape[2];
  const int64_t oh = ot.shape[1], ow = ot.shape[2];
  if (ot.shape[0] != n) return invalid_input("output_shape batch differs from the input batch");
  const TransposeConv& a = opts<TransposeConv>(op);
  // As TFLite: the padding is that of the forward conv from output to input.
  const int64_t pad_h = window_pad(a.padding, a.stride_h, 1, oh, kh);
  const int64_t pad_w = window_pad(a.padding, a.stride_w, 1, ow, kw);
  const float* x = xt.as<float>();
  const float* f = ft.as<float>();
  std::vector<float> r(static_cast<size_t>(n * oh * ow * o), 0.0f);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t iy = 0; iy < h; ++iy)
      for (int64_t ix = 0; ix < w; ++ix) {
        const float* xp = x + ((b * h + iy) * w + ix) * c;
        for (int64_t fy = 0; fy < kh; ++fy) {
          const int64_t oy = iy * a.stride_h - pad_h + fy;
          if (oy < 0 || oy >= oh) continue;
          for (int64_t fx = 0; fx < kw; ++fx) {
            const int64_t ox = ix * a.stride_w - pad_w + fx;
            if (ox < 0 || ox >= ow) continue;
            float* out = r.data() + ((b * oh + oy) * ow + ox) * o;
            for (int64_t oc = 0; oc < o; ++oc) {
              const float* fp = f + ((oc * kh + fy) * kw + fx) * c;
              float s = 0.0f;
              for (int64_t ic = 0; ic < c; ++ic) s += xp[ic] * fp[ic];
              out[oc] += s;
            }
          }
        }
      }
  std::vector<float> bias = bias_or_zeros(g, op, 3, o);
  for (size_t i = 0; i < r.size(); ++i) r[i] = activate(a.fused_activation_function, r[i] + bias[i % o]);
  ot.data = make_buffer(to_bytes(r));
  return ok_status();
}

// op_version.cc: fused activation -> 4; a bias tensor -> 3; int8 weights -> 2.
int version_transpose_conv(const Graph& g, const Op& op) {
  if (opts<TransposeConv>(op).fused_activation_function != Activation::NONE) return 4;
  if (op.inputs.size() == 4 && op.inputs[3] >= 0) return 3;
  if (input(g, op, 1).dtype == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(transpose_conv, {.code = OpCode::TRANSPOSE_CONV,
                                  .infer = infer_transpose_conv,
                                  .eval = eval_transpose_conv,
                                  .options = TransposeConv{.stride_w = 1, .stride_h = 1},
                                  .types_unchecked = kNoKernelFacts,
                                  .weights = {.weight_input = 1, .channel_axis = 0, .bias_input = 3},  // OHWI
                                  .version = version_transpose_conv,
                                  .runtime_versions = {"1.9.0", "2.2.0", "2.3.0", "2.13.0", "2.15.0"},
                                  .quant = {.output = QuantSpec::Output::kOwnRange, .weights = QuantSpec::Weights::kPerChannel, .int16 = true}});

// ----------------------------------------------------------------- CONV_3D
// input [N,D,H,W,C], filter [KD,KH,KW,C,O], optional bias [O].

Status infer_conv3d(Graph& g, Op& op) {
  RETURN_IF_ERROR(check_conv_inputs<Conv3D>(g, op, 5));
  const Tensor& x = input(g, op, 0);
  const Tensor& f = input(g, op, 1);
  const Conv3D& a = opts<Conv3D>(op);
  if (x.shape[4] >= 0 && f.shape[3] >= 0 && x.shape[4] != f.shape[3])
    return invalid_input("input depth " + std::to_string(x.shape[4]) + " differs from filter " + shape_str(f.shape));
  RETURN_IF_ERROR(check_bias(g, op, 2, f.shape[4]));
  set_output(g, op, 0, x.dtype,
             {x.shape[0], conv_out_dim(a.padding, x.shape[1], f.shape[0], a.stride_d, a.dilation_d_factor),
              conv_out_dim(a.padding, x.shape[2], f.shape[1], a.stride_h, a.dilation_h_factor),
              conv_out_dim(a.padding, x.shape[3], f.shape[2], a.stride_w, a.dilation_w_factor), f.shape[4]});
  return ok_status();
}

Status eval_conv3d(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_float_eval(g, op));
  const Tensor& xt = input(g, op, 0);
  const Tensor& ft = input(g, op, 1);
  Tensor& ot = output(g, op, 0);
  const int64_t n = xt.shape[0], d = xt.shape[1], h = xt.shape[2], w = xt.shape[3], c = xt.shape[4];
  const int64_t kd = ft.shape[0], kh = ft.shape[1], kw = ft.shape[2], o = ft.shape[4];
  const int64_t od = ot.shape[1], oh = ot.shape[2], ow = ot.shape[3];
  const Conv3D& a = opts<Conv3D>(op);
  const int64_t pad_d = window_pad_before(a.stride_d, a.dilation_d_factor, d, kd, od);
  const int64_t pad_h = window_pad_before(a.stride_h, a.dilation_h_factor, h, kh, oh);
  const int64_t pad_w = window_pad_before(a.stride_w, a.dilation_w_factor, w, kw, ow);
  const float* x = xt.as<float>();
  const float* f = ft.as<float>();
  std::vector<float> bias = bias_or_zeros(g, op, 2, o);
  std::vector<float> r(static_cast<size_t>(n * od * oh * ow * o));
  std::vector<float> acc(static_cast<size_t>(o));
  float* out = r.data();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oz = 0; oz < od; ++oz)
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox) {
          std::fill(acc.begin(), acc.end(), 0.0f);
          for (int64_t fz = 0; fz < kd; ++fz) {
            const int64_t iz = oz * a.stride_d - pad_d + fz * a.dilation_d_factor;
            if (iz < 0 || iz >= d) continue;
            for (int64_t fy = 0; fy < kh; ++fy) {
              const int64_t iy = oy * a.stride_h - pad_h + fy * a.dilation_h_factor;
              if (iy < 0 || iy >= h) continue;
              for (int64_t fx = 0; fx < kw; ++fx) {
                const int64_t ix = ox * a.stride_w - pad_w + fx * a.dilation_w_factor;
                if (ix < 0 || ix >= w) continue;
                const float* xp = x + (((b * d + iz) * h + iy) * w + ix) * c;
                const float* fp = f + ((fz * kh + fy) * kw + fx) * c * o;
                for (int64_t ic = 0; ic < c; ++ic) {
                  const float v = xp[ic];
                  const float* fr = fp + ic * o;
                  for (int64_t oc = 0; oc < o; ++oc) acc[oc] += v * fr[oc];
                }
              }
            }
          }
          for (int64_t oc = 0; oc < o; ++oc) *out++ = activate(a.fused_activation_function, acc[oc] + bias[oc]);
        }
  ot.data = make_buffer(to_bytes(r));
  return ok_status();
}

// op_version.cc has no rule for CONV_3D: always version 1.
TFLC_REGISTER_OP(conv_3d, {.code = OpCode::CONV_3D,
                           .infer = infer_conv3d,
                           .eval = eval_conv3d,
                           .options = Conv3D{.stride_d = 1, .stride_w = 1, .stride_h = 1},
                           .fused_activation = fused_activation_field<Conv3D>(),
                           .types_unchecked = kNoKernelFacts,
                           .weights = {.weight_input = 1, .channel_axis = 4, .bias_input = 2},  // DHWIO
                           .version = nullptr,
                           .runtime_versions = {"2.5.0"}});

}  // namespace
}  // namespace tflc
