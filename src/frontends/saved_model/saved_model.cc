#include "frontends/saved_model/saved_model.h"

#include <fcntl.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/text_format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "frontends/graphdef/import.h"
#include "frontends/saved_model/flatten.h"
#include "frontends/saved_model/tensor_bundle.h"
#include "frontends/saved_model/tensor_bundle_writer.h"
#include "support/file.h"
#include "tensorflow/core/protobuf/saved_model.pb.h"
#include "tensorflow/core/protobuf/trackable_object_graph.pb.h"

namespace tflc {
namespace {

bool file_exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Expected<tensorflow::SavedModel> read_saved_model(const std::string& dir) {
  if (!path_is_dir(dir))
    return invalid_input("--saved_model_dir '" + dir + "' is not a folder; pass the folder that holds saved_model.pb");
  std::string pb = dir + "/saved_model.pb", pbtxt = dir + "/saved_model.pbtxt";
  bool text = !file_exists(pb) && file_exists(pbtxt);
  if (!text && !file_exists(pb))
    return invalid_input("'" + dir + "' holds no saved_model.pb or saved_model.pbtxt; pass a SavedModel folder");
  std::string path = text ? pbtxt : pb;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return invalid_input("cannot open '" + path + "': " + std::strerror(errno));
  tensorflow::SavedModel sm;
  bool ok;
  // The text parser's first error, in our message; never protobuf's own
  // "[libprotobuf ERROR ...]" line on stderr.
  struct FirstError : google::protobuf::io::ErrorCollector {
    void AddError(int line, int column, const std::string& message) override {
      if (first.empty()) first = "line " + std::to_string(line + 1) + ":" + std::to_string(column + 1) + ": " + message;
    }
    std::string first;
  } errors;
  {
    google::protobuf::io::FileInputStream raw(fd, 1 << 20);
    if (text) {
      google::protobuf::TextFormat::Parser parser;
      parser.RecordErrorsTo(&errors);
      ok = parser.Parse(&raw, &sm);
    } else {
      google::protobuf::io::CodedInputStream in(&raw);
      in.SetTotalBytesLimit(INT_MAX);
      ok = sm.ParseFromCodedStream(&in) && in.ConsumedEntireMessage();
    }
  }
  ::close(fd);
  if (!ok && text)
    return invalid_input("'" + path + "' is not a valid text SavedModel (" + errors.first + "); re-export it");
  if (!ok) return invalid_input("'" + path + "' is not a valid SavedModel (truncated or corrupt protobuf); re-export it");
  return sm;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

Expected<tensorflow::MetaGraphDef*> select_meta_graph(tensorflow::SavedModel& sm, const std::vector<std::string>& tags) {
  std::set<std::string> want(tags.begin(), tags.end());
  std::vector<std::string> have;
  for (auto& mg : *sm.mutable_meta_graphs()) {
    const auto& t = mg.meta_info_def().tags();
    if (std::set<std::string>(t.begin(), t.end()) == want) return &mg;
    have.push_back("'" + join(std::vector<std::string>(t.begin(), t.end()), ",") + "'");
  }
  return invalid_input("the SavedModel has no MetaGraph with tags '" + join(tags, ",") + "'; it has " +
                       (have.empty() ? std::string("none") : join(have, ", ")) + " (pass --saved_model_tag_set)");
}

// Maps variable names (VarHandleOp shared_name, VariableV2 node name) to
// checkpoint keys, through the object graphs of TF2 SavedModels.
class VariableIndex {
 public:
  static Expected<VariableIndex> build(const tensorflow::MetaGraphDef& mg, const std::string& dir, bool needed) {
    VariableIndex v;
    std::string prefix = dir + "/variables/variables";
    if (!file_exists(bundle_index_path(prefix))) {
      if (needed)
        return invalid_input("the SavedModel has variables but '" + bundle_index_path(prefix) +
                             "' is missing; copy the whole SavedModel folder, variables/ included");
      return v;
    }
    ASSIGN_OR_RETURN(TensorBundle bundle, TensorBundle::open(prefix));
    v.bundle_ = std::make_shared<TensorBundle>(std::move(bundle));
    const auto& objects = mg.object_graph_def();
    std::optional<tensorflow::TrackableObjectGraph> trackable;
    if (v.bundle_->has("_CHECKPOINTABLE_OBJECT_GRAPH")) {
      ASSIGN_OR_RETURN(ConstTensorData d, v.bundle_->read("_CHECKPOINTABLE_OBJECT_GRAPH"));
      trackable.emplace();
      if (d.strings.size() != 1 || !trackable->ParseFromString(d.strings[0]))
        return invalid_input("the checkpoint's object graph is corrupt; re-export the SavedModel");
    }
    if (trackable) {
      for (const auto& node : trackable->nodes())
        for (const auto& a : node.attributes())
          if (a.name() == "VARIABLE_VALUE" && !a.full_name().empty()) v.keys_.emplace(a.full_name(), a.checkpoint_key());
      // SavedObjectGraph node i is checkpoint object i.
      auto key_of_object = [&](int i) -> std::string {
        if (i < 0 || i >= trackable->nodes_size()) return {};
        for (const auto& a : trackable->nodes(i).attributes())
          if (a.name() == "VARIABLE_VALUE") return a.checkpoint_key();
        return {};
      };
      for (int i = 0; i < objects.nodes_size(); ++i)
        if (objects.nodes(i).has_variable() && !key_of_object(i).empty())
          v.keys_[objects.nodes(i).variable().name()] = key_of_object(i);
      // The surest link: a call's trailing inputs are the function's captures,
      // listed as object ids in its SavedConcreteFunction.bound_inputs.
      for (const auto& n : mg.graph_def().node()) {
        auto f = n.attr().find("f");
        if (f == n.attr().end()) continue;
        auto cf = objects.concrete_functions().find(f->second.func().name());
        if (cf == objects.concrete_functions().end()) continue;
        std::vector<std::string> ins;
        for (const auto& in : n.input())
          if (!in.empty() && in[0] != '^') ins.push_back(in.substr(0, in.find(':')));
        const auto& bound = cf->second.bound_inputs();
        if (bound.size() > static_cast<int>(ins.size())) continue;
        for (int j = 0; j < bound.size(); ++j) {
          std::string key = key_of_object(bound[j]);
          if (!key.empty()) v.by_node_[ins[ins.size() - bound.size() + j]] = key;
        }
      }
    }
    return v;
  }

  Expected<tensorflow::TensorProto> value_of(const tensorflow::NodeDef& var) const {
    std::string name = var.name();
    auto sn = var.attr().find("shared_name");
    if (sn != var.attr().end() && !sn->second.s().empty()) name = sn->second.s();
    if (!bundle_)
      return invalid_input("variable '" + name + "' has no saved value: the SavedModel has no variables/ folder; "
                           "copy the whole SavedModel folder");
    std::string key = name;
    auto it = keys_.find(name);
    if (it != keys_.end()) key = it->second;
    auto bn = by_node_.find(var.name());
    if (bn != by_node_.end()) key = bn->second;
    if (!bundle_->has(key)) return invalid_input("variable '" + name + "' is not in the checkpoint; re-export the SavedModel");
    ASSIGN_OR_RETURN(ConstTensorData d, bundle_->read(key));
    tensorflow::TensorProto t;
    t.set_dtype(static_cast<tensorflow::DataType>(tf_dtype_from(d.dtype)));
    for (int64_t dim : d.shape) t.mutable_tensor_shape()->add_dim()->set_size(dim);
    if (d.dtype == DType::kString) {
      for (auto& s : d.strings) t.add_string_val(s);
    } else if (d.data) {
      t.set_tensor_content(*d.data);
    }
    return t;
  }

 private:
  std::shared_ptr<TensorBundle> bundle_;
  std::map<std::string, std::string> keys_;     // variable name -> checkpoint key
  std::map<std::string, std::string> by_node_;  // VarHandleOp node -> checkpoint key
};

bool has_variables(const tensorflow::GraphDef& g) {
  for (const auto& n : g.node())
    if (n.op() == "VarHandleOp" || n.op() == "VariableV2" || n.op() == "Variable") return true;
  return false;
}

std::string node_of(const std::string& tensor) { return tensor.substr(0, tensor.rfind(':')); }

// TensorInfo names are "node:index"; keep the index only when it is not 0.
std::string array_name(const std::string& tensor) {
  size_t colon = tensor.rfind(':');
  if (colon != std::string::npos && tensor.substr(colon + 1) == "0") return tensor.substr(0, colon);
  return tensor;
}

Expected<Model> convert_signature(const tensorflow::MetaGraphDef& mg, const std::string& key,
                                  const tensorflow::SignatureDef& sig, const VariableIndex& vars, int64_t budget,
                                  const TfOpFallbacks& fallbacks, ImportTrace* trace) {
  // TensorFlow orders a signature's inputs and outputs by key.
  std::vector<std::string> in_keys, out_keys;
  for (const auto& [k, v] : sig.inputs()) in_keys.push_back(k);
  for (const auto& [k, v] : sig.outputs()) out_keys.push_back(k);
  std::sort(in_keys.begin(), in_keys.end());
  std::sort(out_keys.begin(), out_keys.end());
  GraphDefImportOptions opt;
  opt.fold_budget = budget;
  opt.fallbacks = fallbacks;
  opt.trace = trace;
  opt.unknown_rank_hint = "TFLite needs ranked inputs: export the signature with a shaped tf.TensorSpec";
  std::vector<std::string> out_tensors;
  for (const auto& k : in_keys) {
    const auto& info = sig.inputs().at(k);
    if (info.name().empty()) return unsupported("not supported yet: input '" + k + "' is a composite tensor");
    if (info.name().substr(info.name().rfind(':') + 1) != "0")
      return unsupported("not supported yet: input '" + k + "' is not output 0 of its node");
    opt.input_arrays.push_back(node_of(info.name()));
  }
  for (const auto& k : out_keys) {
    const auto& info = sig.outputs().at(k);
    if (info.name().empty()) return unsupported("not supported yet: output '" + k + "' is a composite tensor");
    opt.output_arrays.push_back(array_name(info.name()));
    out_tensors.push_back(info.name());
  }
  // Without outputs the importer would take the graph's sinks, which no
  // output key names. (Without inputs it takes the Placeholders the outputs
  // read: checked against the keys below.)
  if (out_keys.empty())
    return invalid_input("the signature lists no outputs; export it from a function that returns a tensor");
  std::vector<std::string> roots = out_tensors;
  for (const auto& a : opt.input_arrays) roots.push_back(a);
  ASSIGN_OR_RETURN(tensorflow::GraphDef flat,
                   flatten_graph(mg.graph_def(), roots,
                                 [&](const tensorflow::NodeDef& n) { return vars.value_of(n); }));
  ASSIGN_OR_RETURN(Model m, import_graphdef(flat, opt));
  // The TFLite signature speaks the SavedModel signature's keys.
  if (m.signatures.empty() || m.signatures[0].inputs.size() != in_keys.size() ||
      m.signatures[0].outputs.size() != out_keys.size())
    return invalid_input("the signature lists " + std::to_string(in_keys.size()) + " inputs and " +
                         std::to_string(out_keys.size()) + " outputs, but its outputs read " +
                         std::to_string(m.signatures.empty() ? 0 : m.signatures[0].inputs.size()) +
                         " Placeholders; the SavedModel is damaged: re-export it");
  SignatureDef& s = m.signatures[0];
  s.key = key;
  for (size_t i = 0; i < s.inputs.size(); ++i) s.inputs[i].first = in_keys[i];
  for (size_t i = 0; i < s.outputs.size(); ++i) s.outputs[i].first = out_keys[i];
  return m;
}

}  // namespace

Expected<std::vector<std::string>> list_saved_model_signatures(const std::string& dir,
                                                               const std::vector<std::string>& tags) {
  ASSIGN_OR_RETURN(tensorflow::SavedModel sm, read_saved_model(dir));
  ASSIGN_OR_RETURN(tensorflow::MetaGraphDef * mg, select_meta_graph(sm, tags));
  std::vector<std::string> keys;
  for (const auto& [k, v] : mg->signature_def())
    if (k != "__saved_model_init_op") keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  return keys;
}

Expected<Model> import_saved_model(const SavedModelOptions& o) {
  ASSIGN_OR_RETURN(tensorflow::SavedModel sm, read_saved_model(o.dir));
  ASSIGN_OR_RETURN(tensorflow::MetaGraphDef * mg, select_meta_graph(sm, o.tags));
  std::vector<std::string> available;
  for (const auto& [k, v] : mg->signature_def()) available.push_back(k);
  std::sort(available.begin(), available.end());
  for (const auto& key : o.signature_keys)
    if (!mg->signature_def().count(key))
      return invalid_input("the SavedModel has no signature '" + key + "'; it has " +
                           (available.empty() ? std::string("none") : "'" + join(available, "', '") + "'") +
                           " (pass --saved_model_signature_key)");
  ASSIGN_OR_RETURN(VariableIndex vars, VariableIndex::build(*mg, o.dir, has_variables(mg->graph_def())));

  Model model;
  model.source_format = "saved_model";
  model.api_version = 2;
  std::vector<std::string> failures;
  for (const auto& key : o.signature_keys) {
    if (o.trace) o.trace->signature = key;
    auto m = convert_signature(*mg, key, mg->signature_def().at(key), vars, o.fold_budget, o.fallbacks, o.trace);
    if (!m.ok()) {
      failures.push_back("signature '" + key + "': " + m.status().message());
      continue;
    }
    Graph& g = m->subgraphs[0];
    g.name = o.signature_keys.size() == 1 ? "main" : key;
    SignatureDef s = m->signatures[0];
    s.subgraph = static_cast<int>(model.subgraphs.size());
    model.subgraphs.push_back(std::move(g));
    model.signatures.push_back(std::move(s));
  }
  if (!failures.empty()) {
    std::string msg = join(failures, "\n");
    if (failures.size() < o.signature_keys.size())
      msg += "\n(the other signatures convert; pass --saved_model_signature_key to pick them)";
    return unsupported(msg);
  }
  return model;
}

}  // namespace tflc
