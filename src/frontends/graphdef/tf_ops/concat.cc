// TF ConcatV2 (axis last) / Concat (axis first) -> CONCATENATION.
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<std::vector<TensorId>> lower_concat_common(TfNodeContext& ctx, int axis_input,
                                                    std::vector<TensorId> values) {
  if (values.empty()) return invalid_input(ctx.node().op() + " node '" + ctx.name() + "' has no values");
  if (!ctx.in_tensor(axis_input).is_const())
    return unsupported("not supported yet: " + ctx.node().op() + " with a non-constant axis");
  ASSIGN_OR_RETURN(int64_t axis, const_scalar_int(ctx.graph(), ctx.in(axis_input), "the concat axis"));
  const Tensor& x0 = ctx.graph().t(values[0]);
  if (x0.unknown_rank) return unsupported("not supported yet: concatenating tensors of unknown rank");
  ASSIGN_OR_RETURN(int a, normalize_axis(axis, x0.rank()));
  if (values.size() == 1 && forwardable(ctx, values[0])) return std::vector<TensorId>{values[0]};
  return one(ctx.emit1(OpCode::CONCATENATION, values, tflite::ConcatenationOptionsT{.axis = a}));
}

Expected<std::vector<TensorId>> lower_concat_v2(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2, 1 << 20));
  std::vector<TensorId> values(ctx.inputs().begin(), ctx.inputs().end() - 1);
  return lower_concat_common(ctx, ctx.num_inputs() - 1, values);
}

Expected<std::vector<TensorId>> lower_concat_v1(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2, 1 << 20));
  std::vector<TensorId> values(ctx.inputs().begin() + 1, ctx.inputs().end());
  return lower_concat_common(ctx, 0, values);
}

TFLC_REGISTER_TF_OP(concat_v2, {{"ConcatV2"}, lower_concat_v2});
TFLC_REGISTER_TF_OP(concat_v1, {{"Concat"}, lower_concat_v1});

}  // namespace
}  // namespace tflc
