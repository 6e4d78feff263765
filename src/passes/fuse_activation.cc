// Activation fusion:  RELU(op(...)) -> op(...) with fused_activation_function
// = RELU (likewise RELU6, RELU_N1_TO_1), for ops whose record says their
// kernel applies one (OpSchema::fused_activation), when the op's result has
// no other use and it has no activation yet. Float only: quantized ranges
// are handled by the quantizer.
#include "passes/passes.h"
#include "ops/registry.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

std::optional<Activation> activation_of(OpCode c) {
  switch (c) {
    case OpCode::RELU: return Activation::RELU;
    case OpCode::RELU6: return Activation::RELU6;
    case OpCode::RELU_N1_TO_1: return Activation::RELU_N1_TO_1;
    default: return std::nullopt;
  }
}

}  // namespace

Status fuse_activation(Graph& g) {
  UseDef ud(g);
  for (auto& op_ptr : g.ops) {
    Op& act = *op_ptr;
    auto a = activation_of(act.code);
    if (act.dead || !a) continue;
    TensorId x = act.inputs[0];
    Op* prod = ud.producer_of(g, x);
    if (!prod || prod->dead || prod->outputs.size() != 1) continue;
    const OpSchema* s = find_op(prod->code);
    if (!s || !s->fused_activation.set) continue;
    if (ud.uses[x] != 1 || ud.is_graph_output[x] || fused_activation(*prod) != Activation::NONE) continue;
    if (g.t(x).dtype != DType::kFloat32) continue;
    s->fused_activation.set(*prod, *a);
    absorb_consumer(*prod, act);
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
