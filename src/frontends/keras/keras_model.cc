#include "frontends/keras/keras_model.h"

#include <algorithm>
#include <map>
#include <set>

#include "frontends/keras/keras_file.h"
#include "frontends/keras/layer_registry.h"
#include "frontends/keras/layers/conv_recurrent.h"

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
    else if (it->is_object() && it->contains("config") && (*it)["config"].contains("name"))
      d = (*it)["config"]["name"].get<std::string>();  // Keras 3 DTypePolicy
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

// Keras 2: [name, node, index, kwargs]; Keras 3: {"class_name": "__keras_tensor__",
// "config": {"keras_history": [name, node, index]}}.
bool parse_ref(const json& j, TensorRef* r) {
  if (j.is_object() && j.value("class_name", "") == "__keras_tensor__") {
    const json& h = j["config"]["keras_history"];
    if (!h.is_array() || h.size() < 3 || !h[0].is_string()) return false;
    *r = {h[0].get<std::string>(), h[1].get<int>(), h[2].get<int>()};
    return true;
  }
  if (j.is_array() && j.size() >= 3 && j[0].is_string() && j[1].is_number_integer() && j[2].is_number_integer()) {
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
  else if (j.is_object() && j.value("class_name", "") != "__keras_tensor__")
    for (const auto& [k, v] : j.items()) collect_refs(v, out);
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
      collect_refs(node.value("args", json::array()), &call.inputs);
      collect_kwargs(node.value("kwargs", json::object()), &call);
    } else if (node.is_array() && !node.empty() && node[0].is_string()) {
      // TFOpLambda's form: the node is one [name, node, index, kwargs].
      TensorRef r;
      if (!parse_ref(node, &r)) return invalid_input("layer '" + layer + "' has an inbound node Keras does not write");
      call.inputs.push_back(r);
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
    if (cls == "Sequential") {
      RETURN_IF_ERROR(build_sequential(body));
    } else if (cls == "Functional" || cls == "Model") {
      RETURN_IF_ERROR(build_functional(body));
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
  Status build_sequential(const json& body) {
    const json& layers = body.is_array() ? body : body.value("layers", json::array());
    if (!layers.is_array() || layers.empty()) return invalid_input("the Sequential model has no layers");
    TensorId x = kNoTensor;
    for (size_t i = 0; i < layers.size(); ++i) {
      const json& l = layers[i];
      std::string cls = l.value("class_name", "");
      const json& c = l["config"];
      std::string name = c.value("name", cls + "_" + std::to_string(i));
      if (x == kNoTensor) {
        ASSIGN_OR_RETURN(x, make_input(name, c, cls == "InputLayer"));
        if (cls == "InputLayer") continue;
      }
      ASSIGN_OR_RETURN(std::vector<TensorId> outs, lower(name, cls, c, {x}));
      if (outs.empty()) return invalid_input("layer '" + name + "' has no output");
      x = outs[0];
    }
    add_output(x, g_.t(x).name);
    return ok_status();
  }

  Status build_functional(const json& body) {
    std::map<std::string, LayerSpec> specs;
    std::vector<std::string> order;
    static const json kEmpty = json::array();
    // References into `body`: LayerSpec keeps pointers to the configs.
    const json& layers = body.contains("layers") && body["layers"].is_array() ? body["layers"] : kEmpty;
    for (const auto& l : layers) {
      LayerSpec s;
      s.class_name = l.value("class_name", "");
      s.config = &l["config"];
      s.name = l.value("name", s.config->value("name", ""));
      ASSIGN_OR_RETURN(s.calls, parse_inbound(l.value("inbound_nodes", json::array()), s.name));
      order.push_back(s.name);
      specs[s.name] = std::move(s);
    }
    auto refs = [](const json& j) {
      std::vector<TensorRef> out;
      collect_refs(j, &out);
      return out;
    };
    for (const auto& r : refs(body.value("input_layers", json::array()))) {
      auto it = specs.find(r.layer);
      if (it == specs.end()) return invalid_input("input layer '" + r.layer + "' is not among the model's layers");
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
          ASSIGN_OR_RETURN(std::vector<TensorId> outs, lower(name, s.class_name, *s.config, ins, &s.calls[k]));
          for (size_t i = 0; i < outs.size(); ++i) values_[{name, k, static_cast<int>(i)}] = outs[i];
          done.insert({name, k});
          progress = true;
        }
      }
    }
    for (const auto& r : refs(body.value("output_layers", json::array()))) {
      auto v = values_.find({r.layer, r.node, r.index});
      if (v == values_.end()) {
        if (!unknown_.empty()) return ok_status();  // blocked by an unknown layer, listed already
        return invalid_input("output layer '" + r.layer + "' cannot be computed from the inputs");
      }
      add_output(v->second, r.layer);
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
    if (!shape && c.contains("input_shape") && c["input_shape"].is_array()) {
      t.shape.push_back(-1);
      for (const auto& d : c["input_shape"]) t.shape.push_back(d.is_null() ? -1 : d.get<int64_t>());
    } else if (shape) {
      for (const auto& d : *shape) t.shape.push_back(d.is_null() ? -1 : d.get<int64_t>());
    } else {
      return invalid_input("the model's first layer '" + name + "' gives no input shape; build the model before saving");
    }
    (void)is_input_layer;
    TensorId id = g_.add_tensor(std::move(t));
    g_.inputs.push_back(id);
    sig_.inputs.push_back({name, id});
    return id;
  }

  Expected<std::vector<TensorId>> lower(const std::string& name, const std::string& cls, const json& config,
                                        std::vector<TensorId> ins, const LayerCall* call = nullptr) {
    for (TensorId i : ins)
      if (poisoned_.count(i)) return poison(name);
    KerasLowerFn fn = find_keras_layer(cls);
    // Bidirectional(ConvLSTM2D) is lowered next to ConvLSTM2D (conv_recurrent.cc).
    if (cls == "Bidirectional" && config.contains("layer") && config["layer"].is_object() &&
        config["layer"].value("class_name", "") == "ConvLSTM2D")
      fn = lower_conv_lstm_bidirectional;
    if (!fn) {
      unknown_.insert(cls + " ('" + name + "')");
      return poison(name);
    }
    static const std::vector<KerasArray> kNone;
    auto w = file_.weights.find(name);
    KerasLayerContext ctx(g_, name, cls, config, w == file_.weights.end() ? kNone : w->second, std::move(ins),
                          opt_.fold_budget);
    ctx.set_keras_version(file_.keras_version);
    if (call) ctx.set_call_args(call->input_names, call->kwargs);
    TensorId first_new = static_cast<TensorId>(g_.tensors.size());
    auto r = fn(ctx);
    if (!r.ok()) {
      if (r.status().kind() == ErrorKind::kUnsupported) {
        unknown_.insert(cls + " ('" + name + "': " + r.status().message() + ")");
        return poison(name);
      }
      return r.status().with_context(cls + " layer '" + name + "'");
    }
    for (size_t i = 0; i < r->size(); ++i)
      if ((*r)[i] >= first_new) g_.t((*r)[i]).name = i == 0 ? name : name + ":" + std::to_string(i);
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
  std::map<std::tuple<std::string, int, int>, TensorId> values_;
  std::set<TensorId> poisoned_;
  std::set<std::string> unknown_;
};

}  // namespace

Expected<Model> import_keras_model(const KerasImportOptions& options) {
  ASSIGN_OR_RETURN(KerasModelFile file, read_keras_model_file(options.path));
  return KerasImporter(file, options).run();
}

}  // namespace tflc
