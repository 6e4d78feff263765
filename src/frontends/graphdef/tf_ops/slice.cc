// TF Slice -> SLICE; StridedSlice -> STRIDED_SLICE. With constant indices the
// spec is canonicalized like the official converter does: the ellipsis is
// expanded, every input dim gets an explicit entry, and new axes become a
// RESHAPE of the result, so TFLite sees only begin/end/shrink masks.
#include <limits>

#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<std::vector<TensorId>> lower_slice(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(3));
  TensorId x = ctx.in(0);
  const Tensor& xt = ctx.in_tensor(0);
  if (!ctx.in_tensor(1).is_const() || !ctx.in_tensor(2).is_const())
    return one(ctx.emit1(OpCode::SLICE, {x, ctx.in(1), ctx.in(2)}));
  ASSIGN_OR_RETURN(std::vector<int64_t> begin, const_ints(ctx.graph(), ctx.in(1)));
  ASSIGN_OR_RETURN(std::vector<int64_t> size, const_ints(ctx.graph(), ctx.in(2)));
  if (xt.has_static_shape() && begin.size() == xt.shape.size() && size.size() == begin.size()) {
    bool identity = true;
    for (size_t i = 0; i < begin.size(); ++i)
      identity = identity && begin[i] == 0 && (size[i] == -1 || size[i] == xt.shape[i]);
    if (identity && forwardable(ctx, x)) return std::vector<TensorId>{x};
  }
  if (xt.rank() > 5 && !xt.is_const()) return unsupported("not supported yet: Slice of a rank-6+ tensor");
  ASSIGN_OR_RETURN(TensorId b, i32_const(ctx, begin, "begin"));
  ASSIGN_OR_RETURN(TensorId s, i32_const(ctx, size, "size"));
  return one(ctx.emit1(OpCode::SLICE, {x, b, s}));
}

TFLC_REGISTER_TF_OP(slice, {{"Slice"}, lower_slice});

struct Masks {
  int begin = 0, end = 0, ellipsis = 0, new_axis = 0, shrink = 0;
};

Expected<Masks> read_masks(TfNodeContext& ctx) {
  Masks m;
  ASSIGN_OR_RETURN(int64_t b, ctx.attr_int("begin_mask", 0));
  ASSIGN_OR_RETURN(int64_t e, ctx.attr_int("end_mask", 0));
  ASSIGN_OR_RETURN(int64_t el, ctx.attr_int("ellipsis_mask", 0));
  ASSIGN_OR_RETURN(int64_t n, ctx.attr_int("new_axis_mask", 0));
  ASSIGN_OR_RETURN(int64_t s, ctx.attr_int("shrink_axis_mask", 0));
  m.begin = static_cast<int>(b);
  m.end = static_cast<int>(e);
  m.ellipsis = static_cast<int>(el);
  m.new_axis = static_cast<int>(n);
  m.shrink = static_cast<int>(s);
  return m;
}

// The spec as TF wrote it, for TFLite's own mask handling (version 6+).
Expected<TensorId> emit_sparse(TfNodeContext& ctx, const Masks& m) {
  ASSIGN_OR_RETURN(TensorId b, as_int32(ctx, ctx.in(1), "begin"));
  ASSIGN_OR_RETURN(TensorId e, as_int32(ctx, ctx.in(2), "end"));
  ASSIGN_OR_RETURN(TensorId s, as_int32(ctx, ctx.in(3), "strides"));
  tflite::StridedSliceOptionsT a;
  a.begin_mask = m.begin;
  a.end_mask = m.end;
  a.ellipsis_mask = m.ellipsis;
  a.new_axis_mask = m.new_axis;
  a.shrink_axis_mask = m.shrink;
  return ctx.emit1(OpCode::STRIDED_SLICE, {ctx.in(0), b, e, s}, a);
}

int64_t clamp32(int64_t v) {
  return std::clamp<int64_t>(v, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
}

Expected<std::vector<TensorId>> lower_strided_slice(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(4));
  TensorId x = ctx.in(0);
  const Tensor& xt = ctx.in_tensor(0);
  ASSIGN_OR_RETURN(Masks m, read_masks(ctx));
  bool const_spec = ctx.in_tensor(1).is_const() && ctx.in_tensor(2).is_const() && ctx.in_tensor(3).is_const();
  // LiteRT's kernel handles up to 5 dims; constant inputs fold regardless.
  if (!xt.unknown_rank && xt.rank() > 5 && !(xt.is_const() && const_spec))
    return unsupported("not supported yet: StridedSlice of a rank-" + std::to_string(xt.rank()) + " tensor");
  if (xt.unknown_rank || !const_spec) return one(emit_sparse(ctx, m));

  ASSIGN_OR_RETURN(std::vector<int64_t> begin, const_ints(ctx.graph(), ctx.in(1)));
  ASSIGN_OR_RETURN(std::vector<int64_t> end, const_ints(ctx.graph(), ctx.in(2)));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, const_ints(ctx.graph(), ctx.in(3)));
  auto planned = plan_strided_slice(xt.shape, begin, end, strides, m.begin, m.end, m.ellipsis, m.new_axis,
                                    m.shrink);
  if (!planned.ok()) return planned.status().with_context("StridedSlice node '" + ctx.name() + "'");
  const StridedSlicePlan& plan = *planned;
  int r = xt.rank();

  // New axes: RESHAPE the sliced result; that needs at most one unknown dim.
  Shape final_shape = plan.output_shape();
  bool has_new_axis = std::any_of(plan.final_dims.begin(), plan.final_dims.end(), [](int i) { return i < 0; });
  if (has_new_axis && std::count(final_shape.begin(), final_shape.end(), -1) > 1) return one(emit_sparse(ctx, m));

  bool identity = true;  // of the slice itself
  std::vector<int64_t> b(r), e(r), s(r);
  Masks c;
  for (int d = 0; d < r; ++d) {
    const StridedSliceDim& dim = plan.dims[d];
    s[d] = dim.stride;
    if (dim.shrink) {
      // TFLite applies begin_mask even to shrunk dims; TF ignores it.
      b[d] = xt.shape[d] >= 0 ? dim.start : dim.begin;
      e[d] = b[d] + 1;
      c.shrink |= 1 << d;
      identity = false;
      continue;
    }
    b[d] = clamp32(dim.begin);
    e[d] = clamp32(dim.end);
    if (dim.begin_masked) c.begin |= 1 << d, b[d] = 0;
    if (dim.end_masked) c.end |= 1 << d, e[d] = 0;
    identity = identity && xt.shape[d] >= 0 && dim.stride == 1 && dim.start == 0 && dim.count == xt.shape[d];
  }
  if (identity && !has_new_axis && forwardable(ctx, x)) return std::vector<TensorId>{x};
  TensorId out = x;
  if (!identity || !has_new_axis) {
    ASSIGN_OR_RETURN(TensorId bt, i32_const(ctx, b, "begin"));
    ASSIGN_OR_RETURN(TensorId et, i32_const(ctx, e, "end"));
    ASSIGN_OR_RETURN(TensorId st, i32_const(ctx, s, "strides"));
    tflite::StridedSliceOptionsT a;
    a.begin_mask = c.begin;
    a.end_mask = c.end;
    a.shrink_axis_mask = c.shrink;
    ASSIGN_OR_RETURN(out, ctx.emit1(OpCode::STRIDED_SLICE, {x, bt, et, st}, a));
  }
  if (has_new_axis) return one(emit_reshape(ctx, out, final_shape, "new_shape"));
  return std::vector<TensorId>{out};
}

TFLC_REGISTER_TF_OP(strided_slice, {{"StridedSlice"}, lower_strided_slice});

}  // namespace
}  // namespace tflc
