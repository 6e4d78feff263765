// TF Split (axis is input 0!) -> SPLIT, SplitV -> SPLIT_V. Types the TFLite
// kernels lack (bool) become one SLICE per part.
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

bool split_kernel_type(DType t) {
  return dtype_in(t, {DType::kFloat32, DType::kUInt8, DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64});
}

// One SLICE per part of `sizes` along `axis` (sizes fully known).
Expected<std::vector<TensorId>> emit_slices(TfNodeContext& ctx, TensorId x, int axis,
                                            const std::vector<int64_t>& sizes) {
  int r = ctx.graph().t(x).rank();
  std::vector<TensorId> outs;
  int64_t at = 0;
  for (size_t i = 0; i < sizes.size(); ++i) {
    std::vector<int64_t> b(r, 0), s(r, -1);
    b[axis] = at;
    s[axis] = sizes[i];
    at += sizes[i];
    std::string k = std::to_string(i);
    ASSIGN_OR_RETURN(TensorId bt, i32_const(ctx, b, "begin" + k));
    ASSIGN_OR_RETURN(TensorId st, i32_const(ctx, s, "size" + k));
    ASSIGN_OR_RETURN(TensorId o, ctx.emit1(OpCode::SLICE, {x, bt, st}));
    outs.push_back(o);
  }
  return outs;
}

// Checks Split and SplitV share: the input count, a positive num_split (returned)
// and a value (input `value`) of known rank.
Expected<int64_t> num_split(TfNodeContext& ctx, int inputs, int value) {
  RETURN_IF_ERROR(ctx.expect_inputs(inputs));
  const std::string& op = ctx.node().op();
  ASSIGN_OR_RETURN(int64_t n, ctx.attr_int("num_split"));
  if (n < 1) return invalid_input(op + " node '" + ctx.name() + "': num_split must be positive");
  if (ctx.in_tensor(value).unknown_rank)
    return unsupported("not supported yet: " + op + " of a tensor with unknown rank");
  return n;
}

Expected<std::vector<TensorId>> lower_split(TfNodeContext& ctx) {
  ASSIGN_OR_RETURN(int64_t n, num_split(ctx, 2, 1));
  TensorId x = ctx.in(1);
  const Tensor& xt = ctx.in_tensor(1);
  tflite::SplitOptionsT options;
  options.num_splits = static_cast<int>(n);
  if (!ctx.in_tensor(0).is_const()) {
    if (!split_kernel_type(xt.dtype))
      return unsupported("not supported yet: Split of " + dtype_name(xt.dtype) + " along a run-time axis");
    ASSIGN_OR_RETURN(TensorId axis, as_int32(ctx, ctx.in(0), "axis"));
    return ctx.emit(OpCode::SPLIT, {axis, x}, options, options.num_splits);
  }
  ASSIGN_OR_RETURN(int64_t axis, const_scalar_int(ctx.graph(), ctx.in(0), "the Split axis"));
  ASSIGN_OR_RETURN(int a, normalize_axis(axis, xt.rank()));
  if (n == 1 && forwardable(ctx, x)) return std::vector<TensorId>{x};
  if (!split_kernel_type(xt.dtype)) {
    int64_t dim = xt.shape[a];
    if (dim < 0) return unsupported("not supported yet: Split of " + dtype_name(xt.dtype) + " along a dynamic dim");
    if (dim % n != 0)
      return invalid_input("Split node '" + ctx.name() + "': dim " + std::to_string(dim) + " is not divisible by " +
                           std::to_string(n));
    return emit_slices(ctx, x, a, std::vector<int64_t>(n, dim / n));
  }
  ASSIGN_OR_RETURN(TensorId at, i32_const(ctx, {a}, "axis", {}, true));
  return ctx.emit(OpCode::SPLIT, {at, x}, options, options.num_splits);
}

TFLC_REGISTER_TF_OP(split, {{"Split"}, lower_split});

Expected<std::vector<TensorId>> lower_split_v(TfNodeContext& ctx) {
  ASSIGN_OR_RETURN(int64_t n, num_split(ctx, 3, 0));
  TensorId x = ctx.in(0);
  const Tensor& xt = ctx.in_tensor(0);
  ASSIGN_OR_RETURN(std::vector<int64_t> sizes, const_input(ctx, 1, "size_splits"));
  if (!ctx.in_tensor(2).is_const()) return unsupported("not supported yet: SplitV with a non-constant axis");
  ASSIGN_OR_RETURN(int64_t axis, const_scalar_int(ctx.graph(), ctx.in(2), "the SplitV axis"));
  ASSIGN_OR_RETURN(int a, normalize_axis(axis, xt.rank()));
  if (static_cast<int64_t>(sizes.size()) != n)
    return invalid_input("SplitV node '" + ctx.name() + "' has " + std::to_string(sizes.size()) +
                         " sizes for num_split " + std::to_string(n));
  // Resolve the -1 when the dim is known.
  int64_t dim = xt.shape[a], known = 0;
  int unknown = -1;
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == -1 && unknown < 0) unknown = static_cast<int>(i);
    else known += sizes[i];
  }
  if (unknown >= 0 && dim >= 0 && known <= dim) sizes[unknown] = dim - known;
  if (n == 1 && forwardable(ctx, x) && (sizes[0] == dim || sizes[0] == -1)) return std::vector<TensorId>{x};
  if (!split_kernel_type(xt.dtype)) {
    if (dim < 0) return unsupported("not supported yet: SplitV of " + dtype_name(xt.dtype) + " along a dynamic dim");
    int64_t total = 0;
    for (int64_t s : sizes) total += s;
    if (total != dim)
      return invalid_input("SplitV node '" + ctx.name() + "': sizes sum to " + std::to_string(total) +
                           ", not to dim " + std::to_string(dim));
    return emit_slices(ctx, x, a, sizes);
  }
  tflite::SplitVOptionsT options;
  options.num_splits = static_cast<int>(n);
  ASSIGN_OR_RETURN(TensorId st, i32_const(ctx, sizes, "size_splits"));
  ASSIGN_OR_RETURN(TensorId at, i32_const(ctx, {a}, "axis", {}, true));
  return ctx.emit(OpCode::SPLIT_V, {x, st, at}, options, options.num_splits);
}

TFLC_REGISTER_TF_OP(split_v, {{"SplitV"}, lower_split_v});

}  // namespace
}  // namespace tflc
