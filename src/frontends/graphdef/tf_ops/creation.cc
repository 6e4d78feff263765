// TF Fill, ZerosLike, OnesLike, Range. They fold to constants when their
// inputs are constant; otherwise they become runtime ops with dynamic shapes.
#include <limits>

#include "frontends/graphdef/tf_ops/elementwise.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Outs one(Expected<TensorId> t) {
  if (!t.ok()) return t.status();
  return std::vector<TensorId>{*t};
}

// Fill(dims, value): a constant int64 dims vector becomes int32 (TFLite
// convention for shape operands) when the op stays in the graph.
Outs lower_fill(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  TensorId dims = ctx.in(0);
  const Tensor& d = ctx.in_tensor(0);
  if (d.is_const() && d.dtype == DType::kInt64 && !ctx.in_tensor(1).is_const()) {
    ASSIGN_OR_RETURN(std::vector<int64_t> v, const_ints(ctx.graph(), dims));
    std::vector<int32_t> v32;
    bool fits = true;
    for (int64_t x : v) {
      fits = fits && x >= 0 && x <= std::numeric_limits<int32_t>::max();
      v32.push_back(static_cast<int32_t>(x));
    }
    if (fits) dims = ctx.const_i32(v32, "dims");
  }
  return one(ctx.emit1(OpCode::FILL, {dims, ctx.in(1)}));
}

// ZerosLike: TFLite ZEROS_LIKE covers float32/int32/int64; bool uses
// x != x, which is false everywhere.
Outs lower_zeros_like(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const Tensor& x = ctx.in_tensor(0);
  if (x.dtype == DType::kBool && !x.is_const()) return one(ctx.emit1(OpCode::NOT_EQUAL, {ctx.in(0), ctx.in(0)}));
  return one(ctx.emit1(OpCode::ZEROS_LIKE, {ctx.in(0)}));
}

// OnesLike: TFLite has no ONES_LIKE builtin; ZEROS_LIKE(x) + 1 is exact, and
// bool uses x == x.
Outs lower_ones_like(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const Tensor& x = ctx.in_tensor(0);
  if (x.dtype == DType::kBool) {
    if (!x.is_const()) return one(ctx.emit1(OpCode::EQUAL, {ctx.in(0), ctx.in(0)}));
    ASSIGN_OR_RETURN(TensorId z, ctx.emit1(OpCode::ZEROS_LIKE, {ctx.in(0)}));
    return one(ctx.emit1(OpCode::EQUAL, {z, z}));
  }
  // Constants fold in any type our kernels evaluate; runtime ops need a
  // ZEROS_LIKE kernel.
  bool folds = x.is_const() && (x.dtype == DType::kUInt8 || x.dtype == DType::kInt8 || x.dtype == DType::kInt16 ||
                                x.dtype == DType::kFloat64);
  if (x.dtype != DType::kFloat32 && x.dtype != DType::kInt32 && x.dtype != DType::kInt64 && !folds)
    return unsupported("not supported yet: OnesLike on " + dtype_name(x.dtype) + " tensors");
  ASSIGN_OR_RETURN(TensorId z, ctx.emit1(OpCode::ZEROS_LIKE, {ctx.in(0)}));
  return one(ctx.emit1(OpCode::ADD, {z, scalar_const(ctx, x.dtype, 1, "one")}));
}

// Range(start, limit, delta) -> RANGE (float32/int32/int64).
Outs lower_range(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(3));
  return one(ctx.emit1(OpCode::RANGE, {ctx.in(0), ctx.in(1), ctx.in(2)}));
}

TFLC_REGISTER_TF_OP(fill, {{"Fill"}, lower_fill});
TFLC_REGISTER_TF_OP(zeros_like, {{"ZerosLike"}, lower_zeros_like});
TFLC_REGISTER_TF_OP(ones_like, {{"OnesLike"}, lower_ones_like});
TFLC_REGISTER_TF_OP(range, {{"Range"}, lower_range});

}  // namespace
}  // namespace tflc
