#include "quant/qparams.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tflc {

ScaleZp asymmetric_params(double rmin, double rmax, int64_t qmin, int64_t qmax) {
  // 0.0 must be exactly representable (zero padding, ReLU).
  rmin = std::min(rmin, 0.0);
  rmax = std::max(rmax, 0.0);
  // An all-zero tensor: any scale works; TF uses 1.0 with 0.0 at qmin.
  if (rmax - rmin < std::numeric_limits<double>::epsilon()) return {1.0f, qmin};
  const double lo = static_cast<double>(qmin), hi = static_cast<double>(qmax);
  const double scale = (rmax - rmin) / (hi - lo);
  // Take the zero point from whichever end loses less precision.
  const double zp_from_min = lo - rmin / scale;
  const double zp_from_max = hi - rmax / scale;
  const double err_min = std::abs(lo) + std::abs(rmin / scale);
  const double err_max = std::abs(hi) + std::abs(rmax / scale);
  const double zp = err_min < err_max ? zp_from_min : zp_from_max;
  int64_t nudged = zp < lo ? qmin : zp > hi ? qmax : static_cast<int64_t>(std::round(zp));
  return {static_cast<float>(scale), nudged};
}

ScaleZp int16_activation_params(double rmin, double rmax) {
  double m = std::max(std::abs(rmin), std::abs(rmax));
  if (m == 0.0) return {1.0f, 0};
  return {static_cast<float>(m / 32767.0), 0};
}

Expected<QuantizedWeights> quantize_weights_symmetric(const std::vector<float>& w, const std::vector<int64_t>& shape,
                                                      int axis) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return invalid_input("weights with a dynamic shape");
    n *= d;
  }
  if (n != static_cast<int64_t>(w.size())) return invalid_input("weight data does not match its shape");
  if (axis >= static_cast<int>(shape.size())) return invalid_input("per-channel axis out of range");
  int64_t channels = axis >= 0 ? shape[axis] : 1;
  int64_t inner = 1;  // elements between consecutive channel indices
  if (axis >= 0)
    for (size_t i = axis + 1; i < shape.size(); ++i) inner *= shape[i];
  auto channel_of = [&](int64_t i) { return axis >= 0 ? (i / inner) % channels : 0; };

  std::vector<double> max_abs(std::max<int64_t>(channels, 1), 0.0);
  for (int64_t i = 0; i < n; ++i) {
    if (!std::isfinite(w[i])) return invalid_input("weights contain inf or NaN");
    auto& m = max_abs[channel_of(i)];
    m = std::max(m, std::abs(static_cast<double>(w[i])));
  }
  QuantizedWeights q;
  q.scale.resize(max_abs.size());
  // An all-zero channel gets scale 1: every value quantizes to 0 either way.
  for (size_t c = 0; c < max_abs.size(); ++c) q.scale[c] = max_abs[c] > 0 ? static_cast<float>(max_abs[c] / 127.0) : 1.0f;
  q.values.resize(n);
  for (int64_t i = 0; i < n; ++i) {
    double r = std::round(w[i] / static_cast<double>(q.scale[channel_of(i)]));
    q.values[i] = static_cast<int8_t>(std::clamp(r, -127.0, 127.0));
  }
  return q;
}

std::vector<float> bias_scales(float input_scale, const std::vector<float>& weight_scales) {
  std::vector<float> s(weight_scales.size());
  for (size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<float>(static_cast<double>(input_scale) * static_cast<double>(weight_scales[i]));
  return s;
}

namespace {
template <typename T>
Expected<std::vector<T>> quantize_bias(const std::vector<float>& b, const std::vector<float>& scales) {
  if (scales.size() != 1 && scales.size() != b.size())
    return invalid_input("bias has " + std::to_string(b.size()) + " values but " + std::to_string(scales.size()) +
                         " weight scales");
  std::vector<T> q(b.size());
  const double lo = static_cast<double>(std::numeric_limits<T>::min());
  const double hi = static_cast<double>(std::numeric_limits<T>::max());
  for (size_t i = 0; i < b.size(); ++i) {
    double s = scales[scales.size() == 1 ? 0 : i];
    if (!(s > 0)) return invalid_input("bias scale must be positive");
    if (!std::isfinite(b[i])) return invalid_input("bias contains inf or NaN");
    q[i] = static_cast<T>(std::clamp(std::round(b[i] / s), lo, hi));
  }
  return q;
}
}  // namespace

Expected<std::vector<int32_t>> quantize_bias_int32(const std::vector<float>& b, const std::vector<float>& scales) {
  return quantize_bias<int32_t>(b, scales);
}
Expected<std::vector<int64_t>> quantize_bias_int64(const std::vector<float>& b, const std::vector<float>& scales) {
  return quantize_bias<int64_t>(b, scales);
}

std::vector<int64_t> quantize_values(const std::vector<float>& v, ScaleZp p, int64_t qmin, int64_t qmax) {
  std::vector<int64_t> q(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    double r = std::round(v[i] / static_cast<double>(p.scale)) + static_cast<double>(p.zero_point);
    q[i] = static_cast<int64_t>(std::clamp(r, static_cast<double>(qmin), static_cast<double>(qmax)));
  }
  return q;
}

}  // namespace tflc
