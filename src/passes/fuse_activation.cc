// Activation fusion:  RELU(op(...)) -> op(...) with fused_activation_function
// = RELU (likewise RELU6, RELU_N1_TO_1), for ops that carry one, when the
// op's result has no other use and it has no activation yet. (Not
// CONCATENATION: its TFLite kernel requires no activation.) Float only:
// quantized ranges are handled by the quantizer.
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

bool has_fused_activation(OpCode c) {
  switch (c) {
    case OpCode::ADD: case OpCode::SUB: case OpCode::MUL: case OpCode::DIV:
    case OpCode::CONV_2D: case OpCode::DEPTHWISE_CONV_2D: case OpCode::FULLY_CONNECTED:
    case OpCode::CONV_3D:
    case OpCode::MAX_POOL_2D: case OpCode::AVERAGE_POOL_2D:
      return true;
    default:
      return false;
  }
}

std::optional<Activation> activation_of(OpCode c) {
  switch (c) {
    case OpCode::RELU: return Activation::kRelu;
    case OpCode::RELU6: return Activation::kRelu6;
    case OpCode::RELU_N1_TO_1: return Activation::kReluN1To1;
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
    if (!prod || prod->dead || !has_fused_activation(prod->code) || prod->outputs.size() != 1) continue;
    if (ud.uses[x] != 1 || ud.is_graph_output[x] || prod->attrs.activation != Activation::kNone) continue;
    if (g.t(x).dtype != DType::kFloat32) continue;
    prod->attrs.activation = *a;
    absorb_consumer(*prod, act);
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
