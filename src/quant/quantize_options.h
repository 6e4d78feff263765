// tf.lite.TFLiteConverter's optimization attributes, as the library API
// takes them. Part of the installed API: no IR types.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ir/dtype.h"
#include "quant/sample_source.h"
#include "support/status.h"

namespace tflc {

struct QuantizeOptions {
  bool optimize = false;                     // optimizations=[DEFAULT]
  std::vector<std::string> supported_types;  // "float16", "int8"
  // TFLITE_BUILTINS, TFLITE_BUILTINS_INT8, SELECT_TF_OPS,
  // EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8.
  std::vector<std::string> supported_ops = {"TFLITE_BUILTINS"};
  std::string representative_dataset;  // .npz or a folder of .npy files
  // Samples streamed from the caller instead (a Python generator); at most
  // one of the two is set.
  std::shared_ptr<SampleSource> dataset_source;
  DType inference_input_type = DType::kFloat32;
  DType inference_output_type = DType::kFloat32;
  bool show_progress = false;  // a progress bar while calibrating
  // TF 1.x quantized_input_stats (--mean_values, --std_dev_values), one per
  // input: real = (quantized - mean) / std_dev on the input type's grid.
  std::vector<std::pair<double, double>> input_stats;
  // TF 1.x default_ranges_stats (--default_ranges_min/max), "dummy
  // quantization": in integer mode, every float activation tensor without a
  // recorded or calibrated range gets [min, max].
  std::optional<std::pair<double, double>> default_ranges;
};

// Parses "float32", "int8", "uint8", "int16" (also tf.-prefixed, any case).
Expected<DType> parse_inference_type(const std::string& s);

}  // namespace tflc
