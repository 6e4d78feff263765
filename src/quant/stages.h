// The quantization stages, one file each; quantize.cc chains them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "quant/sample_source.h"
#include "support/status.h"

namespace tflc {

// --- representative dataset (dataset.cc) ---
struct NdArray {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::string bytes;  // little-endian, C order
};
struct Dataset {
  std::vector<std::string> keys;               // per array: the .npz key or .npy file stem
  std::vector<NdArray> arrays;                 // samples along axis 0
  int64_t num_samples = 0;
};
// Reads an .npz (stored or deflated) or a folder of .npy files.
Expected<Dataset> read_representative_dataset(const std::string& path);

// --- calibration (calibrate.cc) ---
// What calibration could not run. Flex and custom ops run only in the
// runtime, so their outputs, and every value computed from them, get no
// range (never a guessed one); integer quantization leaves those ops float.
struct CalibrationReport {
  std::vector<std::string> runtime_only_ops;  // sorted custom codes (FlexUnique, ...)
  std::vector<std::string> dependent_ops;     // sorted names of the float ops left without ranges
  int64_t dependent_count = 0;                // how many such ops (each op once)
};
struct CalibrateOptions {
  bool show_progress = false;
  CalibrationReport* report = nullptr;  // filled when given
};
// Runs every signature subgraph over the samples on the reference kernels
// and records each float tensor's min/max in tensor.quant->min/max, also
// inside the IF/WHILE bodies they run (every iteration, every taken branch).
Status calibrate(Model& m, const Dataset& data, const CalibrateOptions& o);
// The same over samples pulled one at a time (one pass per signature).
Status calibrate(Model& m, SampleSource& samples, const CalibrateOptions& o);

// --- weights only (quantize_weights.cc) ---
// Dynamic range: int8 weights for CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED,
// BATCH_MATMUL, LSTMs and EMBEDDING_LOOKUP; the ops run hybrid kernels.
Status quantize_weights_dynamic_range(Model& m);
// float16 weights with a DEQUANTIZE in front of each use.
Status quantize_weights_float16(Model& m);

// --- quantization-aware training (fake_quant_ranges.cc) ---
// Turns FAKE_QUANT ops into recorded ranges on the tensors they quantize.
Status absorb_fake_quant(Model& m);

// --- full integer (quantize_integer.cc) ---
struct IntegerQuantOptions {
  bool allow_float = true;        // float fallback for ops with no integer kernel
  bool int16_activations = false; // 16x8
  DType input_type = DType::kFloat32, output_type = DType::kFloat32;
  // Why ops lack ranges, for the integer-only refusal (calibration's report).
  std::string no_range_reason;
};
// Quantizes every tensor from its recorded range (calibration or FakeQuant).
Status quantize_integer(Model& m, const IntegerQuantOptions& o);

}  // namespace tflc
