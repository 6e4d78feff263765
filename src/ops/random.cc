// RANDOM_UNIFORM: floats in [0, 1) of the shape given by input 0. Not
// foldable: its values come from the runtime's generator.
#include "ops/op_util.h"

namespace tflc {
namespace {

Status infer_random_uniform(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& shape = input(g, op, 0);
  if (shape.is_const()) {
    ASSIGN_OR_RETURN(std::vector<int64_t> dims, const_ints(g, op.inputs[0]));
    set_output(g, op, 0, DType::kFloat32, dims);
  } else if (shape.rank() == 1 && shape.shape[0] >= 0) {
    set_output(g, op, 0, DType::kFloat32, Shape(static_cast<size_t>(shape.shape[0]), -1));
  } else {
    return unsupported("not supported yet: RANDOM_UNIFORM with a shape of unknown length");
  }
  return ok_status();
}

TFLC_REGISTER_OP(random_uniform, {.code = OpCode::RANDOM_UNIFORM,
                                  .infer = infer_random_uniform,
                                  .no_eval_reason = "random values are drawn at run time",
                                  .options = tflite::RandomOptionsT{},
                                  .types_unchecked = kNoKernelFacts,
                                  .runtime_versions = {"2.8.0"}});

}  // namespace
}  // namespace tflc
