// TF convolutions -> TFLite: Conv2D -> CONV_2D (filter HWIO -> OHWI),
// DepthwiseConv2dNative -> DEPTHWISE_CONV_2D (filter [H,W,I,M] reshaped to
// [1,H,W,I*M]), Conv2DBackpropInput -> TRANSPOSE_CONV (filter HWOI -> OHWI,
// no bias, as the official converter), Conv3D -> CONV_3D, and BiasAdd -> ADD.
// Filter rearrangements are TRANSPOSE/RESHAPE ops that fold when the filter
// is constant. Convs get a zero bias that the bias fusion pass replaces.
#include <algorithm>

#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

Status expect_float(const TfNodeContext& ctx, int i) {
  DType t = ctx.in_tensor(i).dtype;
  if (t != DType::kFloat32)
    return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(t) + " tensors (float32 only)");
  return ok_status();
}

// Spatial values of an NHWC (or NDHWC) list attribute whose batch and
// channel entries must be 1.
Expected<std::vector<int>> spatial_list(const TfNodeContext& ctx, const std::string& key, int rank, bool required) {
  std::optional<std::vector<int64_t>> def;
  if (!required) def = std::vector<int64_t>(rank, 1);
  ASSIGN_OR_RETURN(std::vector<int64_t> v, ctx.attr_ints(key, def));
  if (v.empty() && !required) v.assign(rank, 1);
  if (static_cast<int>(v.size()) != rank)
    return invalid_input("attribute '" + key + "' of node '" + ctx.name() + "' must have " + std::to_string(rank) +
                         " values");
  if (v.front() != 1 || v.back() != 1)
    return unsupported("not supported yet: " + ctx.node().op() + " with " + key +
                       " on the batch or channel dimension");
  std::vector<int> out;
  for (int i = 1; i + 1 < rank; ++i) {
    if (v[i] <= 0 || v[i] > (1 << 30)) return invalid_input("attribute '" + key + "' must be positive");
    out.push_back(static_cast<int>(v[i]));
  }
  return out;
}

// Padding mode; EXPLICIT is reported through `is_explicit` when allowed.
Expected<Padding> padding_attr(const TfNodeContext& ctx, bool allow_explicit, bool* is_explicit = nullptr) {
  ASSIGN_OR_RETURN(std::string p, ctx.attr_string("padding"));
  if (is_explicit) *is_explicit = false;
  if (p == "SAME") return Padding::SAME;
  if (p == "VALID") return Padding::VALID;
  if (p == "EXPLICIT" && allow_explicit) {
    *is_explicit = true;
    return Padding::VALID;
  }
  return unsupported("not supported yet: " + ctx.node().op() + " with padding=" + p);
}

// With padding=EXPLICIT, emits PAD for the explicit amounts so the conv can
// run VALID. Returns the (maybe padded) input.
Expected<TensorId> explicit_pad(TfNodeContext& ctx, TensorId x) {
  ASSIGN_OR_RETURN(std::vector<int64_t> p, ctx.attr_ints("explicit_paddings", std::vector<int64_t>{}));
  if (p.size() != 8)
    return invalid_input("node '" + ctx.name() + "' has padding=EXPLICIT but " + std::to_string(p.size()) +
                         " explicit_paddings (need 8)");
  if (p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0)
    return unsupported("not supported yet: explicit padding of the batch or channel dimension");
  std::vector<int32_t> v;
  for (int64_t e : p) {
    if (e < 0 || e > (1 << 30)) return invalid_input("explicit_paddings must be non-negative");
    v.push_back(static_cast<int32_t>(e));
  }
  if (std::all_of(v.begin(), v.end(), [](int32_t e) { return e == 0; })) return x;
  TensorId pads = ctx.constant(DType::kInt32, {4, 2}, to_bytes(v), "paddings");
  return ctx.emit1(OpCode::PAD, {x, pads});
}

// The checks and window attributes every conv lowering starts with, in
// TensorFlow's order: input count, NHWC, a float32 input, padding, strides,
// dilations (the spatial entries of a rank-`rank` list).
struct ConvAttrs {
  Padding padding = Padding::VALID;
  bool is_explicit = false;
  std::vector<int> strides, dilations;
};

Expected<ConvAttrs> conv_attrs(TfNodeContext& ctx, int inputs, int float_input, int rank, bool allow_explicit) {
  RETURN_IF_ERROR(ctx.expect_inputs(inputs));
  RETURN_IF_ERROR(ctx.expect_nhwc());
  RETURN_IF_ERROR(expect_float(ctx, float_input));
  ConvAttrs c;
  ASSIGN_OR_RETURN(c.padding, padding_attr(ctx, allow_explicit, &c.is_explicit));
  ASSIGN_OR_RETURN(c.strides, spatial_list(ctx, "strides", rank, true));
  ASSIGN_OR_RETURN(c.dilations, spatial_list(ctx, "dilations", rank, false));
  return c;
}

// Padding, strides and (where the table has them) dilations of a 2-D conv.
template <class T>
T conv2d_options(const ConvAttrs& c) {
  T a;
  a.padding = c.padding;
  a.stride_h = c.strides[0], a.stride_w = c.strides[1];
  if constexpr (requires { a.dilation_h_factor; })
    a.dilation_h_factor = c.dilations[0], a.dilation_w_factor = c.dilations[1];
  return a;
}

// Input 0, behind a PAD for padding=EXPLICIT.
Expected<TensorId> conv_input(TfNodeContext& ctx, const ConvAttrs& c) {
  if (!c.is_explicit) return ctx.in(0);
  return explicit_pad(ctx, ctx.in(0));
}

TensorId zero_bias(TfNodeContext& ctx, int64_t channels) {
  return ctx.constant(DType::kFloat32, {channels}, to_bytes(std::vector<float>(channels, 0.0f)), "bias");
}

Expected<int64_t> static_dim(const TfNodeContext& ctx, int input, int rank, int dim, const char* what) {
  const Tensor& t = ctx.in_tensor(input);
  if (t.unknown_rank || t.rank() != rank)
    return invalid_input(std::string(what) + " of node '" + ctx.name() + "' must have rank " + std::to_string(rank));
  if (t.shape[dim] < 0)
    return unsupported(std::string("not supported yet: ") + what + " of node '" + ctx.name() +
                       "' with a dynamic shape " + shape_str(t.shape));
  return t.shape[dim];
}

Expected<std::vector<TensorId>> lower_conv2d(TfNodeContext& ctx) {
  ASSIGN_OR_RETURN(ConvAttrs c, conv_attrs(ctx, 2, 0, 4, true));
  auto a = conv2d_options<tflite::Conv2DOptionsT>(c);
  ASSIGN_OR_RETURN(int64_t out_ch, static_dim(ctx, 1, 4, 3, "filter"));
  ASSIGN_OR_RETURN(TensorId x, conv_input(ctx, c));
  ASSIGN_OR_RETURN(TensorId filter, ctx.emit1(OpCode::TRANSPOSE, {ctx.in(1), ctx.const_i32({3, 0, 1, 2}, "perm")}));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::CONV_2D, {x, filter, zero_bias(ctx, out_ch)}, a));
  return std::vector<TensorId>{y};
}

Expected<std::vector<TensorId>> lower_depthwise(TfNodeContext& ctx) {
  ASSIGN_OR_RETURN(ConvAttrs c, conv_attrs(ctx, 2, 0, 4, true));
  auto a = conv2d_options<tflite::DepthwiseConv2DOptionsT>(c);
  const Tensor& f = ctx.in_tensor(1);
  if (f.unknown_rank || f.rank() != 4 || !f.has_static_shape())
    return unsupported("not supported yet: DepthwiseConv2dNative filter of shape " + shape_str(f.shape) +
                       " (needs a static [H,W,I,M])");
  const int64_t kh = f.shape[0], kw = f.shape[1], ic = f.shape[2], m = f.shape[3];
  a.depth_multiplier = static_cast<int>(m);
  ASSIGN_OR_RETURN(TensorId x, conv_input(ctx, c));
  // [H,W,I,M] and [1,H,W,I*M] share one memory order: channel i*M+m.
  std::vector<int32_t> shape = {1, static_cast<int32_t>(kh), static_cast<int32_t>(kw), static_cast<int32_t>(ic * m)};
  ASSIGN_OR_RETURN(TensorId filter, ctx.emit1(OpCode::RESHAPE, {ctx.in(1), ctx.const_i32(shape, "filter_shape")}));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::DEPTHWISE_CONV_2D, {x, filter, zero_bias(ctx, ic * m)}, a));
  return std::vector<TensorId>{y};
}

Expected<std::vector<TensorId>> lower_conv2d_backprop_input(TfNodeContext& ctx) {
  ASSIGN_OR_RETURN(ConvAttrs c, conv_attrs(ctx, 3, 2, 4, false));
  if (c.dilations[0] != 1 || c.dilations[1] != 1)
    return unsupported("not supported yet: Conv2DBackpropInput with dilations (TRANSPOSE_CONV has none)");
  auto a = conv2d_options<tflite::TransposeConvOptionsT>(c);
  TensorId sizes = ctx.in(0);
  const Tensor& st = ctx.in_tensor(0);
  if (st.dtype != DType::kInt32) {
    if (!st.is_const())
      return unsupported("not supported yet: Conv2DBackpropInput with non-constant " + dtype_name(st.dtype) +
                         " input_sizes");
    ASSIGN_OR_RETURN(std::vector<int64_t> v, const_ints(ctx.graph(), sizes));
    std::vector<int32_t> v32(v.begin(), v.end());
    sizes = ctx.const_i32(v32, "output_shape");
  }
  ASSIGN_OR_RETURN(TensorId filter, ctx.emit1(OpCode::TRANSPOSE, {ctx.in(1), ctx.const_i32({2, 0, 1, 3}, "perm")}));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::TRANSPOSE_CONV, {sizes, filter, ctx.in(2), kNoTensor}, a));
  return std::vector<TensorId>{y};
}

Expected<std::vector<TensorId>> lower_conv3d(TfNodeContext& ctx) {
  ASSIGN_OR_RETURN(ConvAttrs c, conv_attrs(ctx, 2, 0, 5, false));
  tflite::Conv3DOptionsT a;
  a.padding = c.padding;
  a.stride_d = c.strides[0], a.stride_h = c.strides[1], a.stride_w = c.strides[2];
  a.dilation_d_factor = c.dilations[0], a.dilation_h_factor = c.dilations[1], a.dilation_w_factor = c.dilations[2];
  ASSIGN_OR_RETURN(int64_t out_ch, static_dim(ctx, 1, 5, 4, "filter"));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::CONV_3D, {ctx.in(0), ctx.in(1), zero_bias(ctx, out_ch)}, a));
  return std::vector<TensorId>{y};
}

// BiasAdd adds a [C] bias along the last (NHWC channel) dimension, which is
// plain broadcasting.
Expected<std::vector<TensorId>> lower_bias_add(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  RETURN_IF_ERROR(ctx.expect_nhwc());
  const Tensor& x = ctx.in_tensor(0);
  const Tensor& b = ctx.in_tensor(1);
  if (!b.unknown_rank && b.rank() != 1)
    return invalid_input("bias of BiasAdd node '" + ctx.name() + "' must have rank 1, got " + shape_str(b.shape));
  if (!x.unknown_rank && x.rank() < 1)
    return invalid_input("input of BiasAdd node '" + ctx.name() + "' must have rank >= 1");
  if (!x.unknown_rank && !b.unknown_rank && x.shape.back() >= 0 && b.shape[0] >= 0 && x.shape.back() != b.shape[0])
    return invalid_input("bias " + shape_str(b.shape) + " of BiasAdd node '" + ctx.name() +
                         "' does not match the channels of " + shape_str(x.shape));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::ADD, {ctx.in(0), ctx.in(1)}));
  return std::vector<TensorId>{y};
}

// Channels-first nodes run between TRANSPOSEs (lower_channels_last).
TFLC_REGISTER_TF_OP(conv2d, {{"Conv2D"}, [](TfNodeContext& ctx) {
                      return lower_channels_last(ctx, lower_conv2d, {.images = {0}});
                    }});
TFLC_REGISTER_TF_OP(depthwise, {{"DepthwiseConv2dNative"}, [](TfNodeContext& ctx) {
                      return lower_channels_last(ctx, lower_depthwise, {.images = {0}});
                    }});
TFLC_REGISTER_TF_OP(conv2d_backprop_input, {{"Conv2DBackpropInput"}, [](TfNodeContext& ctx) {
                      return lower_channels_last(ctx, lower_conv2d_backprop_input, {.images = {2}, .shape = 0});
                    }});
TFLC_REGISTER_TF_OP(conv3d, {{"Conv3D"}, [](TfNodeContext& ctx) {
                      return lower_channels_last(ctx, lower_conv3d, {.images = {0}});
                    }});
TFLC_REGISTER_TF_OP(bias_add, {{"BiasAdd", "BiasAddV1"}, [](TfNodeContext& ctx) {
                      return lower_channels_last(ctx, lower_bias_add, {.images = {0}});
                    }});

}  // namespace
}  // namespace tflc
