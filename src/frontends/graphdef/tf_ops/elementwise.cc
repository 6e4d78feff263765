// TF elementwise ops -> TFLite builtins: binary arithmetic, comparisons,
// logical ops, Select/SelectV2, unary math, Erf and Cast. Most are one
// builtin, as the official converter's legalize_patterns.td does; where
// TFLite lacks a kernel for a type we use an exact equivalent (Square on
// integers -> MUL). What the kernels still cannot run is legalized or
// refused by IrBuilder from the op records (ops/constraints.h).
#include "frontends/graphdef/tf_ops/elementwise.h"
#include "ops/erf.h"

namespace tflc {

TensorId scalar_const(TfNodeContext& ctx, DType dtype, double v, const std::string& suffix) {
  std::string bytes;
  Status st = dispatch_numeric(dtype, [&](auto tag) {
    using T = decltype(tag);
    bytes = to_bytes(std::vector<T>{static_cast<T>(dtype == DType::kBool ? (v != 0) : v)});
  });
  TFLC_CHECK(st.ok());  // callers pass numeric types only
  return ctx.constant(dtype, {}, std::move(bytes), suffix);
}

namespace {

using Outs = Expected<std::vector<TensorId>>;

Outs one(Expected<TensorId> t) {
  if (!t.ok()) return t.status();
  return std::vector<TensorId>{*t};
}

DType in_dtype(const TfNodeContext& ctx, int i) { return ctx.in_tensor(i).dtype; }

// ------------------------------------------------------------ binary ops

template <OpCode C>
Outs lower_binary(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  return one(ctx.emit1(C, {ctx.in(0), ctx.in(1)}));
}

TFLC_REGISTER_TF_OP(sub, {{"Sub"}, lower_binary<OpCode::SUB>});
TFLC_REGISTER_TF_OP(mul, {{"Mul"}, lower_binary<OpCode::MUL>});
// RealDiv is float division; Div truncates on integers, like TFLite DIV.
TFLC_REGISTER_TF_OP(div, {{"RealDiv", "Div"}, lower_binary<OpCode::DIV>});
TFLC_REGISTER_TF_OP(floor_div, {{"FloorDiv"}, lower_binary<OpCode::FLOOR_DIV>});
TFLC_REGISTER_TF_OP(floor_mod, {{"FloorMod"}, lower_binary<OpCode::FLOOR_MOD>});
TFLC_REGISTER_TF_OP(maximum, {{"Maximum"}, lower_binary<OpCode::MAXIMUM>});
TFLC_REGISTER_TF_OP(minimum, {{"Minimum"}, lower_binary<OpCode::MINIMUM>});
TFLC_REGISTER_TF_OP(squared_difference, {{"SquaredDifference"}, lower_binary<OpCode::SQUARED_DIFFERENCE>});
TFLC_REGISTER_TF_OP(pow, {{"Pow"}, lower_binary<OpCode::POW>});
TFLC_REGISTER_TF_OP(less, {{"Less"}, lower_binary<OpCode::LESS>});
TFLC_REGISTER_TF_OP(greater, {{"Greater"}, lower_binary<OpCode::GREATER>});
TFLC_REGISTER_TF_OP(less_equal, {{"LessEqual"}, lower_binary<OpCode::LESS_EQUAL>});
TFLC_REGISTER_TF_OP(greater_equal, {{"GreaterEqual"}, lower_binary<OpCode::GREATER_EQUAL>});
TFLC_REGISTER_TF_OP(logical_and, {{"LogicalAnd"}, lower_binary<OpCode::LOGICAL_AND>});
TFLC_REGISTER_TF_OP(logical_or, {{"LogicalOr"}, lower_binary<OpCode::LOGICAL_OR>});

// Equal/NotEqual with incompatible_shape_error=false give a scalar
// false/true when the shapes cannot broadcast.
template <OpCode C>
Outs lower_equality(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  ASSIGN_OR_RETURN(bool strict, ctx.attr_bool("incompatible_shape_error", true));
  const Tensor& a = ctx.in_tensor(0);
  const Tensor& b = ctx.in_tensor(1);
  if (!strict && !a.unknown_rank && !b.unknown_rank && !broadcast_shapes(a.shape, b.shape).ok()) {
    std::string v(1, C == OpCode::NOT_EQUAL ? '\1' : '\0');
    return std::vector<TensorId>{ctx.constant(DType::kBool, {}, v, "incompatible")};
  }
  return one(ctx.emit1(C, {ctx.in(0), ctx.in(1)}));
}

TFLC_REGISTER_TF_OP(equal, {{"Equal"}, lower_equality<OpCode::EQUAL>});
TFLC_REGISTER_TF_OP(not_equal, {{"NotEqual"}, lower_equality<OpCode::NOT_EQUAL>});

// AddN: one input is the identity; float32/int32 -> ADD_N; other types
// (int64) -> a chain of ADDs, which sums in the same order.
Outs lower_add_n(TfNodeContext& ctx) {
  if (ctx.num_inputs() < 1) return invalid_input("AddN node '" + ctx.name() + "' has no inputs");
  if (ctx.num_inputs() == 1) return std::vector<TensorId>{ctx.in(0)};
  DType t = in_dtype(ctx, 0);
  bool all_const = true;
  for (int i = 0; i < ctx.num_inputs(); ++i) all_const = all_const && ctx.in_tensor(i).is_const();
  if (all_const || t == DType::kFloat32 || t == DType::kInt32) return one(ctx.emit1(OpCode::ADD_N, ctx.inputs()));
  TensorId acc = ctx.in(0);
  for (int i = 1; i < ctx.num_inputs(); ++i) {
    ASSIGN_OR_RETURN(acc, ctx.emit1(OpCode::ADD, {acc, ctx.in(i)}));
  }
  return std::vector<TensorId>{acc};
}

TFLC_REGISTER_TF_OP(add_n, {{"AddN"}, lower_add_n});

// Select: condition of x's shape, a scalar, or a vector selecting rows —
// all handled by TFLite SELECT. SelectV2 broadcasts; like the official
// converter we use SELECT when all three static shapes are equal.
Outs lower_select(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(3));
  return one(ctx.emit1(OpCode::SELECT, {ctx.in(0), ctx.in(1), ctx.in(2)}));
}

Outs lower_select_v2(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(3));
  const Tensor& c = ctx.in_tensor(0);
  bool same = c.has_static_shape() && !c.unknown_rank;
  for (int i = 1; i < 3; ++i) same = same && !ctx.in_tensor(i).unknown_rank && ctx.in_tensor(i).shape == c.shape;
  return one(ctx.emit1(same ? OpCode::SELECT : OpCode::SELECT_V2, {ctx.in(0), ctx.in(1), ctx.in(2)}));
}

TFLC_REGISTER_TF_OP(select, {{"Select"}, lower_select});
TFLC_REGISTER_TF_OP(select_v2, {{"SelectV2"}, lower_select_v2});

// ------------------------------------------------------------- unary ops

template <OpCode C>
Outs lower_unary(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  return one(ctx.emit1(C, {ctx.in(0)}));
}

TFLC_REGISTER_TF_OP(exp, {{"Exp"}, lower_unary<OpCode::EXP>});
TFLC_REGISTER_TF_OP(log, {{"Log"}, lower_unary<OpCode::LOG>});
TFLC_REGISTER_TF_OP(sqrt, {{"Sqrt"}, lower_unary<OpCode::SQRT>});
TFLC_REGISTER_TF_OP(rsqrt, {{"Rsqrt"}, lower_unary<OpCode::RSQRT>});
TFLC_REGISTER_TF_OP(sin, {{"Sin"}, lower_unary<OpCode::SIN>});
TFLC_REGISTER_TF_OP(cos, {{"Cos"}, lower_unary<OpCode::COS>});
TFLC_REGISTER_TF_OP(floor, {{"Floor"}, lower_unary<OpCode::FLOOR>});
TFLC_REGISTER_TF_OP(ceil, {{"Ceil"}, lower_unary<OpCode::CEIL>});
TFLC_REGISTER_TF_OP(neg, {{"Neg"}, lower_unary<OpCode::NEG>});
TFLC_REGISTER_TF_OP(logical_not, {{"LogicalNot"}, lower_unary<OpCode::LOGICAL_NOT>});

// Round is the identity on integers (TF allows them; TFLite ROUND is float).
Outs lower_round(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  if (dtype_is_integer(in_dtype(ctx, 0))) return std::vector<TensorId>{ctx.in(0)};
  return one(ctx.emit1(OpCode::ROUND, {ctx.in(0)}));
}

// TFLite SQUARE is float-only; integers square exactly with MUL.
Outs lower_square(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  if (dtype_is_integer(in_dtype(ctx, 0))) return one(ctx.emit1(OpCode::MUL, {ctx.in(0), ctx.in(0)}));
  return one(ctx.emit1(OpCode::SQUARE, {ctx.in(0)}));
}

// TFLite ABS has no int64 kernel; max(x, -x) is exact (both wrap at the
// minimum value, as TF's abs does).
Outs lower_abs(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  if (in_dtype(ctx, 0) == DType::kInt64 && !ctx.in_tensor(0).is_const()) {
    ASSIGN_OR_RETURN(TensorId neg, ctx.emit1(OpCode::NEG, {ctx.in(0)}));
    return one(ctx.emit1(OpCode::MAXIMUM, {ctx.in(0), neg}));
  }
  return one(ctx.emit1(OpCode::ABS, {ctx.in(0)}));
}

TFLC_REGISTER_TF_OP(round, {{"Round"}, lower_round});
TFLC_REGISTER_TF_OP(square, {{"Square"}, lower_square});
TFLC_REGISTER_TF_OP(abs, {{"Abs"}, lower_abs});

// Erf has no TFLite builtin: Eigen's rational function, as TF's CPU kernel
// (ops/erf.h).
Outs lower_erf(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  if (in_dtype(ctx, 0) != DType::kFloat32)
    return unsupported("not supported yet: Erf on " + dtype_name(in_dtype(ctx, 0)) + " tensors (float32 only)");
  return one(emit_erf(ctx, ctx.in(0)));
}

TFLC_REGISTER_TF_OP(erf, {{"Erf"}, lower_erf});

// Cast: the identity when the types agree, else CAST. (Truncate only
// matters for float narrowing, which CAST does the same way.)
Outs lower_cast(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(DType dst, ctx.attr_type("DstT"));
  DType src = in_dtype(ctx, 0);
  if (src == dst) return std::vector<TensorId>{ctx.in(0)};
  tflite::CastOptionsT a;
  a.in_data_type = static_cast<tflite::TensorType>(src);
  a.out_data_type = static_cast<tflite::TensorType>(dst);
  return one(ctx.emit1(OpCode::CAST, {ctx.in(0)}, a));
}

TFLC_REGISTER_TF_OP(cast, {{"Cast"}, lower_cast});

}  // namespace
}  // namespace tflc
