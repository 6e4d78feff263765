// TF reductions -> TFLite: Mean/Sum/Max/Min/Prod -> MEAN/SUM/REDUCE_MAX/
// REDUCE_MIN/REDUCE_PROD with keep_dims, and ArgMax/ArgMin -> ARG_MAX/ARG_MIN
// with output_type. int64 axis constants become int32, as TFLite wants.
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

// The axis input as int32: constants are converted, int32 tensors pass.
Expected<TensorId> int32_axes(TfNodeContext& ctx, int i) {
  const Tensor& t = ctx.in_tensor(i);
  if (t.dtype == DType::kInt32) return ctx.in(i);
  if (t.dtype != DType::kInt64)
    return invalid_input("axis of " + ctx.node().op() + " node '" + ctx.name() + "' must be int32 or int64, got " +
                         dtype_name(t.dtype));
  if (!t.is_const())
    return unsupported("not supported yet: " + ctx.node().op() + " with a non-constant int64 axis");
  ASSIGN_OR_RETURN(std::vector<int64_t> v, const_ints(ctx.graph(), ctx.in(i)));
  std::vector<int32_t> v32;
  for (int64_t a : v) {
    if (a < -(1 << 20) || a > (1 << 20)) return invalid_input("axis " + std::to_string(a) + " is out of range");
    v32.push_back(static_cast<int32_t>(a));
  }
  Shape shape = t.shape;
  return ctx.constant(DType::kInt32, shape, to_bytes(v32), "axis");
}

OpCode reduce_code(const std::string& op) {
  if (op == "Mean") return OpCode::MEAN;
  if (op == "Sum") return OpCode::SUM;
  if (op == "Max") return OpCode::REDUCE_MAX;
  if (op == "Min") return OpCode::REDUCE_MIN;
  return OpCode::REDUCE_PROD;
}

Expected<std::vector<TensorId>> lower_reduce(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  DType t = ctx.in_tensor(0).dtype;
  if (t != DType::kFloat32 && t != DType::kInt32 && t != DType::kInt64)
    return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(t) + " tensors");
  tflite::ReducerOptionsT a;
  ASSIGN_OR_RETURN(a.keep_dims, ctx.attr_bool("keep_dims", false));
  ASSIGN_OR_RETURN(TensorId axes, int32_axes(ctx, 1));
  if (!ctx.graph().t(axes).is_const())
    return unsupported("not supported yet: " + ctx.node().op() + " with non-constant reduction_indices");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(reduce_code(ctx.node().op()), {ctx.in(0), axes}, a));
  return std::vector<TensorId>{y};
}

Expected<std::vector<TensorId>> lower_arg(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  DType t = ctx.in_tensor(0).dtype;
  if (t != DType::kFloat32 && t != DType::kInt32 && t != DType::kInt64 && t != DType::kUInt8 && t != DType::kInt8 &&
      t != DType::kBool)
    return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(t) + " tensors");
  ASSIGN_OR_RETURN(DType out_type, ctx.attr_type("output_type", DType::kInt64));
  if (out_type != DType::kInt32 && out_type != DType::kInt64)
    return unsupported("not supported yet: " + ctx.node().op() + " with output_type " + dtype_name(out_type));
  ASSIGN_OR_RETURN(TensorId axis, int32_axes(ctx, 1));
  const bool is_max = ctx.node().op() == "ArgMax";
  OpCode code = is_max ? OpCode::ARG_MAX : OpCode::ARG_MIN;
  auto output_type = static_cast<tflite::TensorType>(out_type);
  OpOptions options;
  if (is_max) options = tflite::ArgMaxOptionsT{.output_type = output_type};
  else options = tflite::ArgMinOptionsT{.output_type = output_type};
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(code, {ctx.in(0), axis}, std::move(options)));
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_TF_OP(reduce, {{"Mean", "Sum", "Max", "Min", "Prod"}, lower_reduce});
TFLC_REGISTER_TF_OP(arg, {{"ArgMax", "ArgMin"}, lower_arg});

}  // namespace
}  // namespace tflc
