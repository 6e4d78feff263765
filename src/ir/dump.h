// Readable text form of the IR, used by golden tests and for debugging:
//   %3:conv1 = CONV_2D(%0:input, %1:w[8,3,3,1] const, %2:b[8] const) {padding=SAME stride=1x1 act=RELU} : f32[1,28,28,8]
#pragma once

#include <string>

#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

std::string dump_graph(const Graph& g);
// Checks structural invariants: ids in range, each tensor produced once,
// ops in topological order, graph outputs produced or constant or inputs.
Status verify_graph(const Graph& g);

}  // namespace tflc
