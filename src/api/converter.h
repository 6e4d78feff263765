// The library API: what tflite_convert does, callable from C++. Installed
// with quant/quantize_options.h, quant/sample_source.h, ir/dtype.h and
// support/status.h (`cmake --install`, find_package(tflite_converter)).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "quant/quantize_options.h"
#include "support/status.h"

namespace tflc {

struct ConvertOptions {
  std::string graph_def_file;
  std::string saved_model_dir;
  std::string keras_model_file;
  // StableHLO MLIR text (jax.export's mlir_module()): its entry function and
  // the signature key it gets.
  std::string stablehlo_file;
  std::string stablehlo_content;
  std::string entry_function = "main";
  std::string signature_name;  // empty: serving_default
  // In-memory inputs instead of files: a frozen GraphDef (binary or text) or
  // a Keras .h5/.keras file's bytes.
  std::string graph_def_content;
  std::string keras_model_content;
  std::vector<std::string> input_arrays;
  std::vector<std::string> output_arrays;
  std::optional<std::string> input_shapes;  // TF's "1,28,28,1:1,10" form; "" is one scalar
  std::vector<std::string> saved_model_tags = {"serve"};
  std::vector<std::string> signature_keys;  // empty: serving_default
  QuantizeOptions quantize;                 // optimizations, supported ops/types, dataset
  // Compatibility, with TF's names: user TF ops added to the Flex set (needs
  // SELECT_TF_OPS), ops without a builtin or Flex kernel written as custom
  // ops, and OpDefs (text) of ops TensorFlow lacks (needs allow_custom_ops).
  std::vector<std::string> select_user_tf_ops;
  bool allow_custom_ops = false;
  std::vector<std::string> custom_opdefs;
  int64_t fold_budget = 1 << 20;
  // The most memory one object that the input declares may take (a constant,
  // a variable, a weights file, a dataset), in MB; --memory_budget_mb.
  uint64_t memory_budget_mb = 4096;
  bool exclude_conversion_metadata = false;  // TF's attribute of that name
  // TFLite Metadata attached as the last step: JSON in `tflite_metadata show`'s
  // form, and the associated files it names (packed after the model).
  std::string metadata_json;
  std::vector<std::string> associated_files;
  // --target_runtime: cap op versions at this TFLite release ("2.N" or
  // "2.N.P"; empty: no cap).
  std::string target_runtime;
  // TF 1.x debugging outputs (tflite_convert's --output_format=GRAPHVIZ_DOT,
  // --dump_graphviz_dir, --dump_graphviz_video, --conversion_summary_dir).
  bool output_graphviz_dot = false;  // write the converted model as .dot instead of .tflite
  std::string dump_graphviz_dir;     // toco_AT_IMPORT.dot, toco_AFTER_TRANSFORMATIONS.dot
  bool dump_graphviz_video = false;  // also one .dot after each stage
  std::string conversion_summary_dir;  // toco_conversion_summary.html
  std::string source_description;      // the input named in the summary
};

// One failure of a failed conversion, as TF's ConverterError.errors lists
// them: an op the model uses (op type without "tf.", node name) and why, or
// for a failure not about one op, only the reason.
struct ConversionError {
  std::string op_type;
  std::string node_name;
  std::string reason;
};
// Splits a failed conversion's message into its failures (one per op that
// is not supported, or a single entry with the whole message).
std::vector<ConversionError> conversion_errors(const Status& status);

// A SavedModel's signature keys (sorted), as tf.saved_model.load lists them;
// TFLiteConverter.from_saved_model converts all of them by default.
Expected<std::vector<std::string>> saved_model_signature_keys(const std::string& saved_model_dir,
                                                              const std::vector<std::string>& tags = {"serve"});

// Converts and returns the .tflite bytes.
Expected<std::string> convert(const ConvertOptions& options);
// Converts and writes `output_file` atomically (nothing is left on failure).
Status convert_to_file(const ConvertOptions& options, const std::string& output_file);

}  // namespace tflc
