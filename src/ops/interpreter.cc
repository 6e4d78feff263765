#include "ops/interpreter.h"

#include "ops/op_util.h"

namespace tflc {

namespace {
thread_local SubgraphValueObserver* t_observer = nullptr;
}  // namespace

ScopedSubgraphObserver::ScopedSubgraphObserver(SubgraphValueObserver* o) : previous_(t_observer) { t_observer = o; }
ScopedSubgraphObserver::~ScopedSubgraphObserver() { t_observer = previous_; }

bool runs_only_in_runtime(const Op& op) { return op.code == OpCode::CUSTOM; }

Graph scratch_copy(const Graph& g) {
  Graph s;
  s.name = g.name;
  s.role = g.role;
  for (const Tensor& t : g.tensors) {
    Tensor c = t;
    c.quant.reset();
    s.tensors.push_back(std::move(c));
  }
  for (const auto& op : g.ops)
    if (!op->dead) s.ops.push_back(std::make_unique<Op>(*op));
  s.inputs = g.inputs;
  s.outputs = g.outputs;
  return s;
}

Status run_op(Graph& s, Op& op, bool reinfer, const std::string& what) {
  const OpSchema* schema = find_op(op.code);
  std::string where = op.origin.empty() ? "" : ", from '" + op.origin + "'";
  if (!schema || !schema->eval)
    return unsupported("not supported yet: " + what + " " + op_name(op.code) + " (" +
                       (schema && schema->no_eval_reason ? schema->no_eval_reason : "no reference kernel") + where +
                       ")");
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    TensorId id = op.inputs[i];
    if (id >= 0 && !s.t(id).data)
      return unsupported("not supported yet: " + what + " " + op_name(op.code) + " (input " + std::to_string(i) +
                         " has no value" + where + ")");
  }
  if (reinfer) RETURN_IF_ERROR(infer_op(s, op).with_context(what + " " + op_name(op.code) + where));
  // Ops that call bodies take their output shapes from the bodies' results
  // (a loop value may change shape between iterations).
  const bool shapes_from_bodies = !op.callees.empty();
  for (TensorId o : op.outputs) {
    const Tensor& t = s.t(o);
    if (!shapes_from_bodies && !t.has_static_shape())
      return unsupported("not supported yet: " + what + " " + op_name(op.code) + " (output shape " +
                         shape_str(t.shape) + " is not known" + where + ")");
  }
  Status st = schema->eval(s, op);
  if (!st.ok()) return st.with_context(what + " " + op_name(op.code) + where);
  for (TensorId o : op.outputs) {
    const Tensor& t = s.t(o);
    int64_t want = t.num_elements() * dtype_size(t.dtype);
    if (!t.data || (dtype_size(t.dtype) > 0 && static_cast<int64_t>(t.data->size()) != want))
      return internal_error(what + " " + op_name(op.code) + where + ": the kernel left output '" + t.name +
                            "' without a value of its shape");
  }
  return ok_status();
}

Expected<std::vector<Tensor>> run_subgraph(const Graph& g, const std::vector<const Tensor*>& inputs,
                                           const std::string& what) {
  if (inputs.size() != g.inputs.size())
    return internal_error("subgraph '" + g.name + "' takes " + std::to_string(g.inputs.size()) + " inputs, given " +
                          std::to_string(inputs.size()));
  Graph s = scratch_copy(g);
  for (size_t i = 0; i < inputs.size(); ++i) {
    Tensor& t = s.t(s.inputs[i]);
    const Tensor& v = *inputs[i];
    if (!v.data) return internal_error("subgraph '" + g.name + "' given an input without a value");
    if (v.dtype != t.dtype)
      return invalid_input("subgraph '" + g.name + "' input " + std::to_string(i) + " is " + dtype_name(t.dtype) +
                           ", given " + dtype_name(v.dtype));
    t.data = v.data;
    t.shape = v.shape;
    t.unknown_rank = false;
    if (t_observer) t_observer->seen(g, s.inputs[i], t);
  }
  const bool skip = t_observer && t_observer->skips_custom_ops();
  std::vector<const Op*> originals;  // g's live ops, in the scratch copy's order
  for (const auto& op : g.ops)
    if (!op->dead) originals.push_back(op.get());
  std::vector<bool> no_value(s.tensors.size(), false);  // outputs of skipped ops
  for (size_t k = 0; k < s.ops.size(); ++k) {
    Op& op = *s.ops[k];
    if (skip) {
      bool dependent = runs_only_in_runtime(op);
      for (TensorId i : op.inputs) dependent |= i >= 0 && no_value[static_cast<size_t>(i)];
      if (dependent) {
        for (TensorId o : op.outputs)
          if (o >= 0) no_value[static_cast<size_t>(o)] = true;
        t_observer->skipped(g, *originals[k]);
        continue;
      }
    }
    RETURN_IF_ERROR(run_op(s, op, true, what).with_context("in subgraph '" + g.name + "'"));
    if (t_observer)
      for (TensorId o : op.outputs) t_observer->seen(g, o, s.t(o));
  }
  std::vector<Tensor> out;
  for (TensorId o : s.outputs) {
    if (o >= 0 && no_value[static_cast<size_t>(o)]) {
      t_observer->cut(g);
      return unsupported("not supported yet: " + what + " subgraph '" + g.name + "': output '" + s.t(o).name +
                         "' depends on a Flex or custom op, which only the runtime runs");
    }
    if (!s.t(o).data) return internal_error("subgraph '" + g.name + "' output '" + s.t(o).name + "' has no value");
    out.push_back(s.t(o));
  }
  return out;
}

}  // namespace tflc
