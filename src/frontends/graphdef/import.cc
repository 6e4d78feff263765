#include "frontends/graphdef/import.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <google/protobuf/text_format.h>
#include <flatbuffers/flexbuffers.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <map>
#include <set>
#include <unordered_map>

#include "frontends/graphdef/custom_ops.h"
#include "frontends/graphdef/functionalize.h"
#include "support/printable.h"
#include "frontends/graphdef/op_defs.h"
#include "frontends/graphdef/tensor_proto.h"
#include "frontends/graphdef/tf_op_registry.h"
#include "frontends/graphdef/unsupported_ops.h"
#include "frontends/saved_model/flatten.h"
#include "frontends/saved_model/tensor_bundle_writer.h"
#include "ops/registry.h"
#include "tensorflow/core/framework/types.pb.h"

namespace tflc {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool looks_like_text(std::string_view b) {
  size_t n = std::min<size_t>(b.size(), 256);
  if (n == 0) return false;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(b[i]);
    if (c < 9 || (c > 13 && c < 32) || c > 126) return false;
  }
  return true;
}

class FirstErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (first.empty()) first = "line " + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
  }
  std::string first;
};

// Identity-like ops that only forward their input (control edges are dropped).
const std::set<std::string>& forwarding_ops() {
  static const std::set<std::string> s = {"Identity", "StopGradient", "CheckNumerics", "Snapshot",
                                          "PreventGradient", "EnsureShape"};
  return s;
}

struct Ref {
  std::string node;
  int index = 0;
};

Expected<Ref> parse_ref(const std::string& s) {
  Ref r;
  size_t colon = s.rfind(':');
  if (colon == std::string::npos) {
    r.node = s;
    return r;
  }
  r.node = s.substr(0, colon);
  std::string idx = s.substr(colon + 1);
  if (idx.empty() || idx.size() > 6 || !std::all_of(idx.begin(), idx.end(), ::isdigit))
    return invalid_input("'" + s + "' is not a tensor name (expected node or node:index)");
  r.index = std::stoi(idx);
  return r;
}

std::string tensor_type_str(const Tensor& t) {
  if (t.dtype == DType::kInvalid) return "tensor<*x?>";
  if (t.unknown_rank) return "tensor<*x" + dtype_name(t.dtype) + ">";
  std::string s = "tensor<";
  for (int64_t d : t.shape) s += (d < 0 ? std::string("?") : std::to_string(d)) + "x";
  std::string n = dtype_name(t.dtype);
  if (n == "float32") n = "f32";
  else if (n == "int32") n = "i32";
  else if (n == "int64") n = "i64";
  else if (n == "bool") n = "i1";
  return s + n + ">";
}

class Importer {
 public:
  Importer(tensorflow::GraphDef& gd, const GraphDefImportOptions& opt, FunctionImporter* functions = nullptr)
      : gd_(gd), opt_(opt), functions_(functions) {}

  Expected<Model> run() {
    RETURN_IF_ERROR(index_nodes());
    RETURN_IF_ERROR(pick_outputs());
    RETURN_IF_ERROR(pick_inputs());
    RETURN_IF_ERROR(collect_reachable());
    fill_defaults();
    std::vector<int> order;
    Status sorted = topo_sort(&order);
    if (!sorted.ok()) {
      // A cycle usually comes from TF1 control flow; name those ops instead.
      Status u = report_unsupported_types();
      return u.ok() ? sorted : u;
    }
    RETURN_IF_ERROR(create_inputs());
    if (opt_.trace && opt_.trace_function.empty())
      for (size_t k = 0; k < input_nodes_.size(); ++k) {
        trace_.mapping = NodeMapping::kBuiltin;
        // An unranked input stops the conversion (rank_error_), after the ops.
        trace_.detail = poisoned(g_.inputs[k]) ? "a model input, of unknown rank: " + opt_.unknown_rank_hint
                                               : "a model input";
        record_trace(input_nodes_[k], g_.ops.size(), ok_status());
      }
    count_consumers();
    for (int i : order) {
      size_t ops_before = g_.ops.size();
      Status lowered = lower_node(i);
      if (opt_.trace && !input_set_.count(i)) record_trace(i, ops_before, lowered);
      RETURN_IF_ERROR(lowered);
      release_consumed_constants(i, ops_before);
    }
    if (!unsupported_.empty()) return unsupported_ops_status(unsupported_);
    RETURN_IF_ERROR(rank_error_);
    RETURN_IF_ERROR(set_outputs());
    Model m;
    m.source_format = "graphdef";
    m.subgraphs.push_back(std::move(g_));
    m.signatures.push_back(std::move(sig_));
    return m;
  }

 private:
  Status index_nodes() {
    for (int i = 0; i < gd_.node_size(); ++i) {
      const auto& n = gd_.node(i);
      if (n.name().empty()) return invalid_input("node #" + std::to_string(i) + " has no name");
      // TF's importer refuses such names too; ours are printed escaped, on one line.
      if (has_control_chars(n.name()))
        return invalid_input("node '" + escape_controls(n.name()) + "' has control characters in its name; the graph is damaged");
      if (n.op().empty()) return invalid_input("node '" + n.name() + "' has no op type; the graph is damaged");
      if (has_control_chars(n.op()))
        return invalid_input("node '" + n.name() + "' has op type '" + escape_controls(n.op()) +
                             "', with control characters; the graph is damaged");
      if (!by_name_.emplace(n.name(), i).second) return invalid_input("two nodes are named '" + n.name() + "'");
    }
    if (gd_.node_size() == 0) return invalid_input("the GraphDef has no nodes");
    if (gd_.library().function_size() > 0) has_functions_ = true;
    return ok_status();
  }

  Expected<int> find_node(const std::string& name, const char* flag) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end())
      return invalid_input(std::string(flag) + " names '" + name + "', which is not a node of the graph; " +
                           "give a node name or node:index");
    return it->second;
  }

  Status pick_outputs() {
    if (!opt_.output_arrays.empty()) {
      for (const auto& s : opt_.output_arrays) {
        ASSIGN_OR_RETURN(Ref r, parse_ref(s));
        RETURN_IF_ERROR(find_node(r.node, "--output_arrays").status());
        outputs_.push_back(r);
        output_keys_.push_back(r.index == 0 ? r.node : s);
      }
      return ok_status();
    }
    std::set<std::string> consumed;
    for (const auto& n : gd_.node())
      for (const auto& in : n.input())
        if (!in.empty() && in[0] != '^') {
          auto r = parse_ref(in);
          if (r.ok()) consumed.insert(r->node);
        }
    static const std::set<std::string> not_outputs = {"NoOp", "Assert", "Const", "Placeholder", "SaveV2",
                                                      "RestoreV2", "Save", "Restore", "VarHandleOp"};
    for (const auto& n : gd_.node())
      if (!consumed.count(n.name()) && !not_outputs.count(n.op())) {
        outputs_.push_back({n.name(), 0});
        output_keys_.push_back(n.name());
      }
    if (outputs_.empty()) return invalid_input("the graph has no output node; pass --output_arrays");
    return ok_status();
  }

  Status pick_inputs() {
    if (!opt_.input_arrays.empty()) {
      for (const auto& s : opt_.input_arrays) {
        ASSIGN_OR_RETURN(Ref r, parse_ref(s));
        ASSIGN_OR_RETURN(int idx, find_node(r.node, "--input_arrays"));
        if (r.index != 0) return unsupported("not supported yet: input array '" + s + "' is not output 0 of its node");
        input_nodes_.push_back(idx);
      }
    }
    // Without --input_arrays the Placeholders reachable from the outputs are
    // the inputs; collect_reachable() fills them in, in GraphDef order.
    return ok_status();
  }

  Status collect_reachable() {
    std::set<int> inputs(input_nodes_.begin(), input_nodes_.end());
    std::vector<int> stack;
    for (const auto& r : outputs_) stack.push_back(by_name_.at(r.node));
    reachable_.assign(gd_.node_size(), false);
    while (!stack.empty()) {
      int i = stack.back();
      stack.pop_back();
      if (reachable_[i]) continue;
      reachable_[i] = true;
      if (inputs.count(i)) continue;
      for (const auto& in : gd_.node(i).input()) {
        if (in.empty() || in[0] == '^') continue;  // control edges are dropped
        ASSIGN_OR_RETURN(Ref r, parse_ref(in));
        auto it = by_name_.find(r.node);
        if (it == by_name_.end())
          return invalid_input("node '" + gd_.node(i).name() + "' reads '" + in + "', which is not in the graph");
        stack.push_back(it->second);
      }
    }
    if (opt_.input_arrays.empty())
      for (int i = 0; i < gd_.node_size(); ++i)
        if (reachable_[i] && gd_.node(i).op() == "Placeholder") input_nodes_.push_back(i);
    for (int i : input_nodes_) input_set_.insert(i);
    return ok_status();
  }

  Status topo_sort(std::vector<int>* order) {
    // Iterative DFS; state 1 = on stack, 2 = done.
    std::vector<char> state(gd_.node_size(), 0);
    for (const auto& out : outputs_) {
      int root = by_name_.at(out.node);
      std::vector<std::pair<int, int>> stack = {{root, 0}};
      while (!stack.empty()) {
        auto& [i, next] = stack.back();
        if (next == 0) {
          if (state[i] == 2) {
            stack.pop_back();
            continue;
          }
          state[i] = 1;
        }
        const auto& node = gd_.node(i);
        bool pushed = false;
        if (!input_set_.count(i)) {
          while (next < node.input_size()) {
            const std::string& in = node.input(next++);
            if (in.empty() || in[0] == '^') continue;
            int j = by_name_.at(parse_ref(in)->node);
            if (state[j] == 1)
              return invalid_input("the graph has a cycle through node '" + gd_.node(j).name() +
                                   "'; pass a frozen inference graph without loops");
            if (state[j] == 0) {
              stack.push_back({j, 0});
              pushed = true;
              break;
            }
          }
        }
        if (pushed) continue;
        state[i] = 2;
        order->push_back(i);
        stack.pop_back();
      }
    }
    return ok_status();
  }

  Status report_unsupported_types() {
    for (int i = 0; i < gd_.node_size(); ++i) {
      if (!reachable_[i]) continue;
      const auto& n = gd_.node(i);
      if (is_builtin_node(n.op()) || find_tf_op(n.op())) continue;
      unsupported_.push_back({n.op(), n.name(), {}, {}});
    }
    if (unsupported_.empty()) return ok_status();
    return unsupported_ops_status(unsupported_);
  }

  // Older GraphDefs, and SavedModels written with stripped_default_attrs,
  // leave out attrs equal to their OpDef default; add them so lowerings and
  // Flex NodeDefs see every attr. Nodes the importer reads itself (inputs,
  // Placeholder, Const, forwarding ops) keep their attrs as written: an absent
  // Placeholder shape falls back to _output_shapes.
  void fill_defaults() {
    for (int i = 0; i < gd_.node_size(); ++i) {
      if (!reachable_[i] || input_set_.count(i) || is_builtin_node(gd_.node(i).op())) continue;
      tensorflow::NodeDef* n = gd_.mutable_node(i);
      if (const tensorflow::OpDef* def = op_def(n->op())) fill_attr_defaults(*def, *n);
    }
  }

  static bool is_builtin_node(const std::string& op) {
    return op == "Placeholder" || op == "PlaceholderWithDefault" || op == "Const" || op == "IdentityN" ||
           op == "NoOp" || forwarding_ops().count(op);
  }

  Status create_inputs() {
    if (!opt_.input_shapes.empty() && opt_.input_shapes.size() != input_nodes_.size())
      return invalid_input("--input_shapes gives " + std::to_string(opt_.input_shapes.size()) + " shapes for " +
                           std::to_string(input_nodes_.size()) + " inputs; give one shape per input array");
    for (size_t k = 0; k < input_nodes_.size(); ++k) {
      const auto& n = gd_.node(input_nodes_[k]);
      TfNodeContext ctx(g_, n, {}, opt_.fold_budget);
      std::string key = ctx.has_attr("dtype") ? "dtype" : "T";
      ASSIGN_OR_RETURN(DType dtype, ctx.attr_type(key));
      bool is_double = is_double_node(n);
      Tensor t;
      t.name = n.name();
      t.dtype = is_double ? DType::kFloat64 : dtype;
      auto it = n.attr().find("shape");
      if (it == n.attr().end() || it->second.value_case() != tensorflow::AttrValue::kShape) {
        auto os = n.attr().find("_output_shapes");
        if (os != n.attr().end() && os->second.list().shape_size() > 0) {
          ASSIGN_OR_RETURN(t.shape, shape_from_proto(os->second.list().shape(0), &t.unknown_rank));
        } else {
          t.unknown_rank = true;
        }
      } else {
        ASSIGN_OR_RETURN(t.shape, shape_from_proto(it->second.shape(), &t.unknown_rank));
      }
      if (!opt_.input_shapes.empty()) {
        const auto& want = opt_.input_shapes[k];
        if (!t.unknown_rank) {
          bool agree = want.size() == t.shape.size();
          for (size_t d = 0; agree && d < want.size(); ++d) agree = t.shape[d] < 0 || t.shape[d] == want[d];
          if (!agree)
            return invalid_input("--input_shapes gives " + shape_str(want) + " for input '" + n.name() +
                                 "', but the graph declares " + shape_str(t.shape) + "; give a compatible shape");
        }
        t.shape = want;
        t.unknown_rank = false;
      }
      // Reported after lowering, so that unsupported ops are named first.
      bool unranked = t.unknown_rank;
      if (unranked && rank_error_.ok())
        rank_error_ = invalid_input("input '" + n.name() + "' has an unknown rank; " + opt_.unknown_rank_hint);
      TensorId id = g_.add_tensor(std::move(t));
      if (unranked) poisoned_.insert(id);
      g_.inputs.push_back(id);
      sig_.inputs.push_back({n.name(), id});
      values_[{n.name(), 0}] = is_double ? cast_to(id, DType::kFloat32, n.name() + "/to_float32") : id;
    }
    return ok_status();
  }

  bool poisoned(TensorId id) const { return poisoned_.count(id) > 0; }

  Status lower_node(int idx) {
    const auto& node = gd_.node(idx);
    if (input_set_.count(idx)) return ok_status();
    std::vector<TensorId> ins;
    bool any_poisoned = false;
    for (const auto& s : node.input()) {
      if (s.empty() || s[0] == '^') continue;
      Ref r = *parse_ref(s);
      auto it = values_.find({r.node, r.index});
      if (it == values_.end())
        return invalid_input("node '" + node.name() + "' reads '" + s + "', which that node does not produce");
      ins.push_back(it->second);
      any_poisoned = any_poisoned || poisoned(it->second);
    }
    TensorId first_new = static_cast<TensorId>(g_.tensors.size());
    std::vector<TensorId> outs;
    if (node.op() == "Const") {
      auto it = node.attr().find("value");
      if (it == node.attr().end() || !it->second.has_tensor())
        return invalid_input("Const node '" + node.name() + "' has no value");
      auto v = const_from_tensor_proto(*const_cast<tensorflow::AttrValue&>(it->second).mutable_tensor());
      if (!v.ok()) return v.status().with_context("Const node '" + node.name() + "'");
      if (v->dtype == DType::kFloat64) narrow_to_float32(*v);
      outs.push_back(g_.add_const(node.name(), v->dtype, std::move(v->shape), std::move(v->bytes)));
      trace_.detail = "a constant tensor";
    } else if (forwarding_ops().count(node.op()) || node.op() == "PlaceholderWithDefault") {
      if (ins.empty()) return invalid_input(node.op() + " node '" + node.name() + "' has no input");
      outs.push_back(ins[0]);
      trace_.detail = "forwards its input";
    } else if (node.op() == "IdentityN") {
      outs = ins;
      trace_.detail = "forwards its inputs";
    } else if (node.op() == "NoOp") {
      trace_.detail = "dropped";
      return ok_status();
    } else if (any_poisoned) {
      // Downstream of an unsupported op: list it only if it is unsupported too.
      if (!find_tf_op(node.op())) {
        unsupported_.push_back(make_entry(node, ins, ""));
        classify_unlowered(node.op());
        if (can_fall_back(node.op())) {
          trace_.mapping = NodeMapping::kUnchecked;
          trace_.detail = std::string(flex_ok(node.op()) ? "a Flex op" : "a custom op") +
                          ", not tried: an input comes from a node that is not lowered";
        }
      } else {
        trace_.mapping = NodeMapping::kUnchecked;
        trace_.detail = "has a lowering, not tried: an input comes from a node that is not lowered";
      }
      RETURN_IF_ERROR(poison_outputs(node));
      return ok_status();
    } else if (TfLowerFn fn = find_tf_op(node.op())) {
      size_t ops_before_lowering = g_.ops.size();
      TfNodeContext ctx(g_, node, ins, opt_.fold_budget);
      ctx.set_functions(functions_);
      auto r = fn(ctx);
      if (!r.ok()) {
        if (r.status().kind() == ErrorKind::kUnsupported && can_fall_back(node.op())) {
          // A form the lowering does not take still runs in TF: Flex it, or
          // leave it to the user's custom kernel.
          g_.ops.resize(ops_before_lowering);
          trace_.detail = "the builtin lowering does not take this form (" + r.status().message() + ")";
          return fall_back(node, ins);
        }
        if (r.status().kind() == ErrorKind::kUnsupported) {
          unsupported_.push_back(make_entry(node, ins, r.status().message()));
          trace_.mapping = is_flex_op(node.op()) ? NodeMapping::kFlex : NodeMapping::kUnsupported;
          trace_.detail = r.status().message();
          RETURN_IF_ERROR(poison_outputs(node));
          return ok_status();
        }
        return r.status().with_context(node.op() + " node '" + node.name() + "'");
      }
      outs = std::move(r).value();
      for (size_t i = 0; i < outs.size(); ++i)
        if (outs[i] >= first_new) g_.t(outs[i]).name = ctx.output_name(static_cast<int>(i));
    } else if (can_fall_back(node.op())) {
      trace_.detail = flex_ok(node.op()) ? "no builtin lowering; in TF's Flex allowlist"
                                         : "no builtin lowering or Flex kernel: written as a custom op (--allow_custom_ops)";
      return fall_back(node, ins);
    } else {
      unsupported_.push_back(make_entry(node, ins, ""));
      classify_unlowered(node.op());
      RETURN_IF_ERROR(poison_outputs(node));
      return ok_status();
    }
    for (size_t i = 0; i < outs.size(); ++i) values_[{node.name(), static_cast<int>(i)}] = outs[i];
    return ok_status();
  }

  // An op type with no lowering (and no fallback allowed): Flex, custom (TF
  // has no OpDef for it) or a TF op with neither.
  void classify_unlowered(const std::string& op) {
    if (is_flex_op(op)) {
      trace_.mapping = NodeMapping::kFlex;
      trace_.detail = "no builtin lowering; in TF's Flex allowlist";
    } else if (!find_op_def(op)) {
      // The table holds every op TF lowers or runs through Flex, so an op
      // outside it is a user op, or a TF op with neither.
      trace_.mapping = NodeMapping::kCustom;
      trace_.detail = op_def(op) ? "not a TF op: a custom op (--allow_custom_ops)"
                                 : "no OpDef known (TF's lowered, Flex and control-flow ops, LiteRT's custom ops): "
                                   "a custom op (--allow_custom_ops, with its OpDef in --custom_opdefs)";
    } else {
      trace_.mapping = NodeMapping::kUnsupported;
      trace_.detail = "a TF op with no builtin lowering and not in TF's Flex allowlist";
    }
  }

  // Appends node i's outcome (set in trace_ by lower_node) and resets it.
  void record_trace(int i, size_t ops_before, const Status& lowered) {
    NodeTrace t = std::move(trace_);
    trace_ = NodeTrace();
    const auto& n = gd_.node(i);
    t.signature = opt_.trace->signature;
    t.function = opt_.trace_function;
    t.node = n.name();
    t.op = n.op();
    if (!lowered.ok()) {
      t.mapping = NodeMapping::kUnsupported;
      t.detail = lowered.message();
    } else if (t.mapping == NodeMapping::kBuiltin) {
      for (size_t k = ops_before; k < g_.ops.size(); ++k) {
        const Op& op = *g_.ops[k];
        if (!op.dead) t.builtins.push_back(op.code == OpCode::CUSTOM ? op.custom_code : op_name(op.code));
      }
      if (t.builtins.empty() && t.detail.empty()) t.detail = "folded into a constant";
    }
    opt_.trace->nodes.push_back(std::move(t));
  }

  // How many reachable nodes read each (node, output); graph outputs count too.
  void count_consumers() {
    for (int i = 0; i < gd_.node_size(); ++i) {
      if (!reachable_[i] || input_set_.count(i)) continue;
      for (const auto& in : gd_.node(i).input()) {
        if (in.empty() || in[0] == '^') continue;
        Ref r = *parse_ref(in);
        ++consumers_[{r.node, r.index}];
      }
    }
    for (const auto& r : outputs_) ++consumers_[{r.node, r.index}];
    for (int i : input_nodes_) add_pending(gd_.node(i).name());
  }

  void add_pending(const std::string& node) {
    for (auto it = values_.lower_bound({node, 0}); it != values_.end() && it->first.first == node; ++it) {
      auto c = consumers_.find(it->first);
      if (c != consumers_.end()) pending_[it->second] += c->second;
    }
  }

  // Folding at import (e.g. a transposed filter) leaves the source constant
  // unused: drop its bytes once no node still to be lowered reads it, so the
  // weights are held once, not twice.
  void release_consumed_constants(int idx, size_t ops_before) {
    for (size_t k = ops_before; k < g_.ops.size(); ++k)
      if (!g_.ops[k]->dead)
        for (TensorId t : g_.ops[k]->inputs)
          if (t >= 0) ir_used_.insert(t);
    const auto& node = gd_.node(idx);
    add_pending(node.name());
    if (input_set_.count(idx)) return;
    for (const auto& in : node.input()) {
      if (in.empty() || in[0] == '^') continue;
      Ref r = *parse_ref(in);
      auto v = values_.find({r.node, r.index});
      if (v == values_.end()) continue;
      TensorId t = v->second;
      if (--pending_[t] == 0 && g_.t(t).is_const() && !ir_used_.count(t)) g_.t(t).data.reset();
    }
  }

  UnsupportedOp make_entry(const tensorflow::NodeDef& node, const std::vector<TensorId>& ins, std::string reason) {
    UnsupportedOp u{node.op(), node.name(), {}, std::move(reason)};
    for (TensorId i : ins) u.input_types.push_back(tensor_type_str(g_.t(i)));
    return u;
  }

  // TF's own OpDef, else one from --custom_opdefs, else LiteRT's runtime
  // custom ops.
  const tensorflow::OpDef* op_def(const std::string& op) const {
    if (const tensorflow::OpDef* d = find_op_def(op)) return d;
    for (const auto& d : opt_.fallbacks.custom_opdefs)
      if (d.name() == op) return &d;
    return runtime_custom_op_def(op);
  }

  bool flex_ok(const std::string& op) const {
    const auto& fb = opt_.fallbacks;
    return fb.select_tf_ops && (is_flex_op(op) || std::find(fb.select_user_tf_ops.begin(),
                                                            fb.select_user_tf_ops.end(), op) !=
                                                      fb.select_user_tf_ops.end());
  }
  bool can_fall_back(const std::string& op) const { return flex_ok(op) || opt_.fallbacks.allow_custom_ops; }

  // A node with no builtin lowering as a Flex op (preferred, as TF prefers
  // it) or a custom op. One that cannot be either joins the unsupported list.
  Status fall_back(const tensorflow::NodeDef& node, const std::vector<TensorId>& ins) {
    bool flex = flex_ok(node.op());
    auto r = flex ? lower_flex(node, ins) : lower_custom(node, ins);
    trace_.mapping = flex ? NodeMapping::kFlex : NodeMapping::kCustom;
    if (!r.ok()) {
      if (r.status().kind() != ErrorKind::kUnsupported) return r.status();
      unsupported_.push_back(make_entry(node, ins, r.status().message()));
      trace_.mapping = flex || find_op_def(node.op()) ? NodeMapping::kUnsupported : NodeMapping::kCustom;
      trace_.detail = r.status().message();
      return poison_outputs(node);
    }
    for (size_t i = 0; i < r->size(); ++i) values_[{node.name(), static_cast<int>(i)}] = (*r)[i];
    return ok_status();
  }

  // Output tensors of an op TFLite runs opaquely: types from the OpDef,
  // shapes unknown.
  Expected<std::vector<TensorId>> typed_outputs(const tensorflow::NodeDef& node, const tensorflow::OpDef& def,
                                                const std::vector<TensorId>& ins, const std::string& what) {
    ASSIGN_OR_RETURN(auto args, output_args(def, node));
    TfNodeContext ctx(g_, node, ins, opt_.fold_budget);
    std::vector<TensorId> outs;
    for (int a = 0; a < def.output_arg_size(); ++a) {
      const auto& arg = def.output_arg(a);
      std::vector<DType> types;
      if (!arg.type_list_attr().empty()) {
        auto it = node.attr().find(arg.type_list_attr());
        if (it != node.attr().end())
          for (int t : it->second.list().type()) types.push_back(dtype_from_tf(t));
      } else {
        DType t = DType::kInvalid;
        if (!arg.type_attr().empty()) {
          ASSIGN_OR_RETURN(t, ctx.attr_type(arg.type_attr()));
        } else {
          t = dtype_from_tf(arg.type());
        }
        types.assign(static_cast<size_t>(args[a].count), t);
      }
      if (static_cast<int>(types.size()) != args[a].count)
        return invalid_input(what + " " + node.op() + " node '" + node.name() + "': output '" + arg.name() +
                             "' has " + std::to_string(types.size()) + " types for " + std::to_string(args[a].count) +
                             " tensors");
      for (size_t k = 0; k < types.size(); ++k) {
        if (types[k] == DType::kInvalid)
          return unsupported("not supported yet: " + what + " " + node.op() + " node '" + node.name() + "' output '" +
                             arg.name() + "' has a type TFLite lacks");
        Tensor t;
        t.name = node.name() + (outs.empty() ? std::string() : ":" + std::to_string(outs.size()));
        t.dtype = types[k];
        t.unknown_rank = true;
        outs.push_back(g_.add_tensor(std::move(t)));
      }
    }
    return outs;
  }

  // A Flex op: CUSTOM "Flex<Op>" with the NodeDef (its OpDef defaults
  // filled in by fill_defaults) in flex_custom_options.
  Expected<std::vector<TensorId>> lower_flex(const tensorflow::NodeDef& node, const std::vector<TensorId>& ins) {
    const tensorflow::OpDef* def = op_def(node.op());
    if (!def) return unsupported("Flex op " + node.op() + " (node '" + node.name() + "') has no OpDef to type its outputs");
    ASSIGN_OR_RETURN(std::vector<TensorId> outs, typed_outputs(node, *def, ins, "Flex op"));
    Op& op = g_.add_op(OpCode::CUSTOM, ins, outs, {}, node.name());
    op.custom_code = "Flex" + node.op();
    op.custom_options = flex_custom_options(node);
    return outs;
  }

  // A custom op (allow_custom_ops): CUSTOM named by the op type, its attrs
  // in custom_op_options. The inputs must match the OpDef, as TF's importer
  // checks them.
  Expected<std::vector<TensorId>> lower_custom(const tensorflow::NodeDef& node, const std::vector<TensorId>& ins) {
    const tensorflow::OpDef* def = op_def(node.op());
    if (!def)
      return unsupported("is not a TensorFlow op: declare it with --custom_opdefs (its OpDef as text) to write it "
                         "as a custom op");
    std::string where = "custom op " + node.op() + " node '" + node.name() + "'";
    size_t want = 0;
    for (const auto& arg : def->input_arg()) {
      if (!arg.number_attr().empty() || !arg.type_list_attr().empty()) {
        const std::string& key = arg.number_attr().empty() ? arg.type_list_attr() : arg.number_attr();
        auto it = node.attr().find(key);
        if (it == node.attr().end()) return invalid_input(where + " lacks attr '" + key + "' that its OpDef reads");
        want += arg.number_attr().empty() ? static_cast<size_t>(it->second.list().type_size())
                                          : static_cast<size_t>(std::max<int64_t>(0, it->second.i()));
      } else {
        if (arg.type() != tensorflow::DT_INVALID && want < ins.size() &&
            g_.t(ins[want]).dtype != dtype_from_tf(arg.type()))
          return invalid_input(where + ": input '" + arg.name() + "' is " + dtype_name(g_.t(ins[want]).dtype) +
                               ", but its OpDef says " + dtype_name(dtype_from_tf(arg.type())));
        ++want;
      }
    }
    if (want != ins.size())
      return invalid_input(where + " has " + std::to_string(ins.size()) + " inputs, but its OpDef declares " +
                           std::to_string(want) + "; make --custom_opdefs match the graph");
    ASSIGN_OR_RETURN(std::vector<TensorId> outs, typed_outputs(node, *def, ins, "custom op"));
    std::vector<std::optional<std::vector<int64_t>>> in_shapes;
    for (TensorId i : ins)
      in_shapes.push_back(g_.t(i).unknown_rank ? std::nullopt : std::optional<std::vector<int64_t>>(g_.t(i).shape));
    ASSIGN_OR_RETURN(auto shapes, runtime_custom_op_shapes(node, in_shapes));
    if (shapes && shapes->size() == outs.size())
      for (size_t k = 0; k < outs.size(); ++k) {
        g_.t(outs[k]).shape = (*shapes)[k];
        g_.t(outs[k]).unknown_rank = false;
      }
    Op& op = g_.add_op(OpCode::CUSTOM, ins, outs, {}, node.name());
    op.custom_code = node.op();
    op.custom_options = custom_op_options(node);
    return outs;
  }

  // Placeholders of unknown type and shape for the outputs of a node that is
  // not lowered, one per output something reads. The op's OpDef gives its
  // output count: a read past it stays unresolved, and the reader reports
  // that the node does not produce it. An op without an OpDef gets the
  // outputs its readers read.
  Status poison_outputs(const tensorflow::NodeDef& node) {
    int count = INT_MAX;
    if (const tensorflow::OpDef* def = op_def(node.op())) {
      auto args = output_args(*def, node);
      if (!args.ok()) return args.status().with_context(node.op() + " node '" + node.name() + "'");
      count = output_count(*args);
    }
    for (auto it = consumers_.lower_bound({node.name(), 0});
         it != consumers_.end() && it->first.first == node.name() && it->first.second < count; ++it) {
      int i = it->first.second;
      Tensor t;
      t.name = node.name() + ":" + std::to_string(i);
      t.dtype = DType::kInvalid;
      t.unknown_rank = true;
      TensorId id = g_.add_tensor(std::move(t));
      poisoned_.insert(id);
      values_[{node.name(), i}] = id;
    }
    return ok_status();
  }

  Status set_outputs() {
    for (size_t k = 0; k < outputs_.size(); ++k) {
      auto it = values_.find({outputs_[k].node, outputs_[k].index});
      if (it == values_.end())
        return invalid_input("output array '" + output_keys_[k] + "' is not produced by the graph; check --output_arrays");
      TensorId out = it->second;
      const auto& node = gd_.node(by_name_.at(outputs_[k].node));
      if (is_double_node(node) && g_.t(out).dtype == DType::kFloat32) {
        // Hand float64 back, as the source graph does; the tensor keeps the node's name.
        std::string name = g_.t(out).name;
        g_.t(out).name = name + "/float32";
        out = cast_to(out, DType::kFloat64, name);
      }
      // An output that is an input, or already another output, gets its own
      // tensor: LiteRT misbehaves when one tensor plays both parts.
      bool is_input = std::find(g_.inputs.begin(), g_.inputs.end(), out) != g_.inputs.end();
      bool taken = std::find(g_.outputs.begin(), g_.outputs.end(), out) != g_.outputs.end();
      if (is_input || taken) {
        ASSIGN_OR_RETURN(out, copy_of(out, output_keys_[k]));
      }
      // Output tensors carry the requested names (an Identity's name, say).
      g_.t(out).name = output_keys_[k];
      g_.outputs.push_back(out);
      sig_.outputs.push_back({output_keys_[k], out});
    }
    return ok_status();
  }

  // y = RESHAPE(x, shape of x): the cheapest copy TFLite has.
  Expected<TensorId> copy_of(TensorId x, const std::string& name) {
    tensorflow::NodeDef node;
    node.set_name(name);
    TfNodeContext ctx(g_, node, {x}, opt_.fold_budget);
    const Tensor& t = g_.t(x);
    TensorId shape;
    if (t.has_static_shape()) {
      std::vector<int32_t> dims(t.shape.begin(), t.shape.end());
      shape = ctx.const_i32(dims, "shape");
    } else {
      ASSIGN_OR_RETURN(shape,
                       ctx.emit1(OpCode::SHAPE, {x}, tflite::ShapeOptionsT{.out_type = tflite::TensorType::INT32}));
    }
    return ctx.emit1(OpCode::RESHAPE, {x, shape});
  }

  // A node whose value type is float64 (computed in float32 here).
  static bool is_double_node(const tensorflow::NodeDef& n) {
    for (const char* key : {"T", "dtype", "DstT", "out_type"}) {
      auto it = n.attr().find(key);
      if (it != n.attr().end() && it->second.value_case() == tensorflow::AttrValue::kType)
        return it->second.type() == tensorflow::DT_DOUBLE;
    }
    return false;
  }

  static void narrow_to_float32(ConstValue& v) {
    size_t n = v.bytes.size() / sizeof(double);
    std::string out(n * sizeof(float), '\0');
    const double* src = reinterpret_cast<const double*>(v.bytes.data());
    float* dst = reinterpret_cast<float*>(out.data());
    for (size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
    v.bytes = std::move(out);
    v.dtype = DType::kFloat32;
  }

  // Emits CAST(x) -> `to` and returns its output.
  TensorId cast_to(TensorId x, DType to, const std::string& name) {
    Tensor t;
    t.name = name;
    TensorId y = g_.add_tensor(std::move(t));
    tflite::CastOptionsT a;
    a.in_data_type = static_cast<tflite::TensorType>(g_.t(x).dtype);
    a.out_data_type = static_cast<tflite::TensorType>(to);
    Op& op = g_.add_op(OpCode::CAST, {x}, {y}, a, name);
    Status st = infer_op(g_, op);
    TFLC_CHECK(st.ok());  // CAST between float types always infers
    return y;
  }

  tensorflow::GraphDef& gd_;
  const GraphDefImportOptions& opt_;
  FunctionImporter* functions_;
  std::unordered_map<std::string, int> by_name_;
  std::vector<Ref> outputs_;
  std::vector<std::string> output_keys_;
  std::vector<int> input_nodes_;
  std::set<int> input_set_;
  std::vector<bool> reachable_;
  std::map<std::pair<std::string, int>, TensorId> values_;
  std::set<TensorId> poisoned_;
  Status rank_error_;
  std::map<std::pair<std::string, int>, int> consumers_;
  std::map<TensorId, int> pending_;
  std::set<TensorId> ir_used_;
  std::vector<UnsupportedOp> unsupported_;
  NodeTrace trace_;  // the node being lowered: how (see record_trace)
  bool has_functions_ = false;
  Graph g_;
  SignatureDef sig_;
};

}  // namespace

Expected<tensorflow::GraphDef> read_graphdef(const std::string& path) {
  // Streamed from the file rather than mapped: the parsed tensors are the
  // only copy of the weights held in memory.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return invalid_input("cannot open '" + path + "': " + std::strerror(errno) + "; check the path");
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return invalid_input("'" + path + "' is not a regular file; pass the path of a frozen GraphDef");
  }
  char head[256];
  ssize_t head_len = pread(fd, head, sizeof(head), 0);
  bool text = ends_with(path, ".pbtxt") || ends_with(path, ".txt") || ends_with(path, ".prototxt");
  tensorflow::GraphDef gd;
  if (!text) {
    if (st.st_size > INT_MAX) {
      ::close(fd);
      return invalid_input("'" + path + "' is over 2 GB, the protobuf limit; TensorFlow cannot write such a GraphDef either");
    }
    bool parsed;
    {
      google::protobuf::io::FileInputStream raw(fd, 1 << 20);
      google::protobuf::io::CodedInputStream in(&raw);
      in.SetTotalBytesLimit(INT_MAX);
      parsed = gd.ParseFromCodedStream(&in) && in.ConsumedEntireMessage();
    }
    if (parsed) {
      ::close(fd);
      return gd;
    }
    if (!looks_like_text(std::string_view(head, head_len > 0 ? static_cast<size_t>(head_len) : 0))) {
      ::close(fd);
      return invalid_input("'" + path + "' is not a valid GraphDef (truncated or corrupt protobuf); " +
                           "pass a frozen GraphDef .pb or .pbtxt");
    }
    gd.Clear();
    lseek(fd, 0, SEEK_SET);
  }
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  google::protobuf::io::FileInputStream in(fd, 1 << 20);
  bool ok = parser.Parse(&in, &gd);
  ::close(fd);
  if (!ok)
    return invalid_input("'" + path + "' is not a valid text GraphDef (" + errors.first + "); pass a frozen GraphDef .pb or .pbtxt");
  return gd;
}

namespace {

constexpr int kMaxBodyDepth = 32;

std::string arg_key(const std::vector<Tensor>& args) {
  std::string k;
  for (const Tensor& t : args) k += dtype_name(t.dtype) + (t.unknown_rank ? "[*]" : shape_str(t.shape)) + ";";
  return k;
}

// Imports If/While bodies from the graph's FunctionDefLibrary: the function
// becomes a small GraphDef (a Placeholder per argument, a call of the
// function), which is flattened like a SavedModel signature (nested calls
// inlined) and lowered by a nested Importer.
class LibraryImporter : public FunctionImporter {
 public:
  LibraryImporter(const tensorflow::FunctionDefLibrary& lib, const GraphFunctions& graph_functions,
                  const GraphDefImportOptions& opt)
      : lib_(lib), graph_functions_(graph_functions), opt_(opt) {
    for (const auto& f : lib.function()) by_name_[f.signature().name()] = &f;
  }

  Expected<std::shared_ptr<Graph>> import(const std::string& name, const std::vector<Tensor>& args) override {
    std::string key = name + "(" + arg_key(args) + ")";
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    auto f = by_name_.find(name);
    auto gf = graph_functions_.find(name);
    if (f == by_name_.end() && gf == graph_functions_.end())
      return invalid_input("the graph calls function '" + name + "', which is not in its function library");
    if (std::find(active_.begin(), active_.end(), name) != active_.end()) {
      std::string path;
      for (const auto& a : active_) path += a + " -> ";
      return invalid_input("the function library is cyclic: " + path + name + "; TFLite bodies cannot recurse");
    }
    if (active_.size() >= kMaxBodyDepth)
      return invalid_input("control-flow bodies nest deeper than " + std::to_string(kMaxBodyDepth) + " at '" + name + "'");
    size_t n_args = gf != graph_functions_.end() ? gf->second.inputs.size() : f->second->signature().input_arg_size();
    if (n_args != args.size())
      return invalid_input("function '" + name + "' takes " + std::to_string(n_args) + " arguments; it is called with " +
                           std::to_string(args.size()));
    active_.push_back(name);
    auto body = gf != graph_functions_.end() ? build_graph_function(name, gf->second, args) : build(*f->second, args);
    active_.pop_back();
    if (!body.ok()) return body.status().with_context("in function '" + name + "'");
    cache_[key] = *body;
    return *body;
  }

 private:
  Expected<std::shared_ptr<Graph>> build(const tensorflow::FunctionDef& f, const std::vector<Tensor>& args) {
    const auto& sig = f.signature();
    tensorflow::GraphDef gd;
    *gd.mutable_library() = lib_;
    tensorflow::NodeDef call;
    call.set_name(sig.name());
    call.set_op("PartitionedCall");
    (*call.mutable_attr())["f"].mutable_func()->set_name(sig.name());
    GraphDefImportOptions opt;
    opt.fold_budget = opt_.fold_budget;
    opt.fallbacks = opt_.fallbacks;  // Flex and custom ops inside bodies too
    opt.unknown_rank_hint = "TFLite bodies need ranked values";
    opt.trace = opt_.trace;
    opt.trace_function = sig.name();
    for (int i = 0; i < sig.input_arg_size(); ++i) {
      tensorflow::NodeDef* ph = gd.add_node();
      ph->set_name("__arg__/" + sig.input_arg(i).name());
      ph->set_op("Placeholder");
      (*ph->mutable_attr())["dtype"].set_type(static_cast<tensorflow::DataType>(tf_dtype_from(args[i].dtype)));
      auto* shape = (*ph->mutable_attr())["shape"].mutable_shape();
      if (args[i].unknown_rank) shape->set_unknown_rank(true);
      for (int64_t d : args[i].shape) shape->add_dim()->set_size(d);
      call.add_input(ph->name());
      opt.input_arrays.push_back(ph->name());
    }
    for (int i = 0; i < sig.output_arg_size(); ++i)
      opt.output_arrays.push_back(i == 0 ? sig.name() : sig.name() + ":" + std::to_string(i));
    *gd.add_node() = call;
    ASSIGN_OR_RETURN(tensorflow::GraphDef flat,
                     flatten_graph(gd, opt.output_arrays, [](const tensorflow::NodeDef& v) -> Expected<tensorflow::TensorProto> {
                       return unsupported("not supported yet: variable '" + v.name() +
                                          "' created inside a control-flow body");
                     }));
    *flat.mutable_library() = lib_;
    ASSIGN_OR_RETURN(Model m, Importer(flat, opt, this).run());
    auto body = std::make_shared<Graph>(std::move(m.subgraphs.at(0)));
    body->name = sig.name();
    body->role = SubgraphRole::kBody;
    // Inside the body, values keep the function's names: arguments, results,
    // and body nodes without the "<function>/" scope of the call.
    for (Tensor& t : body->tensors)
      if (t.name.rfind(sig.name() + "/", 0) == 0) t.name = t.name.substr(sig.name().size() + 1);
    for (int i = 0; i < sig.input_arg_size(); ++i) body->t(body->inputs[i]).name = sig.input_arg(i).name();
    for (int i = 0; i < sig.output_arg_size(); ++i) body->t(body->outputs[i]).name = sig.output_arg(i).name();
    return body;
  }

  // A body made by functionalizing TF1 control flow: its Placeholders take
  // the call site's types.
  Expected<std::shared_ptr<Graph>> build_graph_function(const std::string& name, const GraphFunction& f,
                                                        const std::vector<Tensor>& args) {
    tensorflow::GraphDef gd = f.graph;
    *gd.mutable_library() = lib_;
    std::map<std::string, size_t> arg_of;
    for (size_t i = 0; i < f.inputs.size(); ++i) arg_of[f.inputs[i]] = i;
    for (auto& n : *gd.mutable_node()) {
      auto it = arg_of.find(n.name());
      if (it == arg_of.end()) continue;
      const Tensor& a = args[it->second];
      (*n.mutable_attr())["dtype"].set_type(static_cast<tensorflow::DataType>(tf_dtype_from(a.dtype)));
      auto* shape = (*n.mutable_attr())["shape"].mutable_shape();
      shape->Clear();
      if (a.unknown_rank) shape->set_unknown_rank(true);
      for (int64_t d : a.shape) shape->add_dim()->set_size(d);
    }
    GraphDefImportOptions opt;
    opt.fold_budget = opt_.fold_budget;
    opt.fallbacks = opt_.fallbacks;  // Flex and custom ops inside bodies too
    opt.unknown_rank_hint = "TFLite bodies need ranked values";
    opt.trace = opt_.trace;
    opt.trace_function = name;
    opt.input_arrays = f.inputs;
    opt.output_arrays = f.outputs;
    ASSIGN_OR_RETURN(Model m, Importer(gd, opt, this).run());
    auto body = std::make_shared<Graph>(std::move(m.subgraphs.at(0)));
    body->name = name;
    body->role = SubgraphRole::kBody;
    return body;
  }

  const tensorflow::FunctionDefLibrary& lib_;
  const GraphFunctions& graph_functions_;
  const GraphDefImportOptions& opt_;
  std::unordered_map<std::string, const tensorflow::FunctionDef*> by_name_;
  std::map<std::string, std::shared_ptr<Graph>> cache_;
  std::vector<std::string> active_;
};

}  // namespace

Expected<Model> import_graphdef(tensorflow::GraphDef& graph, const GraphDefImportOptions& options) {
  GraphFunctions tf1_bodies;
  RETURN_IF_ERROR(functionalize_control_flow(graph, tf1_bodies));
  if (graph.library().function_size() == 0 && tf1_bodies.empty()) return Importer(graph, options).run();
  LibraryImporter functions(graph.library(), tf1_bodies, options);
  return Importer(graph, options, &functions).run();
}

Expected<std::vector<std::vector<int64_t>>> parse_input_shapes(const std::string& text) {
  std::vector<std::vector<int64_t>> shapes;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(':', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    std::vector<int64_t> shape;
    size_t p = 0;
    while (p < part.size()) {
      size_t q = part.find(',', p);
      if (q == std::string::npos) q = part.size();
      std::string d = part.substr(p, q - p);
      if (d.empty() || d.size() > 12 || !std::all_of(d.begin(), d.end(), ::isdigit))
        return usage_error("--input_shapes: '" + text + "' is not a list of shapes such as 1,28,28,1:1,10");
      shape.push_back(std::stoll(d));
      p = q + 1;
    }
    shapes.push_back(shape);
    start = end + 1;
  }
  return shapes;
}

}  // namespace tflc
