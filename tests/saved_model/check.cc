#include "check.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "frontends/saved_model/tensor_bundle.h"
#include "sm_builder.h"

namespace smgen {
namespace {

namespace fs = std::filesystem;
using tensorflow::FunctionDef;
using tensorflow::NodeDef;

// Collects problems of one case; empty = OK.
struct Problems {
  std::vector<std::string> list;
  void add(const std::string& m) { list.push_back(m); }
  bool ok() const { return list.empty(); }
};

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

template <typename Msg>
bool parse_file(const std::string& path, Msg* m) {
  std::string bytes;
  return read_file(path, &bytes) && m->ParseFromString(bytes);
}

std::string node_of(const std::string& input) {
  std::string s = input[0] == '^' ? input.substr(1) : input;
  return s.substr(0, s.find(':'));
}

std::vector<int64_t> dims(const tensorflow::TensorShapeProto& s) {
  std::vector<int64_t> d;
  for (const auto& x : s.dim()) d.push_back(x.size());
  return d;
}

std::string join(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t k = 0; k < v.size(); ++k) s += (k ? "," : "") + std::to_string(v[k]);
  return s + "]";
}

void check_graph_inputs(const tensorflow::GraphDef& g, const std::string& what, Problems* p) {
  std::set<std::string> names;
  for (const auto& n : g.node())
    if (!names.insert(n.name()).second) p->add(what + ": duplicate node " + n.name());
  for (const auto& n : g.node())
    for (const auto& in : n.input())
      if (!names.count(node_of(in))) p->add(what + ": node " + n.name() + " reads missing " + in);
}

// Function bodies name tensors "arg", "node:output_arg:index" or "^node".
void check_function(const FunctionDef& f, const std::map<std::string, const FunctionDef*>& lib, Problems* p) {
  const std::string fn = "function " + f.signature().name();
  std::set<std::string> args;
  for (const auto& a : f.signature().input_arg()) args.insert(a.name());
  std::map<std::string, const NodeDef*> nodes;
  for (const auto& n : f.node_def())
    if (!nodes.emplace(n.name(), &n).second) p->add(fn + ": duplicate node " + n.name());
  auto resolve = [&](const std::string& ref, const std::string& who) {
    if (ref[0] == '^') {
      if (!nodes.count(ref.substr(1))) p->add(fn + ": " + who + " waits on missing " + ref);
      return;
    }
    size_t c1 = ref.find(':');
    if (c1 == std::string::npos) {
      if (!args.count(ref)) p->add(fn + ": " + who + " reads unknown argument " + ref);
      return;
    }
    size_t c2 = ref.find(':', c1 + 1);
    auto it = nodes.find(ref.substr(0, c1));
    if (c2 == std::string::npos || it == nodes.end()) {
      p->add(fn + ": " + who + " reads bad reference " + ref);
      return;
    }
    std::string arg = ref.substr(c1 + 1, c2 - c1 - 1);
    const auto& outs = op_def(it->second->op()).output_arg();
    if (std::none_of(outs.begin(), outs.end(), [&](const auto& o) { return o.name() == arg; }))
      p->add(fn + ": " + who + " reads " + ref + " but " + it->second->op() + " has no output '" + arg + "'");
  };
  for (const auto& n : f.node_def())
    for (const auto& in : n.input()) resolve(in, "node " + n.name());
  for (const auto& [k, v] : f.ret()) resolve(v, "ret " + k);
  for (const auto& o : f.signature().output_arg())
    if (!f.ret().count(o.name())) p->add(fn + ": output " + o.name() + " has no ret entry");
  (void)lib;
}

// A call node's Tin/Tout must match the function it calls.
void check_call(const NodeDef& n, const std::map<std::string, const FunctionDef*>& lib, const std::string& where,
                Problems* p) {
  auto f = n.attr().find("f");
  if (f == n.attr().end()) return;
  auto it = lib.find(f->second.func().name());
  if (it == lib.end()) {
    p->add(where + ": " + n.name() + " calls missing function " + f->second.func().name());
    return;
  }
  const auto& sig = it->second->signature();
  const auto& tin = n.attr().at("Tin").list().type();
  const auto& tout = n.attr().at("Tout").list().type();
  int data_inputs = 0;
  for (const auto& in : n.input()) data_inputs += in[0] != '^';
  if (tin.size() != sig.input_arg_size() || data_inputs != sig.input_arg_size())
    p->add(where + ": " + n.name() + " passes " + std::to_string(data_inputs) + " inputs to " + sig.name() +
           " which takes " + std::to_string(sig.input_arg_size()));
  else
    for (int k = 0; k < tin.size(); ++k)
      if (tin[k] != sig.input_arg(k).type()) p->add(where + ": " + n.name() + " Tin[" + std::to_string(k) + "] mismatch");
  if (tout.size() != sig.output_arg_size()) p->add(where + ": " + n.name() + " Tout does not match " + sig.name());
}

// Variable name -> checkpoint key, through the SavedObjectGraph and the
// checkpoint's TrackableObjectGraph (node ids are shared).
std::map<std::string, std::string> tf2_keys(const tensorflow::MetaGraphDef& mg, const tflc::TensorBundle& b,
                                            Problems* p) {
  std::map<std::string, std::string> keys;
  if (!b.has("_CHECKPOINTABLE_OBJECT_GRAPH")) {
    p->add("checkpoint has no _CHECKPOINTABLE_OBJECT_GRAPH");
    return keys;
  }
  auto og = b.read("_CHECKPOINTABLE_OBJECT_GRAPH");
  tensorflow::TrackableObjectGraph t;
  if (!og.ok() || og->strings.size() != 1 || !t.ParseFromString(og->strings[0])) {
    p->add("checkpoint object graph does not parse");
    return keys;
  }
  const auto& objects = mg.object_graph_def();
  if (objects.nodes_size() != t.nodes_size())
    p->add("object graph has " + std::to_string(objects.nodes_size()) + " nodes, checkpoint's " +
           std::to_string(t.nodes_size()));
  for (int i = 0; i < objects.nodes_size() && i < t.nodes_size(); ++i) {
    if (!objects.nodes(i).has_variable()) continue;
    for (const auto& a : t.nodes(i).attributes())
      if (a.name() == "VARIABLE_VALUE") {
        keys[objects.nodes(i).variable().name()] = a.checkpoint_key();
        if (a.full_name() != objects.nodes(i).variable().name())
          p->add("node " + std::to_string(i) + ": full_name " + a.full_name() + " != variable name");
      }
  }
  // The graph's calls pass captures in the order of their concrete
  // function's bound_inputs.
  for (const auto& n : mg.graph_def().node()) {
    auto f = n.attr().find("f");
    if (f == n.attr().end()) continue;
    auto cf = objects.concrete_functions().find(f->second.func().name());
    if (cf == objects.concrete_functions().end()) continue;
    const auto& bound = cf->second.bound_inputs();
    if (bound.size() > n.input_size()) {
      p->add(n.name() + ": fewer inputs than bound_inputs");
      continue;
    }
    for (int j = 0; j < bound.size(); ++j) {
      const std::string& in = n.input(n.input_size() - bound.size() + j);
      int id = bound[j];
      if (id < 0 || id >= objects.nodes_size() || !objects.nodes(id).has_variable() ||
          objects.nodes(id).variable().name() != in)
        p->add(n.name() + ": capture " + in + " does not match bound input node " + std::to_string(id));
    }
  }
  return keys;
}

void check_saved_model(const std::string& dir, bool need_variables, Problems* p) {
  tensorflow::SavedModel sm;
  if (!parse_file(dir + "/saved_model.pb", &sm)) {
    p->add("saved_model.pb does not parse");
    return;
  }
  if (sm.meta_graphs_size() != 1) p->add("expected one MetaGraph");
  if (sm.meta_graphs_size() == 0) return;
  const auto& mg = sm.meta_graphs(0);
  const auto& tags = mg.meta_info_def().tags();
  if (std::find(tags.begin(), tags.end(), "serve") == tags.end()) p->add("MetaGraph is not tagged serve");
  const auto& g = mg.graph_def();
  check_graph_inputs(g, "graph", p);
  std::map<std::string, const FunctionDef*> lib;
  for (const auto& f : g.library().function())
    if (!lib.emplace(f.signature().name(), &f).second) p->add("duplicate function " + f.signature().name());
  for (const auto& f : g.library().function()) {
    check_function(f, lib, p);
    for (const auto& n : f.node_def()) check_call(n, lib, f.signature().name(), p);
  }
  std::set<std::string> names, ops;
  for (const auto& n : g.node()) {
    names.insert(n.name());
    check_call(n, lib, "graph", p);
  }
  for (const auto& op : mg.meta_info_def().stripped_op_list().op()) ops.insert(op.name());
  for (const auto& n : g.node())
    if (!ops.count(n.op())) p->add("op " + n.op() + " missing from stripped_op_list");
  for (const auto& [key, sig] : mg.signature_def()) {
    for (const auto* m : {&sig.inputs(), &sig.outputs()})
      for (const auto& [k, info] : *m)
        if (!names.count(node_of(info.name()))) p->add("signature " + key + ": " + k + " names missing " + info.name());
  }

  std::vector<const NodeDef*> vars;
  for (const auto& n : g.node())
    if (n.op() == "VarHandleOp" || n.op() == "VariableV2") vars.push_back(&n);
  if (vars.empty()) return;
  if (!need_variables) {
    if (fs::exists(dir + "/variables")) p->add("variables/ exists but should not");
    return;
  }
  auto bundle = tflc::TensorBundle::open(dir + "/variables/variables");
  if (!bundle.ok()) {
    p->add("checkpoint: " + bundle.status().message());
    return;
  }
  std::map<std::string, std::string> keys;
  if (mg.has_object_graph_def()) keys = tf2_keys(mg, *bundle, p);
  for (const NodeDef* n : vars) {
    std::string name = n->name();
    auto sn = n->attr().find("shared_name");
    if (sn != n->attr().end() && !sn->second.s().empty()) name = sn->second.s();
    std::string key = mg.has_object_graph_def() ? keys[name] : name;
    if (key.empty() || !bundle->has(key)) {
      p->add("variable " + name + " has no checkpoint entry (key '" + key + "')");
      continue;
    }
    auto info = bundle->info(key);
    auto value = bundle->read(key);
    if (!info.ok() || !value.ok()) {
      p->add("variable " + name + ": " + (info.ok() ? value.status() : info.status()).message());
      continue;
    }
    std::vector<int64_t> want = dims(n->attr().at("shape").shape());
    if (info->shape != want) p->add("variable " + name + ": checkpoint shape " + join(info->shape) + " != " + join(want));
    if (info->dtype != to_ir_dtype(n->attr().at("dtype").type())) p->add("variable " + name + ": dtype mismatch");
  }
}

void check_frozen(const std::string& path, Problems* p) {
  tensorflow::GraphDef g;
  if (!parse_file(path, &g)) {
    p->add(fs::path(path).filename().string() + " does not parse");
    return;
  }
  check_graph_inputs(g, fs::path(path).filename().string(), p);
  for (const auto& n : g.node())
    if (n.op() == "VarHandleOp" || n.op() == "ReadVariableOp" || n.op() == "VariableV2" ||
        n.op().find("PartitionedCall") != std::string::npos)
      p->add(fs::path(path).filename().string() + ": " + n.op() + " left in a frozen graph");
}

// Checks that a bad/ fixture really has the defect it advertises.
void check_bad(const std::string& dir, const std::string& name, Problems* p) {
  const std::string prefix = dir + "/variables/variables";
  if (name == "missing_variables") {
    check_saved_model(dir, false, p);
    if (fs::exists(dir + "/variables")) p->add("variables/ is present");
  } else if (name == "truncated_index") {
    if (tflc::TensorBundle::open(prefix).ok()) p->add("the truncated index still opens");
  } else if (name == "flipped_data_byte") {
    auto b = tflc::TensorBundle::open(prefix);
    if (!b.ok()) {
      p->add("index does not open: " + b.status().message());
      return;
    }
    bool failed = false;
    for (const auto& k : b->keys()) failed = failed || !b->read(k).ok();
    if (!failed) p->add("every entry still reads: the flipped byte is not detected");
  } else if (name == "wrong_tag_set" || name == "unknown_signature") {
    if (!fs::exists(dir + "/../../two_signatures/saved_model.pb")) p->add("../../two_signatures is missing");
  } else if (name == "stateful_counter") {
    check_saved_model(dir, true, p);
  } else {
    p->add("unknown bad fixture");
  }
}

}  // namespace

int check_cases(const std::string& root) {
  if (!fs::is_directory(root)) {
    std::fprintf(stderr, "make_saved_models --check: '%s' is not a folder\n", root.c_str());
    return 2;
  }
  std::vector<fs::path> cases;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.path().filename() == "case.json") cases.push_back(e.path().parent_path());
  std::sort(cases.begin(), cases.end());
  int failed = 0;
  for (const auto& dir : cases) {
    std::string rel = fs::relative(dir, root).string();
    Problems p;
    if (dir.parent_path().filename() == "bad") {
      check_bad(dir.string(), dir.filename().string(), &p);
    } else {
      check_saved_model(dir.string(), true, &p);
      int frozen = 0;
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().string().ends_with(".frozen.pb")) {
          check_frozen(e.path().string(), &p);
          ++frozen;
        }
      if (frozen == 0) p.add("no <signature>.frozen.pb");
    }
    if (p.ok()) {
      std::printf("OK   %s\n", rel.c_str());
    } else {
      ++failed;
      std::printf("FAIL %s: %s\n", rel.c_str(), p.list[0].c_str());
      for (size_t k = 1; k < p.list.size(); ++k) std::printf("       %s\n", p.list[k].c_str());
    }
  }
  std::printf("%zu checked, %d failed\n", cases.size(), failed);
  return failed || cases.empty() ? 1 : 0;
}

}  // namespace smgen
