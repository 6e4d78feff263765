// Pool fusion, for the forms the StableHLO importer writes for JAX's pools
// (reduce_window lowers to an explicit PADV2 and a VALID pool; a window sum
// to DEPTHWISE_CONV_2D with a ones filter, so that sums stay exact):
//   MAX_POOL_2D(PADV2(x, p, -inf))               -> MAX_POOL_2D(x) SAME
//   DIV(DEPTHWISE_CONV_2D(x, ones, 0), k)         -> AVERAGE_POOL_2D(x) VALID
//   DIV(DEPTHWISE_CONV_2D(PADV2(x, p, 0), ones, 0), counts)
//                                                 -> AVERAGE_POOL_2D(x) SAME
// where p is exactly TFLite's SAME padding of H and W (none on N and C), k
// the window size, and counts a constant holding, per output position, the
// number of window elements inside x, which is what TFLite's SAME average
// divides by (as jax's avg_pool(count_include_pad=False) does). NHWC float32
// only; every intermediate result feeds only the pattern.
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <vector>

#include "ops/op_util.h"
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

// TFLite's SAME padding before and after, for one spatial dim.
std::pair<int64_t, int64_t> same_pad(int64_t in, int64_t k, int64_t s) {
  const int64_t out = (in + s - 1) / s;
  const int64_t total = std::max<int64_t>((out - 1) * s + k - in, 0);
  return {total / 2, total - total / 2};
}

// x when t = PADV2(x, SAME padding for (kh, kw, sh, sw), c) with c == value
// (or -inf/lowest when value is -inf), else kNoTensor.
TensorId same_padded(Graph& g, const UseDef& ud, TensorId t, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                     float value) {
  Op* pad = ud.producer_of(g, t);
  if (!pad || pad->dead || pad->code != OpCode::PADV2 || ud.uses[t] != 1 || ud.is_graph_output[t]) return kNoTensor;
  const TensorId x = pad->inputs[0];
  const Tensor& xt = g.t(x);
  const Tensor& c = g.t(pad->inputs[2]);
  if (xt.unknown_rank || xt.rank() != 4 || !xt.has_static_shape() || xt.dtype != DType::kFloat32) return kNoTensor;
  if (!c.is_const() || c.dtype != DType::kFloat32 || c.num_elements() != 1) return kNoTensor;
  const float cv = c.as<float>()[0];
  const bool ok_value = std::isinf(value) ? cv <= std::numeric_limits<float>::lowest() : cv == value;
  if (!ok_value) return kNoTensor;
  auto p = const_ints(g, pad->inputs[1]);
  if (!p.ok() || p->size() != 8) return kNoTensor;
  const auto [ht, hb] = same_pad(xt.shape[1], kh, sh);
  const auto [wl, wr] = same_pad(xt.shape[2], kw, sw);
  const std::vector<int64_t> want = {0, 0, ht, hb, wl, wr, 0, 0};
  return *p == want ? x : kNoTensor;
}

// Whether DEPTHWISE_CONV_2D `dw` is a plain window sum: a ones filter
// [1, kh, kw, C], zero or no bias, multiplier 1, no dilation or activation, VALID.
bool window_sum(const Graph& g, const Op& dw) {
  if (dw.code != OpCode::DEPTHWISE_CONV_2D || dw.inputs.size() < 2) return false;
  const auto& o = opts<tflite::DepthwiseConv2DOptionsT>(dw);
  if (o.padding != tflite::Padding::VALID || o.depth_multiplier != 1 || o.dilation_h_factor != 1 ||
      o.dilation_w_factor != 1 || o.fused_activation_function != Activation::NONE)
    return false;
  const Tensor& w = g.t(dw.inputs[1]);
  if (!w.is_const() || w.dtype != DType::kFloat32 || w.rank() != 4 || w.shape[0] != 1) return false;
  for (float v : const_values<float>(w))
    if (v != 1.0f) return false;
  if (dw.inputs.size() > 2 && dw.inputs[2] >= 0) {
    const Tensor& b = g.t(dw.inputs[2]);
    if (!b.is_const() || b.dtype != DType::kFloat32) return false;
    for (float v : const_values<float>(b))
      if (v != 0.0f) return false;
  }
  return true;
}

// Whether constant `c` (broadcast against [N, OH, OW, C]) holds at every
// position the count of window elements inside the [H, W] input, or
// everywhere k*k when `valid`.
bool counts_match(const Tensor& c, const Shape& out, int64_t h, int64_t w, int64_t kh, int64_t kw, int64_t sh,
                  int64_t sw, bool valid) {
  if (!c.is_const() || c.dtype != DType::kFloat32 || c.unknown_rank || c.rank() > 4) return false;
  if (num_elements(out) > (int64_t{1} << 22)) return false;
  Shape cs(4 - c.rank(), 1);
  cs.insert(cs.end(), c.shape.begin(), c.shape.end());
  for (int d = 0; d < 4; ++d)
    if (cs[d] != 1 && cs[d] != out[d]) return false;
  const std::vector<float> v = const_values<float>(c);
  const Shape st = strides_of(cs);
  const int64_t top = valid ? 0 : same_pad(h, kh, sh).first, left = valid ? 0 : same_pad(w, kw, sw).first;
  for (int64_t n = 0; n < out[0]; ++n)
    for (int64_t i = 0; i < out[1]; ++i)
      for (int64_t j = 0; j < out[2]; ++j) {
        const int64_t r0 = i * sh - top, c0 = j * sw - left;
        const int64_t rows = std::min(r0 + kh, h) - std::max<int64_t>(r0, 0);
        const int64_t cols = std::min(c0 + kw, w) - std::max<int64_t>(c0, 0);
        const float want = static_cast<float>(rows * cols);
        for (int64_t k = 0; k < out[3]; ++k) {
          const int64_t idx = (cs[0] == 1 ? 0 : n) * st[0] + (cs[1] == 1 ? 0 : i) * st[1] +
                              (cs[2] == 1 ? 0 : j) * st[2] + (cs[3] == 1 ? 0 : k) * st[3];
          if (v[idx] != want) return false;
        }
      }
  return true;
}

}  // namespace

Status fuse_pool(Graph& g) {
  UseDef ud(g);
  for (auto& op_ptr : g.ops) {
    Op& op = *op_ptr;
    if (op.dead) continue;
    if (op.code == OpCode::MAX_POOL_2D) {
      auto& o = mutable_opts<tflite::Pool2DOptionsT>(op);
      if (o.padding != tflite::Padding::VALID) continue;
      TensorId x = same_padded(g, ud, op.inputs[0], o.filter_height, o.filter_width, o.stride_h, o.stride_w,
                               -std::numeric_limits<float>::infinity());
      if (x == kNoTensor) continue;
      ud.producer_of(g, op.inputs[0])->dead = true;
      op.inputs[0] = x;
      o.padding = tflite::Padding::SAME;
      continue;
    }
    if (op.code != OpCode::DIV || fused_activation(op) != Activation::NONE) continue;
    const TensorId s = op.inputs[0];
    Op* dw = ud.producer_of(g, s);
    if (!dw || dw->dead || !window_sum(g, *dw) || ud.uses[s] != 1 || ud.is_graph_output[s]) continue;
    const auto& d = opts<tflite::DepthwiseConv2DOptionsT>(*dw);
    const Tensor& w = g.t(dw->inputs[1]);
    const int64_t kh = w.shape[1], kw = w.shape[2];
    const Shape out = g.t(op.outputs[0]).shape;
    if (out.size() != 4 || g.t(s).shape != out) continue;
    TensorId x = same_padded(g, ud, dw->inputs[0], kh, kw, d.stride_h, d.stride_w, 0.0f);
    const bool valid = x == kNoTensor;
    if (valid) x = dw->inputs[0];
    const Tensor& xt = g.t(x);
    if (xt.rank() != 4 || !xt.has_static_shape() || xt.dtype != DType::kFloat32) continue;
    if (!counts_match(g.t(op.inputs[1]), out, xt.shape[1], xt.shape[2], kh, kw, d.stride_h, d.stride_w, valid))
      continue;
    tflite::Pool2DOptionsT po;
    po.padding = valid ? tflite::Padding::VALID : tflite::Padding::SAME;
    po.filter_height = static_cast<int32_t>(kh);
    po.filter_width = static_cast<int32_t>(kw);
    po.stride_h = d.stride_h;
    po.stride_w = d.stride_w;
    if (!valid) ud.producer_of(g, dw->inputs[0])->dead = true;
    dw->dead = true;
    op.code = OpCode::AVERAGE_POOL_2D;
    op.inputs = {x};
    op.options = po;
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
