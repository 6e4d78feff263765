#include "api/conversion_report.h"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "ops/registry.h"

namespace tflc {

namespace {

std::string dot_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    if (c == '\n') o += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20) o += '?';
    else o += c;
  }
  return o;
}

std::string html_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string type_str(const Tensor& t) {
  std::string s = dtype_name(t.dtype);
  if (t.unknown_rank) return s + "[*]";
  s += "[";
  for (size_t i = 0; i < t.shape.size(); ++i) s += (i ? "," : "") + (t.shape[i] < 0 ? std::string("?") : std::to_string(t.shape[i]));
  return s + "]";
}

void graph_to_dot(const Graph& g, const std::string& prefix, std::ostringstream& o) {
  std::vector<int> producer = g.producer_index();
  auto tensor_node = [&](TensorId id) { return prefix + "t" + std::to_string(id); };
  auto op_node = [&](int i) { return prefix + "op" + std::to_string(i); };
  std::set<TensorId> drawn;  // tensors with a node of their own
  for (TensorId i : g.inputs) {
    o << "    " << tensor_node(i) << " [shape=ellipse, style=filled, fillcolor=\"#d8ecff\", label=\"input "
      << dot_escape(g.t(i).name) << "\\n" << type_str(g.t(i)) << "\"];\n";
    drawn.insert(i);
  }
  for (size_t k = 0; k < g.ops.size(); ++k) {
    const Op& op = *g.ops[k];
    if (op.dead) continue;
    std::string label = op_name(op.code) + " v" + std::to_string(op_version(g, op));
    if (op.code == OpCode::CUSTOM) label += "\\n" + dot_escape(op.custom_code);
    if (!op.origin.empty()) label += "\\n" + dot_escape(op.origin);
    o << "    " << op_node(static_cast<int>(k)) << " [shape=box, style=filled, fillcolor=\"#fff2cc\", label=\"" << label
      << "\"];\n";
    for (TensorId in : op.inputs) {
      if (in < 0) continue;
      const Tensor& t = g.t(in);
      std::string edge = dot_escape(t.name) + "\\n" + type_str(t);
      if (t.is_const()) {
        if (drawn.insert(in).second)
          o << "    " << tensor_node(in) << " [shape=note, style=filled, fillcolor=\"#eeeeee\", fontsize=9, label=\"const "
            << dot_escape(t.name) << "\\n" << type_str(t) << "\"];\n";
        o << "    " << tensor_node(in) << " -> " << op_node(static_cast<int>(k)) << ";\n";
      } else if (producer[in] >= 0) {
        o << "    " << op_node(producer[in]) << " -> " << op_node(static_cast<int>(k)) << " [label=\"" << edge
          << "\", fontsize=9];\n";
      } else {
        o << "    " << tensor_node(in) << " -> " << op_node(static_cast<int>(k)) << ";\n";
      }
    }
    for (const auto& c : op.callees)
      o << "    " << op_node(static_cast<int>(k)) << " -> \"cluster_" << dot_escape(c->name)
        << "_entry\" [style=dashed, label=\"calls\"];\n";
  }
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    TensorId id = g.outputs[i];
    std::string node = prefix + "out" + std::to_string(i);
    o << "    " << node << " [shape=ellipse, style=filled, fillcolor=\"#d9f2d9\", label=\"output "
      << dot_escape(g.t(id).name) << "\\n" << type_str(g.t(id)) << "\"];\n";
    std::string from = producer[id] >= 0 ? op_node(producer[id]) : tensor_node(id);
    o << "    " << from << " -> " << node << ";\n";
  }
}

}  // namespace

std::string model_to_dot(const Model& m, const std::string& title) {
  std::ostringstream o;
  o << "digraph \"" << dot_escape(title) << "\" {\n  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n";
  auto graphs = m.all_subgraphs();
  if (graphs.ok()) {
    for (size_t i = 0; i < graphs->size(); ++i) {
      const Graph& g = *(*graphs)[i];
      std::string prefix = "g" + std::to_string(i) + "_";
      o << "  subgraph \"cluster_" << dot_escape(g.name) << "\" {\n    label=\"subgraph " << i << ": "
        << dot_escape(g.name) << "\";\n";
      // A body's entry point, for the dashed edges from its callers.
      if (g.role == SubgraphRole::kBody) o << "    \"cluster_" << dot_escape(g.name) << "_entry\" [shape=point];\n";
      graph_to_dot(g, prefix, o);
      o << "  }\n";
    }
  }
  o << "}\n";
  return o.str();
}

int count_ops(const Model& m) {
  int n = 0;
  auto graphs = m.all_subgraphs();
  if (!graphs.ok()) return 0;
  for (const Graph* g : *graphs)
    for (const auto& op : g->ops) n += !op->dead;
  return n;
}

void summarize_ops(const Model& m, ConversionSummary& s) {
  std::map<std::string, int> counts;
  std::map<std::string, std::vector<std::string>> by_origin;
  auto graphs = m.all_subgraphs();
  if (!graphs.ok()) return;
  for (const Graph* g : *graphs)
    for (const auto& op : g->ops) {
      if (op->dead) continue;
      std::string name = op_name(op->code);
      if (op->code == OpCode::CUSTOM) name += " (" + op->custom_code + ")";
      name += " v" + std::to_string(op_version(*g, *op));
      ++counts[name];
      if (op->code != OpCode::CUSTOM) ++s.builtin_ops;
      else if (op->custom_code.rfind("Flex", 0) == 0) ++s.select_ops;
      else ++s.custom_ops;
      auto& v = by_origin[op->origin.empty() ? "(made by the converter)" : op->origin];
      if (std::find(v.begin(), v.end(), name) == v.end()) v.push_back(name);
    }
  s.op_counts.assign(counts.begin(), counts.end());
  for (const auto& [origin, ops] : by_origin) {
    std::string list;
    for (const auto& n : ops) list += (list.empty() ? "" : ", ") + n;
    s.mapping.push_back({origin, list});
  }
}

std::string summary_html(const ConversionSummary& s) {
  std::ostringstream o;
  int before = 0, after = 0;
  for (const auto& snap : s.graphs) {
    if (snap.stage == "AT_IMPORT") before = snap.op_count;
    if (snap.stage == "AFTER_TRANSFORMATIONS") after = snap.op_count;
  }
  o << "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Conversion summary</title>\n"
    << "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
    << "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}pre{background:#f6f6f6;padding:1em;"
    << "overflow:auto;max-height:30em}.ok{color:#070}.fail{color:#b00}</style></head><body>\n"
    << "<h1>Conversion summary</h1>\n<p>Status: "
    << (s.error.empty() ? "<b class=\"ok\">Success</b>" : "<b class=\"fail\">Fail</b>") << "<br>Source: <code>"
    << html_escape(s.source) << "</code><br>";
  if (s.error.empty())
    o << "Output: <code>" << html_escape(s.output_file) << "</code><br>min_runtime_version: "
      << html_escape(s.min_runtime) << "<br>";
  o << "Ops at import: " << before << "; after conversion: " << after << " (builtin " << s.builtin_ops
    << ", Select TF " << s.select_ops << ", custom " << s.custom_ops << ")<br>Post-training quantization "
    << (s.post_training_quantization ? "is" : "isn't") << " enabled.</p>\n";
  if (!s.error.empty()) o << "<h2>Error</h2>\n<pre>" << html_escape(s.error) << "</pre>\n";
  if (!s.op_counts.empty()) {
    o << "<h2>TFLite ops</h2>\n<table><tr><th>op (version)</th><th>count</th></tr>\n";
    for (const auto& [k, n] : s.op_counts) o << "<tr><td>" << html_escape(k) << "</td><td>" << n << "</td></tr>\n";
    o << "</table>\n<h2>Source node to TFLite ops</h2>\n<table><tr><th>source node</th><th>TFLite ops</th></tr>\n";
    for (const auto& [k, v] : s.mapping)
      o << "<tr><td>" << html_escape(k) << "</td><td>" << html_escape(v) << "</td></tr>\n";
    o << "</table>\n";
  }
  for (const auto& snap : s.graphs)
    o << "<h2>Graph " << html_escape(snap.stage) << " (GraphViz)</h2>\n<pre>" << html_escape(snap.dot) << "</pre>\n";
  o << "</body></html>\n";
  return o.str();
}

}  // namespace tflc
