// Readable text form of the IR, used by golden tests and for debugging:
//   %conv1 = CONV_2D(%input, %w:f32[8,3,3,1] const, %b:f32[8] const) { padding: SAME, stride_w: 1, ... } : f32[1,28,28,8]
// Options print every field of their schema table.
#pragma once

#include <string>

#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

std::string dump_graph(const Graph& g);
// Every subgraph, entries first, in the writer's order.
std::string dump_model(const Model& m);
// Checks structural invariants: ids in range, each tensor produced once,
// ops in topological order, graph outputs produced or constant or inputs.
Status verify_graph(const Graph& g);
// verify_graph on every subgraph, plus: no recursion, unique subgraph names,
// and each op that calls subgraphs passes its record's callee check (counts
// and types of the bodies' inputs and outputs).
Status verify_model(const Model& m);

}  // namespace tflc
