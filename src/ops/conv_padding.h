// Window arithmetic shared by the convolution and pooling records. It follows
// TFLite's kernels/padding.h so that shapes and folded values match the
// runtime: SAME puts the odd padding element at the end, VALID pads nothing.
#pragma once

#include <algorithm>
#include <cstdint>

#include "ir/graph.h"

namespace tflc {

inline int64_t effective_filter_size(int64_t filter, int64_t dilation) { return (filter - 1) * dilation + 1; }

// Output extent of a window op (TensorFlow's GetWindowedOutputSize); -1 when
// the input extent is dynamic. Callers validate filter/stride/dilation > 0.
inline int64_t window_out_size(Padding p, int64_t in, int64_t filter, int64_t stride, int64_t dilation = 1) {
  if (in < 0) return -1;
  int64_t eff = effective_filter_size(filter, dilation);
  if (p == Padding::SAME) return (in + stride - 1) / stride;
  // A window larger than the input gives no output (TF and TFLite reject it).
  return in + stride - eff < 0 ? 0 : (in + stride - eff) / stride;
}

// Padding before the first element (the "top"/"left" padding).
inline int64_t window_pad_before(int64_t stride, int64_t dilation, int64_t in, int64_t filter, int64_t out) {
  int64_t total = (out - 1) * stride + effective_filter_size(filter, dilation) - in;
  return total > 0 ? total / 2 : 0;
}

// Pad of one spatial axis for a given padding mode (VALID pads nothing only
// because its output is small enough; the formula is the same).
inline int64_t window_pad(Padding p, int64_t stride, int64_t dilation, int64_t in, int64_t filter) {
  int64_t out = window_out_size(p, in, filter, stride, dilation);
  return window_pad_before(stride, dilation, in, filter, out);
}

}  // namespace tflc
