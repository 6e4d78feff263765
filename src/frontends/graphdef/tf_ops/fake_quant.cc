// Quantization-aware-training ops. FakeQuant* and QuantizeAndDequantize*
// with a known range become TFLite FAKE_QUANT: the float model computes what
// TF computes, and integer quantization later reads the range from it.
// On constants (weights) they fold, per channel included.
#include <cmath>

#include "frontends/graphdef/tf_op_registry.h"
#include "ops/fake_quant.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Expected<std::vector<float>> const_floats(TfNodeContext& ctx, int i, const char* what) {
  if (i >= ctx.num_inputs() || !ctx.in_tensor(i).is_const())
    return unsupported("not supported yet: " + std::string(what) + " of '" + ctx.name() +
                       "' is not a constant (freeze the graph first)");
  ASSIGN_OR_RETURN(std::vector<double> v, const_doubles(ctx.graph(), ctx.in(i)));
  return std::vector<float>(v.begin(), v.end());
}

// Folds fake quantization of a constant, one range per slice along `axis`
// (a single range means per-tensor).
Expected<TensorId> fold_per_channel(TfNodeContext& ctx, const std::vector<float>& mins,
                                    const std::vector<float>& maxs, int axis, int num_bits, bool narrow) {
  const Tensor& x = ctx.in_tensor(0);
  if (x.dtype != DType::kFloat32) return unsupported("not supported yet: fake quantization of " + dtype_name(x.dtype));
  int64_t n = x.num_elements(), stride = 1, dim = 1;
  if (mins.size() > 1) {
    if (axis < 0) axis += x.rank();
    if (axis < 0 || axis >= x.rank() || x.shape[axis] != static_cast<int64_t>(mins.size()))
      return invalid_input("" + std::to_string(mins.size()) +
                           " ranges do not match the quantized dimension");
    dim = x.shape[axis];
    for (int d = axis + 1; d < x.rank(); ++d) stride *= x.shape[d];
  }
  std::vector<FakeQuantRange> ranges;
  for (size_t c = 0; c < mins.size(); ++c) ranges.push_back(nudge_fake_quant_range(mins[c], maxs[c], num_bits, narrow));
  std::vector<float> out(n);
  const float* v = x.as<float>();
  for (int64_t i = 0; i < n; ++i) out[i] = fake_quant_value(v[i], ranges[mins.size() > 1 ? (i / stride) % dim : 0]);
  return ctx.constant(DType::kFloat32, x.shape, to_bytes(out), "fake_quant");
}

Status check_range(TfNodeContext& ctx, float lo, float hi) {
  if (!(lo <= 0.0f && 0.0f <= hi && lo < hi))
    return invalid_input("fake quantization range [" + std::to_string(lo) + ", " +
                         std::to_string(hi) + "] must contain 0 and not be empty");
  return ok_status();
}

Outs emit_fake_quant(TfNodeContext& ctx, std::vector<float> mins, std::vector<float> maxs, int axis, int num_bits,
                     bool narrow) {
  if (mins.empty() || mins.size() != maxs.size())
    return invalid_input("min and max must have the same, non-zero size");
  for (size_t c = 0; c < mins.size(); ++c) RETURN_IF_ERROR(check_range(ctx, mins[c], maxs[c]));
  if (num_bits < 2 || num_bits > 16) return invalid_input("num_bits must be 2..16");
  if (ctx.in_tensor(0).is_const()) {
    ASSIGN_OR_RETURN(TensorId t, fold_per_channel(ctx, mins, maxs, axis, num_bits, narrow));
    return std::vector<TensorId>{t};
  }
  if (mins.size() > 1) return unsupported("not supported yet: per-channel fake quantization of activations");
  tflite::FakeQuantOptionsT a;
  a.min = mins[0];
  a.max = maxs[0];
  a.num_bits = num_bits;
  a.narrow_range = narrow;
  ASSIGN_OR_RETURN(TensorId t, ctx.emit1(OpCode::FAKE_QUANT, {ctx.in(0)}, a));
  return std::vector<TensorId>{t};
}

Outs lower_fake_quant_args(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1, 1));
  ASSIGN_OR_RETURN(float lo, ctx.attr_float("min", -6.0f));
  ASSIGN_OR_RETURN(float hi, ctx.attr_float("max", 6.0f));
  ASSIGN_OR_RETURN(int64_t bits, ctx.attr_int("num_bits", 8));
  ASSIGN_OR_RETURN(bool narrow, ctx.attr_bool("narrow_range", false));
  return emit_fake_quant(ctx, {lo}, {hi}, -1, static_cast<int>(bits), narrow);
}

// FakeQuantWithMinMaxVars and ...PerChannel (ranges along the last axis).
Outs lower_fake_quant_vars(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(3, 3));
  ASSIGN_OR_RETURN(auto mins, const_floats(ctx, 1, "the min"));
  ASSIGN_OR_RETURN(auto maxs, const_floats(ctx, 2, "the max"));
  ASSIGN_OR_RETURN(int64_t bits, ctx.attr_int("num_bits", 8));
  ASSIGN_OR_RETURN(bool narrow, ctx.attr_bool("narrow_range", false));
  return emit_fake_quant(ctx, mins, maxs, -1, static_cast<int>(bits), narrow);
}

// QuantizeAndDequantizeV2/V3/V4: a symmetric grid through zero; expressed
// as the FakeQuant range with the same grid (quantize_and_dequantize_op.h).
Outs lower_quantize_dequantize(TfNodeContext& ctx) {
  const std::string& op = ctx.node().op();
  RETURN_IF_ERROR(ctx.expect_inputs(op == "QuantizeAndDequantizeV3" ? 4 : 3));
  ASSIGN_OR_RETURN(bool signed_input, ctx.attr_bool("signed_input", true));
  ASSIGN_OR_RETURN(bool range_given, ctx.attr_bool("range_given", op == "QuantizeAndDequantizeV3"));
  ASSIGN_OR_RETURN(bool narrow, ctx.attr_bool("narrow_range", false));
  ASSIGN_OR_RETURN(int64_t axis, ctx.attr_int("axis", -1));
  int64_t bits = 8;
  if (op == "QuantizeAndDequantizeV3") {
    ASSIGN_OR_RETURN(auto b, const_floats(ctx, 3, "num_bits"));
    if (b.size() != 1) return invalid_input("num_bits must be a scalar");
    bits = static_cast<int64_t>(b[0]);
  } else {
    ASSIGN_OR_RETURN(bits, ctx.attr_int("num_bits", 8));
  }
  if (bits < 2 || bits > 16) return invalid_input("num_bits must be 2..16");
  std::vector<float> mins, maxs;
  if (range_given) {
    ASSIGN_OR_RETURN(mins, const_floats(ctx, 1, "input_min"));
    ASSIGN_OR_RETURN(maxs, const_floats(ctx, 2, "input_max"));
  } else {
    if (!ctx.in_tensor(0).is_const() || axis != -1)
      return unsupported("not supported yet: " + op + " without range_given on a non-constant or per-axis tensor ('" +
                         ctx.name() + "')");
    ASSIGN_OR_RETURN(auto v, const_floats(ctx, 0, "the input"));
    float lo = 0, hi = 0;
    for (float x : v) lo = std::min(lo, x), hi = std::max(hi, x);
    mins = {lo};
    maxs = {hi};
  }
  if (mins.size() != maxs.size()) return invalid_input("input_min and input_max differ in size");
  const double qmin = signed_input ? -std::ldexp(1.0, static_cast<int>(bits) - 1) + (narrow ? 1 : 0) : 0.0;
  const double qmax = signed_input ? std::ldexp(1.0, static_cast<int>(bits) - 1) - 1 : std::ldexp(1.0, static_cast<int>(bits)) - 1;
  for (size_t c = 0; c < mins.size(); ++c) {
    // The side that needs the smaller scale wins; the grid step is 1/scale.
    double from_min = qmin * mins[c] > 0 ? qmin / mins[c] : 1e38, from_max = qmax * maxs[c] > 0 ? qmax / maxs[c] : 1e38;
    double scale = std::min(from_min, from_max);
    if (scale >= 1e38) return invalid_input("the quantization range is empty");
    mins[c] = static_cast<float>(qmin / scale);
    maxs[c] = static_cast<float>(qmax / scale);
  }
  bool fq_narrow = signed_input && narrow;
  return emit_fake_quant(ctx, mins, maxs, static_cast<int>(axis), static_cast<int>(bits), fq_narrow);
}

TFLC_REGISTER_TF_OP(fake_quant_args, {{"FakeQuantWithMinMaxArgs"}, lower_fake_quant_args});
TFLC_REGISTER_TF_OP(fake_quant_vars, {{"FakeQuantWithMinMaxVars", "FakeQuantWithMinMaxVarsPerChannel"},
                                      lower_fake_quant_vars});
TFLC_REGISTER_TF_OP(quantize_dequantize, {{"QuantizeAndDequantizeV2", "QuantizeAndDequantizeV3",
                                           "QuantizeAndDequantizeV4"},
                                          lower_quantize_dequantize});

}  // namespace
}  // namespace tflc
