#include "ir/graph.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <set>

#include "support/status.h"

namespace tflc {

Buffer make_buffer(std::string bytes) { return std::make_shared<const std::string>(std::move(bytes)); }

bool Tensor::has_static_shape() const {
  if (unknown_rank) return false;
  return std::all_of(shape.begin(), shape.end(), [](int64_t d) { return d >= 0; });
}

int64_t Tensor::num_elements() const {
  if (!has_static_shape()) return -1;
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

TensorId Graph::add_tensor(Tensor t) {
  tensors.push_back(std::move(t));
  return static_cast<TensorId>(tensors.size() - 1);
}

TensorId Graph::add_const(std::string name, DType dtype, std::vector<int64_t> shape, std::string bytes) {
  Tensor t;
  t.name = std::move(name);
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data = make_buffer(std::move(bytes));
  return add_tensor(std::move(t));
}

Op& Graph::add_op(OpCode code, std::vector<TensorId> in, std::vector<TensorId> out, OpOptions options,
                  std::string origin) {
  auto op = std::make_unique<Op>();
  op->code = code;
  op->inputs = std::move(in);
  op->outputs = std::move(out);
  op->options = std::move(options);
  op->origin = std::move(origin);
  ops.push_back(std::move(op));
  return *ops.back();
}

std::vector<int> Graph::producer_index() const {
  std::vector<int> prod(tensors.size(), -1);
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i]->dead) continue;
    for (TensorId o : ops[i]->outputs) prod[o] = static_cast<int>(i);
  }
  return prod;
}

std::vector<int> Graph::use_counts() const {
  std::vector<int> uses(tensors.size(), 0);
  for (const auto& op : ops) {
    if (op->dead) continue;
    for (TensorId i : op->inputs)
      if (i >= 0) ++uses[i];
  }
  for (TensorId o : outputs) ++uses[o];
  return uses;
}

void Graph::replace_uses(TensorId from, TensorId to) {
  for (auto& op : ops)
    for (TensorId& i : op->inputs)
      if (i == from) i = to;
  for (TensorId& o : outputs)
    if (o == from) o = to;
}

void Graph::compact() {
  std::erase_if(ops, [](const std::unique_ptr<Op>& op) { return op->dead; });
  // Kahn's algorithm, stable with respect to the current order.
  std::vector<int> prod = producer_index();
  std::vector<int> pending(ops.size(), 0);
  std::vector<std::vector<int>> users(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    for (TensorId in : ops[i]->inputs) {
      if (in < 0 || prod[in] < 0) continue;
      ++pending[i];
      users[prod[in]].push_back(static_cast<int>(i));
    }
  }
  // A min-heap on the original index keeps the order stable among ready ops.
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (size_t i = 0; i < ops.size(); ++i)
    if (pending[i] == 0) ready.push(static_cast<int>(i));
  std::vector<std::unique_ptr<Op>> sorted;
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    for (int u : users[i])
      if (--pending[u] == 0) ready.push(u);
    sorted.push_back(std::move(ops[i]));
  }
  TFLC_CHECK(sorted.size() == ops.size());  // the IR is acyclic by construction
  ops = std::move(sorted);
}

namespace {

// Depth-first over the callees of every live op; `on_path` catches recursion.
// Pre-order appends a body when first reached, post-order after its callees.
template <class G>
Status collect_bodies(G& g, bool post_order, std::vector<G*>& out, std::set<const Graph*>& seen,
                      std::set<const Graph*>& on_path) {
  on_path.insert(&g);
  for (const auto& op : g.ops) {
    if (op->dead) continue;
    for (const auto& callee : op->callees) {
      if (!callee) return internal_error("'" + g.name + "' has an op with an empty callee");
      if (on_path.count(callee.get()))
        return invalid_input("subgraph '" + callee->name + "' calls itself; recursive functions cannot be converted");
      if (!seen.insert(callee.get()).second) continue;
      if (!post_order) out.push_back(callee.get());
      RETURN_IF_ERROR(collect_bodies<G>(*callee, post_order, out, seen, on_path));
      if (post_order) out.push_back(callee.get());
    }
  }
  on_path.erase(&g);
  return ok_status();
}

template <class G, class M>
Expected<std::vector<G*>> subgraphs_of(M& m, Model::Order order) {
  bool post = order == Model::Order::kCalleesFirst;
  std::vector<G*> out;
  std::set<const Graph*> seen, on_path;
  for (auto& g : m.subgraphs) seen.insert(&g);
  if (!post)
    for (auto& g : m.subgraphs) out.push_back(&g);
  for (auto& g : m.subgraphs) {
    RETURN_IF_ERROR(collect_bodies<G>(g, post, out, seen, on_path));
    if (post) out.push_back(&g);
  }
  return out;
}

}  // namespace

Expected<std::vector<Graph*>> Model::all_subgraphs(Order order) { return subgraphs_of<Graph>(*this, order); }
Expected<std::vector<const Graph*>> Model::all_subgraphs(Order order) const {
  return subgraphs_of<const Graph>(*this, order);
}

}  // namespace tflc
