// TF GatherV2 / Gather -> GATHER (constant axis, batch_dims), GatherNd ->
// GATHER_ND.
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<std::vector<TensorId>> lower_gather_v2(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2, 3));
  const Tensor& params = ctx.in_tensor(0);
  const Tensor& indices = ctx.in_tensor(1);
  if (params.unknown_rank || indices.unknown_rank)
    return unsupported("not supported yet: " + ctx.node().op() + " with an unknown-rank operand");
  int64_t axis = 0;
  if (ctx.num_inputs() == 3) {
    if (!ctx.in_tensor(2).is_const()) return unsupported("not supported yet: GatherV2 with a non-constant axis");
    ASSIGN_OR_RETURN(axis, const_scalar_int(ctx.graph(), ctx.in(2), "the GatherV2 axis"));
  }
  ASSIGN_OR_RETURN(int64_t batch_dims, ctx.attr_int("batch_dims", 0));
  if (batch_dims < 0) batch_dims += indices.rank();
  tflite::GatherOptionsT a;
  ASSIGN_OR_RETURN(a.axis, normalize_axis(axis, params.rank()));
  a.batch_dims = static_cast<int>(batch_dims);
  return one(ctx.emit1(OpCode::GATHER, {ctx.in(0), ctx.in(1)}, a));
}

TFLC_REGISTER_TF_OP(gather_v2, {{"GatherV2", "Gather"}, lower_gather_v2});

Expected<std::vector<TensorId>> lower_gather_nd(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  ASSIGN_OR_RETURN(int64_t batch_dims, ctx.attr_int("batch_dims", 0));
  if (batch_dims != 0) return unsupported("not supported yet: GatherNd with batch_dims");
  return one(ctx.emit1(OpCode::GATHER_ND, {ctx.in(0), ctx.in(1)}));
}

TFLC_REGISTER_TF_OP(gather_nd, {{"GatherNd"}, lower_gather_nd});

}  // namespace
}  // namespace tflc
