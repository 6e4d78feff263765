// The library API: what tflite_convert does, callable from C++.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "quant/quantize.h"
#include "support/status.h"

namespace tflc {

struct ConvertOptions {
  std::string graph_def_file;
  std::string saved_model_dir;
  std::string keras_model_file;
  std::vector<std::string> input_arrays;
  std::vector<std::string> output_arrays;
  std::optional<std::string> input_shapes;  // TF's "1,28,28,1:1,10" form; "" is one scalar
  std::vector<std::string> saved_model_tags = {"serve"};
  std::vector<std::string> signature_keys;  // empty: serving_default
  QuantizeOptions quantize;                 // optimizations, supported ops/types, dataset
  int64_t fold_budget = 1 << 20;
  // TFLite Metadata attached as the last step: JSON in `tflite_metadata show`'s
  // form, and the associated files it names (packed after the model).
  std::string metadata_json;
  std::vector<std::string> associated_files;
};

// Converts and returns the .tflite bytes.
Expected<std::string> convert(const ConvertOptions& options);
// Converts and writes `output_file` atomically (nothing is left on failure).
Status convert_to_file(const ConvertOptions& options, const std::string& output_file);

}  // namespace tflc
