// TF Shape / ShapeN / Size / Rank. With a static input these are constants
// emitted directly (try_fold only folds ops whose inputs are constant);
// otherwise SHAPE (+ REDUCE_PROD for Size) or RANK.
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<DType> out_type(TfNodeContext& ctx) {
  ASSIGN_OR_RETURN(DType t, ctx.attr_type("out_type", DType::kInt32));
  if (t != DType::kInt32 && t != DType::kInt64)
    return invalid_input(ctx.node().op() + " node '" + ctx.name() + "': out_type must be int32 or int64");
  return t;
}

TensorId int_const(TfNodeContext& ctx, DType t, const std::vector<int64_t>& v, Shape shape, const std::string& sfx) {
  if (t == DType::kInt64) return ctx.constant(t, shape, to_bytes(v), sfx);
  std::vector<int32_t> w(v.begin(), v.end());
  return ctx.constant(t, shape, to_bytes(w), sfx);
}

Expected<TensorId> shape_of(TfNodeContext& ctx, TensorId x, DType t, const std::string& sfx) {
  const Tensor& xt = ctx.graph().t(x);
  if (xt.has_static_shape()) {
    for (int64_t d : xt.shape)
      if (t == DType::kInt32 && d > INT32_MAX)
        return invalid_input("Shape node '" + ctx.name() + "': dim " + std::to_string(d) + " does not fit int32");
    return int_const(ctx, t, xt.shape, {static_cast<int64_t>(xt.rank())}, sfx);
  }
  return ctx.emit1(OpCode::SHAPE, {x}, tflite::ShapeOptionsT{.out_type = static_cast<tflite::TensorType>(t)});
}

Expected<std::vector<TensorId>> lower_shape(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(DType t, out_type(ctx));
  return one(shape_of(ctx, ctx.in(0), t, "shape"));
}

TFLC_REGISTER_TF_OP(shape, {{"Shape"}, lower_shape});

Expected<std::vector<TensorId>> lower_shape_n(TfNodeContext& ctx) {
  ASSIGN_OR_RETURN(DType t, out_type(ctx));
  std::vector<TensorId> outs;
  for (int i = 0; i < ctx.num_inputs(); ++i) {
    ASSIGN_OR_RETURN(TensorId s, shape_of(ctx, ctx.in(i), t, "shape" + std::to_string(i)));
    outs.push_back(s);
  }
  return outs;
}

TFLC_REGISTER_TF_OP(shape_n, {{"ShapeN"}, lower_shape_n});

Expected<std::vector<TensorId>> lower_size(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(DType t, out_type(ctx));
  const Tensor& xt = ctx.in_tensor(0);
  if (xt.has_static_shape()) {
    int64_t n = xt.num_elements();
    if (t == DType::kInt32 && n > INT32_MAX)
      return invalid_input("Size node '" + ctx.name() + "': " + std::to_string(n) + " does not fit int32");
    return std::vector<TensorId>{int_const(ctx, t, {n}, {}, "size")};
  }
  if (!find_op(OpCode::REDUCE_PROD)) return unsupported("not supported yet: Size of a dynamic shape");
  ASSIGN_OR_RETURN(TensorId s, ctx.emit1(OpCode::SHAPE, {ctx.in(0)},
                                         tflite::ShapeOptionsT{.out_type = static_cast<tflite::TensorType>(t)}));
  ASSIGN_OR_RETURN(TensorId axis, i32_const(ctx, {0}, "axis"));
  return one(ctx.emit1(OpCode::REDUCE_PROD, {s, axis}, tflite::ReducerOptionsT{.keep_dims = false}));
}

TFLC_REGISTER_TF_OP(size, {{"Size"}, lower_size});

Expected<std::vector<TensorId>> lower_rank(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const Tensor& xt = ctx.in_tensor(0);
  if (!xt.unknown_rank) return std::vector<TensorId>{int_const(ctx, DType::kInt32, {xt.rank()}, {}, "rank")};
  return one(ctx.emit1(OpCode::RANK, {ctx.in(0)}));
}

TFLC_REGISTER_TF_OP(rank, {{"Rank"}, lower_rank});

}  // namespace
}  // namespace tflc
