// Bias fusion:  y = ADD(op(x, W, b), c)  ->  op(x, W, b + c)
//               y = SUB(op(x, W, b), c)  ->  op(x, W, b - c)
// for op in CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, CONV_3D,
// TRANSPOSE_CONV, when c is a per-channel (or scalar) float constant, the
// op has no fused activation yet, and its result has no other use.
#include <cstring>

#include "ops/op_util.h"
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {

Status fuse_bias_add(Graph& g) {
  UseDef ud(g);
  for (auto& op_ptr : g.ops) {
    Op& add = *op_ptr;
    if (add.dead || (add.code != OpCode::ADD && add.code != OpCode::SUB)) continue;
    TensorId x = add.inputs[0], c = add.inputs[1];
    if (!g.t(c).is_const() && add.code == OpCode::ADD) std::swap(x, c);
    Op* conv = ud.producer_of(g, x);
    if (!conv || conv->dead || ud.uses[x] != 1 || ud.is_graph_output[x]) continue;
    auto layout = filter_layout(*conv);
    if (!layout || conv->attrs.activation != Activation::kNone) continue;
    const Tensor& out = g.t(x);
    if (out.dtype != DType::kFloat32 || out.unknown_rank || out.shape.empty() || out.shape.back() < 0) continue;
    if (g.t(add.outputs[0]).shape != out.shape) continue;
    int64_t n = out.shape.back();
    auto delta = per_channel_values(g.t(c), n);
    if (!delta) continue;
    std::vector<float> bias(static_cast<size_t>(n), 0.0f);
    bool has_bias = static_cast<int>(conv->inputs.size()) > layout->bias_input && conv->inputs[layout->bias_input] >= 0;
    if (has_bias) {
      const Tensor& b = g.t(conv->inputs[layout->bias_input]);
      if (!b.is_const() || b.dtype != DType::kFloat32 || b.num_elements() != n) continue;
      std::memcpy(bias.data(), b.data->data(), bias.size() * sizeof(float));
    }
    float sign = add.code == OpCode::SUB ? -1.0f : 1.0f;
    for (int64_t i = 0; i < n; ++i) bias[i] += sign * (*delta)[i];
    TensorId nb = g.add_const(g.t(add.outputs[0]).name + "/bias", DType::kFloat32, {n}, to_bytes(bias));
    if (static_cast<int>(conv->inputs.size()) <= layout->bias_input) conv->inputs.resize(layout->bias_input + 1, kNoTensor);
    conv->inputs[layout->bias_input] = nb;
    absorb_consumer(*conv, add);
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
