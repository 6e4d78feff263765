// Constant folding: an op whose inputs are all constant is evaluated with its
// reference kernel and removed, unless its result exceeds the byte budget
// and is larger than its inputs (so folding never bloats the model).
#include "ops/registry.h"
#include "passes/passes.h"

namespace tflc {

Status fold_constants(Graph& g, int64_t byte_budget) {
  for (auto& op : g.ops) {
    if (op->dead || !all_inputs_const(g, *op)) continue;
    RETURN_IF_ERROR(try_fold(g, *op, byte_budget).with_context("node '" + op->origin + "'"));
    bool folded = true;
    for (TensorId o : op->outputs) folded = folded && g.t(o).is_const();
    if (folded) op->dead = true;
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
