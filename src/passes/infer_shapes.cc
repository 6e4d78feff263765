// Shape inference: every op's record derives its outputs from its inputs.
#include "ops/registry.h"
#include "passes/passes.h"

namespace tflc {

Status infer_shapes(Graph& g) {
  g.compact();
  for (auto& op : g.ops) RETURN_IF_ERROR(infer_op(g, *op).with_context("node '" + op->origin + "'"));
  return ok_status();
}

}  // namespace tflc
