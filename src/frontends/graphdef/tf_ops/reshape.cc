// TF Reshape / Squeeze / ExpandDims -> RESHAPE (static shapes, as the
// official converter's optimizer leaves them), else SQUEEZE / EXPAND_DIMS.
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<std::vector<TensorId>> lower_reshape(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  TensorId x = ctx.in(0);
  const Tensor& xt = ctx.in_tensor(0);
  if (!ctx.in_tensor(1).is_const()) {
    ASSIGN_OR_RETURN(TensorId s, as_int32(ctx, ctx.in(1), "shape"));
    return one(ctx.emit1(OpCode::RESHAPE, {x, s}));
  }
  ASSIGN_OR_RETURN(std::vector<int64_t> want, const_ints(ctx.graph(), ctx.in(1)));
  if (ctx.in_tensor(1).rank() > 1)
    return invalid_input("Reshape node '" + ctx.name() + "': shape must be 1-D, got " +
                         shape_str(ctx.in_tensor(1).shape));
  // Resolve the -1 against a static input so the model carries the real shape.
  if (xt.has_static_shape()) {
    int64_t n = xt.num_elements(), known = 1;
    int unknown = -1;
    for (size_t i = 0; i < want.size(); ++i) {
      if (want[i] == -1 && unknown < 0) unknown = static_cast<int>(i);
      else known *= want[i];
    }
    if (unknown >= 0 && known > 0 && n % known == 0) want[unknown] = n / known;
    if (same_shape(xt.shape, want) && forwardable(ctx, x)) return std::vector<TensorId>{x};
  }
  return one(emit_reshape(ctx, x, want));
}

TFLC_REGISTER_TF_OP(reshape, {{"Reshape"}, lower_reshape});

Expected<std::vector<TensorId>> lower_squeeze(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  TensorId x = ctx.in(0);
  const Tensor& xt = ctx.in_tensor(0);
  // tfjs writes `axis`; defaults from the OpDef always add an empty `squeeze_dims`.
  std::string key = ctx.has_attr("axis") ? "axis" : "squeeze_dims";
  ASSIGN_OR_RETURN(std::vector<int64_t> dims, ctx.attr_ints(key, std::vector<int64_t>{}));
  if (xt.unknown_rank) return unsupported("not supported yet: Squeeze of a tensor with unknown rank");
  tflite::SqueezeOptionsT a;
  for (int64_t d : dims) {
    ASSIGN_OR_RETURN(int n, normalize_axis(d, xt.rank()));
    a.squeeze_dims.push_back(n);
  }
  // Shape inference of SQUEEZE gives the result; static -> RESHAPE.
  Graph probe;
  Tensor in;
  in.dtype = xt.dtype;
  in.shape = xt.shape;
  TensorId pi = probe.add_tensor(in), po = probe.add_tensor({});
  Op& op = probe.add_op(OpCode::SQUEEZE, {pi}, {po}, a);
  RETURN_IF_ERROR(infer_op(probe, op).with_context("Squeeze node '" + ctx.name() + "'"));
  const Tensor& out = probe.t(po);
  if (!out.unknown_rank && out.has_static_shape()) {
    if (same_shape(xt.shape, out.shape) && forwardable(ctx, x)) return std::vector<TensorId>{x};
    return one(emit_reshape(ctx, x, out.shape));
  }
  return one(ctx.emit1(OpCode::SQUEEZE, {x}, a));
}

TFLC_REGISTER_TF_OP(squeeze, {{"Squeeze"}, lower_squeeze});

Expected<std::vector<TensorId>> lower_expand_dims(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  TensorId x = ctx.in(0);
  const Tensor& xt = ctx.in_tensor(0);
  if (xt.unknown_rank || !ctx.in_tensor(1).is_const()) {
    ASSIGN_OR_RETURN(TensorId axis, as_int32(ctx, ctx.in(1), "axis"));
    return one(ctx.emit1(OpCode::EXPAND_DIMS, {x, axis}));
  }
  ASSIGN_OR_RETURN(int64_t axis, const_scalar_int(ctx.graph(), ctx.in(1), "the ExpandDims axis"));
  ASSIGN_OR_RETURN(int a, normalize_axis(axis, xt.rank() + 1));
  return one(emit_expand(ctx, x, a, "shape"));
}

TFLC_REGISTER_TF_OP(expand_dims, {{"ExpandDims"}, lower_expand_dims});

}  // namespace
}  // namespace tflc
