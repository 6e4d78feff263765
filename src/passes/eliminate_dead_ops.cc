// Dead-node elimination: walking backwards, an op none of whose outputs is
// used (by a live op or as a graph output) is removed.
#include "passes/passes.h"

namespace tflc {

Status eliminate_dead_ops(Graph& g) {
  std::vector<int> uses = g.use_counts();
  for (auto it = g.ops.rbegin(); it != g.ops.rend(); ++it) {
    Op& op = **it;
    if (op.dead) continue;
    bool used = false;
    for (TensorId o : op.outputs) used = used || uses[o] > 0;
    if (used) continue;
    op.dead = true;
    for (TensorId i : op.inputs)
      if (i >= 0) --uses[i];
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
