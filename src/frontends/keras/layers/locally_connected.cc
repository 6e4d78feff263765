// LocallyConnected1D/2D (Keras 2, implementation 1): a convolution whose
// kernel differs at each output position.
//
// Lowering: one GATHER pulls every position's patch out of the flattened
// NHWC input ([B, P, K], indices fixed at conversion), then one broadcast
// BATCH_MATMUL [B, P, 1, K] x [P, K, F] applies each position's kernel.
// channels_first inputs are transposed to NHWC first and the kernel rows
// reordered from Keras' (C, kh, kw) patch order to (kh, kw, C).
#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Outs lower_locally_connected(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const bool is1d = ctx.class_name() == "LocallyConnected1D";
  const size_t nd = is1d ? 1 : 2;
  if (!ctx.config().contains("filters"))
    return unsupported("not supported yet: Keras 1 " + ctx.class_name() + " (no 'filters' in its config)");
  ASSIGN_OR_RETURN(int64_t filters, ctx.get_int("filters"));
  ASSIGN_OR_RETURN(std::vector<int64_t> ks, ctx.get_ints("kernel_size", nd));
  ASSIGN_OR_RETURN(std::vector<int64_t> st, ctx.get_ints("strides", nd, std::vector<int64_t>(nd, 1)));
  ASSIGN_OR_RETURN(std::string padding, ctx.get_string("padding", std::string("valid")));
  ASSIGN_OR_RETURN(std::string fmt, ctx.get_string("data_format", std::string("channels_last")));
  ASSIGN_OR_RETURN(int64_t impl, ctx.get_int("implementation", 1));
  ASSIGN_OR_RETURN(bool use_bias, ctx.get_bool("use_bias", true));
  ASSIGN_OR_RETURN(std::string act, ctx.get_string("activation", std::string("linear")));
  if (padding != "valid") return unsupported("not supported yet: " + ctx.class_name() + " with padding=" + padding);
  if (impl != 1) return unsupported("not supported yet: " + ctx.class_name() + " implementation " + std::to_string(impl));
  if (fmt != "channels_last" && fmt != "channels_first")
    return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' has data_format " + fmt);
  const bool cf = fmt == "channels_first";
  if (is1d) {  // as 2D with a unit height
    ks.insert(ks.begin(), 1);
    st.insert(st.begin(), 1);
  }
  for (int i = 0; i < 2; ++i)
    if (ks[i] <= 0 || st[i] <= 0) return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' has a non-positive kernel or stride");

  const Tensor& xt = ctx.in_tensor(0);
  if (xt.unknown_rank || xt.rank() != static_cast<int>(nd) + 2)
    return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "' is called on a tensor of shape " + shape_str(xt.shape));
  for (int i = 1; i < xt.rank(); ++i)
    if (xt.shape[i] < 0) return unsupported("not supported yet: " + ctx.class_name() + " on dynamic spatial dims");
  // Spatial dims and channels in NHWC terms.
  int64_t h = 1, w, c;
  if (is1d) {
    w = cf ? xt.shape[2] : xt.shape[1];
    c = cf ? xt.shape[1] : xt.shape[2];
  } else {
    h = cf ? xt.shape[2] : xt.shape[1];
    w = cf ? xt.shape[3] : xt.shape[2];
    c = cf ? xt.shape[1] : xt.shape[3];
  }
  const int64_t kh = ks[0], kw = ks[1];
  if (h < kh || w < kw) return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "': kernel larger than its input");
  const int64_t oh = (h - kh) / st[0] + 1, ow = (w - kw) / st[1] + 1, P = oh * ow, K = kh * kw * c;

  std::vector<int64_t> kshape;
  ASSIGN_OR_RETURN(std::vector<float> kern, ctx.weight_values(0, &kshape));
  if (kshape != std::vector<int64_t>{P, K, filters})
    return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "': kernel of shape " + shape_str(kshape) +
                         ", expected " + shape_str({P, K, filters}));
  if (cf) {  // rows (c, di, dj) -> (di, dj, c)
    std::vector<float> re(kern.size());
    for (int64_t p = 0; p < P; ++p)
      for (int64_t ci = 0; ci < c; ++ci)
        for (int64_t di = 0; di < kh; ++di)
          for (int64_t dj = 0; dj < kw; ++dj)
            for (int64_t f = 0; f < filters; ++f)
              re[(p * K + (di * kw + dj) * c + ci) * filters + f] = kern[(p * K + (ci * kh + di) * kw + dj) * filters + f];
    kern = std::move(re);
  }
  if (static_cast<int64_t>(h * w * c) > INT32_MAX) return unsupported("not supported yet: " + ctx.class_name() + " on huge inputs");

  TensorId x = ctx.in(0);
  if (cf) {
    std::vector<int32_t> perm = is1d ? std::vector<int32_t>{0, 2, 1} : std::vector<int32_t>{0, 2, 3, 1};
    ASSIGN_OR_RETURN(x, ctx.emit1(OpCode::TRANSPOSE, {x, ctx.const_i32(perm, "perm")}));
  }
  ASSIGN_OR_RETURN(x, ctx.emit1(OpCode::RESHAPE, {x, ctx.const_i32({-1, static_cast<int32_t>(h * w * c)}, "flat")}));
  std::vector<int32_t> idx(static_cast<size_t>(P * K));
  for (int64_t i = 0; i < oh; ++i)
    for (int64_t j = 0; j < ow; ++j)
      for (int64_t di = 0; di < kh; ++di)
        for (int64_t dj = 0; dj < kw; ++dj)
          for (int64_t ci = 0; ci < c; ++ci)
            idx[(i * ow + j) * K + (di * kw + dj) * c + ci] =
                static_cast<int32_t>(((i * st[0] + di) * w + (j * st[1] + dj)) * c + ci);
  TensorId ids = ctx.constant(DType::kInt32, {P, K}, to_bytes(idx), "patch_indices");
  tflite::GatherOptionsT g{.axis = 1};
  ASSIGN_OR_RETURN(TensorId patches, ctx.emit1(OpCode::GATHER, {x, ids}, g));  // [B, P, K]
  ASSIGN_OR_RETURN(patches, ctx.emit1(OpCode::RESHAPE, {patches, ctx.const_i32({-1, static_cast<int32_t>(P), 1,
                                                                                static_cast<int32_t>(K)}, "rows")}));
  TensorId kt = ctx.constant(DType::kFloat32, {P, K, filters}, to_bytes(kern), "kernel");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::BATCH_MATMUL, {patches, kt}));  // [B, P, 1, F]
  // To NHWC [B, oh, ow, F] (1D: [B, ow, F]), then the layout asked for.
  std::vector<int32_t> out = is1d ? std::vector<int32_t>{-1, static_cast<int32_t>(ow), static_cast<int32_t>(filters)}
                                  : std::vector<int32_t>{-1, static_cast<int32_t>(oh), static_cast<int32_t>(ow),
                                                         static_cast<int32_t>(filters)};
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::RESHAPE, {y, ctx.const_i32(out, "out_shape")}));
  if (cf) {
    std::vector<int32_t> perm = is1d ? std::vector<int32_t>{0, 2, 1} : std::vector<int32_t>{0, 3, 1, 2};
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::TRANSPOSE, {y, ctx.const_i32(perm, "perm")}));
  }
  if (use_bias) {
    std::vector<int64_t> bshape;
    ASSIGN_OR_RETURN(std::vector<float> b, ctx.weight_values(1, &bshape));
    if (static_cast<int64_t>(b.size()) != P * filters)
      return invalid_input(ctx.class_name() + " layer '" + ctx.scope() + "': bias of shape " + shape_str(bshape));
    // Stored as (positions..., F); Keras' bias_add reshapes it (not
    // transposes) to (F, positions...) for channels_first.
    Shape s = cf ? (is1d ? Shape{filters, ow} : Shape{filters, oh, ow}) : (is1d ? Shape{ow, filters} : Shape{oh, ow, filters});
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, ctx.constant(DType::kFloat32, s, to_bytes(b), "bias")}));
  }
  ASSIGN_OR_RETURN(y, ctx.activation(y, act));
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_KERAS_LAYER(locally_connected, {{"LocallyConnected1D", "LocallyConnected2D"}, lower_locally_connected});

}  // namespace
}  // namespace tflc
