// Quantization parameter math of TFLite's quantization spec: asymmetric
// activations, symmetric (per-axis) weights, int32/int64 biases.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

struct ScaleZp {
  float scale = 1.0f;
  int64_t zero_point = 0;
};

// Asymmetric params on [qmin, qmax] for a recorded range: the range is widened
// to include 0 and the zero point nudged to an integer inside [qmin, qmax],
// as TF's converter does (FakeQuantSupport's getNudgedScaleAndZeroPoint).
ScaleZp asymmetric_params(double rmin, double rmax, int64_t qmin, int64_t qmax);
// int8 activation: asymmetric on [-128, 127].
inline ScaleZp int8_activation_params(double rmin, double rmax) { return asymmetric_params(rmin, rmax, -128, 127); }
// int16 activation (16x8): symmetric, zero point 0, scale = max|.| / 32767.
ScaleZp int16_activation_params(double rmin, double rmax);

// Symmetric int8 weights with values in [-127, 127]; per-axis when axis >= 0.
struct QuantizedWeights {
  std::vector<float> scale;  // one per channel (one when per-tensor)
  std::vector<int8_t> values;
};
Expected<QuantizedWeights> quantize_weights_symmetric(const std::vector<float>& w, const std::vector<int64_t>& shape,
                                                      int axis);

// Bias: scale[c] = input_scale * weight_scale[c], zero point 0, values
// round(b / scale) saturated to int32 (or int64 for 16x8).
std::vector<float> bias_scales(float input_scale, const std::vector<float>& weight_scales);
Expected<std::vector<int32_t>> quantize_bias_int32(const std::vector<float>& b, const std::vector<float>& scales);
Expected<std::vector<int64_t>> quantize_bias_int64(const std::vector<float>& b, const std::vector<float>& scales);

// Quantizes float values with per-tensor params onto [qmin, qmax] (round half
// away from zero, then clamp), as TFLite's QUANTIZE kernel does.
std::vector<int64_t> quantize_values(const std::vector<float>& v, ScaleZp p, int64_t qmin, int64_t qmax);

}  // namespace tflc
