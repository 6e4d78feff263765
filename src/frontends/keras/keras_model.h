// Keras model (.h5 or .keras) -> IR model. The config's layer graph
// (Sequential or Functional, Keras 1 to 3 forms) is walked in order and each
// layer call is lowered through the layer table; unknown layers are all
// listed at once.
#pragma once

#include <string>

#include "frontends/keras/keras_file.h"
#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

struct ImportTrace;  // frontends/graphdef/import.h

struct KerasImportOptions {
  std::string path;
  int64_t fold_budget = 1 << 20;
  // Records each layer call's outcome (op = the layer class) for --analyze.
  ImportTrace* trace = nullptr;
};

Expected<Model> import_keras_model(const KerasImportOptions& options);
// The same from a file already read (options.path names it in messages);
// the fuzz target for model configs calls this directly.
Expected<Model> import_keras_model_file(KerasModelFile& file, const KerasImportOptions& options);

}  // namespace tflc
