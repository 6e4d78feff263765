// TF MaxPool / AvgPool (and MaxPoolV2 with constant ksize/strides) ->
// MAX_POOL_2D / AVERAGE_POOL_2D (NCHW through lower_channels_last); the window and strides must be 1
// on the batch and channel dimensions.
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

Expected<std::pair<int, int>> window_hw(const TfNodeContext& ctx, const std::vector<int64_t>& v, const char* what) {
  if (v.size() != 4)
    return invalid_input(std::string(what) + " of node '" + ctx.name() + "' must have 4 values");
  if (v[0] != 1 || v[3] != 1)
    return unsupported("not supported yet: " + ctx.node().op() + " with " + what +
                       " on the batch or channel dimension");
  if (v[1] <= 0 || v[2] <= 0 || v[1] > (1 << 30) || v[2] > (1 << 30))
    return invalid_input(std::string(what) + " of node '" + ctx.name() + "' must be positive");
  return std::pair<int, int>(static_cast<int>(v[1]), static_cast<int>(v[2]));
}

Expected<std::vector<TensorId>> lower_pool(TfNodeContext& ctx) {
  const bool v2 = ctx.node().op() == "MaxPoolV2";
  RETURN_IF_ERROR(ctx.expect_inputs(v2 ? 3 : 1));
  RETURN_IF_ERROR(ctx.expect_nhwc());
  DType t = ctx.in_tensor(0).dtype;
  if (t != DType::kFloat32)
    return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(t) + " tensors (float32 only)");
  tflite::Pool2DOptionsT a;
  ASSIGN_OR_RETURN(std::string padding, ctx.attr_string("padding"));
  if (padding == "SAME") a.padding = Padding::SAME;
  else if (padding == "VALID") a.padding = Padding::VALID;
  else return unsupported("not supported yet: " + ctx.node().op() + " with padding=" + padding);
  std::vector<int64_t> ksize, strides;
  if (v2) {
    ASSIGN_OR_RETURN(ksize, const_ints(ctx.graph(), ctx.in(1)));
    ASSIGN_OR_RETURN(strides, const_ints(ctx.graph(), ctx.in(2)));
  } else {
    ASSIGN_OR_RETURN(ksize, ctx.attr_ints("ksize"));
    ASSIGN_OR_RETURN(strides, ctx.attr_ints("strides"));
  }
  ASSIGN_OR_RETURN(auto k, window_hw(ctx, ksize, "ksize"));
  ASSIGN_OR_RETURN(auto s, window_hw(ctx, strides, "strides"));
  a.filter_height = k.first, a.filter_width = k.second;
  a.stride_h = s.first, a.stride_w = s.second;
  OpCode code = ctx.node().op() == "AvgPool" ? OpCode::AVERAGE_POOL_2D : OpCode::MAX_POOL_2D;
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(code, {ctx.in(0)}, a));
  return std::vector<TensorId>{y};
}

// MaxPoolV2's window inputs are not permuted, so only the attribute forms
// take channels-first input.
TFLC_REGISTER_TF_OP(pool, {{"MaxPool", "AvgPool"}, [](TfNodeContext& ctx) {
                      return lower_channels_last(ctx, lower_pool, {.images = {0}});
                    }});
TFLC_REGISTER_TF_OP(pool_v2, {{"MaxPoolV2"}, lower_pool});

}  // namespace
}  // namespace tflc
