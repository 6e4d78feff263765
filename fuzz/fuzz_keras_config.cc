// A Keras model config (JSON) into the model walker, with no weights: the
// layer graph, inbound_nodes and layer configs are what is fuzzed.
#include <nlohmann/json.hpp>

#include "frontends/keras/keras_file.h"
#include "frontends/keras/keras_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json config = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded()) return 0;
  tflc::KerasModelFile file;
  file.format = "keras";
  file.config = std::move(config);
  tflc::KerasImportOptions o;
  o.path = "config.json";
  (void)tflc::import_keras_model_file(file, o);
  return 0;
}
