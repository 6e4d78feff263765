#include "frontends/saved_model/flatten.h"

#include "frontends/graphdef/op_defs.h"
#include "frontends/graphdef/unsupported_ops.h"

#include <charconv>
#include <map>
#include <set>
#include <unordered_map>

namespace tflc {
namespace {

constexpr int kMaxCallDepth = 64;

bool is_call_op(const std::string& op) { return op == "StatefulPartitionedCall" || op == "PartitionedCall"; }

// Ops that change state (variables, tables). A signature that runs one is
// not a pure function; freezing would silently drop its effect.
bool mutates_state(const std::string& op) {
  static const std::set<std::string> exact = {
      "Assign", "AssignAdd", "AssignSub", "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp",
      "ScatterUpdate", "ScatterAdd", "ScatterSub", "ScatterMul", "ScatterDiv", "ScatterNdUpdate", "ScatterNdAdd",
      "InitializeTable", "InitializeTableV2", "InitializeTableFromTextFile", "InitializeTableFromTextFileV2",
      "LookupTableInsert", "LookupTableInsertV2", "LookupTableImport", "LookupTableImportV2", "LookupTableRemoveV2",
      "QueueEnqueue", "QueueEnqueueV2", "StackPushV2", "TensorArrayWriteV3"};
  auto starts = [&](const char* p) { return op.rfind(p, 0) == 0; };
  return exact.count(op) || starts("Apply") || starts("ResourceApply") || starts("SparseApply") ||
         starts("ResourceSparseApply") || starts("ResourceScatter");
}

bool is_variable_op(const std::string& op) {
  return op == "VarHandleOp" || op == "VariableV2" || op == "Variable";
}

std::vector<std::string> split(const std::string& s, char c) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(c, start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// A non-negative decimal index, as in "node:output:2".
bool parse_index(const std::string& s, int* out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size() && *out >= 0;
}

class Flattener {
 public:
  Flattener(const tensorflow::GraphDef& g, const VariableResolver& resolve) : g_(g), resolve_(resolve) {
    for (const auto& f : g.library().function()) functions_[f.signature().name()] = &f;
  }

  Expected<tensorflow::GraphDef> run(const std::vector<std::string>& outputs) {
    std::unordered_map<std::string, const tensorflow::NodeDef*> by_name;
    for (const auto& n : g_.node()) by_name[n.name()] = &n;
    // Reachable main-graph nodes, through data edges only.
    std::vector<std::string> stack;
    for (const auto& o : outputs) stack.push_back(o.substr(0, o.find(':')));
    std::set<std::string> seen;
    while (!stack.empty()) {
      std::string name = stack.back();
      stack.pop_back();
      if (!seen.insert(name).second) continue;
      auto it = by_name.find(name);
      if (it == by_name.end()) return invalid_input("the graph has no node '" + name + "'");
      // Control edges are followed too: they reach the stateful ops a
      // signature runs for their effect (checked below, then dropped).
      for (const auto& in : it->second->input()) {
        if (in.empty()) continue;
        std::string ref = in[0] == '^' ? in.substr(1) : in;
        stack.push_back(ref.substr(0, ref.find(':')));
      }
    }
    for (const auto& n : g_.node()) {
      if (!seen.count(n.name())) continue;
      std::vector<std::string> inputs;
      for (const auto& in : n.input())
        if (!in.empty() && in[0] != '^') inputs.push_back(in);
      RETURN_IF_ERROR(emit(n, n.name(), inputs, 0));
    }
    if (!stateful_.empty()) return unsupported_ops_status(stateful_);
    *out_.mutable_versions() = g_.versions();
    // If/While bodies are imported from the library later.
    if (calls_bodies_) *out_.mutable_library() = g_.library();
    return std::move(out_);
  }

 private:
  const tensorflow::FunctionDef* function_of(const tensorflow::NodeDef& n) const {
    std::string f;
    if (is_call_op(n.op())) {
      auto it = n.attr().find("f");
      if (it == n.attr().end()) return nullptr;
      f = it->second.func().name();
    } else {
      f = n.op();
    }
    auto it = functions_.find(f);
    return it == functions_.end() ? nullptr : it->second;
  }

  // The flat output index of `arg:index` of body node `n`, from the op's
  // OpDef (or the called function's signature when `n` calls one by name).
  // An op without an OpDef is read as one output arg; the importer reports
  // it as unsupported.
  Expected<int> flat_output(const tensorflow::NodeDef& n, const std::string& arg, int index) const {
    auto fn = functions_.find(n.op());
    const tensorflow::OpDef* def = fn != functions_.end() ? &fn->second->signature() : find_op_def(n.op());
    if (!def) return index;
    ASSIGN_OR_RETURN(std::vector<OutputArg> args, output_args(*def, n));
    return flat_output_index(args, arg, index);
  }

  // Emits `n` under `name` reading `inputs` (already flat tensor names).
  Status emit(const tensorflow::NodeDef& n, const std::string& name, const std::vector<std::string>& inputs,
              int depth) {
    if (is_call_op(n.op()) || functions_.count(n.op())) {
      const tensorflow::FunctionDef* f = function_of(n);
      if (!f) return invalid_input("node '" + name + "' calls a function that is not in the graph's library");
      return inline_call(*f, name, inputs, depth);
    }
    static const std::set<std::string> body_ops = {"If", "StatelessIf", "While", "StatelessWhile", "Case",
                                                   "StatelessCase"};
    calls_bodies_ = calls_bodies_ || body_ops.count(n.op()) > 0;
    if (mutates_state(n.op()))
      stateful_.push_back({n.op(), name, {},
                           "changes a variable or table; a TFLite model cannot keep that state, so convert "
                           "a signature that only reads it"});
    tensorflow::NodeDef* copy = out_.add_node();
    if (is_variable_op(n.op())) {
      auto value = resolve_(n);
      if (!value.ok()) return value.status();
      copy->set_name(name);
      copy->set_op("Const");
      (*copy->mutable_attr())["dtype"].set_type(value->dtype());
      *(*copy->mutable_attr())["value"].mutable_tensor() = std::move(value).value();
      return ok_status();
    }
    *copy = n;
    copy->set_name(name);
    copy->clear_input();
    for (const auto& in : inputs) copy->add_input(in);
    copy->clear_device();
    if (n.op() == "ReadVariableOp") copy->set_op("Identity");  // reads the frozen value
    for (const auto& [key, value] : n.attr())
      if (!value.placeholder().empty())
        return unsupported("not supported yet: node '" + name + "' has attribute '" + key +
                           "' bound to a function parameter");
    return ok_status();
  }

  Status inline_call(const tensorflow::FunctionDef& f, const std::string& call, const std::vector<std::string>& inputs,
                     int depth) {
    if (depth >= kMaxCallDepth)
      return invalid_input("function calls nest deeper than " + std::to_string(kMaxCallDepth) + " at '" + call + "'");
    const auto& sig = f.signature();
    if (sig.input_arg_size() != static_cast<int>(inputs.size()))
      return invalid_input("call '" + call + "' passes " + std::to_string(inputs.size()) + " inputs to function '" +
                           sig.name() + "', which takes " + std::to_string(sig.input_arg_size()));
    std::map<std::string, std::string> args;
    for (int i = 0; i < sig.input_arg_size(); ++i) args[sig.input_arg(i).name()] = inputs[i];
    std::map<std::string, const tensorflow::NodeDef*> body;
    for (const auto& nd : f.node_def()) body[nd.name()] = &nd;
    std::string prefix = call + "/";

    // "arg" | "node:out_arg:i" inside the body -> a flat tensor name.
    auto resolve = [&](const std::string& ref) -> Expected<std::string> {
      std::vector<std::string> parts = split(ref, ':');
      if (parts.size() == 1) {
        auto it = args.find(ref);
        if (it == args.end()) return invalid_input("function '" + sig.name() + "' reads unknown '" + ref + "'");
        return it->second;
      }
      auto node = body.find(parts[0]);
      if (node == body.end()) return invalid_input("function '" + sig.name() + "' reads unknown node '" + parts[0] + "'");
      int index = 0;
      if (parts.size() > 3 || (parts.size() == 3 && !parse_index(parts[2], &index)))
        return invalid_input("function '" + sig.name() + "' reads '" + ref + "'; expected node:output:index");
      auto flat = flat_output(*node->second, parts[1], index);
      if (!flat.ok()) return flat.status().with_context("function '" + sig.name() + "' reads '" + ref + "'");
      std::string name = prefix + parts[0];
      if (*flat != 0) name += ':' + std::to_string(*flat);
      return name;
    };

    for (const auto& nd : f.node_def()) {
      std::vector<std::string> ins;
      for (const auto& in : nd.input()) {
        if (in.empty() || in[0] == '^') continue;  // control edges are dropped
        ASSIGN_OR_RETURN(std::string r, resolve(in));
        ins.push_back(std::move(r));
      }
      RETURN_IF_ERROR(emit(nd, prefix + nd.name(), ins, depth + 1));
    }
    // The call's outputs: an IdentityN named like the call, over the rets.
    tensorflow::NodeDef* outs = out_.add_node();
    outs->set_name(call);
    outs->set_op("IdentityN");
    for (const auto& arg : sig.output_arg()) {
      auto it = f.ret().find(arg.name());
      if (it == f.ret().end()) return invalid_input("function '" + sig.name() + "' does not return '" + arg.name() + "'");
      ASSIGN_OR_RETURN(std::string r, resolve(it->second));
      outs->add_input(r);
    }
    return ok_status();
  }

  const tensorflow::GraphDef& g_;
  const VariableResolver& resolve_;
  std::unordered_map<std::string, const tensorflow::FunctionDef*> functions_;
  tensorflow::GraphDef out_;
  std::vector<UnsupportedOp> stateful_;
  bool calls_bodies_ = false;
};

}  // namespace

Expected<tensorflow::GraphDef> flatten_graph(const tensorflow::GraphDef& graph, const std::vector<std::string>& outputs,
                                             const VariableResolver& resolve_variable) {
  return Flattener(graph, resolve_variable).run(outputs);
}

}  // namespace tflc
