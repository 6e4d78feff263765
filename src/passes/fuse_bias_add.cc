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
    if (add.code != OpCode::ADD && add.code != OpCode::SUB) continue;
    auto m = match_channel_op(g, ud, add);
    if (!m) continue;
    Op* conv = m->producer;
    const WeightLayout* layout = &m->layout;
    int64_t n = m->channels;
    const std::vector<float>* delta = &m->values;
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
