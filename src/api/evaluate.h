// Evaluation before converting (`tflite_convert --analyze`, `tflite_analyze
// SOURCE`): runs the real import and lowering, records what each source node
// became or why it failed, and says which flags would make the model convert
// and whether it would quantize to integers. Nothing is written.
#pragma once

#include <string>
#include <vector>

#include "api/converter.h"
#include "support/status.h"

namespace tflc {

// One source op type with one outcome ("Conv2D" lowered to CONV_2D).
struct OpEvaluation {
  std::string op;
  // "builtin", "flex", "custom", "unsupported", or "unchecked" (has a
  // lowering, not tried: an input comes from a node that is not lowered).
  std::string mapping;
  int count = 0;
  std::vector<std::string> builtins;  // distinct emitted builtins, sorted
  std::vector<std::string> reasons;   // distinct details, sorted
  std::vector<std::string> nodes;     // node names ("signature: function/node" where needed)
};

struct Evaluation {
  std::string source_format;  // graphdef, saved_model, keras, stablehlo
  std::string model;          // the path given
  // Per source node (GraphDef, SavedModel), Keras layer call (op = the
  // layer class) or StableHLO op (op = its name, "stablehlo.add").
  std::vector<OpEvaluation> ops;
  int builtin = 0, flex = 0, custom = 0, unsupported = 0, unchecked = 0;  // node counts
  bool converts = false;  // with the flags given
  std::string error;      // why not (the converter's message), when it does not
  // Flags to add for it to convert (SELECT_TF_OPS for Flex ops,
  // --allow_custom_ops for custom and unsupported ones).
  std::vector<std::string> suggested_flags;
  bool converts_with_suggested_flags = false;  // checked by converting (in memory) with them
  std::string suggested_flags_error;           // why not, when it does not
  // Integer quantization: every op of the float model that touches float32
  // has an integer kernel. Unknown when the model does not import.
  bool integer_checked = false;
  bool integer_quantizable = false;
  std::vector<std::string> no_integer_kernel;
};

// Never fails for a model that fails to convert (that is the report); fails
// only for usage errors (no model, two models...).
Expected<Evaluation> evaluate(const ConvertOptions& options);

std::string evaluation_text(const Evaluation& e);
std::string evaluation_json(const Evaluation& e);  // one JSON object, pretty-printed

}  // namespace tflc
