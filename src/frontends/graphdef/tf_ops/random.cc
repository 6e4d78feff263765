// TF RandomUniform -> RANDOM_UNIFORM (float32). Used by TF1 dropout, which
// keeps every value when keep_prob is 1.
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

Expected<std::vector<TensorId>> lower_random_uniform(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(DType dtype, ctx.attr_type("dtype"));
  if (dtype != DType::kFloat32) return unsupported("not supported yet: RandomUniform of " + dtype_name(dtype));
  tflite::RandomOptionsT a;
  ASSIGN_OR_RETURN(a.seed, ctx.attr_int("seed", 0));
  ASSIGN_OR_RETURN(a.seed2, ctx.attr_int("seed2", 0));
  TensorId shape = ctx.in(0);
  if (ctx.in_tensor(0).dtype == DType::kInt64) {
    tflite::CastOptionsT c;
    c.in_data_type = tflite::TensorType::INT64;
    c.out_data_type = tflite::TensorType::INT32;
    ASSIGN_OR_RETURN(shape, ctx.emit1(OpCode::CAST, {shape}, c));
  }
  ASSIGN_OR_RETURN(TensorId out, ctx.emit1(OpCode::RANDOM_UNIFORM, {shape}, a));
  return std::vector<TensorId>{out};
}

TFLC_REGISTER_TF_OP(random_uniform, {{"RandomUniform"}, lower_random_uniform});

}  // namespace
}  // namespace tflc
