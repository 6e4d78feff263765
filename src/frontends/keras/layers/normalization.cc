// LayerNormalization (computed at run time over its axes) and the
// Normalization preprocessing layer (a folded x*m + b).
#include <algorithm>
#include <cmath>

#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

// The config "axis" (int or list) as sorted non-negative axes of rank r.
Expected<std::vector<int>> axes_of(KerasLayerContext& ctx, int r, int64_t def) {
  const auto& c = ctx.config();
  nlohmann::json a = c.contains("axis") && !c["axis"].is_null() ? c["axis"] : nlohmann::json(def);
  std::vector<int> out;
  auto add = [&](const nlohmann::json& v) -> Status {
    if (!v.is_number_integer()) return invalid_input("layer '" + ctx.scope() + "': config 'axis' is not an int");
    int64_t ax = v.get<int64_t>();
    if (ax < 0) ax += r;
    if (ax < 0 || ax >= r) return invalid_input("layer '" + ctx.scope() + "': axis out of range");
    out.push_back(static_cast<int>(ax));
    return ok_status();
  };
  if (a.is_array()) {
    for (const auto& v : a) RETURN_IF_ERROR(add(v));
  } else {
    RETURN_IF_ERROR(add(a));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// A per-axis parameter (shape = the dims at `axes`) as a constant of rank r
// with 1 elsewhere, so it broadcasts against the input.
Expected<TensorId> broadcast_param(KerasLayerContext& ctx, const std::vector<float>& v, const std::vector<int>& axes,
                                   int r, const std::string& suffix) {
  const Shape& xs = ctx.in_tensor(0).shape;
  Shape s(static_cast<size_t>(r), 1);
  int64_t n = 1;
  for (int ax : axes) {
    if (xs[ax] < 0) return unsupported("not supported yet: layer '" + ctx.scope() + "' normalizing a dynamic axis");
    s[ax] = xs[ax];
    n *= xs[ax];
  }
  if (static_cast<int64_t>(v.size()) != n)
    return invalid_input("layer '" + ctx.scope() + "' has a " + suffix + " of " + std::to_string(v.size()) +
                         " values for " + std::to_string(n) + " normalized elements");
  return ctx.constant(DType::kFloat32, s, to_bytes(v), suffix);
}

// LayerNormalization: (x - mean) * rsqrt(var + eps) * gamma + beta, with
// mean and variance over the axes (kept as size-1 dims).
Outs lower_layer_norm(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const Tensor& x = ctx.in_tensor(0);
  if (x.unknown_rank) return unsupported("not supported yet: LayerNormalization on an input of unknown rank");
  int r = x.rank();
  ASSIGN_OR_RETURN(std::vector<int> axes, axes_of(ctx, r, -1));
  ASSIGN_OR_RETURN(bool rms, ctx.get_bool("rms_scaling", false));
  if (rms) return unsupported("not supported yet: LayerNormalization with rms_scaling");
  ASSIGN_OR_RETURN(bool scale, ctx.get_bool("scale", true));
  ASSIGN_OR_RETURN(bool center, ctx.get_bool("center", true));
  ASSIGN_OR_RETURN(double eps, ctx.get_float("epsilon", 1e-3));
  std::vector<int32_t> ax32(axes.begin(), axes.end());
  tflite::ReducerOptionsT keep{.keep_dims = true};
  TensorId in = ctx.in(0);
  ASSIGN_OR_RETURN(TensorId mean, ctx.emit1(OpCode::MEAN, {in, ctx.const_i32(ax32, "axes")}, keep));
  ASSIGN_OR_RETURN(TensorId sq, ctx.emit1(OpCode::SQUARED_DIFFERENCE, {in, mean}));
  ASSIGN_OR_RETURN(TensorId var, ctx.emit1(OpCode::MEAN, {sq, ctx.const_i32(ax32, "axes")}, keep));
  ASSIGN_OR_RETURN(var, ctx.emit1(OpCode::ADD, {var, ctx.const_f32_scalar(static_cast<float>(eps), "epsilon")}));
  ASSIGN_OR_RETURN(TensorId inv, ctx.emit1(OpCode::RSQRT, {var}));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::SUB, {in, mean}));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MUL, {y, inv}));
  int i = 0;
  if (scale) {
    ASSIGN_OR_RETURN(std::vector<float> g, ctx.weight_values(i++));
    ASSIGN_OR_RETURN(TensorId gamma, broadcast_param(ctx, g, axes, r, "gamma"));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MUL, {y, gamma}));
  }
  if (center) {
    ASSIGN_OR_RETURN(std::vector<float> b, ctx.weight_values(i++));
    ASSIGN_OR_RETURN(TensorId beta, broadcast_param(ctx, b, axes, r, "beta"));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, beta}));
  }
  return std::vector<TensorId>{y};
}

// The config's "mean"/"variance" when given there (a number or a list).
bool config_values(const nlohmann::json& c, const char* key, std::vector<float>* out) {
  if (!c.contains(key) || c[key].is_null()) return false;
  const auto& v = c[key];
  if (v.is_number()) {
    out->assign(1, v.get<float>());
    return true;
  }
  if (!v.is_array()) return false;
  out->clear();
  for (const auto& e : v) {
    if (!e.is_number()) return false;
    out->push_back(e.get<float>());
  }
  return true;
}

// Normalization: (x - mean) / max(sqrt(var), 1e-7) (Keras' epsilon), or its
// inverse mean + x * sqrt(var) when invert. Both are x*m + b per element of
// the kept axes, with m and b computed here in double.
Outs lower_normalization(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const Tensor& x = ctx.in_tensor(0);
  if (x.unknown_rank) return unsupported("not supported yet: Normalization on an input of unknown rank");
  int r = x.rank();
  ASSIGN_OR_RETURN(std::vector<int> axes, axes_of(ctx, r, -1));
  ASSIGN_OR_RETURN(bool invert, ctx.get_bool("invert", false));
  std::vector<float> mean, var;
  bool in_config = config_values(ctx.config(), "mean", &mean) && config_values(ctx.config(), "variance", &var);
  if (!in_config) {
    ASSIGN_OR_RETURN(mean, ctx.weight_values(0));
    ASSIGN_OR_RETURN(var, ctx.weight_values(1));
  }
  if (mean.size() != var.size())
    return invalid_input("Normalization layer '" + ctx.scope() + "' has mean and variance of different lengths");
  std::vector<float> m(mean.size()), b(mean.size());
  for (size_t k = 0; k < mean.size(); ++k) {
    double sd = std::max(std::sqrt(static_cast<double>(var[k])), 1e-7);
    if (invert) {
      m[k] = static_cast<float>(sd);
      b[k] = mean[k];
    } else {
      m[k] = static_cast<float>(1.0 / sd);
      b[k] = static_cast<float>(-mean[k] / sd);
    }
  }
  TensorId ms, bs;
  if (mean.size() == 1) {  // one value for everything (config scalars)
    ms = ctx.const_f32_scalar(m[0], "scale");
    bs = ctx.const_f32_scalar(b[0], "offset");
  } else {
    ASSIGN_OR_RETURN(ms, broadcast_param(ctx, m, axes, r, "scale"));
    ASSIGN_OR_RETURN(bs, broadcast_param(ctx, b, axes, r, "offset"));
  }
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MUL, {ctx.in(0), ms}));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::ADD, {y, bs}));
  return std::vector<TensorId>{y};
}

// gamma, beta: one dimension per normalized axis (its size known here for
// the usual last axis only).
Expected<std::vector<KerasWeightSpec>> layer_norm_weights(const nlohmann::json& c, const Tensor* x) {
  auto a = c.find("axis");
  const nlohmann::json* one = a == c.end() ? nullptr : a->is_array() && a->size() == 1 ? &(*a)[0] : &*a;
  const bool known = x && !x->unknown_rank && x->rank() > 0;
  const bool last = !one || (one->is_number_integer() && (one->get<int64_t>() == -1 ||
                                                          (known && one->get<int64_t>() == x->rank() - 1)));
  const size_t rank = a != c.end() && a->is_array() && !a->empty() ? a->size() : 1;
  std::vector<int64_t> shape(rank, -1);
  if (last && rank == 1 && known) shape[0] = x->shape.back();
  std::vector<KerasWeightSpec> w;
  if (c.value("scale", true)) w.push_back({shape});
  if (c.value("center", true)) w.push_back({shape});
  return w;
}

TFLC_REGISTER_KERAS_LAYER(layer_norm, {{"LayerNormalization"}, lower_layer_norm});
TFLC_REGISTER_KERAS_WEIGHTS(layer_norm, {"LayerNormalization"}, layer_norm_weights);
TFLC_REGISTER_KERAS_LAYER(normalization, {{"Normalization"}, lower_normalization});

}  // namespace
}  // namespace tflc
