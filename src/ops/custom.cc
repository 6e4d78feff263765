// CUSTOM: an op the runtime resolves by name (Op::custom_code) with opaque
// options (Op::custom_options; a Flex op's are a FlexBuffer). Its outputs
// keep the types and shapes the frontend gave them: nothing here can know
// what the op computes.
#include "ops/op_util.h"

namespace tflc {
namespace {

Status infer_custom(Graph& g, Op& op) {
  if (op.custom_code.empty()) return invalid_input("a CUSTOM op needs a custom_code");
  for (TensorId o : op.outputs)
    if (g.t(o).dtype == DType::kInvalid)
      return invalid_input("custom op '" + op.custom_code + "' output '" + g.t(o).name + "' has no type");
  return ok_status();
}

TFLC_REGISTER_OP(custom, {.code = OpCode::CUSTOM,
                          .infer = infer_custom,
                          .no_eval_reason = "a custom op runs only in the runtime",
                          .runtime_versions = {"1.5.0"}});

}  // namespace
}  // namespace tflc
