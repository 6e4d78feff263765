// TF Add/AddV2 -> ADD. The pattern for TF lowerings: check inputs, emit IR ops.
#include "frontends/graphdef/tf_op_registry.h"
#include "frontends/graphdef/tf_ops/elementwise.h"

namespace tflc {
namespace {

Expected<std::vector<TensorId>> lower_add(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  // IrBuilder refuses what TFLite ADD cannot run (e.g. TF string Add).
  ASSIGN_OR_RETURN(TensorId out, ctx.emit1(OpCode::ADD, {ctx.in(0), ctx.in(1)}));
  return std::vector<TensorId>{out};
}

TFLC_REGISTER_TF_OP(add, {{"Add", "AddV2"}, lower_add});

}  // namespace
}  // namespace tflc
