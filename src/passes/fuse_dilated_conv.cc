// Dilated-convolution recognition. TF1 expresses atrous convolution as
//   y = BATCH_TO_SPACE_ND(conv(SPACE_TO_BATCH_ND(x, d, pads), W), d, crops)
// with a VALID, stride-1, undilated conv. It equals conv(x, W) with
// dilation d and padding
//   VALID  when pads and crops are all zero;
//   SAME   when y keeps x's spatial size and pads[i][0] = (k_eff - 1) / 2,
//          k_eff = (k - 1) * d + 1 (TFLite's SAME puts the odd pixel last).
// Anything else stays as it is.
#include "ops/op_util.h"
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {

Status fuse_dilated_conv(Graph& g) {
  UseDef ud(g);
  for (auto& op_ptr : g.ops) {
    Op& bts = *op_ptr;
    if (bts.dead || bts.code != OpCode::BATCH_TO_SPACE_ND) continue;
    Op* conv = ud.producer_of(g, bts.inputs[0]);
    if (!conv || conv->dead || (conv->code != OpCode::CONV_2D && conv->code != OpCode::DEPTHWISE_CONV_2D)) continue;
    if (ud.uses[bts.inputs[0]] != 1 || conv->attrs.padding != Padding::kValid) continue;
    if (conv->attrs.stride_h != 1 || conv->attrs.stride_w != 1 || conv->attrs.dilation_h != 1 ||
        conv->attrs.dilation_w != 1 || conv->attrs.activation != Activation::kNone)
      continue;
    Op* stb = ud.producer_of(g, conv->inputs[0]);
    if (!stb || stb->dead || stb->code != OpCode::SPACE_TO_BATCH_ND || ud.uses[conv->inputs[0]] != 1) continue;
    auto block = const_ints(g, stb->inputs[1]);
    auto block2 = const_ints(g, bts.inputs[1]);
    auto pads = const_ints(g, stb->inputs[2]);
    auto crops = const_ints(g, bts.inputs[2]);
    if (!block.ok() || !block2.ok() || !pads.ok() || !crops.ok()) continue;
    if (*block != *block2 || block->size() != 2 || pads->size() != 4 || crops->size() != 4) continue;
    const Tensor& x = g.t(stb->inputs[0]);
    const Tensor& y = g.t(bts.outputs[0]);
    const Tensor& w = g.t(conv->inputs[1]);
    if (!x.has_static_shape() || !y.has_static_shape() || x.rank() != 4 || y.rank() != 4 || w.rank() != 4) continue;
    bool zero = true;
    for (int64_t v : *pads) zero = zero && v == 0;
    for (int64_t v : *crops) zero = zero && v == 0;
    bool same = true;
    for (int i = 0; i < 2; ++i) {
      int64_t k = w.shape[1 + i], d = (*block)[i];
      int64_t k_eff = (k - 1) * d + 1;
      same = same && y.shape[1 + i] == x.shape[1 + i] && (*pads)[2 * i] == (k_eff - 1) / 2;
    }
    if (!zero && !same) continue;
    conv->attrs.padding = zero ? Padding::kValid : Padding::kSame;
    conv->attrs.dilation_h = static_cast<int>((*block)[0]);
    conv->attrs.dilation_w = static_cast<int>((*block)[1]);
    conv->inputs[0] = stb->inputs[0];
    absorb_consumer(*conv, bts);
  }
  return eliminate_dead_ops(g);
}

}  // namespace tflc
