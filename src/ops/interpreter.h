// Runs IR subgraphs on the op records' reference kernels (OpSchema::eval):
// the evaluator behind calibration and behind folding ops that call bodies.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

// A copy the kernels may write into: tensors by value (constant buffers are
// shared, not copied), quantization parameters dropped, dead ops left out.
Graph scratch_copy(const Graph& g);

// Evaluates one op of a scratch graph whose inputs all hold values. With
// `reinfer`, shape inference runs first (input shapes may have changed).
// `what` names the caller in messages ("calibrating", "folding").
Status run_op(Graph& s, Op& op, bool reinfer, const std::string& what);

// Runs `g` on input values (shapes and types as the inputs have them) and
// returns its outputs, each with data.
Expected<std::vector<Tensor>> run_subgraph(const Graph& g, const std::vector<const Tensor*>& inputs,
                                           const std::string& what);

}  // namespace tflc
