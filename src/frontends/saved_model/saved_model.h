// SavedModel (TF1 and TF2) -> IR model: one subgraph and one TFLite
// SignatureDef per selected signature. Each signature is flattened into a
// frozen GraphDef (calls inlined, variables read from the checkpoint) and
// lowered by the GraphDef frontend.
#pragma once

#include <string>
#include <vector>

#include "frontends/graphdef/import.h"
#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

struct SavedModelOptions {
  std::string dir;
  std::vector<std::string> tags = {"serve"};
  std::vector<std::string> signature_keys = {"serving_default"};
  int64_t fold_budget = 1 << 20;
  TfOpFallbacks fallbacks;  // Flex and custom ops, as for a GraphDef
  ImportTrace* trace = nullptr;  // see GraphDefImportOptions
};

Expected<Model> import_saved_model(const SavedModelOptions& options);
// The MetaGraph's signature keys, sorted, without the init op's
// (`__saved_model_init_op`): what tf.saved_model.load(dir).signatures lists,
// and what TFLiteConverter.from_saved_model converts by default.
Expected<std::vector<std::string>> list_saved_model_signatures(const std::string& dir,
                                                               const std::vector<std::string>& tags);

}  // namespace tflc
