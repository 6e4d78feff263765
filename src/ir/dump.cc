#include "ir/dump.h"

#include <set>
#include <sstream>

#include "flatbuffers/minireflect.h"
#include "ops/registry.h"

namespace tflc {
namespace {

std::string type_str(const Tensor& t) {
  std::string s = dtype_name(t.dtype);
  if (s == "float32") s = "f32";
  if (t.unknown_rank) return s + "[*]";
  s += "[";
  for (size_t i = 0; i < t.shape.size(); ++i) s += (i ? "," : "") + (t.shape[i] < 0 ? std::string("?") : std::to_string(t.shape[i]));
  return s + "]";
}

std::string ref(const Graph& g, TensorId id) {
  if (id < 0) return "none";
  const Tensor& t = g.t(id);
  std::string s = "%" + t.name;
  if (t.is_const()) s += ":" + type_str(t) + " const";
  return s;
}

// Every field of a schema table, printed by flatc's reflection tables from a
// copy packed with its defaults: "{ axis: 1, fused_activation_function: NONE }".
template <class Union>
std::string table_str(const Union& u, const flatbuffers::TypeTable* union_table) {
  if (static_cast<int>(u.type) == 0) return "";
  flatbuffers::FlatBufferBuilder fbb;
  fbb.ForceDefaults(true);
  fbb.Finish(u.Pack(fbb));
  const flatbuffers::TypeCode& code = union_table->type_codes[static_cast<int>(u.type)];
  return flatbuffers::FlatBufferToString(fbb.GetBufferPointer(), union_table->type_refs[code.sequence_ref]());
}

std::string options_str(const Op& op) {
  std::string s = table_str(op.options.builtin, tflite::BuiltinOptionsTypeTable()) +
                  table_str(op.options.builtin2, tflite::BuiltinOptions2TypeTable());
  if (!op.custom_code.empty()) s += " custom=" + op.custom_code + "(" + std::to_string(op.custom_options.size()) + " bytes)";
  if (!op.callees.empty()) {
    s += " calls=";
    for (size_t i = 0; i < op.callees.size(); ++i) s += (i ? "," : "") + op.callees[i]->name;
  }
  return s.empty() ? "" : " " + s;
}

}  // namespace

std::string dump_graph(const Graph& g) {
  std::ostringstream o;
  o << "graph " << g.name << "(";
  for (size_t i = 0; i < g.inputs.size(); ++i) o << (i ? ", " : "") << "%" << g.t(g.inputs[i]).name << ": " << type_str(g.t(g.inputs[i]));
  o << ")\n";
  for (const auto& op : g.ops) {
    if (op->dead) continue;
    o << "  ";
    for (size_t i = 0; i < op->outputs.size(); ++i) o << (i ? ", " : "") << "%" << g.t(op->outputs[i]).name;
    o << " = " << op_name(op->code) << "(";
    for (size_t i = 0; i < op->inputs.size(); ++i) o << (i ? ", " : "") << ref(g, op->inputs[i]);
    o << ")" << options_str(*op) << " : ";
    for (size_t i = 0; i < op->outputs.size(); ++i) o << (i ? ", " : "") << type_str(g.t(op->outputs[i]));
    o << "\n";
  }
  o << "  return ";
  for (size_t i = 0; i < g.outputs.size(); ++i) o << (i ? ", " : "") << ref(g, g.outputs[i]);
  o << "\n";
  return o.str();
}

std::string dump_model(const Model& m) {
  auto graphs = m.all_subgraphs();
  if (!graphs.ok()) return graphs.status().message() + "\n";
  std::string out;
  for (const Graph* g : *graphs) out += dump_graph(*g);
  return out;
}

Status verify_graph(const Graph& g) {
  std::vector<bool> defined(g.tensors.size(), false);
  for (TensorId i : g.inputs) {
    if (i < 0 || i >= static_cast<TensorId>(g.tensors.size())) return internal_error("graph input id out of range");
    defined[i] = true;
  }
  for (size_t i = 0; i < g.tensors.size(); ++i)
    if (g.tensors[i].is_const() || g.tensors[i].is_variable) defined[i] = true;  // variables: runtime state
  std::set<TensorId> produced;
  for (const auto& op : g.ops) {
    if (op->dead) continue;
    for (TensorId i : op->inputs) {
      if (i >= static_cast<TensorId>(g.tensors.size())) return internal_error("op input id out of range");
      if (i >= 0 && !defined[i])
        return internal_error(op_name(op->code) + " reads '" + g.t(i).name + "' before it is defined");
    }
    for (TensorId o : op->outputs) {
      if (o < 0 || o >= static_cast<TensorId>(g.tensors.size())) return internal_error("op output id out of range");
      if (!produced.insert(o).second) return internal_error("tensor '" + g.t(o).name + "' is produced twice");
      if (g.t(o).is_const()) return internal_error("op output '" + g.t(o).name + "' is a constant");
      defined[o] = true;
    }
  }
  for (TensorId o : g.outputs)
    if (o < 0 || o >= static_cast<TensorId>(g.tensors.size()) || !defined[o])
      return internal_error("graph output is not defined");
  return ok_status();
}

Status verify_model(const Model& m) {
  ASSIGN_OR_RETURN(std::vector<const Graph*> graphs, m.all_subgraphs());
  std::set<std::string> names;
  for (const Graph* g : graphs) {
    if (!names.insert(g->name).second) return internal_error("two subgraphs are named '" + g->name + "'");
    RETURN_IF_ERROR(verify_graph(*g).with_context("subgraph '" + g->name + "'"));
    for (const auto& op : g->ops) {
      if (op->dead || op->callees.empty()) continue;
      for (const auto& c : op->callees)
        if (c->role != SubgraphRole::kBody)
          return internal_error(op_name(op->code) + " calls '" + c->name + "', which is not a body subgraph");
      const OpSchema* s = find_op(op->code);
      if (!s || !s->verify) return internal_error(op_name(op->code) + " calls subgraphs but its record cannot check them");
      RETURN_IF_ERROR(s->verify(*g, *op).with_context(op_name(op->code) + " '" + op->origin + "'"));
    }
  }
  return ok_status();
}

}  // namespace tflc
