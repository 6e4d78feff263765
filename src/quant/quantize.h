// Post-training quantization and quantization-aware-trained models: the
// options of tf.lite.TFLiteConverter, the mode TensorFlow's converter picks
// from them, and the stage that rewrites a converted float model.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "quant/quantize_options.h"
#include "support/status.h"

namespace tflc {

// QuantizeOptions and parse_inference_type: quantize_options.h.

enum class QuantMode {
  kNone,               // float model
  kDynamicRange,       // int8 weights, hybrid kernels
  kFloat16,            // float16 weights, DEQUANTIZE in front
  kInt8AllowFloat,     // full integer with float fallback
  kInt8Only,           // integer only (TFLITE_BUILTINS_INT8)
  kInt16x8AllowFloat,  // int16 activations, int8 weights, float fallback
  kInt16x8Only,
};

const char* quant_mode_name(QuantMode m);
bool is_integer_mode(QuantMode m);
bool is_16x8_mode(QuantMode m);

// The mode TensorFlow's converter (lite.py QuantizationMode) picks, or its
// error for a contradictory request. `has_qat_ranges`: the model carries
// FakeQuant ranges, so no representative dataset is needed.
Expected<QuantMode> choose_quant_mode(const QuantizeOptions& o, bool has_qat_ranges);

// True when the model carries quantization-aware-trained ranges (FAKE_QUANT
// ops or recorded tensor ranges).
bool has_recorded_ranges(const Model& m);

// The ops of a float model that integer-only mode would refuse: they touch
// float32 tensors and have no integer kernel (quantize_integer.cc's rule,
// before ranges are looked at). Sorted names; Flex ops by custom code.
std::vector<std::string> ops_without_integer_kernel(const Model& m, bool int16_activations);

// Rewrites the float model in place for the chosen mode. `notes` gets the
// lines worth telling the user on success (ops that stayed float because
// calibration cannot run the Flex/custom ops they depend on).
Status quantize(Model& m, const QuantizeOptions& o, std::vector<std::string>* notes = nullptr);

}  // namespace tflc
