// IR model -> TFLite FlatBuffer (schema version 3).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

struct WriteOptions {
  // Store constant data after the FlatBuffer, addressed by Buffer.offset and
  // Buffer.size. Chosen automatically when the data would pass 2 GB.
  bool force_buffer_offsets = false;
  // TF's exclude_conversion_metadata: no CONVERSION_METADATA entry.
  bool exclude_conversion_metadata = false;
};

// Receives the serialized model in order, in one or more pieces.
using ByteSink = std::function<Status(std::string_view)>;

// Serializes `model` into `sink`. Drops each constant's reference once it is
// copied, so the peak memory stays near one copy of the weights.
Status write_tflite(Model& model, const WriteOptions& options, const ByteSink& sink);
// The same, into memory.
Expected<std::string> write_tflite(Model& model, const WriteOptions& options = {});

// OperatorCode's (deprecated_builtin_code, builtin_code): codes over 127 keep
// 127 (PLACEHOLDER_FOR_GREATER_OP_CODES) in the deprecated int8 field.
std::pair<int8_t, int32_t> operator_code_fields(int32_t code);

// min_runtime_version as TFLite's runtime_version.cc computes it.
std::string min_runtime_version(const Model& model);

}  // namespace tflc
