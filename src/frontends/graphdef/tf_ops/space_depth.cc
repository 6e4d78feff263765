// TF SpaceToDepth / DepthToSpace (NHWC only; TF's order is DCR) and
// SpaceToBatchND / BatchToSpaceND. TFLite's batch ops take 3-D or 4-D input
// with one block entry per spatial dim, so a 4-D input with a single block
// dim gets a trailing block of 1 (which moves nothing).
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<std::vector<TensorId>> lower_depth(TfNodeContext& ctx, OpCode code) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  RETURN_IF_ERROR(ctx.expect_nhwc());
  ASSIGN_OR_RETURN(int64_t b, ctx.attr_int("block_size"));
  if (b < 2) return invalid_input(ctx.node().op() + " node '" + ctx.name() + "': block_size must be at least 2");
  OpOptions a;
  if (code == OpCode::SPACE_TO_DEPTH) a = tflite::SpaceToDepthOptionsT{.block_size = static_cast<int>(b)};
  else a = tflite::DepthToSpaceOptionsT{.block_size = static_cast<int>(b)};
  // LiteRT: float32, int8, uint8, int32, int64; bool goes through int32.
  if (ctx.in_tensor(0).dtype == DType::kBool) {
    ASSIGN_OR_RETURN(TensorId xi, emit_cast(ctx, ctx.in(0), DType::kInt32));
    ASSIGN_OR_RETURN(TensorId yi, ctx.emit1(code, {xi}, a));
    return one(emit_cast(ctx, yi, DType::kBool));
  }
  return one(ctx.emit1(code, {ctx.in(0)}, a));
}

TFLC_REGISTER_TF_OP(space_to_depth, {{"SpaceToDepth"}, [](TfNodeContext& ctx) {
                      TfLowerFn nhwc = [](TfNodeContext& c) { return lower_depth(c, OpCode::SPACE_TO_DEPTH); };
                      return lower_channels_last(ctx, nhwc, {.images = {0}});
                    }});
TFLC_REGISTER_TF_OP(depth_to_space, {{"DepthToSpace"}, [](TfNodeContext& ctx) {
                      TfLowerFn nhwc = [](TfNodeContext& c) { return lower_depth(c, OpCode::DEPTH_TO_SPACE); };
                      return lower_channels_last(ctx, nhwc, {.images = {0}});
                    }});

Expected<std::vector<TensorId>> lower_batch_space(TfNodeContext& ctx, OpCode code) {
  RETURN_IF_ERROR(ctx.expect_inputs(3));
  TensorId x = ctx.in(0);
  const Tensor& xt = ctx.in_tensor(0);
  if (xt.unknown_rank) return unsupported("not supported yet: " + ctx.node().op() + " of a tensor with unknown rank");
  ASSIGN_OR_RETURN(std::vector<int64_t> block, const_input(ctx, 1, "block_shape"));
  ASSIGN_OR_RETURN(std::vector<int64_t> pads, const_input(ctx, 2, code == OpCode::SPACE_TO_BATCH_ND ? "paddings"
                                                                                                    : "crops"));
  if (pads.size() != 2 * block.size())
    return invalid_input(ctx.node().op() + " node '" + ctx.name() + "': paddings/crops must have shape [" +
                         std::to_string(block.size()) + ",2]");
  bool noop = std::all_of(block.begin(), block.end(), [](int64_t v) { return v == 1; }) &&
              std::all_of(pads.begin(), pads.end(), [](int64_t v) { return v == 0; });
  if (noop && forwardable(ctx, x)) return std::vector<TensorId>{x};
  int r = xt.rank(), m = static_cast<int>(block.size());
  if (!xt.is_const()) {
    if (r != 3 && r != 4)
      return unsupported("not supported yet: " + ctx.node().op() + " of a rank-" + std::to_string(r) +
                         " tensor (TFLite takes rank 3 or 4)");
    if (m > r - 2)
      return unsupported("not supported yet: " + ctx.node().op() + " with " + std::to_string(m) +
                         " block dims on a rank-" + std::to_string(r) + " tensor");
    while (m < r - 2) {
      block.push_back(1);
      pads.push_back(0);
      pads.push_back(0);
      ++m;
    }
  }
  ASSIGN_OR_RETURN(TensorId bt, i32_const(ctx, block, "block_shape"));
  ASSIGN_OR_RETURN(TensorId pt, i32_const(ctx, pads, code == OpCode::SPACE_TO_BATCH_ND ? "paddings" : "crops",
                                          {m, 2}));
  // LiteRT: float32, int8, uint8, int16, int32, int64; bool goes through int32.
  if (xt.dtype == DType::kBool && !xt.is_const()) {
    ASSIGN_OR_RETURN(TensorId xi, emit_cast(ctx, x, DType::kInt32));
    ASSIGN_OR_RETURN(TensorId yi, ctx.emit1(code, {xi, bt, pt}));
    return one(emit_cast(ctx, yi, DType::kBool));
  }
  return one(ctx.emit1(code, {x, bt, pt}));
}

TFLC_REGISTER_TF_OP(space_to_batch_nd, {{"SpaceToBatchND"}, [](TfNodeContext& ctx) {
                                          return lower_batch_space(ctx, OpCode::SPACE_TO_BATCH_ND);
                                        }});
TFLC_REGISTER_TF_OP(batch_to_space_nd, {{"BatchToSpaceND"}, [](TfNodeContext& ctx) {
                                          return lower_batch_space(ctx, OpCode::BATCH_TO_SPACE_ND);
                                        }});

}  // namespace
}  // namespace tflc
