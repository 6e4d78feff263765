#include "frontends/keras/keras_model.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "frontends/graphdef/import.h"
#include "frontends/keras/keras_file.h"
#include "frontends/keras/layer_registry.h"
#include "frontends/keras/layers/conv_recurrent.h"
#include "ops/registry.h"

namespace tflc {
namespace {

using json = nlohmann::json;

struct TensorRef {
  std::string layer;
  int node = 0, index = 0;
};

// One call of a layer: which tensors it reads. input_names[i] is the kwarg
// that passed inputs[i] ("" when positional); kwargs keeps the non-tensor
// call arguments (use_causal_mask...) for layers that read them.
struct LayerCall {
  std::vector<TensorRef> inputs;
  std::vector<std::string> input_names;
  json kwargs = json::object();
};

struct LayerSpec {
  std::string name, class_name;
  const json* config = nullptr;
  std::vector<LayerCall> calls;
};

DType dtype_of(const json& config) {
  std::string d = "float32";
  auto it = config.find("dtype");
  if (it != config.end()) {
    if (it->is_string()) d = it->get<std::string>();
    else if (it->is_object() && it->contains("config") && (*it)["config"].is_object() &&
             (*it)["config"].contains("name") && (*it)["config"]["name"].is_string())
      d = (*it)["config"]["name"].get<std::string>();  // Keras 3 DTypePolicy
    else if (it->is_object())
      d = it->dump();  // a policy without a name: no dtype we know
  }
  if (d == "float32" || d == "mixed_float16") return DType::kFloat32;
  if (d == "int32") return DType::kInt32;
  if (d == "int64") return DType::kInt64;
  if (d == "bool") return DType::kBool;
  if (d == "uint8") return DType::kUInt8;
  if (d == "int8") return DType::kInt8;
  if (d == "int16") return DType::kInt16;
  if (d == "uint16") return DType::kUInt16;
  return DType::kInvalid;
}

std::string dtype_text(const json& config) {
  auto it = config.find("dtype");
  return it == config.end() ? "float32" : it->is_string() ? it->get<std::string>() : it->dump();
}

// tf.keras writes a constant first operand of a traced op (2.0 - x) as
// ["_CONSTANT_VALUE", -1, value, kwargs].
constexpr const char* kConstantValue = "_CONSTANT_VALUE";

// nlohmann's "[json.exception.type_error.302] type must be number, but is
// string" in our words: "a config value is a string where a number belongs".
std::string json_error_text(const json::exception& e) {
  std::string m = e.what();
  if (size_t close = m.find("] "); m.rfind("[json.exception.", 0) == 0 && close != std::string::npos)
    m = m.substr(close + 2);
  const std::string want = "type must be ", but = ", but is ";
  if (size_t b = m.find(but); m.rfind(want, 0) == 0 && b != std::string::npos)
    return "a config value has the wrong type (expected " + m.substr(want.size(), b - want.size()) + ", found " +
           m.substr(b + but.size()) + ")";
  return "a config value has the wrong form (" + m + ")";
}

// obj[key] as a string (`def` when absent or null); a number or a list there
// is one line naming the field, not nlohmann's type_error.
Expected<std::string> string_field(const json& obj, const char* key, const std::string& def, const std::string& where) {
  if (!obj.is_object()) return def;
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return def;
  if (!it->is_string())
    return invalid_input(where + ": field '" + key + "' is " + it->dump().substr(0, 60) + " (a " + it->type_name() +
                         "), expected a string; the file is damaged");
  return it->get<std::string>();
}

// Keras 2: [name, node, index, kwargs]; Keras 3: {"class_name": "__keras_tensor__",
// "config": {"keras_history": [name, node, index]}}.
bool parse_ref(const json& j, TensorRef* r) {
  // find(), never const operator[]: a missing key there reads past the map.
  auto fits_int = [](const json& v) {
    return v.is_number_integer() && v.get<int64_t>() >= -1 && v.get<int64_t>() <= (int64_t{1} << 30);
  };
  if (j.is_object()) {
    auto cls = j.find("class_name");
    if (cls == j.end() || !cls->is_string() || cls->get<std::string>() != "__keras_tensor__") return false;
    auto cfg = j.find("config");
    if (cfg == j.end() || !cfg->is_object()) return false;
    auto hist = cfg->find("keras_history");
    if (hist == cfg->end()) return false;
    const json& h = *hist;
    if (!h.is_array() || h.size() < 3 || !h[0].is_string() || !fits_int(h[1]) || !fits_int(h[2])) return false;
    *r = {h[0].get<std::string>(), h[1].get<int>(), h[2].get<int>()};
    return true;
  }
  if (j.is_array() && j.size() >= 3 && j[0].is_string() && fits_int(j[1]) && fits_int(j[2]) &&
      j[0].get<std::string>() != kConstantValue) {
    *r = {j[0].get<std::string>(), j[1].get<int>(), j[2].get<int>()};
    return true;
  }
  return false;
}

// Every tensor reference in a value (args, nested lists, kwargs), in order.
void collect_refs(const json& j, std::vector<TensorRef>* out) {
  TensorRef r;
  if (parse_ref(j, &r)) {
    out->push_back(r);
    return;
  }
  if (j.is_array())
    for (const auto& e : j) collect_refs(e, out);
  else if (j.is_object() && !(j.contains("class_name") && j.find("class_name")->is_string() &&
                               j.find("class_name")->get<std::string>() == "__keras_tensor__"))
    for (const auto& [k, v] : j.items()) collect_refs(v, out);
}

// True if some {"class_name": "__keras_tensor__"} in `j` is not a reference
// Keras writes (no keras_history, a short one, a non-integer index).
bool has_bad_ref(const json& j, int depth = 0) {
  if (depth > 64) return true;
  TensorRef r;
  if (j.is_object()) {
    auto cls = j.find("class_name");
    if (cls != j.end() && cls->is_string() && cls->get<std::string>() == "__keras_tensor__") return !parse_ref(j, &r);
    for (const auto& [k, v] : j.items())
      if (has_bad_ref(v, depth + 1)) return true;
  } else if (j.is_array()) {
    for (const auto& e : j)
      if (has_bad_ref(e, depth + 1)) return true;
  }
  return false;
}

// Tensor refs of a call's kwargs, each tagged with its top-level key.
void collect_kwargs(const json& kw, LayerCall* call) {
  if (!kw.is_object()) return;
  for (const auto& [k, v] : kw.items()) {
    size_t before = call->inputs.size();
    collect_refs(v, &call->inputs);
    call->input_names.resize(before, "");
    call->input_names.resize(call->inputs.size(), k);
    if (call->inputs.size() == before) call->kwargs[k] = v;
  }
}

Expected<std::vector<LayerCall>> parse_inbound(const json& nodes, const std::string& layer) {
  std::vector<LayerCall> calls;
  if (!nodes.is_array()) return calls;
  for (const auto& node : nodes) {
    LayerCall call;
    if (node.is_object()) {  // Keras 3
      if (has_bad_ref(node))
        return invalid_input("layer '" + layer + "' has an inbound tensor with no valid keras_history; the file is damaged");
      const json& args = node.value("args", json::array());
      collect_refs(args, &call.inputs);
      // ops.add(x, 1.0): numbers among the positional args, for binary ops.
      if (args.is_array() && std::any_of(args.begin(), args.end(), [](const json& a) { return a.is_number(); }))
        call.kwargs["__args__"] = args;
      collect_kwargs(node.value("kwargs", json::object()), &call);
    } else if (node.is_array() && !node.empty() && node[0].is_string()) {
      // TFOpLambda's form: the node is one [name, node, index, kwargs]; a
      // constant first operand is kept as kwarg "x".
      TensorRef r;
      if (node[0].get<std::string>() == kConstantValue && node.size() >= 3) {
        call.kwargs["x"] = node[2];
      } else {
        if (!parse_ref(node, &r)) return invalid_input("layer '" + layer + "' has an inbound node Keras does not write");
        call.inputs.push_back(r);
      }
      if (node.size() > 3) collect_kwargs(node[3], &call);
    } else if (node.is_array()) {  // Keras 2: a list of [name, node, index, kwargs]
      for (const auto& e : node) {
        TensorRef r;
        if (!parse_ref(e, &r)) return invalid_input("layer '" + layer + "' has an inbound node Keras does not write");
        call.inputs.push_back(r);
        if (e.size() > 3) collect_kwargs(e[3], &call);
      }
    }
    call.input_names.resize(call.inputs.size(), "");
    calls.push_back(std::move(call));
  }
  return calls;
}

class KerasImporter {
 public:
  KerasImporter(KerasModelFile& file, const KerasImportOptions& opt) : file_(file), opt_(opt) {}

  Expected<Model> run() {
    const json& cfg = file_.config;
    std::string cls = cfg.value("class_name", "");
    if (!cfg.contains("config")) return invalid_input("the model config has no 'config'; is this a Keras model file?");
    const json& body = cfg["config"];
    if (!body.is_object() && !(cls == "Sequential" && body.is_array()))
      return invalid_input("the model config's field 'config' is a " + std::string(body.type_name()) +
                           ", expected an object; the file is damaged");
    if (cls == "Sequential" || cls == "Functional" || cls == "Model") {
      ASSIGN_OR_RETURN(std::vector<Output> outs, build_model(cls, body, {}, nullptr));
      for (const auto& o : outs) add_output(o.id, o.key);
    } else {
      return unsupported("not supported yet: a model of class '" + cls + "' (Sequential and Functional models are read)");
    }
    if (!unknown_.empty()) {
      std::string list;
      for (const auto& u : unknown_) list += (list.empty() ? "" : ", ") + u;
      return unsupported("not supported yet: Keras layers " + list);
    }
    Model m;
    m.source_format = "keras";
    m.api_version = 2;
    m.subgraphs.push_back(std::move(g_));
    m.signatures.push_back(std::move(sig_));
    return m;
  }

 private:
  // A model's output tensor and its signature key.
  struct Output {
    TensorId id;
    std::string key;
  };

  // The names of the nested models a layer sits in, outermost first: weights
  // and tensor names of inner layers are looked up / made under it, so an
  // inner "dense" never meets an outer one.
  using Scope = std::vector<std::string>;

  static bool is_model_class(const std::string& cls) {
    return cls == "Sequential" || cls == "Functional" || cls == "Model";
  }

  static std::string join(const Scope& scope, const std::string& name) {
    std::string s;
    for (const auto& p : scope) s += p + "/";
    return s + name;
  }

  // The top-level model (`ins` empty: it makes the graph inputs) or a nested
  // model called on `ins`.
  Expected<std::vector<Output>> build_model(const std::string& cls, const json& body, const Scope& scope,
                                            const std::vector<TensorId>* ins) {
    if (cls == "Sequential") return build_sequential(body, scope, ins);
    return build_functional(body, scope, ins);
  }

  Expected<std::vector<Output>> build_sequential(const json& body, const Scope& scope,
                                                 const std::vector<TensorId>* ins) {
    const json& layers = body.is_array() ? body : body.value("layers", json::array());
    if (!layers.is_array() || layers.empty()) return invalid_input("the Sequential model has no layers");
    TensorId x = kNoTensor;
    if (ins) {
      if (ins->size() != 1) return invalid_input("a nested Sequential model is called on " +
                                                 std::to_string(ins->size()) + " tensors, not one");
      x = (*ins)[0];
    }
    for (size_t i = 0; i < layers.size(); ++i) {
      const json& l = layers[i];
      if (!l.is_object() || !l.contains("config") || !l["config"].is_object())
        return invalid_input("a Sequential layer has no config object");
      const std::string where = "Sequential layer #" + std::to_string(i);
      ASSIGN_OR_RETURN(std::string cls, string_field(l, "class_name", "", where));
      const json& c = l["config"];
      ASSIGN_OR_RETURN(std::string name, string_field(c, "name", cls + "_" + std::to_string(i), where + " config"));
      if (x == kNoTensor) {
        // A nested model first: its own first layer carries the input shape.
        const json* entry = &l;
        for (int depth = 0; depth < 64 && is_model_class(entry->value("class_name", "")); ++depth) {
          const json& b = (*entry)["config"];
          const json* inner = b.is_array() ? &b : b.is_object() && b.contains("layers") ? &b["layers"] : nullptr;
          if (!inner || !inner->is_array() || inner->empty() || !(*inner)[0].is_object() ||
              !(*inner)[0].contains("config") || !(*inner)[0]["config"].is_object())
            break;
          entry = &(*inner)[0];
        }
        ASSIGN_OR_RETURN(x, make_input(name, (*entry)["config"], cls == "InputLayer"));
      }
      if (cls == "InputLayer") continue;
      ASSIGN_OR_RETURN(std::vector<TensorId> outs, lower(name, cls, c, {x}, nullptr, scope));
      if (outs.empty()) return invalid_input("layer '" + name + "' has no output");
      x = outs[0];
    }
    return std::vector<Output>{{x, g_.t(x).name}};
  }

  Expected<std::vector<Output>> build_functional(const json& body, const Scope& scope,
                                                 const std::vector<TensorId>* nested_ins) {
    // Per model (and per call of a nested model): tensors by (layer, node, index).
    std::map<std::tuple<std::string, int, int>, TensorId> values_;
    std::map<std::string, LayerSpec> specs;
    std::vector<std::string> order;
    static const json kEmpty = json::array();
    // References into `body`: LayerSpec keeps pointers to the configs.
    const json& layers = body.contains("layers") && body["layers"].is_array() ? body["layers"] : kEmpty;
    for (const auto& l : layers) {
      if (!l.is_object() || !l.contains("config")) return invalid_input("a model layer has no config");
      LayerSpec s;
      const std::string where = "model layer #" + std::to_string(order.size());
      ASSIGN_OR_RETURN(s.class_name, string_field(l, "class_name", "", where));
      s.config = &l["config"];
      if (!s.config->is_object() && !is_model_class(s.class_name))
        return invalid_input(where + " ('" + s.class_name + "'): field 'config' is a " + s.config->type_name() +
                             ", expected an object; the file is damaged");
      ASSIGN_OR_RETURN(std::string config_name, string_field(*s.config, "name", "", where + " config"));
      ASSIGN_OR_RETURN(s.name, string_field(l, "name", config_name, where));
      ASSIGN_OR_RETURN(s.calls, parse_inbound(l.value("inbound_nodes", json::array()), s.name));
      order.push_back(s.name);
      specs[s.name] = std::move(s);
    }
    auto refs = [](const json& j) {
      std::vector<TensorRef> out;
      collect_refs(j, &out);
      return out;
    };
    // A nested model built on its own Input has a first node of its own that
    // Keras leaves out of inbound_nodes but still counts in references: its
    // first call is node 1. Seen as a reference one past the listed calls.
    std::map<std::string, int> node_offset;
    {
      std::vector<TensorRef> all = refs(body.value("output_layers", json::array()));
      for (const auto& [n, s] : specs)
        for (const auto& c : s.calls) all.insert(all.end(), c.inputs.begin(), c.inputs.end());
      for (const auto& r : all) {
        auto it = specs.find(r.layer);
        if (it == specs.end() || !is_model_class(it->second.class_name)) continue;
        if (r.node == static_cast<int>(it->second.calls.size())) node_offset[r.layer] = 1;
      }
    }
    std::vector<TensorRef> input_refs = refs(body.value("input_layers", json::array()));
    if (nested_ins && nested_ins->size() != input_refs.size())
      return invalid_input("a nested model with " + std::to_string(input_refs.size()) + " inputs is called on " +
                           std::to_string(nested_ins->size()) + " tensors");
    for (size_t i = 0; i < input_refs.size(); ++i) {
      const TensorRef& r = input_refs[i];
      auto it = specs.find(r.layer);
      if (it == specs.end()) return invalid_input("input layer '" + r.layer + "' is not among the model's layers");
      if (nested_ins) {
        values_[{r.layer, 0, 0}] = (*nested_ins)[i];
        continue;
      }
      ASSIGN_OR_RETURN(TensorId x, make_input(r.layer, *it->second.config, true));
      values_[{r.layer, 0, 0}] = x;
    }
    // Layers are listed in an order where each call's inputs exist; repeat
    // sweeps cover shared layers whose later calls come after other layers.
    std::set<std::pair<std::string, int>> done;
    bool progress = true;
    while (progress) {
      progress = false;
      for (const auto& name : order) {
        const LayerSpec& s = specs[name];
        if (s.class_name == "InputLayer") continue;
        for (int k = 0; k < static_cast<int>(s.calls.size()); ++k) {
          if (done.count({name, k})) continue;
          std::vector<TensorId> ins;
          bool ready = true;
          for (const auto& r : s.calls[k].inputs) {
            auto v = values_.find({r.layer, r.node, r.index});
            if (v == values_.end()) {
              ready = false;
              break;
            }
            ins.push_back(v->second);
          }
          if (!ready) continue;
          ASSIGN_OR_RETURN(std::vector<TensorId> outs, lower(name, s.class_name, *s.config, ins, &s.calls[k], scope));
          for (size_t i = 0; i < outs.size(); ++i) values_[{name, k + node_offset[name], static_cast<int>(i)}] = outs[i];
          done.insert({name, k});
          progress = true;
        }
      }
    }
    std::vector<Output> outs;
    for (const auto& r : refs(body.value("output_layers", json::array()))) {
      auto v = values_.find({r.layer, r.node, r.index});
      if (v == values_.end()) {
        // Blocked by an unknown layer, listed already.
        if (!unknown_.empty()) return std::vector<Output>{{poison(join(scope, r.layer))[0], r.layer}};
        return invalid_input("output layer '" + join(scope, r.layer) + "' cannot be computed from the inputs");
      }
      outs.push_back({v->second, r.layer});
    }
    if (outs.empty()) return invalid_input("the model has no output layers");
    return outs;
  }

  // A Sequential/Functional model used as a layer: its layers lowered on the
  // call's inputs, weights from the nested scope.
  Expected<std::vector<TensorId>> lower_nested(const std::string& name, const std::string& cls, const json& config,
                                               const std::vector<TensorId>& ins, const Scope& scope) {
    if (scope.size() >= 64) return invalid_input("models nested deeper than 64 levels");
    if (scope.empty() && file_.format == "h5") RETURN_IF_ERROR(resolve_nested_weights(name, config));
    Scope inner = scope;
    inner.push_back(name);
    ASSIGN_OR_RETURN(std::vector<Output> outs, build_model(cls, config, inner, &ins));
    std::vector<TensorId> ids;
    for (const auto& o : outs) ids.push_back(o.id);
    return ids;
  }

  // The weights of layer `name` inside `scope`. .keras files key nested
  // layers "outer/inner"; Keras 2 .h5 files keep one group per top-level
  // layer, so an inner layer's weights come from the outermost model's list:
  // by name (resolve_nested_weights fills the cache first), else below.
  const std::vector<KerasArray>& weights_for(const Scope& scope, const std::string& name) {
    static const std::vector<KerasArray> kNone;
    if (!scope.empty() && file_.format == "h5") {
      auto cached = scoped_weights_.find(join(scope, name));
      if (cached != scoped_weights_.end()) return cached->second;
    }
    auto w = file_.weights.find(join(scope, name));
    if (w != file_.weights.end()) return w->second;
    if (scope.empty() || file_.format != "h5") return kNone;
    return scoped_weights_.emplace(join(scope, name), name_filtered(scope, name)).first->second;
  }

  // The entries of the outermost model's list whose names ("inner_fc/
  // kernel:0", or with the model's name in front) are under the layer's name.
  std::vector<KerasArray> name_filtered(const Scope& scope, const std::string& name) const {
    auto top = file_.weights.find(scope[0]);
    std::vector<KerasArray> list;
    if (top != file_.weights.end()) list = top->second;
    // `part` may itself hold '/' (a layer named "block/fc"): it must start
    // the weight's name, after any of the nested models' names ("inner/fc/
    // kernel:0"). Failing that, any run of whole path components counts, for
    // names with other prefixes. The strict pass keeps "fc" off
    // "block/fc/kernel:0".
    auto filter = [&scope](const std::vector<KerasArray>& in, const std::string& part) {
      const std::string dir = part + "/";
      auto strict = [&](const std::string& n) {
        size_t pos = 0;
        for (size_t i = 0;; ++i) {
          if (n.compare(pos, dir.size(), dir) == 0) return true;
          if (i >= scope.size() || n.compare(pos, scope[i].size() + 1, scope[i] + "/") != 0) return false;
          pos += scope[i].size() + 1;
        }
      };
      std::vector<KerasArray> out;
      for (const auto& a : in)
        if (strict(a.name)) out.push_back(a);
      if (!out.empty()) return out;
      for (const auto& a : in)
        if (a.name.rfind(dir, 0) == 0 || a.name.find("/" + dir) != std::string::npos) out.push_back(a);
      return out;
    };
    // Deeper models' names may or may not prefix their layers' weights.
    for (size_t i = 1; i < scope.size(); ++i) {
      std::vector<KerasArray> narrowed = filter(list, scope[i]);
      if (!narrowed.empty()) list = std::move(narrowed);
    }
    return filter(list, name);
  }

  // A layer inside a nested model of an .h5 file, with the weights it takes.
  struct Leaf {
    Scope scope;
    std::string name, cls;
    const json* config = nullptr;
    std::vector<KerasWeightSpec> spec;
    bool frozen = false;  // trainable false here or on an enclosing model
  };

  // The layers of a nested model in Keras's order (its `layers` list; a
  // deeper model's layers in its place). *all_known: every class has a
  // weight spec; else *first_unknown names one.
  Status collect_leaves(const json& body, const Scope& scope, bool frozen, int depth, std::vector<Leaf>* out,
                        std::string* first_unknown) {
    if (depth > 64) return invalid_input("models nested deeper than 64 levels");
    static const json kEmpty = json::array();
    const json& layers = body.is_array() ? body
                         : body.is_object() && body.contains("layers") && body["layers"].is_array() ? body["layers"]
                                                                                                    : kEmpty;
    for (size_t i = 0; i < layers.size(); ++i) {
      const json& l = layers[i];
      if (!l.is_object() || !l.contains("config")) continue;  // reported when the model is built
      const std::string cls = l.value("class_name", "");
      const json& c = l["config"];
      std::string name = c.is_object() && c.contains("name") && c["name"].is_string() ? c["name"].get<std::string>()
                         : l.contains("name") && l["name"].is_string()                 ? l["name"].get<std::string>()
                                                                                       : cls + "_" + std::to_string(i);
      const bool fz = frozen || (c.is_object() && c.contains("trainable") && c["trainable"].is_boolean() &&
                                 !c["trainable"].get<bool>());
      if (is_model_class(cls)) {
        Scope inner = scope;
        inner.push_back(name);
        RETURN_IF_ERROR(collect_leaves(c, inner, fz, depth + 1, out, first_unknown));
        continue;
      }
      if (cls == "InputLayer") continue;
      Leaf leaf{scope, name, cls, &c, {}, fz};
      KerasWeightSpecFn fn = find_keras_weight_spec(cls);
      if (!fn || !c.is_object()) {
        if (first_unknown->empty()) *first_unknown = cls + " layer '" + join(scope, name) + "'";
      } else {
        ASSIGN_OR_RETURN(leaf.spec, fn(c, nullptr));
      }
      out->push_back(std::move(leaf));
    }
    return ok_status();
  }

  // The weights of every layer inside top-level nested model `name` of an
  // .h5 file. By name first; when names do not resolve (a layer gets another
  // count than it takes, or two layers claim one array: a renamed or rebuilt
  // model, TF name scopes), by Keras 2's loading order, as load_weights
  // does: the group's weight_names in order against the nested model's
  // legacy weight order, i.e. every layer's trainable weights in layer
  // order, then every layer's non-trainable ones (a frozen layer's all).
  Status resolve_nested_weights(const std::string& name, const json& body) {
    if (!resolved_.insert(name).second) return ok_status();
    Scope scope{name};
    const json* cfg = &body;
    bool frozen = false;
    std::vector<Leaf> leaves;
    std::string first_unknown;
    RETURN_IF_ERROR(collect_leaves(*cfg, scope, frozen, 0, &leaves, &first_unknown));
    std::vector<std::vector<KerasArray>> by_name;
    std::set<std::string> claimed;
    bool names_ok = true;
    for (const Leaf& l : leaves) {
      by_name.push_back(name_filtered(l.scope, l.name));
      if (!first_unknown.empty()) continue;
      if (by_name.back().size() != l.spec.size()) names_ok = false;
      for (const auto& a : by_name.back())
        if (!claimed.insert(a.name).second) names_ok = false;
    }
    // A class without a spec keeps the name matching (its lowering checks).
    if (names_ok || !first_unknown.empty()) {
      for (size_t i = 0; i < leaves.size(); ++i)
        scoped_weights_[join(leaves[i].scope, leaves[i].name)] = std::move(by_name[i]);
      return ok_status();
    }
    auto top = file_.weights.find(name);
    static const std::vector<KerasArray> kNone;
    const std::vector<KerasArray>& list = top == file_.weights.end() ? kNone : top->second;
    size_t total = 0;
    for (const Leaf& l : leaves) total += l.spec.size();
    if (total != list.size())
      return invalid_input("nested model '" + name + "': its weight names do not match its layers, and by Keras's "
                           "loading order its layers take " + std::to_string(total) + " weights but the file has " +
                           std::to_string(list.size()) + "; the file's weights do not follow the model's layers");
    auto trainable_count = [](const Leaf& l) {
      size_t t = 0;
      if (!l.frozen)
        while (t < l.spec.size() && l.spec[t].trainable) ++t;
      return t;
    };
    std::vector<std::vector<KerasArray>> got(leaves.size());
    size_t pos = 0;
    for (size_t i = 0; i < leaves.size(); ++i)
      for (size_t k = 0, t = trainable_count(leaves[i]); k < t; ++k) got[i].push_back(list[pos++]);
    for (size_t i = 0; i < leaves.size(); ++i)
      for (size_t k = trainable_count(leaves[i]); k < leaves[i].spec.size(); ++k) got[i].push_back(list[pos++]);
    for (size_t i = 0; i < leaves.size(); ++i) {
      const std::string full = join(leaves[i].scope, leaves[i].name);
      RETURN_IF_ERROR(check_weight_shapes(full, leaves[i].cls, leaves[i].spec, got[i]));
      positional_.insert(full);
      scoped_weights_[full] = std::move(got[i]);
    }
    return ok_status();
  }

  // One line for the first array whose shape is not what the layer takes
  // (-1 in `spec`: any size).
  static Status check_weight_shapes(const std::string& full, const std::string& cls,
                                    const std::vector<KerasWeightSpec>& spec, const std::vector<KerasArray>& got) {
    for (size_t k = 0; k < spec.size() && k < got.size(); ++k) {
      const auto& want = spec[k].shape;
      const auto& have = got[k].shape;
      bool fits = want.size() == have.size();
      for (size_t d = 0; fits && d < want.size(); ++d) fits = want[d] < 0 || want[d] == have[d];
      if (!fits) {
        std::string w;
        for (int64_t d : want) w += (w.empty() ? "" : ", ") + (d < 0 ? std::string("?") : std::to_string(d));
        return invalid_input(cls + " layer '" + full + "': weight #" + std::to_string(k) + " ('" + got[k].name +
                             "'), matched by Keras's loading order, has shape " + shape_str(have) +
                             " but the layer takes [" + w + "]; the file's weights do not follow the model's layers");
      }
    }
    return ok_status();
  }

  Expected<TensorId> make_input(const std::string& name, const json& c, bool is_input_layer) {
    const json* shape = nullptr;
    for (const char* key : {"batch_input_shape", "batch_shape"})
      if (c.contains(key) && c[key].is_array()) shape = &c[key];
    Tensor t;
    t.name = name;
    t.dtype = dtype_of(c);
    if (t.dtype == DType::kInvalid) return unsupported("not supported yet: input '" + name + "' of dtype " + dtype_text(c));
    // A dimension is null (None), -1 (dynamic) or a size TFLite's int32 holds.
    auto add_dims = [&](const json& dims, const char* key) -> Status {
      if (dims.size() > 64) return invalid_input("input '" + name + "': config '" + key + "' has " +
                                                 std::to_string(dims.size()) + " dimensions, more than 64");
      for (size_t i = 0; i < dims.size(); ++i) {
        const json& d = dims[i];
        if (d.is_null()) {
          t.shape.push_back(-1);
          continue;
        }
        if (!d.is_number_integer() || d.get<int64_t>() < -1 || d.get<int64_t>() > INT32_MAX)
          return invalid_input("input '" + name + "': config '" + key + "' has dimension " + std::to_string(i) + " = " +
                               d.dump() + ", expected null, -1 or a size from 0 to 2147483647; the file is damaged");
        t.shape.push_back(d.get<int64_t>());
      }
      return ok_status();
    };
    if (!shape && c.contains("input_shape") && c["input_shape"].is_array()) {
      t.shape.push_back(-1);
      RETURN_IF_ERROR(add_dims(c["input_shape"], "input_shape"));
    } else if (shape) {
      RETURN_IF_ERROR(add_dims(*shape, c.contains("batch_shape") && &c["batch_shape"] == shape ? "batch_shape"
                                                                                                 : "batch_input_shape"));
    } else {
      return invalid_input("the model's first layer '" + name + "' gives no input shape; build the model before saving");
    }
    (void)is_input_layer;
    TensorId id = g_.add_tensor(std::move(t));
    g_.inputs.push_back(id);
    sig_.inputs.push_back({name, id});
    return id;
  }

  // lower_layer, and the call's outcome into the trace (--analyze).
  Expected<std::vector<TensorId>> lower(const std::string& name, const std::string& cls, const json& config,
                                        std::vector<TensorId> ins, const LayerCall* call, const Scope& scope) {
    size_t ops_before = g_.ops.size();
    trace_mapping_ = NodeMapping::kBuiltin;
    trace_detail_.clear();
    auto r = lower_layer(name, cls, config, std::move(ins), call, scope);
    if (!opt_.trace || is_model_class(cls)) return r;  // a nested model's layers are recorded themselves
    NodeTrace t;
    t.node = join(scope, name);
    t.op = cls;
    t.mapping = r.ok() ? trace_mapping_ : NodeMapping::kUnsupported;
    t.detail = r.ok() ? trace_detail_ : r.status().message();
    if (r.ok() && t.mapping == NodeMapping::kBuiltin) {
      for (size_t k = ops_before; k < g_.ops.size(); ++k)
        if (!g_.ops[k]->dead)
          t.builtins.push_back(g_.ops[k]->code == OpCode::CUSTOM ? g_.ops[k]->custom_code : op_name(g_.ops[k]->code));
      if (t.builtins.empty()) t.detail = "folded or forwarded";
    }
    opt_.trace->nodes.push_back(std::move(t));
    return r;
  }

  Expected<std::vector<TensorId>> lower_layer(const std::string& name, const std::string& cls, const json& config,
                                              std::vector<TensorId> ins, const LayerCall* call, const Scope& scope) {
    for (TensorId i : ins)
      if (poisoned_.count(i)) {
        bool known = find_keras_layer(cls) || is_model_class(cls);
        trace_mapping_ = known ? NodeMapping::kUnchecked : NodeMapping::kUnsupported;
        trace_detail_ = known ? "has a lowering, not tried: an input comes from a layer that is not lowered"
                              : "not a Keras layer class this converter reads";
        return poison(join(scope, name));
      }
    const std::string full = join(scope, name);
    // Masks reach only the layers that read them (recurrent layers) or pass
    // them on unchanged; any other layer would compute what Keras does not.
    std::vector<TensorId> in_masks;
    bool masked = false;
    for (TensorId i : ins) {
      auto it = masks_.find(i);
      in_masks.push_back(it == masks_.end() ? kNoTensor : it->second);
      masked = masked || it != masks_.end();
    }
    static const std::set<std::string> kReadsMask = {"SimpleRNN", "GRU", "LSTM", "Bidirectional"};
    // Dense acts on the last axis alone and passes the mask on, as Keras's
    // Dense (supports_masking) does.
    static const std::set<std::string> kPassesMask = {"Dropout",         "SpatialDropout1D", "GaussianNoise",
                                                      "GaussianDropout", "AlphaDropout",     "Activation",
                                                      "Dense"};
    if (masked && !kReadsMask.count(cls) && !kPassesMask.count(cls)) {
      std::string why = "not supported yet: a " + cls + " layer on a masked sequence (Embedding mask_zero=True or "
                        "Masking upstream); masks reach recurrent layers and Dense/Dropout/Activation only";
      unknown_.insert(cls + " ('" + full + "': " + why + ")");
      trace_mapping_ = NodeMapping::kUnsupported;
      trace_detail_ = why;
      return poison(full);
    }
    if (is_model_class(cls)) {
      if (!config.is_object() && !config.is_array()) return invalid_input("nested model '" + full + "' has no config");
      TensorId first_new = static_cast<TensorId>(g_.tensors.size());
      ASSIGN_OR_RETURN(std::vector<TensorId> outs, lower_nested(name, cls, config, ins, scope));
      for (size_t i = 0; i < outs.size(); ++i)
        if (outs[i] >= first_new && !poisoned_.count(outs[i]))
          g_.t(outs[i]).name = i == 0 ? full : full + ":" + std::to_string(i);
      return outs;
    }
    KerasLowerFn fn = find_keras_layer(cls);
    // Bidirectional(ConvLSTM2D) is lowered next to ConvLSTM2D (conv_recurrent.cc).
    if (cls == "Bidirectional" && config.contains("layer") && config["layer"].is_object() &&
        config["layer"].value("class_name", "") == "ConvLSTM2D")
      fn = lower_conv_lstm_bidirectional;
    if (!fn) {
      unknown_.insert(cls + " ('" + full + "')");
      trace_mapping_ = NodeMapping::kUnsupported;
      trace_detail_ = "not a Keras layer class this converter reads";
      return poison(full);
    }
    const std::vector<KerasArray>& weights = weights_for(scope, name);
    // Weights matched by position: now that the input is known, all dims.
    if (positional_.count(full) && !ins.empty())
      if (KerasWeightSpecFn spec_fn = find_keras_weight_spec(cls)) {
        ASSIGN_OR_RETURN(std::vector<KerasWeightSpec> spec, spec_fn(config, &g_.t(ins[0])));
        RETURN_IF_ERROR(check_weight_shapes(full, cls, spec, weights));
      }
    KerasLayerContext ctx(g_, full, cls, config, weights, std::move(ins), opt_.fold_budget);
    ctx.set_keras_version(file_.keras_version);
    ctx.set_input_masks(in_masks);
    if (call) ctx.set_call_args(call->input_names, call->kwargs);
    TensorId first_new = static_cast<TensorId>(g_.tensors.size());
    auto r = [&]() -> Expected<std::vector<TensorId>> {
      try {
        return fn(ctx);
      } catch (const json::exception& e) {  // a raw get<T>() on a config value of another type
        return invalid_input(cls + " layer '" + full + "': " + json_error_text(e) + "; the file is damaged");
      }
    }();
    if (!r.ok()) {
      if (r.status().kind() == ErrorKind::kUnsupported) {
        unknown_.insert(cls + " ('" + full + "': " + r.status().message() + ")");
        trace_mapping_ = NodeMapping::kUnsupported;
        trace_detail_ = r.status().message();
        return poison(full);
      }
      return r.status().with_context(cls + " layer '" + full + "'");
    }
    for (size_t i = 0; i < r->size(); ++i)
      if ((*r)[i] >= first_new) g_.t((*r)[i]).name = i == 0 ? full : full + ":" + std::to_string(i);
    if (!r->empty()) {
      if (ctx.output_mask() != kNoTensor) masks_[(*r)[0]] = ctx.output_mask();
      else if (kPassesMask.count(cls) && in_masks[0] != kNoTensor) masks_[(*r)[0]] = in_masks[0];
    }
    return r;
  }

  std::vector<TensorId> poison(const std::string& name) {
    Tensor t;
    t.name = name;
    t.dtype = DType::kInvalid;
    t.unknown_rank = true;
    TensorId id = g_.add_tensor(std::move(t));
    poisoned_.insert(id);
    return {id, id, id, id};
  }

  // Signature keys must be unique: a layer's second output (LSTM
  // return_state...) becomes "name_1", as TF's converter names them.
  void add_output(TensorId x, const std::string& key) {
    std::string unique = key;
    for (int n = 1; std::any_of(sig_.outputs.begin(), sig_.outputs.end(), [&](const auto& o) { return o.first == unique; });
         ++n)
      unique = key + "_" + std::to_string(n);
    g_.outputs.push_back(x);
    sig_.outputs.push_back({unique, x});
  }

  KerasModelFile& file_;
  const KerasImportOptions& opt_;
  Graph g_;
  SignatureDef sig_;
  std::map<std::string, std::vector<KerasArray>> scoped_weights_;  // H5 inner layers' weights
  std::set<std::string> resolved_;    // top-level nested models whose weights are matched
  std::set<std::string> positional_;  // inner layers whose weights came by Keras's loading order
  std::set<TensorId> poisoned_;
  std::map<TensorId, TensorId> masks_;  // a layer output -> its Keras mask (bool [batch, time])
  std::set<std::string> unknown_;
  NodeMapping trace_mapping_ = NodeMapping::kBuiltin;  // the layer call being lowered
  std::string trace_detail_;
};

}  // namespace

Expected<Model> import_keras_model(const KerasImportOptions& options) {
  ASSIGN_OR_RETURN(KerasModelFile file, read_keras_model_file(options.path));
  return import_keras_model_file(file, options);
}

Expected<Model> import_keras_model_file(KerasModelFile& file, const KerasImportOptions& options) {
  try {
    return KerasImporter(file, options).run();
  } catch (const json::exception& e) {  // the model's structure (layers, inbound_nodes), not one layer's config
    return invalid_input("the model config of '" + options.path + "': " + json_error_text(e) + "; the file is damaged");
  }
}

}  // namespace tflc
