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
namespace {

// CONV_2D and DEPTHWISE_CONV_2D tables share these field names.
template <class T>
bool plain_valid_conv(const T& o) {
  return o.padding == Padding::VALID && o.stride_h == 1 && o.stride_w == 1 && o.dilation_h_factor == 1 &&
         o.dilation_w_factor == 1 && o.fused_activation_function == Activation::NONE;
}

template <class T>
void set_dilation(T& o, Padding padding, int64_t dh, int64_t dw) {
  o.padding = padding;
  o.dilation_h_factor = static_cast<int32_t>(dh);
  o.dilation_w_factor = static_cast<int32_t>(dw);
}

}  // namespace

Status fuse_dilated_conv(Graph& g) {
  UseDef ud(g);
  for (auto& op_ptr : g.ops) {
    Op& bts = *op_ptr;
    if (bts.dead || bts.code != OpCode::BATCH_TO_SPACE_ND) continue;
    Op* conv = ud.producer_of(g, bts.inputs[0]);
    if (!conv || conv->dead || (conv->code != OpCode::CONV_2D && conv->code != OpCode::DEPTHWISE_CONV_2D)) continue;
    bool depthwise = conv->code == OpCode::DEPTHWISE_CONV_2D;
    if (ud.uses[bts.inputs[0]] != 1) continue;
    if (depthwise ? !plain_valid_conv(opts<tflite::DepthwiseConv2DOptionsT>(*conv))
                  : !plain_valid_conv(opts<tflite::Conv2DOptionsT>(*conv)))
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
    Padding padding = zero ? Padding::VALID : Padding::SAME;
    if (depthwise) set_dilation(mutable_opts<tflite::DepthwiseConv2DOptionsT>(*conv), padding, (*block)[0], (*block)[1]);
    else set_dilation(mutable_opts<tflite::Conv2DOptionsT>(*conv), padding, (*block)[0], (*block)[1]);
    conv->inputs[0] = stb->inputs[0];
    absorb_consumer(*conv, bts);
  }
  return eliminate_dead_ops(g);
}

}  // namespace tflc
