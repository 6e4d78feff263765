// Softmax fusion, for the expanded forms JAX (and hand-written TF) emit:
//   e = EXP(x - max(x)),  DIV(e, sum(e))          -> SOFTMAX(x), beta 1
//   e = EXP(x),           DIV(e, sum(e))          -> SOFTMAX(x)
//   s = x - max(x),       SUB(s, LOG(sum(EXP(s)))) -> LOG_SOFTMAX(x)
// where max and sum reduce the last axis only (the max maybe clamped from
// below at -inf or the lowest float, as jnp.max(initial=-inf) writes it), keeping it (keep_dims, or a
// RESHAPE that puts the 1 back; LOG may sit on either side of it), and every
// intermediate result feeds only the pattern. Both kernels work on the last
// axis, so other axes are left as they are. Float32 only.
#include <limits>

#include "ops/op_util.h"
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

// x's producer when it is `code` with one use, else null.
Op* sole(Graph& g, const UseDef& ud, TensorId x, OpCode code) {
  Op* p = ud.producer_of(g, x);
  if (!p || p->dead || p->code != code || ud.uses[x] != 1 || ud.is_graph_output[x]) return nullptr;
  return p;
}

// t = reduce(over the last axis of `of`, kept), where `of`'s shape is [.., n]
// and t's is [.., 1]. Peels a RESHAPE from the reduced shape; `log_inside`
// also accepts LOG on either side of it (the log-sum for LOG_SOFTMAX).
bool is_last_axis_reduce(Graph& g, const UseDef& ud, TensorId t, OpCode code, TensorId of, bool log_inside) {
  const Tensor& x = g.t(of);
  if (x.unknown_rank || x.rank() < 1) return false;
  Shape kept = x.shape;
  kept.back() = 1;
  if (g.t(t).shape != kept) return false;
  bool logged = false;
  auto peel_log = [&](TensorId& v) {
    if (!log_inside || logged) return;
    if (Op* l = sole(g, ud, v, OpCode::LOG)) { v = l->inputs[0]; logged = true; }
  };
  peel_log(t);
  if (Op* r = sole(g, ud, t, OpCode::RESHAPE)) {
    t = r->inputs[0];
    peel_log(t);
  }
  if (log_inside && !logged) return false;
  // jnp.max(..., initial=-inf), as jax.nn.softmax writes it: max(m, -inf) is m.
  if (Op* mx = code == OpCode::REDUCE_MAX ? sole(g, ud, t, OpCode::MAXIMUM) : nullptr) {
    for (int side = 0; side < 2; ++side) {
      const Tensor& c = g.t(mx->inputs[1 - side]);
      if (c.is_const() && c.dtype == DType::kFloat32 && c.num_elements() == 1 &&
          c.as<float>()[0] <= std::numeric_limits<float>::lowest()) {
        t = mx->inputs[side];
        break;
      }
    }
  }
  Op* red = sole(g, ud, t, code);
  if (!red || red->inputs[0] != of) return false;
  auto axes = const_ints(g, red->inputs[1]);
  if (!axes.ok() || axes->size() != 1) return false;
  auto axis = normalize_axis((*axes)[0], x.rank());
  if (!axis.ok() || *axis != x.rank() - 1) return false;
  // The reduced shape: [.., 1] (keep_dims) or [..] (then the RESHAPE above).
  Shape dropped(x.shape.begin(), x.shape.end() - 1);
  const Shape& rs = g.t(red->outputs[0]).shape;
  return rs == kept || rs == dropped;
}

// s = x - max(x) over the last axis: x, else kNoTensor.
TensorId shifted_input(Graph& g, const UseDef& ud, TensorId s) {
  Op* sub = ud.producer_of(g, s);
  if (!sub || sub->dead || sub->code != OpCode::SUB || fused_activation(*sub) != Activation::NONE) return kNoTensor;
  TensorId x = sub->inputs[0];
  if (g.t(x).shape != g.t(s).shape) return kNoTensor;
  return is_last_axis_reduce(g, ud, sub->inputs[1], OpCode::REDUCE_MAX, x, false) ? x : kNoTensor;
}

bool plain_float(const Graph& g, const Op& op) {
  return fused_activation(op) == Activation::NONE && g.t(op.outputs[0]).dtype == DType::kFloat32 &&
         !g.t(op.outputs[0]).unknown_rank && g.t(op.outputs[0]).rank() >= 1;
}

// DIV(e, sum(e)), e = EXP(x - max(x)) or EXP(x): x, else kNoTensor.
TensorId match_softmax(Graph& g, const UseDef& ud, const Op& div) {
  if (div.code != OpCode::DIV || !plain_float(g, div)) return kNoTensor;
  TensorId e = div.inputs[0];
  Op* exp = ud.producer_of(g, e);
  if (!exp || exp->dead || exp->code != OpCode::EXP || ud.uses[e] != 2 || ud.is_graph_output[e]) return kNoTensor;
  if (g.t(e).shape != g.t(div.outputs[0]).shape) return kNoTensor;
  if (!is_last_axis_reduce(g, ud, div.inputs[1], OpCode::SUM, e, false)) return kNoTensor;
  TensorId u = exp->inputs[0];
  if (ud.uses[u] == 1 && !ud.is_graph_output[u]) {
    TensorId x = shifted_input(g, ud, u);
    if (x != kNoTensor) return x;
  }
  return u;
}

// SUB(s, LOG(sum(EXP(s)))), s = x - max(x): x, else kNoTensor.
TensorId match_log_softmax(Graph& g, const UseDef& ud, const Op& sub) {
  if (sub.code != OpCode::SUB || !plain_float(g, sub)) return kNoTensor;
  TensorId s = sub.inputs[0];
  if (ud.uses[s] != 2 || ud.is_graph_output[s] || g.t(s).shape != g.t(sub.outputs[0]).shape) return kNoTensor;
  TensorId x = shifted_input(g, ud, s);
  if (x == kNoTensor) return kNoTensor;
  // The log-sum's EXP(s): found through the reduction's input.
  TensorId t = sub.inputs[1];
  for (int k = 0; k < 3; ++k) {  // LOG / RESHAPE / LOG above the SUM
    Op* p = ud.producer_of(g, t);
    if (!p || (p->code != OpCode::LOG && p->code != OpCode::RESHAPE)) break;
    t = p->inputs[0];
  }
  Op* sum = ud.producer_of(g, t);
  if (!sum || sum->code != OpCode::SUM) return kNoTensor;
  TensorId e = sum->inputs[0];
  Op* exp = sole(g, ud, e, OpCode::EXP);
  if (!exp || exp->inputs[0] != s) return kNoTensor;
  return is_last_axis_reduce(g, ud, sub.inputs[1], OpCode::SUM, e, true) ? x : kNoTensor;
}

}  // namespace

Status fuse_softmax(Graph& g) {
  UseDef ud(g);
  bool changed = false;
  for (auto& op_ptr : g.ops) {
    Op& op = *op_ptr;
    if (op.dead) continue;
    if (TensorId x = match_softmax(g, ud, op); x != kNoTensor) {
      op.code = OpCode::SOFTMAX;
      op.inputs = {x};
      op.options = tflite::SoftmaxOptionsT{.beta = 1.0f};
      changed = true;
    } else if (TensorId y = match_log_softmax(g, ud, op); y != kNoTensor) {
      op.code = OpCode::LOG_SOFTMAX;
      op.inputs = {y};
      op.options = tflite::LogSoftmaxOptionsT{};
      changed = true;
    }
    // A rewrite changes the use counts the next match reads.
    if (changed) ud = UseDef(g), changed = false;
  }
  return eliminate_dead_ops(g);
}

}  // namespace tflc
