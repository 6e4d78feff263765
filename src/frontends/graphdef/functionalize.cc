// Loops first (innermost frame first), then conds (innermost first), in the
// graph and in every body made; each rewrite turns one region into one node.
//
// Loop of frame F, per loop value k (a non-constant Enter e_k):
//   e_k -> Merge m_k <- NextIteration n_k;  Switch s_k(m_k, LoopCond(p));
//   s_k:0 -> Exit x_k;  s_k:1 -> body ... -> n_k
// becomes StatelessWhile(e_k inputs..., invariants...) with
//   cond(args) = p,  body(args) = (n_k inputs..., invariants...),
// where constant Enters (is_constant) are invariants passed through.
//
// Cond on predicate P: Switch(v, P):b feeds branch b; Merge joins them.
// It becomes StatelessIf(P, args...) with then = branch 1, else = branch 0,
// where args are the switched values and any other outside values the
// branches read.
#include "frontends/graphdef/functionalize.h"

#include <cctype>
#include <functional>
#include <set>
#include <unordered_map>

namespace tflc {
namespace {

using tensorflow::GraphDef;
using tensorflow::NodeDef;

struct Ref {
  std::string node;
  int port = 0;
};

Ref parse(const std::string& s) {
  std::string t = !s.empty() && s[0] == '^' ? s.substr(1) : s;
  size_t colon = t.rfind(':');
  if (colon != std::string::npos && colon + 1 < t.size() &&
      t.find_first_not_of("0123456789", colon + 1) == std::string::npos)
    return {t.substr(0, colon), std::stoi(t.substr(colon + 1))};
  return {t, 0};
}

std::string ref_str(const Ref& r) { return r.port ? r.node + ":" + std::to_string(r.port) : r.node; }
bool is_control(const std::string& s) { return !s.empty() && s[0] == '^'; }

bool is_op(const NodeDef& n, const char* op) { return n.op() == op || n.op() == std::string("Ref") + op; }

bool has_tf1_control_flow(const GraphDef& g) {
  for (const auto& n : g.node())
    if (is_op(n, "Switch") || is_op(n, "Merge") || is_op(n, "Enter") || is_op(n, "Exit") ||
        is_op(n, "NextIteration") || n.op() == "LoopCond")
      return true;
  return false;
}

// Nodes by name and who reads each node (data and control edges).
struct Index {
  explicit Index(const GraphDef& g) : g(g) {
    for (int i = 0; i < g.node_size(); ++i) by_name[g.node(i).name()] = i;
    for (int i = 0; i < g.node_size(); ++i)
      for (const auto& in : g.node(i).input()) readers[parse(in).node].push_back(i);
  }
  const NodeDef* find(const std::string& name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &g.node(it->second);
  }
  std::vector<const NodeDef*> readers_of(const std::string& name) const {
    std::vector<const NodeDef*> out;
    auto it = readers.find(name);
    if (it != readers.end())
      for (int i : it->second) out.push_back(&g.node(i));
    return out;
  }
  const GraphDef& g;
  std::unordered_map<std::string, int> by_name;
  std::unordered_map<std::string, std::vector<int>> readers;
};

std::string unique_name(const std::string& base, const std::function<bool(const std::string&)>& taken) {
  std::string name = base;
  for (int k = 1; taken(name); ++k) name = base + "_" + std::to_string(k);
  return name;
}

std::string function_name(const std::string& base, const GraphFunctions& fns) {
  std::string clean;
  for (char c : base) clean += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return unique_name(clean, [&](const std::string& n) { return fns.count(n) > 0; });
}

// Copies into `out` the nodes that `roots` depend on, back to the values in
// `args` (a ref -> argument Placeholder name). Every copied node must satisfy
// `inside`; reading anything else is an error from `outside`.
Status copy_region(const Index& idx, const std::vector<Ref>& roots, const std::map<std::string, std::string>& args,
                   const std::function<bool(const std::string&)>& inside,
                   const std::function<Status(const std::string& reader, const Ref& read)>& outside,
                   GraphFunction& out, std::vector<std::string>& outputs) {
  std::set<std::string> done;
  std::function<Expected<std::string>(const std::string& reader, const Ref&)> visit =
      [&](const std::string& reader, const Ref& r) -> Expected<std::string> {
    if (auto a = args.find(ref_str(r)); a != args.end()) return a->second;
    if (!inside(r.node)) {
      RETURN_IF_ERROR(outside(reader, r));
      return internal_error("unreachable");
    }
    if (done.insert(r.node).second) {
      const NodeDef* n = idx.find(r.node);
      if (!n) return invalid_input("node '" + reader + "' reads '" + ref_str(r) + "', which is not in the graph");
      NodeDef copy = *n;
      copy.clear_input();
      for (const auto& in : n->input()) {
        if (is_control(in)) continue;  // order inside a body comes from data edges
        ASSIGN_OR_RETURN(std::string v, visit(n->name(), parse(in)));
        copy.add_input(v);
      }
      *out.graph.add_node() = std::move(copy);
    }
    return ref_str(r);
  };
  for (const Ref& r : roots) {
    ASSIGN_OR_RETURN(std::string v, visit("(result)", r));
    outputs.push_back(v);
  }
  return ok_status();
}

void add_placeholders(GraphFunction& f, const std::vector<std::string>& names) {
  GraphDef g;
  for (const auto& name : names) {
    NodeDef* ph = g.add_node();
    ph->set_name(name);
    ph->set_op("Placeholder");
    (*ph->mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);  // the call site sets the real type
    f.inputs.push_back(name);
  }
  for (auto& n : *f.graph.mutable_node()) *g.add_node() = std::move(n);
  f.graph = std::move(g);
}

// Replaces the graph's nodes: drops `removed`, rewrites the nodes in
// `replaced` (by name) and appends `added`.
void apply(GraphDef& g, const std::set<std::string>& removed, std::map<std::string, NodeDef> replaced,
           std::vector<NodeDef> added) {
  GraphDef out;
  *out.mutable_versions() = g.versions();
  *out.mutable_library() = g.library();
  for (auto& n : *g.mutable_node()) {
    if (auto it = replaced.find(n.name()); it != replaced.end()) *out.add_node() = std::move(it->second);
    else if (!removed.count(n.name())) *out.add_node() = std::move(n);
  }
  for (auto& n : added) *out.add_node() = std::move(n);
  g = std::move(out);
}

Status not_functional(const std::string& what) {
  return invalid_input("cannot functionalize TF1 control flow: " + what +
                       "; export the model with control flow v2 (tf.compat.v1.enable_control_flow_v2())");
}

// ---------------------------------------------------------------- loops

Status rewrite_loop(GraphDef& g, const std::string& frame, const std::set<std::string>& members,
                    GraphFunctions& fns) {
  Index idx(g);
  struct Var {
    const NodeDef *enter, *merge = nullptr, *next = nullptr, *sw = nullptr, *exit = nullptr;
  };
  std::vector<Var> vars;
  std::vector<const NodeDef*> invariants;
  for (const auto& name : members) {
    const NodeDef* n = idx.find(name);
    if (!is_op(*n, "Enter")) continue;
    auto c = n->attr().find("is_constant");
    if (c != n->attr().end() && c->second.b()) invariants.push_back(n);
    else vars.push_back({n});
  }
  const NodeDef* loop_cond = nullptr;
  for (Var& v : vars) {
    for (const NodeDef* r : idx.readers_of(v.enter->name()))
      if (is_op(*r, "Merge")) v.merge = r;
    if (!v.merge) return not_functional("loop value Enter '" + v.enter->name() + "' of frame '" + frame + "' feeds no Merge");
    for (const auto& in : v.merge->input()) {
      const NodeDef* src = idx.find(parse(in).node);
      if (src && is_op(*src, "NextIteration")) v.next = src;
    }
    if (!v.next) return not_functional("Merge '" + v.merge->name() + "' of frame '" + frame + "' has no NextIteration");
    for (const NodeDef* r : idx.readers_of(v.merge->name()))
      if (is_op(*r, "Switch") && r->input_size() == 2 && parse(r->input(0)).node == v.merge->name()) v.sw = r;
    if (!v.sw) return not_functional("Merge '" + v.merge->name() + "' of frame '" + frame + "' feeds no Switch");
    const NodeDef* lc = idx.find(parse(v.sw->input(1)).node);
    if (!lc || lc->op() != "LoopCond")
      return not_functional("Switch '" + v.sw->name() + "' of frame '" + frame + "' is not driven by a LoopCond");
    if (loop_cond && loop_cond != lc) return not_functional("frame '" + frame + "' has two LoopConds");
    loop_cond = lc;
    for (const NodeDef* r : idx.readers_of(v.sw->name()))
      if (is_op(*r, "Exit")) v.exit = r;
  }
  if (!loop_cond) return not_functional("frame '" + frame + "' has no loop value");
  if (loop_cond->input_size() < 1) return not_functional("LoopCond '" + loop_cond->name() + "' has no input");

  // Argument k is loop value k; then the invariants.
  std::map<std::string, std::string> args;
  std::vector<std::string> arg_names;
  for (size_t k = 0; k < vars.size(); ++k) {
    std::string a = "__arg_" + std::to_string(k);
    args[vars[k].merge->name()] = a;
    args[vars[k].sw->name() + ":1"] = a;
    arg_names.push_back(a);
  }
  for (size_t j = 0; j < invariants.size(); ++j) {
    std::string a = "__inv_" + std::to_string(j);
    args[invariants[j]->name()] = a;
    arg_names.push_back(a);
  }
  auto inside = [&](const std::string& n) { return members.count(n) > 0; };
  auto outside = [&](const std::string& reader, const Ref& r) {
    return not_functional("node '" + reader + "' in loop frame '" + frame + "' reads '" + ref_str(r) +
                          "' without an Enter, or reads the loop's own Switch/Exit");
  };
  GraphFunction cond, body;
  RETURN_IF_ERROR(copy_region(idx, {parse(loop_cond->input(0))}, args, inside, outside, cond, cond.outputs));
  std::vector<Ref> next;
  for (const Var& v : vars) {
    if (v.next->input_size() < 1) return not_functional("NextIteration '" + v.next->name() + "' has no input");
    next.push_back(parse(v.next->input(0)));
  }
  RETURN_IF_ERROR(copy_region(idx, next, args, inside, outside, body, body.outputs));
  for (size_t j = 0; j < invariants.size(); ++j) body.outputs.push_back("__inv_" + std::to_string(j));
  add_placeholders(cond, arg_names);
  add_placeholders(body, arg_names);

  std::string cond_name = function_name(frame + "_cond", fns);
  fns[cond_name] = std::move(cond);
  std::string body_name = function_name(frame + "_body", fns);
  fns[body_name] = std::move(body);

  NodeDef loop;
  loop.set_name(unique_name(frame + "/while", [&](const std::string& n) { return idx.find(n) != nullptr; }));
  loop.set_op("StatelessWhile");
  auto* types = (*loop.mutable_attr())["T"].mutable_list();
  for (const Var& v : vars) {
    loop.add_input(v.enter->input(0));
    types->add_type(v.enter->attr().count("T") ? v.enter->attr().at("T").type() : tensorflow::DT_FLOAT);
  }
  for (const NodeDef* inv : invariants) {
    loop.add_input(inv->input(0));
    types->add_type(inv->attr().count("T") ? inv->attr().at("T").type() : tensorflow::DT_FLOAT);
  }
  (*loop.mutable_attr())["cond"].mutable_func()->set_name(cond_name);
  (*loop.mutable_attr())["body"].mutable_func()->set_name(body_name);

  // Each Exit becomes an Identity of its loop value, under its own name.
  std::map<std::string, NodeDef> replaced;
  for (size_t k = 0; k < vars.size(); ++k) {
    if (!vars[k].exit) continue;
    NodeDef id;
    id.set_name(vars[k].exit->name());
    id.set_op("Identity");
    id.add_input(loop.name() + (k ? ":" + std::to_string(k) : ""));
    if (vars[k].exit->attr().count("T")) (*id.mutable_attr())["T"] = vars[k].exit->attr().at("T");
    replaced[id.name()] = std::move(id);
  }
  for (const auto& m : members) {
    if (replaced.count(m)) continue;
    for (const NodeDef* r : idx.readers_of(m))
      if (!members.count(r->name()))
        return not_functional("node '" + r->name() + "' outside loop frame '" + frame + "' reads '" + m +
                              "' from inside it without an Exit");
  }
  apply(g, members, std::move(replaced), {std::move(loop)});
  return ok_status();
}

Status functionalize_loops(GraphDef& g, GraphFunctions& fns) {
  for (int guard = 0; guard < 100000; ++guard) {
    Index idx(g);
    std::map<std::string, std::vector<std::string>> frames;
    for (const auto& n : g.node()) {
      if (!is_op(n, "Enter")) continue;
      auto f = n.attr().find("frame_name");
      if (f == n.attr().end()) return not_functional("Enter '" + n.name() + "' has no frame_name");
      frames[f->second.s()].push_back(n.name());
    }
    if (frames.empty()) return ok_status();
    bool rewrote = false;
    for (const auto& [frame, enters] : frames) {
      // The frame's nodes: everything its Enters reach, up to the Exits.
      std::set<std::string> members;
      std::vector<std::string> stack(enters.begin(), enters.end());
      bool nested = false;
      while (!stack.empty()) {
        std::string name = stack.back();
        stack.pop_back();
        if (!members.insert(name).second) continue;
        const NodeDef* n = idx.find(name);
        if (is_op(*n, "Exit")) continue;
        if (is_op(*n, "Enter") && n->attr().at("frame_name").s() != frame) nested = true;
        for (const NodeDef* r : idx.readers_of(name)) stack.push_back(r->name());
      }
      if (nested) continue;  // inner frames first
      RETURN_IF_ERROR(rewrite_loop(g, frame, members, fns));
      rewrote = true;
      break;
    }
    if (!rewrote) return not_functional("the loop frames nest in a cycle");
  }
  return not_functional("too many loop frames");
}

// ---------------------------------------------------------------- conds

// A predicate seen through Identity nodes: TF1 conds switch their values on
// pred_id = Identity(pred) and their constants on Switch(pred, pred).
std::string canonical_pred(const Index& idx, std::string ref) {
  for (int hops = 0; hops < 1000; ++hops) {
    const NodeDef* n = idx.find(parse(ref).node);
    if (!n || n->op() != "Identity" || n->input_size() < 1 || parse(ref).port != 0) break;
    ref = n->input(0);
  }
  return ref;
}

// The Switches (by predicate and port) that a value depends on, looking
// back through everything but Switches.
void switches_above(const Index& idx, const Ref& r, std::set<std::string>& seen,
                    std::set<std::pair<std::string, int>>& found) {
  const NodeDef* n = idx.find(r.node);
  if (!n) return;
  if (is_op(*n, "Switch")) {
    if (n->input_size() == 2) found.insert({canonical_pred(idx, n->input(1)), r.port});
    return;
  }
  if (!seen.insert(r.node).second) return;
  for (const auto& in : n->input())
    if (!is_control(in)) switches_above(idx, parse(in), seen, found);
}

Status rewrite_cond(GraphDef& g, const std::string& pred, const std::vector<const NodeDef*>& merges,
                    const std::vector<int>& then_input, GraphFunctions& fns) {
  Index idx(g);
  std::vector<const NodeDef*> switches;
  for (const auto& n : g.node())
    if (is_op(n, "Switch") && n.input_size() == 2 && canonical_pred(idx, n.input(1)) == pred) switches.push_back(&n);
  std::set<std::string> merge_names, switch_names;
  for (const NodeDef* m : merges) merge_names.insert(m->name());
  for (const NodeDef* s : switches) switch_names.insert(s->name());
  // Branch b: what the Switches' port b reach, up to the Merges.
  std::set<std::string> branch[2];
  for (int b = 0; b < 2; ++b) {
    std::vector<std::string> stack;
    for (const NodeDef* s : switches)
      for (const NodeDef* r : idx.readers_of(s->name()))
        for (const auto& in : r->input())
          if (parse(in).node == s->name() && (is_control(in) || parse(in).port == b)) stack.push_back(r->name());
    while (!stack.empty()) {
      std::string name = stack.back();
      stack.pop_back();
      if (merge_names.count(name) || switch_names.count(name) || !branch[b].insert(name).second) continue;
      for (const NodeDef* r : idx.readers_of(name)) stack.push_back(r->name());
    }
  }
  std::map<std::string, std::string> args_by_ref;
  std::vector<std::string> arg_refs;
  auto arg_for = [&](const std::string& ref) {
    auto it = args_by_ref.find(ref);
    if (it != args_by_ref.end()) return it->second;
    std::string a = "__arg_" + std::to_string(arg_refs.size());
    args_by_ref[ref] = a;
    arg_refs.push_back(ref);
    return a;
  };
  GraphFunction fn[2];
  for (int b = 0; b < 2; ++b) {
    // Switched values, and outside values the branch reads, become arguments.
    std::map<std::string, std::string> args;
    std::map<std::string, std::string> switch_input;
    for (const NodeDef* s : switches) switch_input[s->name()] = s->input(0);
    std::vector<Ref> roots;
    for (size_t k = 0; k < merges.size(); ++k) {
      int pos = then_input[k];
      if (b == 0)
        for (int i = 0; i < merges[k]->input_size(); ++i)
          if (i != then_input[k] && !is_control(merges[k]->input(i))) pos = i;
      roots.push_back(parse(merges[k]->input(pos)));
    }
    // Switched and outside values are found as the branch is copied; copy
    // again until every one is an argument (only those read are passed).
    for (int round = 0;; ++round) {
      GraphFunction f;
      std::string missing, missing_value;
      Status st = copy_region(
          idx, roots, args, [&](const std::string& n) { return branch[b].count(n) > 0; },
          [&](const std::string& reader, const Ref& r) -> Status {
            if (switch_names.count(r.node) && r.port == b) {
              missing = ref_str(r);
              missing_value = switch_input[r.node];
              return invalid_input("(retry)");
            }
            if (switch_names.count(r.node) || branch[1 - b].count(r.node) || merge_names.count(r.node))
              return not_functional("node '" + reader + "' of a cond on '" + pred + "' reads '" + ref_str(r) +
                                    "' from the other branch");
            missing = missing_value = ref_str(r);
            return invalid_input("(retry)");
          },
          f, f.outputs);
      if (st.ok()) {
        fn[b] = std::move(f);
        break;
      }
      if (missing.empty() || round > 10000) return st;
      args[missing] = arg_for(missing_value);
    }
  }
  std::vector<std::string> names;
  for (size_t i = 0; i < arg_refs.size(); ++i) names.push_back("__arg_" + std::to_string(i));
  NodeDef cond;
  cond.set_name(unique_name(parse(pred).node + "/cond", [&](const std::string& n) { return idx.find(n) != nullptr; }));
  cond.set_op("StatelessIf");
  cond.add_input(pred);
  for (const auto& r : arg_refs) cond.add_input(r);
  auto* tout = (*cond.mutable_attr())["Tout"].mutable_list();
  for (const NodeDef* m : merges) tout->add_type(m->attr().count("T") ? m->attr().at("T").type() : tensorflow::DT_FLOAT);
  for (int b = 0; b < 2; ++b) {
    add_placeholders(fn[b], names);
    std::string name = function_name(cond.name() + (b ? "_then" : "_else"), fns);
    fns[name] = std::move(fn[b]);
    (*cond.mutable_attr())[b ? "then_branch" : "else_branch"].mutable_func()->set_name(name);
  }
  std::set<std::string> removed = switch_names;
  removed.insert(branch[0].begin(), branch[0].end());
  removed.insert(branch[1].begin(), branch[1].end());
  std::map<std::string, NodeDef> replaced;
  for (size_t k = 0; k < merges.size(); ++k) {
    NodeDef id;
    id.set_name(merges[k]->name());
    id.set_op("Identity");
    id.add_input(cond.name() + (k ? ":" + std::to_string(k) : ""));
    if (merges[k]->attr().count("T")) (*id.mutable_attr())["T"] = merges[k]->attr().at("T");
    replaced[id.name()] = std::move(id);
    for (const NodeDef* r : idx.readers_of(merges[k]->name()))
      for (const auto& in : r->input())
        if (parse(in).node == merges[k]->name() && parse(in).port == 1 && !is_control(in))
          return unsupported("not supported yet: node '" + r->name() + "' reads which branch Merge '" +
                             merges[k]->name() + "' took (its output 1)");
  }
  for (const auto& n : removed)
    for (const NodeDef* r : idx.readers_of(n))
      if (!removed.count(r->name()) && !replaced.count(r->name()))
        return not_functional("node '" + r->name() + "' reads '" + n + "' from inside a cond on '" + pred +
                              "' without its Merge");
  apply(g, removed, std::move(replaced), {std::move(cond)});
  return ok_status();
}

Status functionalize_conds(GraphDef& g, GraphFunctions& fns) {
  for (int guard = 0; guard < 100000; ++guard) {
    Index idx(g);
    // Merges grouped by the one predicate their inputs are switched on.
    std::map<std::string, std::vector<const NodeDef*>> groups;
    std::map<std::string, std::vector<int>> then_inputs;
    bool any = false;
    for (const auto& n : g.node()) {
      if (!is_op(n, "Merge")) continue;
      any = true;
      std::set<std::string> preds;
      int then_input = -1;
      int data_inputs = 0;
      bool mixed = false;
      for (int i = 0; i < n.input_size(); ++i) {
        if (is_control(n.input(i))) continue;
        ++data_inputs;
        std::set<std::string> seen;
        std::set<std::pair<std::string, int>> found;
        switches_above(idx, parse(n.input(i)), seen, found);
        if (found.empty()) return not_functional("Merge '" + n.name() + "' input '" + n.input(i) + "' has no Switch above it");
        std::set<int> ports;
        for (const auto& [p, port] : found) preds.insert(p), ports.insert(port);
        if (preds.size() > 1) mixed = true;
        else if (ports.size() == 1 && *ports.begin() == 1) then_input = i;
      }
      if (data_inputs != 2) return not_functional("Merge '" + n.name() + "' has " + std::to_string(data_inputs) + " inputs; a cond's has 2");
      if (mixed) continue;  // an inner cond comes first
      if (then_input < 0) return not_functional("neither input of Merge '" + n.name() + "' comes from a Switch's true side");
      groups[*preds.begin()].push_back(&n);
      then_inputs[*preds.begin()].push_back(then_input);
    }
    if (!any) return ok_status();
    if (groups.empty()) return not_functional("the conds' Merges mix predicates");
    const auto& [pred, merges] = *groups.begin();
    RETURN_IF_ERROR(rewrite_cond(g, pred, merges, then_inputs[pred], fns));
  }
  return not_functional("too many conds");
}

}  // namespace

Status functionalize_control_flow(GraphDef& graph, GraphFunctions& fns) {
  if (!has_tf1_control_flow(graph)) return ok_status();
  RETURN_IF_ERROR(functionalize_loops(graph, fns));
  RETURN_IF_ERROR(functionalize_conds(graph, fns));
  // Bodies made so far may hold conds (a cond inside a loop).
  std::set<std::string> done;
  for (bool more = true; more;) {
    more = false;
    for (auto& [name, f] : fns) {
      if (!done.insert(name).second) continue;
      GraphDef copy = f.graph;
      RETURN_IF_ERROR(functionalize_conds(copy, fns));
      fns[name].graph = std::move(copy);
      more = true;
      break;  // fns may have grown; iterate afresh
    }
  }
  return ok_status();
}

}  // namespace tflc
