// Activation matching, for the expanded forms JAX emits (jax.nn.gelu in
// both forms, hard_swish, sigmoid written out, relu6 as min(max(x, 0), 6)):
// a result computed from one tensor x and scalar constants by elementwise
// ops alone (ADD, SUB, MUL, DIV, NEG, EXP, TANH, ...) becomes one builtin
//   GELU (exact or approximate), HARD_SWISH, LOGISTIC, RELU6, RELU_N1_TO_1
// when it computes that function. Written out, each form has many
// spellings (operand order, 0.5 x vs x / 2, x / sqrt 2 vs x * 0.707, erf as
// the rational function of ops/erf.h), so instead of one pattern per
// spelling the candidate is run on the reference kernels over probe points
// (dense on [-8, 8], out to +-40) and must agree with the function to 1e-5
// relative there. The candidate ops exclude comparisons and SELECT, so
// the result is piecewise smooth in x with few pieces; agreement on the
// dense probes (0.01 apart, plus off-grid points) is taken as the same
// function: a near miss would need a kink between probes. Every intermediate result
// must feed only the candidate. Float32 only; at most 40 ops, and only
// candidates with the ops a target needs (TANH for the tanh GELU, EXP for
// LOGISTIC, ...) are evaluated, on a coarse subset of the probes first.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <vector>

#include "ops/interpreter.h"
#include "ops/op_util.h"
#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

constexpr size_t kMaxOps = 40;  // the erf form of GELU has 29
constexpr int kMaxLeafDepth = 4;

bool allowed(OpCode c) {
  switch (c) {
    case OpCode::ADD: case OpCode::SUB: case OpCode::MUL: case OpCode::DIV: case OpCode::NEG:
    case OpCode::EXP: case OpCode::TANH: case OpCode::LOGISTIC: case OpCode::RELU: case OpCode::RELU6:
    case OpCode::MINIMUM: case OpCode::MAXIMUM: case OpCode::SQUARE: case OpCode::ABS:
      return true;
    default:
      return false;
  }
}

// How many of a candidate's ops have one of `codes`: from lo to hi.
struct Need {
  std::vector<OpCode> codes;
  int lo, hi;
};

struct Target {
  OpCode code;
  bool approximate;  // GELU only
  double (*f)(double);
  // A cheap filter before any evaluation: the candidate's size, and counts.
  size_t min_ops, max_ops;
  std::vector<Need> needs;
};

double gelu_exact(double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }
double gelu_tanh(double x) { return 0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x))); }
double hard_swish(double x) { return x * std::min(std::max(x + 3, 0.0), 6.0) / 6; }
double logistic(double x) { return 1 / (1 + std::exp(-x)); }
double relu6(double x) { return std::min(std::max(x, 0.0), 6.0); }
double relu_n1_to_1(double x) { return std::min(std::max(x, -1.0), 1.0); }

using C = OpCode;
const Target kTargets[] = {
    // erf as ops/erf.h builds it: 25 ops, one clamp, one DIV.
    {C::GELU, false, gelu_exact, 26, 40, {{{C::MINIMUM}, 1, 1}, {{C::MAXIMUM}, 1, 1}, {{C::DIV}, 1, 3}}},
    {C::GELU, true, gelu_tanh, 5, 12, {{{C::TANH}, 1, 1}}},
    {C::HARD_SWISH, false, hard_swish, 3, 8, {{{C::MINIMUM, C::RELU6}, 1, 1}}},
    {C::LOGISTIC, false, logistic, 2, 6, {{{C::EXP}, 1, 1}}},
    {C::RELU6, false, relu6, 2, 3, {{{C::MINIMUM}, 1, 1}}},
    {C::RELU_N1_TO_1, false, relu_n1_to_1, 2, 3, {{{C::MINIMUM}, 1, 1}, {{C::MAXIMUM}, 1, 1}}},
};

// The op a target's expression ends in: a product or quotient (GELU,
// HARD_SWISH, LOGISTIC) or a clamp (RELU6, RELU_N1_TO_1).
bool root_op(OpCode c) {
  return c == C::MUL || c == C::DIV || c == C::MINIMUM || c == C::MAXIMUM || c == C::RELU;
}

bool plausible(const Target& t, const Graph& g, const std::set<int>& ops) {
  if (ops.size() < t.min_ops || ops.size() > t.max_ops) return false;
  for (const Need& n : t.needs) {
    int k = 0;
    for (int i : ops) k += std::count(n.codes.begin(), n.codes.end(), g.ops[i]->code) > 0;
    if (k < n.lo || k > n.hi) return false;
  }
  return true;
}

const std::vector<float>& probes() {
  static const std::vector<float> p = [] {
    std::vector<float> v;
    for (int i = 0; i <= 1600; ++i) v.push_back(-8.0f + 0.01f * i);
    for (int i = 0; i < 200; ++i) v.push_back(std::sin(i * 1.618034f) * 8.0f);  // off the grid
    for (float x : {9.5f, 12.f, 16.7f, 20.f, 30.f, 40.f}) v.push_back(x), v.push_back(-x);
    return v;
  }();
  return p;
}

// Every 64th probe: a first check that rejects most candidates cheaply.
const std::vector<float>& coarse_probes() {
  static const std::vector<float> p = [] {
    std::vector<float> v;
    for (size_t i = 0; i < probes().size(); i += 64) v.push_back(probes()[i]);
    return v;
  }();
  return p;
}

bool scalar_const(const Tensor& t) { return t.is_const() && t.dtype == DType::kFloat32 && t.num_elements() == 1; }

// The ops (indices into g.ops) computing `t` from `leaf` and scalar
// constants, every intermediate shaped like `leaf`; false if another value
// enters or the ops are too many.
bool collect(Graph& g, const UseDef& ud, TensorId t, TensorId leaf, std::set<int>& ops) {
  if (t == leaf) return true;
  if (scalar_const(g.t(t))) return true;
  int pi = ud.producer[t];
  if (pi < 0) return false;
  if (ops.count(pi)) return true;
  const Op& op = *g.ops[pi];
  if (op.dead || !allowed(op.code) || op.outputs.size() != 1 || g.t(t).dtype != DType::kFloat32 ||
      g.t(t).shape != g.t(leaf).shape || ops.size() >= kMaxOps)
    return false;
  ops.insert(pi);
  for (TensorId in : op.inputs)
    if (in < 0 || !collect(g, ud, in, leaf, ops)) return false;
  return true;
}

// The values of the ops `ops` (ending in `root`) at the points `p`.
Expected<std::vector<float>> evaluate(const Graph& g, const std::set<int>& ops, TensorId leaf, TensorId root,
                                      const std::vector<float>& p) {
  Graph s;
  std::map<TensorId, TensorId> ids;
  Tensor x;
  x.name = "x";
  x.shape = {static_cast<int64_t>(p.size())};
  ids[leaf] = s.add_tensor(x);
  s.inputs = {ids[leaf]};
  for (int i : ops) {
    Op c = *g.ops[i];
    for (TensorId& in : c.inputs) {
      auto it = ids.find(in);
      if (it == ids.end()) {
        Tensor k = g.t(in);
        k.shape.clear();  // a scalar, whatever its rank of 1s
        k.quant.reset();
        it = ids.emplace(in, s.add_tensor(std::move(k))).first;
      }
      in = it->second;
    }
    Tensor o;
    o.name = g.t(c.outputs[0]).name;
    c.outputs[0] = ids[g.ops[i]->outputs[0]] = s.add_tensor(o);
    s.ops.push_back(std::make_unique<Op>(std::move(c)));
  }
  s.outputs = {ids[root]};
  Tensor in;
  in.shape = x.shape;
  in.data = make_buffer(to_bytes(p));
  ASSIGN_OR_RETURN(std::vector<Tensor> out, run_subgraph(s, {&in}, "matching activations:"));
  return const_values<float>(out[0]);
}

bool agrees(const Target& t, const std::vector<float>& y, const std::vector<float>& p) {
  if (y.size() != p.size()) return false;
  for (size_t i = 0; i < p.size(); ++i) {
    double ref = t.f(p[i]);
    if (!(std::abs(y[i] - ref) <= 1e-5 * std::max(1.0, std::abs(ref)))) return false;  // false on NaN
  }
  return true;
}

// The target the candidate computes, or null: the coarse probes first, then all.
const Target* which(const Graph& g, const std::set<int>& ops, TensorId leaf, TensorId root) {
  std::vector<const Target*> maybe;
  for (const Target& t : kTargets)
    if (plausible(t, g, ops)) maybe.push_back(&t);
  if (maybe.empty()) return nullptr;
  // A candidate the reference kernels cannot run is no match.
  Expected<std::vector<float>> y = evaluate(g, ops, leaf, root, coarse_probes());
  if (!y.ok()) return nullptr;
  std::erase_if(maybe, [&](const Target* t) { return !agrees(*t, *y, coarse_probes()); });
  if (maybe.empty()) return nullptr;
  y = evaluate(g, ops, leaf, root, probes());
  if (!y.ok()) return nullptr;
  for (const Target* t : maybe)
    if (agrees(*t, *y, probes())) return t;
  return nullptr;
}

struct Match {
  const Target* target = nullptr;
  TensorId leaf = kNoTensor;
  std::set<int> ops;
};

// The largest candidate computing a target, over every leaf reachable
// from the root through candidate ops.
Match match_at(Graph& g, const UseDef& ud, int root_index) {
  Match best;
  const Op& root = *g.ops[root_index];
  TensorId r = root.outputs[0];
  // Each target's x is at most 4 ops above its last op (1 / (1 + exp(-x))).
  std::set<TensorId> leaves;
  std::vector<TensorId> level(root.inputs.begin(), root.inputs.end());
  for (int depth = 0; depth < kMaxLeafDepth && !level.empty(); ++depth) {
    std::vector<TensorId> next;
    for (TensorId t : level) {
      if (t < 0 || g.t(t).is_const() || !leaves.insert(t).second) continue;
      int pi = ud.producer[t];
      if (pi >= 0 && allowed(g.ops[pi]->code)) next.insert(next.end(), g.ops[pi]->inputs.begin(), g.ops[pi]->inputs.end());
    }
    level = std::move(next);
  }
  for (TensorId leaf : leaves) {
    const Tensor& lt = g.t(leaf);
    if (lt.dtype != DType::kFloat32 || lt.unknown_rank || lt.shape != g.t(r).shape) continue;
    std::set<int> ops;
    if (!collect(g, ud, r, leaf, ops) || ops.size() < 2 || ops.size() <= best.ops.size()) continue;
    if (std::none_of(std::begin(kTargets), std::end(kTargets), [&](const Target& t) { return plausible(t, g, ops); }))
      continue;
    // Each intermediate result feeds only the candidate.
    std::map<TensorId, int> inner_uses;
    for (int i : ops)
      for (TensorId in : g.ops[i]->inputs) ++inner_uses[in];
    bool closed = true;
    for (int i : ops) {
      TensorId o = g.ops[i]->outputs[0];
      if (o != r && (ud.is_graph_output[o] || inner_uses[o] != ud.uses[o])) closed = false;
    }
    if (!closed) continue;
    if (const Target* t = which(g, ops, leaf, r)) best = Match{t, leaf, std::move(ops)};
  }
  return best;
}

}  // namespace

Status fuse_elementwise_activations(Graph& g) {
  UseDef ud(g);
  // Last ops first, so the whole expression matches before its parts.
  for (int i = static_cast<int>(g.ops.size()) - 1; i >= 0; --i) {
    Op& root = *g.ops[i];
    if (root.dead || !root_op(root.code) || root.outputs.size() != 1) continue;
    Match m = match_at(g, ud, i);
    if (!m.target) continue;
    for (int k : m.ops)
      if (k != i) g.ops[k]->dead = true;
    root.code = m.target->code;
    root.inputs = {m.leaf};
    root.options = m.target->code == OpCode::GELU ? OpOptions(tflite::GeluOptionsT{.approximate = m.target->approximate})
                                                  : OpOptions{};
    ud = UseDef(g);
  }
  g.compact();
  return ok_status();
}

}  // namespace tflc
