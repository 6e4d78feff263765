// Reshaping and 1-D/3-D pooling layers (channels_last): Permute,
// RepeatVector, UpSampling1D/2D/3D, ZeroPadding1D/3D, Cropping1D/2D/3D,
// Max/AveragePooling1D/3D, GlobalAverage/MaxPooling1D/3D; and Lambda, which is
// always an error.
#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Status expect_static(KerasLayerContext& ctx, std::initializer_list<int> axes) {
  const Shape& s = ctx.in_tensor(0).shape;
  for (int a : axes)
    if (s[a] < 0)
      return unsupported("not supported yet: " + ctx.class_name() + " layer '" + ctx.scope() +
                         "' on an input with a dynamic dimension " + std::to_string(a));
  return ok_status();
}

// Permute: "dims" are 1-based axes after the batch, which stays first.
Outs lower_permute(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const auto& c = ctx.config();
  if (!c.contains("dims") || !c["dims"].is_array()) return invalid_input("Permute layer '" + ctx.scope() + "' has no dims");
  std::vector<int32_t> perm = {0};
  for (const auto& d : c["dims"]) {
    if (!d.is_number_integer()) return invalid_input("Permute layer '" + ctx.scope() + "' has a non-int dim");
    perm.push_back(d.get<int32_t>());
  }
  const Tensor& x = ctx.in_tensor(0);
  if (x.unknown_rank || x.rank() != static_cast<int>(perm.size()))
    return invalid_input("Permute layer '" + ctx.scope() + "' dims do not match its input rank");
  std::vector<bool> seen(perm.size(), false);
  for (size_t i = 1; i < perm.size(); ++i) {
    if (perm[i] < 1 || perm[i] >= static_cast<int32_t>(perm.size()) || seen[perm[i]])
      return invalid_input("Permute layer '" + ctx.scope() + "' dims are not a permutation of 1.." +
                           std::to_string(perm.size() - 1));
    seen[perm[i]] = true;
  }
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::TRANSPOSE, {ctx.in(0), ctx.const_i32(perm, "perm")}));
  return std::vector<TensorId>{y};
}

// RepeatVector(n): [N, F] -> [N, n, F] as EXPAND_DIMS + TILE.
Outs lower_repeat_vector(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_input_rank(2));
  ASSIGN_OR_RETURN(int64_t n, ctx.get_int("n"));
  if (n < 1) return invalid_input("RepeatVector layer '" + ctx.scope() + "' has n < 1");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::EXPAND_DIMS, {ctx.in(0), ctx.const_i32_scalar(1, "axis")}));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::TILE, {y, ctx.const_i32({1, static_cast<int32_t>(n), 1}, "multiples")}));
  return std::vector<TensorId>{y};
}

// UpSampling2D: integer factors. "nearest" repeats rows and columns, which is
// RESIZE_NEAREST_NEIGHBOR without corner alignment; "bilinear" follows
// tf.image.resize (half-pixel centers).
Outs lower_upsampling2d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(4));
  RETURN_IF_ERROR(expect_static(ctx, {1, 2}));
  ASSIGN_OR_RETURN(std::vector<int64_t> size, ctx.get_ints("size", 2, std::vector<int64_t>{2, 2}));
  ASSIGN_OR_RETURN(std::string interp, ctx.get_string("interpolation", std::string("nearest")));
  const Shape& s = ctx.in_tensor(0).shape;
  TensorId hw = ctx.const_i32({static_cast<int32_t>(s[1] * size[0]), static_cast<int32_t>(s[2] * size[1])}, "size");
  OpOptions a;  // nearest: the op's default options
  OpCode c;
  if (interp == "nearest") {
    c = OpCode::RESIZE_NEAREST_NEIGHBOR;
  } else if (interp == "bilinear") {
    c = OpCode::RESIZE_BILINEAR;
    a = tflite::ResizeBilinearOptionsT{.half_pixel_centers = true};
  } else {
    return unsupported("not supported yet: UpSampling2D layer '" + ctx.scope() + "' with interpolation '" + interp + "'");
  }
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(c, {ctx.in(0), hw}, a));
  return std::vector<TensorId>{y};
}

// UpSampling1D(size): each step repeated: [N,W,C] -> [N,W,1,C] -> TILE ->
// [N,W,s,C] -> RESHAPE [N, W*s, C].
Outs lower_upsampling1d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_input_rank(3));
  RETURN_IF_ERROR(expect_static(ctx, {1, 2}));
  ASSIGN_OR_RETURN(int64_t length, ctx.get_int("length", 2));  // Keras 1's name
  ASSIGN_OR_RETURN(int64_t size, ctx.get_int("size", length));
  if (size < 1) return invalid_input("UpSampling1D layer '" + ctx.scope() + "' has size < 1");
  const Shape s = ctx.in_tensor(0).shape;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::EXPAND_DIMS, {ctx.in(0), ctx.const_i32_scalar(2, "axis")}));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::TILE, {y, ctx.const_i32({1, 1, static_cast<int32_t>(size), 1}, "multiples")}));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::RESHAPE, {y, ctx.const_i32({-1, static_cast<int32_t>(s[1] * size),
                                                                     static_cast<int32_t>(s[2])},
                                                                    "shape")}));
  return std::vector<TensorId>{y};
}

// UpSampling3D (nearest): each spatial axis a in turn is repeated through
// [-1, S[a], 1, rest] -> TILE -> RESHAPE.
Outs lower_upsampling3d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(5));
  RETURN_IF_ERROR(expect_static(ctx, {1, 2, 3, 4}));
  ASSIGN_OR_RETURN(std::vector<int64_t> size, ctx.get_ints("size", 3, std::vector<int64_t>{2, 2, 2}));
  Shape s = ctx.in_tensor(0).shape;
  TensorId y = ctx.in(0);
  for (int a = 1; a <= 3; ++a) {
    int64_t k = size[a - 1];
    if (k < 1) return invalid_input("UpSampling3D layer '" + ctx.scope() + "' has a size < 1");
    if (k == 1) continue;
    int64_t rest = 1;
    for (int d = a + 1; d < 5; ++d) rest *= s[d];
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::RESHAPE, {y, ctx.const_i32({-1, static_cast<int32_t>(s[a]), 1,
                                                                      static_cast<int32_t>(rest)},
                                                                     "shape")}));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::TILE, {y, ctx.const_i32({1, 1, static_cast<int32_t>(k), 1}, "multiples")}));
    s[a] *= k;
    std::vector<int32_t> full = {-1};
    for (int d = 1; d < 5; ++d) full.push_back(static_cast<int32_t>(s[d]));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::RESHAPE, {y, ctx.const_i32(full, "shape")}));
  }
  return std::vector<TensorId>{y};
}

// An int or a pair of ints from the config (ZeroPadding1D, Cropping1D).
Expected<std::pair<int32_t, int32_t>> int_pair(KerasLayerContext& ctx, const char* key, int32_t def) {
  const auto& c = ctx.config();
  nlohmann::json p = c.contains(key) && !c[key].is_null() ? c[key] : nlohmann::json(def);
  if (p.is_number_integer()) return std::pair<int32_t, int32_t>{p.get<int32_t>(), p.get<int32_t>()};
  if (p.is_array() && p.size() == 2 && p[0].is_number_integer() && p[1].is_number_integer())
    return std::pair<int32_t, int32_t>{p[0].get<int32_t>(), p[1].get<int32_t>()};
  return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' has a " + key + " Keras does not write");
}

Outs lower_zero_padding1d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_input_rank(3));
  ASSIGN_OR_RETURN(auto lr, int_pair(ctx, "padding", 1));
  TensorId pads = ctx.constant(DType::kInt32, {3, 2}, to_bytes(std::vector<int32_t>{0, 0, lr.first, lr.second, 0, 0}),
                               "paddings");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::PAD, {ctx.in(0), pads}));
  return std::vector<TensorId>{y};
}

// Crops crop[k] = {before, after} from axis k+1; the batch and the channels
// are kept whole through the masks.
Expected<TensorId> crop(KerasLayerContext& ctx, const std::vector<std::pair<int32_t, int32_t>>& crop) {
  const Shape& s = ctx.in_tensor(0).shape;
  int r = ctx.in_tensor(0).rank();
  std::vector<int32_t> begin(r, 0), end(r, 0), strides(r, 1);
  tflite::StridedSliceOptionsT a;
  a.begin_mask = a.end_mask = 1 | (1 << (r - 1));
  for (size_t k = 0; k < crop.size(); ++k) {
    int ax = static_cast<int>(k) + 1;
    auto [lo, hi] = crop[k];
    if (lo < 0 || hi < 0 || lo + hi >= s[ax])
      return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' crops all of axis " + std::to_string(ax));
    begin[ax] = lo;
    end[ax] = static_cast<int32_t>(s[ax]) - hi;
  }
  return ctx.emit1(OpCode::STRIDED_SLICE, {ctx.in(0), ctx.const_i32(begin, "begin"), ctx.const_i32(end, "end"),
                                           ctx.const_i32(strides, "strides")},
                   a);
}

Outs lower_cropping1d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_input_rank(3));
  RETURN_IF_ERROR(expect_static(ctx, {1}));
  ASSIGN_OR_RETURN(auto lr, int_pair(ctx, "cropping", 1));
  ASSIGN_OR_RETURN(TensorId y, crop(ctx, {lr}));
  return std::vector<TensorId>{y};
}

Outs lower_cropping2d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(4));
  RETURN_IF_ERROR(expect_static(ctx, {1, 2}));
  const auto& c = ctx.config();
  nlohmann::json p = c.contains("cropping") && !c["cropping"].is_null() ? c["cropping"] : nlohmann::json(0);
  std::vector<std::pair<int32_t, int32_t>> cr;
  if (p.is_number_integer()) {
    int32_t v = p.get<int32_t>();
    cr = {{v, v}, {v, v}};
  } else if (p.is_array() && p.size() == 2 && p[0].is_number_integer() && p[1].is_number_integer()) {
    cr = {{p[0].get<int32_t>(), p[0].get<int32_t>()}, {p[1].get<int32_t>(), p[1].get<int32_t>()}};
  } else if (p.is_array() && p.size() == 2 && p[0].is_array() && p[1].is_array() && p[0].size() == 2 &&
             p[1].size() == 2 && p[0][0].is_number_integer() && p[0][1].is_number_integer() &&
             p[1][0].is_number_integer() && p[1][1].is_number_integer()) {
    cr = {{p[0][0].get<int32_t>(), p[0][1].get<int32_t>()}, {p[1][0].get<int32_t>(), p[1][1].get<int32_t>()}};
  } else {
    return invalid_input("Cropping2D layer '" + ctx.scope() + "' has a cropping Keras does not write");
  }
  ASSIGN_OR_RETURN(TensorId y, crop(ctx, cr));
  return std::vector<TensorId>{y};
}

// A spatial padding/cropping config for n axes: an int, n ints, or n pairs.
Expected<std::vector<std::pair<int32_t, int32_t>>> spatial_pairs(KerasLayerContext& ctx, const char* key, size_t n,
                                                                 int32_t def) {
  const auto& c = ctx.config();
  nlohmann::json p = c.contains(key) && !c[key].is_null() ? c[key] : nlohmann::json(def);
  std::vector<std::pair<int32_t, int32_t>> out;
  if (p.is_number_integer()) return std::vector<std::pair<int32_t, int32_t>>(n, {p.get<int32_t>(), p.get<int32_t>()});
  if (p.is_array() && p.size() == n) {
    for (const auto& e : p) {
      if (e.is_number_integer()) {
        out.push_back({e.get<int32_t>(), e.get<int32_t>()});
      } else if (e.is_array() && e.size() == 2 && e[0].is_number_integer() && e[1].is_number_integer()) {
        out.push_back({e[0].get<int32_t>(), e[1].get<int32_t>()});
      } else {
        break;
      }
    }
    if (out.size() == n) return out;
  }
  return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' has a " + key + " Keras does not write");
}

Outs lower_zero_padding3d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(5));
  ASSIGN_OR_RETURN(auto p, spatial_pairs(ctx, "padding", 3, 1));
  std::vector<int32_t> pads = {0, 0};
  for (auto [lo, hi] : p) {
    pads.push_back(lo);
    pads.push_back(hi);
  }
  pads.insert(pads.end(), {0, 0});
  TensorId paddings = ctx.constant(DType::kInt32, {5, 2}, to_bytes(pads), "paddings");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::PAD, {ctx.in(0), paddings}));
  return std::vector<TensorId>{y};
}

Outs lower_cropping3d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(5));
  RETURN_IF_ERROR(expect_static(ctx, {1, 2, 3}));
  ASSIGN_OR_RETURN(auto cr, spatial_pairs(ctx, "cropping", 3, 1));
  ASSIGN_OR_RETURN(TensorId y, crop(ctx, cr));
  return std::vector<TensorId>{y};
}

Outs lower_global_pool3d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(5));
  tflite::ReducerOptionsT a;
  ASSIGN_OR_RETURN(a.keep_dims, ctx.get_bool("keepdims", false));
  OpCode c = ctx.class_name().find("Max") != std::string::npos ? OpCode::REDUCE_MAX : OpCode::MEAN;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(c, {ctx.in(0), ctx.const_i32({1, 2, 3}, "axes")}, a));
  return std::vector<TensorId>{y};
}

// Max/AveragePooling1D: the 2-D pool with a 1-high window on [N,1,W,C].
Outs lower_pool1d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(3));
  // Keras 1 names them pool_length/stride.
  ASSIGN_OR_RETURN(int64_t size, ctx.get_int("pool_length", 2));
  ASSIGN_OR_RETURN(std::vector<int64_t> sizes, ctx.get_ints("pool_size", 1, std::vector<int64_t>{size}));
  ASSIGN_OR_RETURN(int64_t stride, ctx.get_int("stride", sizes[0]));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, ctx.get_ints("strides", 1, std::vector<int64_t>{stride}));
  ASSIGN_OR_RETURN(std::string p, ctx.get_string("padding", std::string("valid")));
  // Keras 1 wrote border_mode.
  ASSIGN_OR_RETURN(p, ctx.get_string("border_mode", p));
  if (p != "same" && p != "valid")
    return unsupported("not supported yet: " + ctx.class_name() + " layer '" + ctx.scope() + "' with padding '" + p + "'");
  tflite::Pool2DOptionsT a;  // a 1-high window, unit stride on H
  a.padding = p == "same" ? Padding::SAME : Padding::VALID;
  a.stride_w = static_cast<int>(strides[0]);
  a.stride_h = 1;
  a.filter_width = static_cast<int>(sizes[0]);
  a.filter_height = 1;
  OpCode c = ctx.class_name().find("Max") != std::string::npos ? OpCode::MAX_POOL_2D : OpCode::AVERAGE_POOL_2D;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::EXPAND_DIMS, {ctx.in(0), ctx.const_i32_scalar(1, "axis")}));
  ASSIGN_OR_RETURN(y, ctx.emit1(c, {y}, a));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::SQUEEZE, {y}, tflite::SqueezeOptionsT{.squeeze_dims = {1}}));
  return std::vector<TensorId>{y};
}

// Max/AveragePooling3D (TFLite has no 3-D pool): both are separable over a
// box window, padded elements excluded, so pool (H, W) on [N*D, H, W, C],
// then D on [N, D, H'*W', C] with a (kd, 1) window.
Outs lower_pool3d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(5));
  RETURN_IF_ERROR(expect_static(ctx, {1, 2, 3, 4}));
  ASSIGN_OR_RETURN(std::vector<int64_t> size, ctx.get_ints("pool_size", 3, std::vector<int64_t>{2, 2, 2}));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, ctx.get_ints("strides", 3, size));
  ASSIGN_OR_RETURN(std::string p, ctx.get_string("padding", std::string("valid")));
  if (p != "same" && p != "valid")
    return unsupported("not supported yet: " + ctx.class_name() + " layer '" + ctx.scope() + "' with padding '" + p + "'");
  OpCode c = ctx.class_name().find("Max") != std::string::npos ? OpCode::MAX_POOL_2D : OpCode::AVERAGE_POOL_2D;
  const Shape s = ctx.in_tensor(0).shape;
  auto i32 = [](int64_t v) { return static_cast<int32_t>(v); };
  tflite::Pool2DOptionsT hw;
  hw.padding = p == "same" ? Padding::SAME : Padding::VALID;
  hw.filter_height = i32(size[1]);
  hw.filter_width = i32(size[2]);
  hw.stride_h = i32(strides[1]);
  hw.stride_w = i32(strides[2]);
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::RESHAPE, {ctx.in(0), ctx.const_i32({-1, i32(s[2]), i32(s[3]), i32(s[4])},
                                                                                     "shape")}));
  ASSIGN_OR_RETURN(y, ctx.emit1(c, {y}, hw));
  const Shape hws = ctx.graph().t(y).shape;
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::RESHAPE, {y, ctx.const_i32({-1, i32(s[1]), i32(hws[1] * hws[2]), i32(s[4])},
                                                                   "shape")}));
  tflite::Pool2DOptionsT d = hw;
  d.filter_height = i32(size[0]);
  d.stride_h = i32(strides[0]);
  d.filter_width = d.stride_w = 1;
  ASSIGN_OR_RETURN(y, ctx.emit1(c, {y}, d));
  const Shape ds = ctx.graph().t(y).shape;
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::RESHAPE, {y, ctx.const_i32({-1, i32(ds[1]), i32(hws[1]), i32(hws[2]), i32(s[4])},
                                                                   "shape")}));
  return std::vector<TensorId>{y};
}

Outs lower_global_pool1d(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1, 2));  // a second input would be a mask
  if (ctx.num_inputs() == 2)
    return unsupported("not supported yet: " + ctx.class_name() + " layer '" + ctx.scope() + "' with a mask");
  RETURN_IF_ERROR(ctx.expect_channels_last());
  RETURN_IF_ERROR(ctx.expect_input_rank(3));
  tflite::ReducerOptionsT a;
  ASSIGN_OR_RETURN(a.keep_dims, ctx.get_bool("keepdims", false));
  OpCode c = ctx.class_name().find("Max") != std::string::npos ? OpCode::REDUCE_MAX : OpCode::MEAN;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(c, {ctx.in(0), ctx.const_i32({1}, "axes")}, a));
  return std::vector<TensorId>{y};
}

Outs lower_lambda(KerasLayerContext& ctx) {
  return unsupported("Lambda layer '" + ctx.scope() +
                     "' holds Python bytecode and cannot be converted; replace it with built-in layers");
}

TFLC_REGISTER_KERAS_WEIGHTS(reshaping, {"Permute", "RepeatVector", "UpSampling1D", "UpSampling2D", "UpSampling3D",
                                         "ZeroPadding1D", "ZeroPadding3D", "Cropping1D", "Cropping2D", "Cropping3D",
                                         "MaxPooling1D", "MaxPool1D", "AveragePooling1D", "AvgPool1D", "MaxPooling3D",
                                         "MaxPool3D", "AveragePooling3D", "AvgPool3D", "GlobalAveragePooling1D",
                                         "GlobalAvgPool1D", "GlobalMaxPooling1D", "GlobalMaxPool1D",
                                         "GlobalAveragePooling3D", "GlobalAvgPool3D", "GlobalMaxPooling3D",
                                         "GlobalMaxPool3D"},
                            keras_no_weights);
TFLC_REGISTER_KERAS_LAYER(permute, {{"Permute"}, lower_permute});
TFLC_REGISTER_KERAS_LAYER(repeat_vector, {{"RepeatVector"}, lower_repeat_vector});
TFLC_REGISTER_KERAS_LAYER(upsampling2d, {{"UpSampling2D"}, lower_upsampling2d});
TFLC_REGISTER_KERAS_LAYER(upsampling1d, {{"UpSampling1D"}, lower_upsampling1d});
TFLC_REGISTER_KERAS_LAYER(upsampling3d, {{"UpSampling3D"}, lower_upsampling3d});
TFLC_REGISTER_KERAS_LAYER(zero_padding1d, {{"ZeroPadding1D"}, lower_zero_padding1d});
TFLC_REGISTER_KERAS_LAYER(cropping1d, {{"Cropping1D"}, lower_cropping1d});
TFLC_REGISTER_KERAS_LAYER(cropping2d, {{"Cropping2D"}, lower_cropping2d});
TFLC_REGISTER_KERAS_LAYER(pool1d, {{"MaxPooling1D", "MaxPool1D", "AveragePooling1D", "AvgPool1D"}, lower_pool1d});
TFLC_REGISTER_KERAS_LAYER(pool3d, {{"MaxPooling3D", "MaxPool3D", "AveragePooling3D", "AvgPool3D"}, lower_pool3d});
TFLC_REGISTER_KERAS_LAYER(global_pool1d, {{"GlobalAveragePooling1D", "GlobalAvgPool1D", "GlobalMaxPooling1D",
                                           "GlobalMaxPool1D"},
                                          lower_global_pool1d});
TFLC_REGISTER_KERAS_LAYER(zero_padding3d, {{"ZeroPadding3D"}, lower_zero_padding3d});
TFLC_REGISTER_KERAS_LAYER(cropping3d, {{"Cropping3D"}, lower_cropping3d});
TFLC_REGISTER_KERAS_LAYER(global_pool3d, {{"GlobalAveragePooling3D", "GlobalAvgPool3D", "GlobalMaxPooling3D",
                                           "GlobalMaxPool3D"},
                                          lower_global_pool3d});
TFLC_REGISTER_KERAS_LAYER(lambda, {{"Lambda"}, lower_lambda});

}  // namespace
}  // namespace tflc
