// Text report of a .tflite file in the style of TF's
// tf.lite.experimental.Analyzer.analyze(gpu_compatibility=False), plus the
// model header, operator codes, op counts and constant buffer details.
// The bytes are untrusted: they are verified before anything is read.
#pragma once

#include <string>
#include <string_view>

#include "support/status.h"

namespace tflc {

struct AnalyzeOptions {
  // Shown in the "=== name ===" header and in errors; empty for in-memory models.
  std::string name;
  // Buffer indices, constant data previews and the buffer list; off keeps
  // the report short for models with many constants.
  bool show_buffers = true;
  // TF's gpu_compatibility=True: a "GPU COMPATIBILITY WARNING" after each op
  // the GPU delegate does not take (tflite/gpu_compatibility.h), per
  // subgraph the nodes that fall back to the CPU, or that the model looks
  // compatible.
  bool gpu_compatibility = false;
};

// Returns the report, or kInvalidInput when `bytes` is not a valid .tflite
// file (bad flatbuffer, missing "TFL3" identifier, out-of-range indices or
// buffer offsets).
Expected<std::string> analyze_tflite(std::string_view bytes, const AnalyzeOptions& options);

}  // namespace tflc
