// Leaky ReLU in the forms JAX and hand-written graphs spell it
// (jax.nn.leaky_relu is jnp.where(x >= 0, x, a * x)):
//   SELECT_V2(x > 0 or x >= 0, x, x * a)   SELECT_V2(x < 0 or x <= 0, x * a, x)
//   MAXIMUM(x, x * a) with 0 <= a <= 1
// -> LEAKY_RELU(x, alpha = a), for a float32 constant a with one value (a
// splat: StableHLO broadcasts its scalars). At x = 0 every form gives 0;
// NaN stays NaN. The compare and the product must feed only this op.
#include <cstdint>
#include <optional>
#include <vector>

#include "passes/passes.h"
#include "passes/pattern.h"

namespace tflc {
namespace {

// The one value of a float32 constant whose elements are all equal.
std::optional<float> splat(const Tensor& t) {
  if (!t.is_const() || t.dtype != DType::kFloat32 || t.num_elements() < 1) return std::nullopt;
  const float* v = t.as<float>();
  for (int64_t i = 1; i < t.num_elements(); ++i)
    if (!(v[i] == v[0])) return std::nullopt;
  return v[0];
}

bool only_here(const UseDef& ud, TensorId t) { return ud.uses[t] == 1 && !ud.is_graph_output[t]; }

// `t` is MUL(x, a) or MUL(a, x), used only here: a, else nullopt.
std::optional<float> scaled(Graph& g, const UseDef& ud, TensorId t, TensorId x) {
  Op* m = ud.producer_of(g, t);
  if (!m || m->dead || m->code != OpCode::MUL || !only_here(ud, t) || fused_activation(*m) != Activation::NONE)
    return std::nullopt;
  for (int side = 0; side < 2; ++side)
    if (m->inputs[side] == x)
      if (auto a = splat(g.t(m->inputs[1 - side]))) return a;
  return std::nullopt;
}

// `c` compares x with zero: +1 for x > 0 / x >= 0 (or 0 < x, 0 <= x), -1
// for x < 0 / x <= 0 (or 0 > x, 0 >= x), 0 otherwise.
int sign_test(Graph& g, const UseDef& ud, TensorId c, TensorId x) {
  Op* p = ud.producer_of(g, c);
  if (!p || p->dead || !only_here(ud, c) || p->inputs.size() != 2) return 0;
  int dir = p->code == OpCode::GREATER || p->code == OpCode::GREATER_EQUAL ? 1
            : p->code == OpCode::LESS || p->code == OpCode::LESS_EQUAL  ? -1
                                                                         : 0;
  if (dir == 0) return 0;
  for (int side = 0; side < 2; ++side) {
    auto z = splat(g.t(p->inputs[1 - side]));
    if (p->inputs[side] == x && z && *z == 0.0f) return side == 0 ? dir : -dir;
  }
  return 0;
}

void kill_producer(Graph& g, const UseDef& ud, TensorId t) {
  if (Op* p = ud.producer_of(g, t)) p->dead = true;
}

void make_leaky(Op& op, TensorId x, float alpha) {
  tflite::LeakyReluOptionsT o;
  o.alpha = alpha;
  op.code = OpCode::LEAKY_RELU;
  op.inputs = {x};
  op.options = OpOptions(o);
}

}  // namespace

Status fuse_leaky_relu(Graph& g) {
  UseDef ud(g);
  bool changed = false;
  for (auto& op_ptr : g.ops) {
    Op& op = *op_ptr;
    if (op.dead || op.outputs.size() != 1 || g.t(op.outputs[0]).dtype != DType::kFloat32) continue;
    const std::vector<int64_t>& out = g.t(op.outputs[0]).shape;
    if (op.code == OpCode::SELECT_V2 && op.inputs.size() == 3) {
      for (int pos = 1; pos <= 2; ++pos) {  // pos: where x itself is taken
        TensorId x = op.inputs[pos], ax = op.inputs[3 - pos];
        if (g.t(x).shape != out || g.t(x).dtype != DType::kFloat32) continue;
        auto a = scaled(g, ud, ax, x);
        int s = a ? sign_test(g, ud, op.inputs[0], x) : 0;
        if (s != (pos == 1 ? 1 : -1)) continue;  // x where x > 0, a·x elsewhere
        kill_producer(g, ud, op.inputs[0]);
        kill_producer(g, ud, ax);
        make_leaky(op, x, *a);
        changed = true;
        break;
      }
    } else if (op.code == OpCode::MAXIMUM && op.inputs.size() == 2 && fused_activation(op) == Activation::NONE) {
      for (int side = 0; side < 2; ++side) {
        TensorId x = op.inputs[side], ax = op.inputs[1 - side];
        if (g.t(x).shape != out) continue;
        auto a = scaled(g, ud, ax, x);
        if (!a || !(*a >= 0.0f && *a <= 1.0f)) continue;  // max(x, a·x) is leaky only there
        kill_producer(g, ud, ax);
        make_leaky(op, x, *a);
        changed = true;
        break;
      }
    }
  }
  if (changed) g.compact();
  return ok_status();
}

}  // namespace tflc
