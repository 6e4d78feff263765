// Mean fusion, for the sum-then-divide form JAX emits for jnp.mean (layer
// norm's mean and variance):
//   DIV(SUM(x, axes), n) or MUL(SUM(x, axes), 1/n) -> MEAN(x, axes)
// when n is a float32 scalar constant equal to the number of reduced
// elements (static dims). Then
//   RESHAPE(f(R(x, axes))) -> f(R(x, axes) with keep_dims)
// for R in SUM, MEAN, REDUCE_MAX, REDUCE_MIN, REDUCE_PROD and f a chain
// (maybe empty) of elementwise ops whose other operands are scalar
// constants (layer norm's + eps, rsqrt), when the reshape only puts the
// reduced axes back as 1s (jnp's keepdims=True) and each result on the way
// feeds only the next op.
#include <algorithm>

#include "ops/op_util.h"
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

// The reduced axes of a reduction with constant axes, or empty.
std::vector<bool> reduced_axes(const Graph& g, const Op& red) {
  const Tensor& x = g.t(red.inputs[0]);
  if (x.unknown_rank) return {};
  auto axes = const_ints(g, red.inputs[1]);
  if (!axes.ok() || axes->empty()) return {};
  std::vector<bool> r(x.rank(), false);
  for (int64_t a : *axes) {
    auto d = normalize_axis(a, x.rank());
    if (!d.ok()) return {};
    r[*d] = true;
  }
  return r;
}

bool is_reducer(OpCode c) {
  return c == OpCode::SUM || c == OpCode::MEAN || c == OpCode::REDUCE_MAX || c == OpCode::REDUCE_MIN ||
         c == OpCode::REDUCE_PROD;
}

// Op `op` scales a SUM by 1/n: DIV(s, n) or MUL(s, 1/n) (either side).
Op* mean_sum(Graph& g, const UseDef& ud, const Op& op) {
  if ((op.code != OpCode::DIV && op.code != OpCode::MUL) || fused_activation(op) != Activation::NONE) return nullptr;
  for (int side = 0; side < (op.code == OpCode::MUL ? 2 : 1); ++side) {
    TensorId s = op.inputs[side], c = op.inputs[1 - side];
    Op* sum = ud.producer_of(g, s);
    const Tensor& ct = g.t(c);
    if (!sum || sum->dead || sum->code != OpCode::SUM || ud.uses[s] != 1 || ud.is_graph_output[s]) continue;
    if (!ct.is_const() || ct.dtype != DType::kFloat32 || ct.num_elements() != 1) continue;
    if (g.t(s).dtype != DType::kFloat32 || g.t(s).shape != g.t(op.outputs[0]).shape) continue;
    std::vector<bool> r = reduced_axes(g, *sum);
    const Tensor& x = g.t(sum->inputs[0]);
    if (r.empty() || !x.has_static_shape()) continue;
    int64_t n = 1;
    for (int d = 0; d < x.rank(); ++d)
      if (r[d]) n *= x.shape[d];
    const float v = ct.as<float>()[0];
    if (op.code == OpCode::DIV ? v == static_cast<float>(n) : v == 1.0f / static_cast<float>(n)) return sum;
  }
  return nullptr;
}

// The one operand of an elementwise op that is not a scalar constant (the
// op's result then has its shape), or kNoTensor.
TensorId elementwise_operand(const Graph& g, const Op& op) {
  switch (op.code) {
    case OpCode::RSQRT: case OpCode::SQRT: case OpCode::LOG: case OpCode::EXP: case OpCode::NEG:
    case OpCode::ABS: case OpCode::SQUARE:
      return op.inputs[0];
    case OpCode::ADD: case OpCode::SUB: case OpCode::MUL: case OpCode::DIV: case OpCode::MAXIMUM:
    case OpCode::MINIMUM: {
      const Tensor& a = g.t(op.inputs[0]);
      const Tensor& b = g.t(op.inputs[1]);
      if (b.is_const() && b.num_elements() == 1 && !a.is_const()) return op.inputs[0];
      if (a.is_const() && a.num_elements() == 1 && !b.is_const()) return op.inputs[1];
      return kNoTensor;
    }
    default:
      return kNoTensor;
  }
}

}  // namespace

Status fuse_mean(Graph& g) {
  UseDef ud(g);
  for (auto& op_ptr : g.ops) {
    Op& op = *op_ptr;
    if (op.dead) continue;
    if (Op* sum = mean_sum(g, ud, op)) {
      op.code = OpCode::MEAN;
      op.inputs = {sum->inputs[0], sum->inputs[1]};
      op.options = tflite::ReducerOptionsT{.keep_dims = opts<tflite::ReducerOptionsT>(*sum).keep_dims};
      sum->dead = true;
    }
  }
  g.compact();
  ud = UseDef(g);
  for (auto& op_ptr : g.ops) {
    Op& rs = *op_ptr;
    if (rs.dead || rs.code != OpCode::RESHAPE) continue;
    // Back from the reshape through elementwise ops to the reduction.
    std::vector<Op*> chain;
    Op* red = nullptr;
    for (TensorId t = rs.inputs[0];;) {
      Op* p = ud.producer_of(g, t);
      if (!p || p->dead || ud.uses[t] != 1 || ud.is_graph_output[t] || p->outputs.size() != 1) break;
      if (is_reducer(p->code)) {
        red = p;
        break;
      }
      TensorId next = elementwise_operand(g, *p);
      if (next == kNoTensor || g.t(next).shape != g.t(t).shape) break;
      chain.push_back(p);
      t = next;
    }
    if (!red || opts<tflite::ReducerOptionsT>(*red).keep_dims) continue;
    std::vector<bool> r = reduced_axes(g, *red);
    const Tensor& x = g.t(red->inputs[0]);
    if (r.empty()) continue;
    Shape kept = x.shape;
    for (int d = 0; d < x.rank(); ++d)
      if (r[d]) kept[d] = 1;
    if (g.t(rs.outputs[0]).shape != kept || std::count(kept.begin(), kept.end(), -1) > 0) continue;
    mutable_opts<tflite::ReducerOptionsT>(*red).keep_dims = true;
    g.t(red->outputs[0]).shape = kept;
    for (Op* p : chain) g.t(p->outputs[0]).shape = kept;
    absorb_consumer(chain.empty() ? *red : *chain.front(), rs);
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
