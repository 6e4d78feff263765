// Transpose/Reshape clean-up:
//   RESHAPE(RESHAPE(x))           -> RESHAPE(x)        (inner one unused otherwise)
//   RESHAPE(x) to x's own shape   -> x
//   TRANSPOSE(TRANSPOSE(x, p), q) -> TRANSPOSE(x, p∘q), or x when identity
//   TRANSPOSE(x, identity)        -> x
// An op whose result is a graph output is kept, so output names survive.
#include <numeric>

#include "ops/op_util.h"
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

std::optional<std::vector<int64_t>> perm_of(const Graph& g, const Op& op) {
  if (op.inputs.size() < 2) return std::nullopt;
  auto p = const_ints(g, op.inputs[1]);
  if (!p.ok()) return std::nullopt;
  return *p;
}

bool is_identity(const std::vector<int64_t>& p) {
  for (size_t i = 0; i < p.size(); ++i)
    if (p[i] != static_cast<int64_t>(i)) return false;
  return true;
}

}  // namespace

Status cleanup_transpose_reshape(Graph& g) {
  UseDef ud(g);
  for (auto& op_ptr : g.ops) {
    Op& op = *op_ptr;
    if (op.dead) continue;
    TensorId x = op.inputs.empty() ? kNoTensor : op.inputs[0];
    TensorId y = op.outputs.empty() ? kNoTensor : op.outputs[0];
    if (x < 0) continue;
    Op* prod = ud.producer_of(g, x);
    if (op.code == OpCode::RESHAPE) {
      if (prod && !prod->dead && prod->code == OpCode::RESHAPE) {
        op.inputs[0] = prod->inputs[0];  // the inner reshape dies if unused
        --ud.uses[x];
        ++ud.uses[prod->inputs[0]];
        x = op.inputs[0];
      }
      const Tensor& in = g.t(x);
      const Tensor& out = g.t(y);
      if (!ud.is_graph_output[y] && in.has_static_shape() && in.shape == out.shape && in.dtype == out.dtype) {
        g.replace_uses(y, x);
        op.dead = true;
      }
    } else if (op.code == OpCode::TRANSPOSE) {
      auto q = perm_of(g, op);
      if (!q) continue;
      if (prod && !prod->dead && prod->code == OpCode::TRANSPOSE) {
        auto p = perm_of(g, *prod);
        if (p && p->size() == q->size()) {
          // out[i] = mid[q[i]] = in[p[q[i]]]
          std::vector<int32_t> composed(q->size());
          for (size_t i = 0; i < q->size(); ++i) composed[i] = static_cast<int32_t>((*p)[(*q)[i]]);
          TensorId perm = g.add_const(g.t(y).name + "/perm", DType::kInt32,
                                      {static_cast<int64_t>(composed.size())}, to_bytes(composed));
          op.inputs = {prod->inputs[0], perm};
          --ud.uses[x];
          x = op.inputs[0];
          ++ud.uses[x];
          q = std::vector<int64_t>(composed.begin(), composed.end());
        }
      }
      if (is_identity(*q) && !ud.is_graph_output[y]) {
        g.replace_uses(y, x);
        op.dead = true;
      }
    }
  }
  RETURN_IF_ERROR(eliminate_dead_ops(g));
  return ok_status();
}

}  // namespace tflc
