// Batch-norm folding. FusedBatchNorm is lowered to y = x*m + b (MUL, ADD).
// When x comes from a convolution or FULLY_CONNECTED with a constant filter W
// and bias B, the MUL folds into it:
//   MUL(op(x, W, B), m)  ->  op(x, W*m, B*m)     (m scales output channels)
// and fuse_bias_add then folds the ADD into the bias. Otherwise MUL + ADD
// stay as they are. Computed in double, rounded once to float.
#include <cstring>

#include "ops/op_util.h"
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {

Status fold_batch_norm(Graph& g) {
  UseDef ud(g);
  for (auto& op_ptr : g.ops) {
    Op& mul = *op_ptr;
    if (mul.code != OpCode::MUL) continue;
    auto m = match_channel_op(g, ud, mul);
    if (!m) continue;
    Op* conv = m->producer;
    const WeightLayout* layout = &m->layout;
    int64_t n = m->channels;
    const std::vector<float>* scale = &m->values;
    const Tensor& w = g.t(conv->inputs[layout->weight_input]);
    if (!w.is_const() || w.dtype != DType::kFloat32 || !w.has_static_shape()) continue;
    if (layout->channel_axis >= w.rank() || w.shape[layout->channel_axis] != n) continue;

    bool has_bias = static_cast<int>(conv->inputs.size()) > layout->bias_input && conv->inputs[layout->bias_input] >= 0;
    std::vector<float> bv;
    if (has_bias) {
      const Tensor& b = g.t(conv->inputs[layout->bias_input]);
      if (!b.is_const() || b.dtype != DType::kFloat32 || b.num_elements() != n) continue;  // cannot rescale
      bv = const_values<float>(b);
      for (int64_t i = 0; i < n; ++i) bv[i] = static_cast<float>(static_cast<double>(bv[i]) * (*scale)[i]);
    }
    // Scale the filter along its output-channel axis.
    std::vector<float> wv = const_values<float>(w);
    Shape wshape = w.shape;
    int64_t inner = 1;
    for (int d = layout->channel_axis + 1; d < w.rank(); ++d) inner *= w.shape[d];
    for (size_t i = 0; i < wv.size(); ++i) {
      int64_t ch = (static_cast<int64_t>(i) / inner) % n;
      wv[i] = static_cast<float>(static_cast<double>(wv[i]) * (*scale)[ch]);
    }
    std::string base = g.t(mul.outputs[0]).name;
    // add_const may grow g.tensors: no Tensor references are used after this.
    conv->inputs[layout->weight_input] = g.add_const(base + "/filter", DType::kFloat32, wshape, to_bytes(wv));
    if (has_bias) conv->inputs[layout->bias_input] = g.add_const(base + "/bias", DType::kFloat32, {n}, to_bytes(bv));
    absorb_consumer(*conv, mul);
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
