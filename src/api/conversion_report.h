// What --output_format=GRAPHVIZ_DOT, --dump_graphviz_dir and
// --conversion_summary_dir write: GraphViz .dot text of an IR model and a
// small self-contained HTML conversion summary.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"

namespace tflc {

// One digraph: ops are boxes (type, version, source node), model inputs and
// outputs are ellipses, constants are grey notes; edges carry the tensor's
// name, type and shape. Bodies of IF/WHILE are clusters. Same model, same text.
std::string model_to_dot(const Model& m, const std::string& title);

// A snapshot of the model at one stage, for the summary.
struct GraphSnapshot {
  std::string stage;  // "AT_IMPORT", "AFTER_TRANSFORMATIONS"
  std::string dot;
  int op_count = 0;   // ops in every subgraph
};

// What TF's gen_html report shows: the status (and the error of a failed
// conversion), ops before and after, builtin/Select/custom counts, whether
// post-training quantization is on, and the graphs.
struct ConversionSummary {
  std::string source;      // the input file or folder
  std::string output_file;
  std::string error;       // empty: the conversion succeeded
  bool post_training_quantization = false;
  int builtin_ops = 0, select_ops = 0, custom_ops = 0;
  // Op type and version -> count, and source node -> TFLite ops, of the
  // final model.
  std::vector<std::pair<std::string, int>> op_counts;
  std::vector<std::pair<std::string, std::string>> mapping;
  std::vector<GraphSnapshot> graphs;
  std::string min_runtime;
};

int count_ops(const Model& m);
// Counts and the mapping read from the final model.
void summarize_ops(const Model& m, ConversionSummary& s);
std::string summary_html(const ConversionSummary& s);

}  // namespace tflc
