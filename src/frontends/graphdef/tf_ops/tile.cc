// TF Tile -> TILE (all-ones multiples: no op).
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<std::vector<TensorId>> lower_tile(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  TensorId x = ctx.in(0);
  if (!ctx.in_tensor(1).is_const()) return one(ctx.emit1(OpCode::TILE, {x, ctx.in(1)}));
  ASSIGN_OR_RETURN(std::vector<int64_t> m, const_ints(ctx.graph(), ctx.in(1)));
  if (std::all_of(m.begin(), m.end(), [](int64_t v) { return v == 1; }) && forwardable(ctx, x) &&
      !ctx.in_tensor(0).unknown_rank && ctx.in_tensor(0).rank() == static_cast<int>(m.size()))
    return std::vector<TensorId>{x};
  ASSIGN_OR_RETURN(TensorId mt, i32_const(ctx, m, "multiples"));
  return one(ctx.emit1(OpCode::TILE, {x, mt}));
}

TFLC_REGISTER_TF_OP(tile, {{"Tile"}, lower_tile});

}  // namespace
}  // namespace tflc
