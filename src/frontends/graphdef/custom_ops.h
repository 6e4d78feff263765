// Custom ops (TF's allow_custom_ops): a TF op with no builtin lowering is
// written as a CUSTOM op named by its type, its attrs in a FlexBuffer map,
// for a kernel the user registers with the runtime. Ops that TensorFlow
// itself lacks are declared with --custom_opdefs (OpDef text); LiteRT's own
// custom ops that TF graphs carry (the SSD post-processing op) are known here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/status.h"
#include "tensorflow/core/framework/node_def.pb.h"
#include "tensorflow/core/framework/op_def.pb.h"

namespace tflc {

// The custom_options TF's exporter writes for a custom op
// (tensorflow/compiler/mlir/lite/flatbuffer_export.cc,
// CreateFlexBuilderWithNodeAttrs @ TF 5c9f3061): a FlexBuffer map of the
// node's attrs by name. Strings, ints, floats and bools as themselves; a
// type as its TFLite TensorType number; a list of strings, ints or floats as
// a typed vector. Other attrs (shapes, tensors, functions, type lists, empty
// lists) are left out, as TF leaves them out; so are _output_shapes and the
// _class colocation list, which TF's importer does not keep as op attrs.
std::vector<uint8_t> custom_op_options(const tensorflow::NodeDef& node);

// Parses --custom_opdefs entries (OpDef text, as TF's RegisterCustomOpdefs
// reads them). Each must parse, name an op, and give every input and output
// a type or type attr. An op that TensorFlow already defines is refused:
// its own OpDef is used.
Expected<std::vector<tensorflow::OpDef>> parse_custom_opdefs(const std::vector<std::string>& texts);

// OpDefs of the custom ops LiteRT's runtime has kernels for and TF graphs
// carry without an OpDef: TFLite_Detection_PostProcess (written by the
// Object Detection API's export_tflite_ssd_graph.py). nullptr otherwise.
const tensorflow::OpDef* runtime_custom_op_def(const std::string& op);

// For a runtime custom op: checks the attrs its LiteRT kernel reads, and
// gives the static output shapes the kernel sets (one per output), from the
// node's attrs and its input shapes (std::nullopt: unknown rank).
// std::nullopt for other ops.
Expected<std::optional<std::vector<std::vector<int64_t>>>> runtime_custom_op_shapes(
    const tensorflow::NodeDef& node, const std::vector<std::optional<std::vector<int64_t>>>& input_shapes);

}  // namespace tflc
