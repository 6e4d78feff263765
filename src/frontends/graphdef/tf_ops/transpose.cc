// TF Transpose -> TRANSPOSE with an int32 permutation (identity: no op).
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<std::vector<TensorId>> lower_transpose(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  TensorId x = ctx.in(0);
  if (!ctx.in_tensor(1).is_const()) {
    ASSIGN_OR_RETURN(TensorId perm, as_int32(ctx, ctx.in(1), "perm"));
    return one(ctx.emit1(OpCode::TRANSPOSE, {x, perm}));
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> perm, const_ints(ctx.graph(), ctx.in(1)));
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i) identity = identity && perm[i] == static_cast<int64_t>(i);
  if (identity && !ctx.in_tensor(0).unknown_rank && ctx.in_tensor(0).rank() == static_cast<int>(perm.size()) &&
      forwardable(ctx, x))
    return std::vector<TensorId>{x};
  ASSIGN_OR_RETURN(TensorId p, i32_const(ctx, perm, "perm"));
  return one(ctx.emit1(OpCode::TRANSPOSE, {x, p}));
}

TFLC_REGISTER_TF_OP(transpose, {{"Transpose"}, lower_transpose});

}  // namespace
}  // namespace tflc
