#include "sm_builder.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace smgen {
namespace {

using tensorflow::AttrValue;
using tensorflow::FunctionDef;
using tensorflow::NodeDef;

[[noreturn]] void die(const std::string& m) {
  // Generator bugs, not bad input: stop at once with the reason.
  std::fprintf(stderr, "make_saved_models: internal error: %s\n", m.c_str());
  std::abort();
}

template <typename T>
void put_le(std::string* out, T v) {
  unsigned char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));  // hosts we build on are little-endian, as TF's files
  out->append(reinterpret_cast<const char*>(b), sizeof(T));
}

std::string lower_snake(const std::string& s) {
  std::string out;
  for (char c : s) out += (c == '/' || c == '-' || c == '.') ? '_' : static_cast<char>(std::tolower(c));
  return out;
}

// TF's serialized ConfigProto on every call node (device counts, no GPU).
// Kept byte-for-byte since it is what a real export carries.
const char kConfigProto[] = "\202\001\0008\0012\002J\000\n\007\n\003CPU\020\001\n\007\n\003GPU\020\000";
std::string config_proto() { return std::string(kConfigProto, sizeof(kConfigProto) - 1); }

}  // namespace

// ---- values -----------------------------------------------------------------

int64_t Value::size() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string Value::bytes() const {
  std::string out;
  switch (dtype) {
    case tensorflow::DT_FLOAT:
      for (float x : f) put_le(&out, x);
      break;
    case tensorflow::DT_INT32:
      for (int64_t x : i) put_le(&out, static_cast<int32_t>(x));
      break;
    case tensorflow::DT_INT64:
      for (int64_t x : i) put_le(&out, x);
      break;
    case tensorflow::DT_UINT8:
    case tensorflow::DT_BOOL:
      for (int64_t x : i) put_le(&out, static_cast<uint8_t>(x));
      break;
    default:
      die("Value::bytes: dtype " + std::to_string(dtype));
  }
  return out;
}

tensorflow::TensorProto Value::proto() const {
  tensorflow::TensorProto t;
  t.set_dtype(dtype);
  *t.mutable_tensor_shape() = shape_proto(shape);
  // TF writes small constants with the typed *_val fields, big ones as raw bytes.
  if (size() > 4) {
    t.set_tensor_content(bytes());
    return t;
  }
  for (float x : f) t.add_float_val(x);
  for (int64_t x : i) {
    if (dtype == tensorflow::DT_INT64) t.add_int64_val(x);
    else if (dtype == tensorflow::DT_BOOL) t.add_bool_val(x != 0);
    else t.add_int_val(static_cast<int32_t>(x));
  }
  return t;
}

tflc::NamedTensor Value::named(const std::string& key) const {
  tflc::NamedTensor t;
  t.name = key;
  t.dtype = to_ir_dtype(dtype);
  t.shape = shape;
  t.bytes = bytes();
  return t;
}

Value float_value(std::vector<int64_t> shape, std::vector<float> v) {
  Value x;
  x.shape = std::move(shape);
  x.f = std::move(v);
  if (x.size() != static_cast<int64_t>(x.f.size())) die("float_value: size mismatch");
  return x;
}

Value int_value(DataType dtype, std::vector<int64_t> shape, std::vector<int64_t> v) {
  Value x;
  x.dtype = dtype;
  x.shape = std::move(shape);
  x.i = std::move(v);
  if (x.size() != static_cast<int64_t>(x.i.size())) die("int_value: size mismatch");
  return x;
}

uint64_t Rng::next() {
  uint64_t z = (s_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
double Rng::uniform() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
float Rng::uniform(float lo, float hi) { return static_cast<float>(lo + (hi - lo) * uniform()); }
int64_t Rng::integer(int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
}

Value random_floats(Rng& r, std::vector<int64_t> shape, float lo, float hi) {
  Value v;
  v.shape = std::move(shape);
  for (int64_t k = 0; k < v.size(); ++k) v.f.push_back(r.uniform(lo, hi));
  return v;
}

Value random_ints(Rng& r, DataType dtype, std::vector<int64_t> shape, int64_t lo, int64_t hi) {
  Value v;
  v.dtype = dtype;
  v.shape = std::move(shape);
  for (int64_t k = 0; k < v.size(); ++k) v.i.push_back(r.integer(lo, hi));
  return v;
}

const char* dtype_json_name(DataType t) {
  switch (t) {
    case tensorflow::DT_FLOAT: return "float32";
    case tensorflow::DT_INT32: return "int32";
    case tensorflow::DT_INT64: return "int64";
    case tensorflow::DT_UINT8: return "uint8";
    case tensorflow::DT_BOOL: return "bool";
    default: die("dtype_json_name: " + std::to_string(t));
  }
}

tflc::DType to_ir_dtype(DataType t) {
  switch (t) {
    case tensorflow::DT_FLOAT: return tflc::DType::kFloat32;
    case tensorflow::DT_INT32: return tflc::DType::kInt32;
    case tensorflow::DT_INT64: return tflc::DType::kInt64;
    case tensorflow::DT_UINT8: return tflc::DType::kUInt8;
    case tensorflow::DT_BOOL: return tflc::DType::kBool;
    case tensorflow::DT_STRING: return tflc::DType::kString;
    default: die("to_ir_dtype: " + std::to_string(t));
  }
}

// ---- protos -----------------------------------------------------------------

tensorflow::TensorShapeProto shape_proto(const std::vector<int64_t>& dims) {
  tensorflow::TensorShapeProto s;
  for (int64_t d : dims) s.add_dim()->set_size(d);
  return s;
}
AttrValue a_type(DataType t) {
  AttrValue a;
  a.set_type(t);
  return a;
}
AttrValue a_types(const std::vector<DataType>& ts) {
  AttrValue a;
  auto* l = a.mutable_list();
  for (auto t : ts) l->add_type(t);
  return a;
}
AttrValue a_shape(const std::vector<int64_t>& dims) {
  AttrValue a;
  *a.mutable_shape() = shape_proto(dims);
  return a;
}
AttrValue a_shapes(const std::vector<std::vector<int64_t>>& shapes) {
  AttrValue a;
  auto* l = a.mutable_list();
  for (const auto& s : shapes) *l->add_shape() = shape_proto(s);
  return a;
}
AttrValue a_s(const std::string& s) {
  AttrValue a;
  a.set_s(s);
  return a;
}
AttrValue a_i(int64_t v) {
  AttrValue a;
  a.set_i(v);
  return a;
}
AttrValue a_b(bool v) {
  AttrValue a;
  a.set_b(v);
  return a;
}
AttrValue a_ints(const std::vector<int64_t>& v) {
  AttrValue a;
  auto* l = a.mutable_list();
  for (int64_t x : v) l->add_i(x);
  return a;
}
AttrValue a_func(const std::string& name) {
  AttrValue a;
  a.mutable_func()->set_name(name);
  return a;
}
AttrValue a_tensor(const Value& v) {
  AttrValue a;
  *a.mutable_tensor() = v.proto();
  return a;
}

// OpDefs in text form, as TF registers them (defaults included: the
// stripped_op_list keeps them so readers can restore stripped attrs).
const tensorflow::OpDef& op_def(const std::string& op) {
  static const std::map<std::string, tensorflow::OpDef> table = [] {
    const char* const kDefs[] = {
        R"pb(name: "Const" output_arg { name: "output" type_attr: "dtype" }
           attr { name: "value" type: "tensor" } attr { name: "dtype" type: "type" })pb",
        R"pb(name: "NoOp")pb",
        R"pb(name: "Placeholder" output_arg { name: "output" type_attr: "dtype" } attr { name: "dtype" type: "type" }
           attr { name: "shape" type: "shape" default_value { shape { unknown_rank: true } } })pb",
        R"pb(name: "PlaceholderWithDefault" input_arg { name: "input" type_attr: "dtype" }
           output_arg { name: "output" type_attr: "dtype" } attr { name: "dtype" type: "type" }
           attr { name: "shape" type: "shape" })pb",
        R"pb(name: "Identity" input_arg { name: "input" type_attr: "T" } output_arg { name: "output" type_attr: "T" }
           attr { name: "T" type: "type" })pb",
        R"pb(name: "VarHandleOp" output_arg { name: "resource" type: DT_RESOURCE }
           attr { name: "container" type: "string" default_value { s: "" } }
           attr { name: "shared_name" type: "string" default_value { s: "" } }
           attr { name: "dtype" type: "type" } attr { name: "shape" type: "shape" }
           attr { name: "allowed_devices" type: "list(string)" default_value { list { } } } is_stateful: true)pb",
        R"pb(name: "ReadVariableOp" input_arg { name: "resource" type: DT_RESOURCE }
           output_arg { name: "value" type_attr: "dtype" } attr { name: "dtype" type: "type" } is_stateful: true)pb",
        R"pb(name: "AssignVariableOp" input_arg { name: "resource" type: DT_RESOURCE }
           input_arg { name: "value" type_attr: "dtype" } attr { name: "dtype" type: "type" }
           attr { name: "validate_shape" type: "bool" default_value { b: false } } is_stateful: true)pb",
        R"pb(name: "AssignAddVariableOp" input_arg { name: "resource" type: DT_RESOURCE }
           input_arg { name: "value" type_attr: "dtype" } attr { name: "dtype" type: "type" } is_stateful: true)pb",
        R"pb(name: "StatefulPartitionedCall" input_arg { name: "args" type_list_attr: "Tin" }
           output_arg { name: "output" type_list_attr: "Tout" }
           attr { name: "Tin" type: "list(type)" has_minimum: true } attr { name: "Tout" type: "list(type)" has_minimum: true }
           attr { name: "f" type: "func" } attr { name: "config" type: "string" default_value { s: "" } }
           attr { name: "config_proto" type: "string" default_value { s: "" } }
           attr { name: "executor_type" type: "string" default_value { s: "" } } is_stateful: true)pb",
        R"pb(name: "PartitionedCall" input_arg { name: "args" type_list_attr: "Tin" }
           output_arg { name: "output" type_list_attr: "Tout" }
           attr { name: "Tin" type: "list(type)" has_minimum: true } attr { name: "Tout" type: "list(type)" has_minimum: true }
           attr { name: "f" type: "func" } attr { name: "config" type: "string" default_value { s: "" } }
           attr { name: "config_proto" type: "string" default_value { s: "" } }
           attr { name: "executor_type" type: "string" default_value { s: "" } })pb",
        R"pb(name: "Mul" input_arg { name: "x" type_attr: "T" } input_arg { name: "y" type_attr: "T" }
           output_arg { name: "z" type_attr: "T" } attr { name: "T" type: "type" } is_commutative: true)pb",
        R"pb(name: "AddV2" input_arg { name: "x" type_attr: "T" } input_arg { name: "y" type_attr: "T" }
           output_arg { name: "z" type_attr: "T" } attr { name: "T" type: "type" } is_aggregate: true is_commutative: true)pb",
        R"pb(name: "Add" input_arg { name: "x" type_attr: "T" } input_arg { name: "y" type_attr: "T" }
           output_arg { name: "z" type_attr: "T" } attr { name: "T" type: "type" })pb",
        R"pb(name: "Cast" input_arg { name: "x" type_attr: "SrcT" } output_arg { name: "y" type_attr: "DstT" }
           attr { name: "SrcT" type: "type" } attr { name: "DstT" type: "type" }
           attr { name: "Truncate" type: "bool" default_value { b: false } })pb",
        R"pb(name: "Conv2D" input_arg { name: "input" type_attr: "T" } input_arg { name: "filter" type_attr: "T" }
           output_arg { name: "output" type_attr: "T" } attr { name: "T" type: "type" }
           attr { name: "strides" type: "list(int)" }
           attr { name: "use_cudnn_on_gpu" type: "bool" default_value { b: true } }
           attr { name: "padding" type: "string" allowed_values { list { s: "SAME" s: "VALID" s: "EXPLICIT" } } }
           attr { name: "explicit_paddings" type: "list(int)" default_value { list { } } }
           attr { name: "data_format" type: "string" default_value { s: "NHWC" } allowed_values { list { s: "NHWC" s: "NCHW" } } }
           attr { name: "dilations" type: "list(int)" default_value { list { i: 1 i: 1 i: 1 i: 1 } } })pb",
        R"pb(name: "BiasAdd" input_arg { name: "value" type_attr: "T" } input_arg { name: "bias" type_attr: "T" }
           output_arg { name: "output" type_attr: "T" } attr { name: "T" type: "type" }
           attr { name: "data_format" type: "string" default_value { s: "NHWC" } allowed_values { list { s: "NHWC" s: "NCHW" } } })pb",
        R"pb(name: "Relu" input_arg { name: "features" type_attr: "T" } output_arg { name: "activations" type_attr: "T" }
           attr { name: "T" type: "type" })pb",
        R"pb(name: "Reshape" input_arg { name: "tensor" type_attr: "T" } input_arg { name: "shape" type_attr: "Tshape" }
           output_arg { name: "output" type_attr: "T" } attr { name: "T" type: "type" }
           attr { name: "Tshape" type: "type" default_value { type: DT_INT32 } })pb",
        R"pb(name: "MatMul" input_arg { name: "a" type_attr: "T" } input_arg { name: "b" type_attr: "T" }
           output_arg { name: "product" type_attr: "T" }
           attr { name: "transpose_a" type: "bool" default_value { b: false } }
           attr { name: "transpose_b" type: "bool" default_value { b: false } } attr { name: "T" type: "type" })pb",
        R"pb(name: "Softmax" input_arg { name: "logits" type_attr: "T" } output_arg { name: "softmax" type_attr: "T" }
           attr { name: "T" type: "type" })pb",
        R"pb(name: "VariableV2" output_arg { name: "ref" type_attr: "dtype" is_ref: true }
           attr { name: "shape" type: "shape" } attr { name: "dtype" type: "type" }
           attr { name: "container" type: "string" default_value { s: "" } }
           attr { name: "shared_name" type: "string" default_value { s: "" } } is_stateful: true)pb",
        R"pb(name: "Assign" input_arg { name: "ref" type_attr: "T" is_ref: true } input_arg { name: "value" type_attr: "T" }
           output_arg { name: "output_ref" type_attr: "T" is_ref: true } attr { name: "T" type: "type" }
           attr { name: "validate_shape" type: "bool" default_value { b: true } }
           attr { name: "use_locking" type: "bool" default_value { b: true } } allows_uninitialized_input: true)pb",
        R"pb(name: "StaticRegexFullMatch" input_arg { name: "input" type: DT_STRING } output_arg { name: "output" type: DT_BOOL }
           attr { name: "pattern" type: "string" })pb",
        R"pb(name: "Select" input_arg { name: "condition" type: DT_BOOL } input_arg { name: "t" type_attr: "T" }
           input_arg { name: "e" type_attr: "T" } output_arg { name: "output" type_attr: "T" } attr { name: "T" type: "type" })pb",
        R"pb(name: "StringJoin" input_arg { name: "inputs" type: DT_STRING number_attr: "N" }
           output_arg { name: "output" type: DT_STRING } attr { name: "N" type: "int" has_minimum: true minimum: 1 }
           attr { name: "separator" type: "string" default_value { s: "" } })pb",
        R"pb(name: "ShardedFilename" input_arg { name: "basename" type: DT_STRING } input_arg { name: "shard" type: DT_INT32 }
           input_arg { name: "num_shards" type: DT_INT32 } output_arg { name: "filename" type: DT_STRING })pb",
        R"pb(name: "SaveV2" input_arg { name: "prefix" type: DT_STRING } input_arg { name: "tensor_names" type: DT_STRING }
           input_arg { name: "shape_and_slices" type: DT_STRING } input_arg { name: "tensors" type_list_attr: "dtypes" }
           attr { name: "dtypes" type: "list(type)" has_minimum: true minimum: 1 } is_stateful: true)pb",
        R"pb(name: "RestoreV2" input_arg { name: "prefix" type: DT_STRING } input_arg { name: "tensor_names" type: DT_STRING }
           input_arg { name: "shape_and_slices" type: DT_STRING } output_arg { name: "tensors" type_list_attr: "dtypes" }
           attr { name: "dtypes" type: "list(type)" has_minimum: true minimum: 1 } is_stateful: true)pb",
        R"pb(name: "MergeV2Checkpoints" input_arg { name: "checkpoint_prefixes" type: DT_STRING }
           input_arg { name: "destination_prefix" type: DT_STRING }
           attr { name: "delete_old_dirs" type: "bool" default_value { b: true } }
           attr { name: "allow_missing_files" type: "bool" default_value { b: false } } is_stateful: true)pb",
        R"pb(name: "Pack" input_arg { name: "values" type_attr: "T" number_attr: "N" } output_arg { name: "output" type_attr: "T" }
           attr { name: "N" type: "int" has_minimum: true minimum: 1 } attr { name: "T" type: "type" }
           attr { name: "axis" type: "int" default_value { i: 0 } })pb",
    };
    std::map<std::string, tensorflow::OpDef> t;
    for (const char* text : kDefs) {
      tensorflow::OpDef d;
      if (!google::protobuf::TextFormat::ParseFromString(text, &d)) die(std::string("bad OpDef text: ") + text);
      t.emplace(d.name(), d);
    }
    return t;
  }();
  auto it = table.find(op);
  if (it == table.end()) die("no OpDef for op " + op);
  return it->second;
}

void add_stripped_ops(const tensorflow::GraphDef& graph, tensorflow::OpList* out) {
  std::set<std::string> ops;
  for (const auto& n : graph.node()) ops.insert(n.op());
  for (const auto& f : graph.library().function())
    for (const auto& n : f.node_def()) ops.insert(n.op());
  for (const auto& op : ops) *out->add_op() = op_def(op);  // sorted, as TF lists them
}

void strip_default_attrs(tensorflow::GraphDef* graph) {
  auto strip = [](NodeDef* n) {
    for (const auto& a : op_def(n->op()).attr()) {
      if (!a.has_default_value()) continue;
      auto it = n->attr().find(a.name());
      if (it != n->attr().end() && it->second.SerializeAsString() == a.default_value().SerializeAsString())
        n->mutable_attr()->erase(a.name());
    }
  };
  for (auto& n : *graph->mutable_node()) strip(&n);
  for (auto& f : *graph->mutable_library()->mutable_function())
    for (auto& n : *f.mutable_node_def()) strip(&n);
}

NodeDef* add_node(google::protobuf::RepeatedPtrField<NodeDef>* nodes, const std::string& name, const std::string& op,
                  const std::vector<std::string>& inputs, const Attrs& attrs) {
  op_def(op);  // every op we write must have an OpDef for the stripped op list
  NodeDef* n = nodes->Add();
  n->set_name(name);
  n->set_op(op);
  for (const auto& in : inputs) n->add_input(in);
  for (const auto& [k, v] : attrs) (*n->mutable_attr())[k] = v;
  return n;
}

// ---- Body -------------------------------------------------------------------

const std::string& Body::arg(size_t k) const {
  if (k >= args_.size()) die("Body::arg " + std::to_string(k) + " out of range");
  return args_[k];
}

NodeDef* Body::add(const std::string& name, const std::string& op, const std::vector<std::string>& inputs,
                   const Attrs& attrs) {
  std::string full = scope_ + name;
  if (!names_->insert(full).second) die("duplicate node name " + full);
  return add_node(nodes_, full, op, inputs, attrs);
}

std::string Body::ref(const NodeDef& n, int out) const {
  if (frozen_) return out == 0 ? n.name() : n.name() + ":" + std::to_string(out);
  // Function bodies address outputs by OpDef argument: "node:arg:index".
  const tensorflow::OpDef& d = op_def(n.op());
  if (d.output_arg_size() == 0) die("op " + n.op() + " has no outputs");
  if (d.output_arg_size() == 1) return n.name() + ":" + d.output_arg(0).name() + ":" + std::to_string(out);
  return n.name() + ":" + d.output_arg(out).name() + ":0";
}

std::string Body::op(const std::string& type, const std::string& name, const std::vector<std::string>& inputs,
                     const Attrs& attrs, int out) {
  return ref(*add(name, type, inputs, attrs), out);
}

std::string Body::konst(const std::string& name, const Value& v) {
  return op("Const", name, {}, {{"dtype", a_type(v.dtype)}, {"value", a_tensor(v)}});
}

std::string Body::resource_arg(int var, const std::string& hint, bool direct) {
  for (size_t k = 0; k < resources_.size(); ++k)
    if (resources_[k] == var) return resource_args_[k];
  std::string name;
  if (wrapper_naming_) {
    // Signature wrappers call their captures "unknown", "unknown_0", ...
    name = resources_.empty() ? "unknown" : "unknown_" + std::to_string(resources_.size() - 1);
  } else if (direct) {
    name = lower_snake(hint) + "_resource";  // "Conv2D/ReadVariableOp" -> conv2d_readvariableop_resource
  } else {
    // Keras passes a layer's captures on as "<layer>_<uid>".
    name = lower_snake(hint.substr(0, hint.find('/'))) + "_" + std::to_string(model_->uid_++);
  }
  while (std::find(resource_args_.begin(), resource_args_.end(), name) != resource_args_.end()) name += "_1";
  resources_.push_back(var);
  resource_args_.push_back(name);
  return name;
}

std::string Body::read(int var, const std::string& name, const std::vector<std::string>& deps) {
  const Variable& v = model_->vars_.at(var);
  if (frozen_) return konst(name, v.value);
  std::string res = resource_arg(var, name, true);
  std::vector<std::string> ins = {res};
  ins.insert(ins.end(), deps.begin(), deps.end());
  std::string r = op("ReadVariableOp", name, ins, {{"dtype", a_type(v.value.dtype)}});
  stateful_.push_back(scope_ + name);
  return r;
}

void Body::resource_op(const std::string& type, const std::string& name, int var,
                       const std::vector<std::string>& inputs, const Attrs& attrs) {
  if (frozen_) die("resource_op " + type + " has no frozen form");
  std::vector<std::string> ins = {resource_arg(var, name, true)};
  ins.insert(ins.end(), inputs.begin(), inputs.end());
  Attrs a = attrs;
  a["dtype"] = a_type(model_->vars_.at(var).value.dtype);
  add(name, type, ins, a);
  stateful_.push_back(scope_ + name);
}

std::vector<std::string> Body::call(const std::string& name, const std::string& fn_base,
                                    const std::vector<std::string>& inputs, const std::vector<DataType>& in_types,
                                    const std::vector<DataType>& out_types, const Fn& body) {
  if (inputs.size() != in_types.size()) die("call " + name + ": inputs and in_types differ in length");
  if (frozen_) {
    Body child(model_, true);
    child.scope_ = scope_ + name + "/";
    child.nodes_ = nodes_;
    child.names_ = names_;
    child.args_ = inputs;
    std::vector<std::string> outs = body(child);
    if (outs.size() != out_types.size()) die("call " + name + ": body returned the wrong number of outputs");
    return outs;
  }
  Body child(model_, false);
  child.fn_ = std::make_unique<FunctionDef>();
  child.nodes_ = child.fn_->mutable_node_def();
  std::vector<std::string> arg_names;
  for (size_t k = 0; k < inputs.size(); ++k) arg_names.push_back(k == 0 ? "inputs" : "inputs_" + std::to_string(k));
  child.args_ = arg_names;
  std::vector<std::string> outs = body(child);
  std::string fname = model_->new_function_name(fn_base);
  model_->finish_function(child, fname, arg_names, in_types, outs, out_types);
  return emit_call(name, fname, inputs, in_types, out_types, child.resources_);
}

std::vector<std::string> Body::emit_call(const std::string& name, const std::string& fname,
                                         const std::vector<std::string>& inputs,
                                         const std::vector<DataType>& in_types,
                                         const std::vector<DataType>& out_types, const std::vector<int>& resources) {
  std::vector<std::string> ins = inputs;
  std::vector<DataType> tin = in_types;
  std::vector<int64_t> read_only;
  for (int var : resources) {
    read_only.push_back(static_cast<int64_t>(ins.size()));
    ins.push_back(resource_arg(var, name, false));
    tin.push_back(tensorflow::DT_RESOURCE);
  }
  bool stateful = !resources.empty();
  Attrs a = {{"Tin", a_types(tin)},
             {"Tout", a_types(out_types)},
             {"f", a_func(fname)},
             {"config_proto", a_s(config_proto())},
             {"_collective_manager_ids", a_ints({})},
             {"_read_only_resource_inputs", a_ints(read_only)}};
  NodeDef* n = add(name, stateful ? "StatefulPartitionedCall" : "PartitionedCall", ins, a);
  if (stateful) stateful_.push_back(n->name());
  std::vector<std::string> outs;
  for (size_t k = 0; k < out_types.size(); ++k) outs.push_back(ref(*n, static_cast<int>(k)));
  return outs;
}

// ---- Tf2Model ---------------------------------------------------------------

int Tf2Model::add_variable(const std::string& name, const std::string& path, Value v, bool trainable) {
  if (built_) die("add_variable after build");
  vars_.push_back({name, path, std::move(v), trainable});
  return static_cast<int>(vars_.size()) - 1;
}

void Tf2Model::add_signature(Signature s) {
  if (built_) die("add_signature after build");
  for (size_t k = 1; k < s.inputs.size(); ++k)
    if (s.inputs[k - 1].key >= s.inputs[k].key) die("signature " + s.key + ": inputs must be sorted by key");
  for (size_t k = 1; k < s.outputs.size(); ++k)
    if (s.outputs[k - 1].key >= s.outputs[k].key) die("signature " + s.key + ": outputs must be sorted by key");
  if (s.arg_order.empty())
    for (size_t k = 0; k < s.inputs.size(); ++k) s.arg_order.push_back(static_cast<int>(k));
  sigs_.push_back(std::move(s));
}

FunctionDef* Tf2Model::finish_function(Body& b, const std::string& name, const std::vector<std::string>& arg_names,
                                       const std::vector<DataType>& in_types, const std::vector<std::string>& outs,
                                       const std::vector<DataType>& out_types) {
  if (outs.size() != out_types.size()) die("function " + name + ": outputs and out_types differ in length");
  FunctionDef& f = *b.fn_;
  auto* sig = f.mutable_signature();
  sig->set_name(name);
  for (size_t k = 0; k < arg_names.size(); ++k) {
    auto* a = sig->add_input_arg();
    a->set_name(arg_names[k]);
    a->set_type(in_types[k]);
    (*(*f.mutable_arg_attr())[static_cast<uint32_t>(k)].mutable_attr())["_user_specified_name"] = a_s(arg_names[k]);
  }
  for (size_t k = 0; k < b.resources_.size(); ++k) {
    const Variable& v = vars_[b.resources_[k]];
    auto* a = sig->add_input_arg();
    a->set_name(b.resource_args_[k]);
    a->set_type(tensorflow::DT_RESOURCE);
    auto* hd = a->add_handle_data();  // TF 2.x records the variable's dtype/shape on the handle
    hd->set_dtype(v.value.dtype);
    *hd->mutable_shape() = shape_proto(v.value.shape);
    (*(*f.mutable_arg_attr())[static_cast<uint32_t>(arg_names.size() + k)].mutable_attr())["_user_specified_name"] =
        a_s("resource");
  }
  // Outputs pass through Identity nodes that wait on every stateful op (the
  // automatic control dependencies of tf.function).
  bool noop = !b.stateful_.empty();
  if (noop) {
    std::vector<std::string> deps;
    for (const auto& s : b.stateful_) deps.push_back("^" + s);
    b.add("NoOp", "NoOp", deps, {});
  }
  for (size_t k = 0; k < outs.size(); ++k) {
    std::string id = k == 0 ? "Identity" : "Identity_" + std::to_string(k);
    std::vector<std::string> ins = {outs[k]};
    if (noop) ins.push_back("^NoOp");
    b.add(id, "Identity", ins, {{"T", a_type(out_types[k])}});
    std::string ret = k == 0 ? "identity" : "identity_" + std::to_string(k);
    auto* o = sig->add_output_arg();
    o->set_name(ret);
    o->set_type(out_types[k]);
    (*f.mutable_ret())[ret] = id + ":output:0";
  }
  if (noop) {
    sig->set_is_stateful(true);
    for (const auto& s : b.stateful_) {
      sig->add_control_output(s);
      (*f.mutable_control_ret())[s] = s;
    }
  }
  (*f.mutable_attr())["_construction_context"] = a_s("kEagerRuntime");
  FunctionDef* added = lib_.add_function();
  added->Swap(&f);
  return added;
}

void Tf2Model::build() {
  if (built_) return;
  built_ = true;
  for (const Signature& s : sigs_) {
    std::vector<std::string> names;
    std::vector<DataType> in_types, out_types;
    for (int k : s.arg_order) {
      names.push_back(s.inputs[k].key);
      in_types.push_back(s.inputs[k].dtype);
    }
    for (const auto& o : s.outputs) out_types.push_back(o.dtype);

    // The traced function (what the tf.function's concrete function holds).
    Body inner(this, false);
    inner.fn_ = std::make_unique<FunctionDef>();
    inner.nodes_ = inner.fn_->mutable_node_def();
    inner.args_ = names;
    std::vector<std::string> outs = s.body(inner);
    Built b;
    b.inner = new_function_name(s.fn_name);
    finish_function(inner, b.inner, names, in_types, outs, out_types);

    // The signature wrapper: keyword arguments sorted by key, captures last.
    Body w(this, false);
    w.fn_ = std::make_unique<FunctionDef>();
    w.nodes_ = w.fn_->mutable_node_def();
    w.wrapper_naming_ = true;
    std::vector<std::string> keys, call_in;
    std::vector<DataType> key_types;
    for (const auto& i : s.inputs) {
      keys.push_back(i.key);
      key_types.push_back(i.dtype);
    }
    w.args_ = keys;
    for (int k : s.arg_order) call_in.push_back(keys[k]);
    std::vector<std::string> wouts =
        w.emit_call(inner.resources_.empty() ? "PartitionedCall" : "StatefulPartitionedCall", b.inner, call_in,
                    in_types, out_types, inner.resources_);
    b.wrapper = "__inference_signature_wrapper_" + std::to_string(uid_ += 7);
    finish_function(w, b.wrapper, keys, key_types, wouts, out_types);
    b.resources = w.resources_;
    b.stateful = !b.resources.empty();
    built_sigs_[s.key] = b;
  }
}

namespace {

// SavedObjectGraph helpers.
tensorflow::StructuredValue tensor_spec_value(const std::string& name, const TensorSpec& t) {
  tensorflow::StructuredValue v;
  auto* ts = v.mutable_tensor_spec_value();
  ts->set_name(name);
  *ts->mutable_shape() = shape_proto(t.shape);
  ts->set_dtype(t.dtype);
  return v;
}

tensorflow::StructuredValue none_value() {
  tensorflow::StructuredValue v;
  v.mutable_none_value();
  return v;
}

// FullArgSpec(args=[...], varargs=None, ...) as tf.function records it.
tensorflow::StructuredValue full_arg_spec(const std::vector<std::string>& args) {
  tensorflow::StructuredValue v;
  auto* nt = v.mutable_named_tuple_value();
  nt->set_name("FullArgSpec");
  auto add = [&](const std::string& k, tensorflow::StructuredValue x) {
    auto* p = nt->add_values();
    p->set_key(k);
    *p->mutable_value() = std::move(x);
  };
  tensorflow::StructuredValue list;
  for (const auto& a : args) list.mutable_list_value()->add_values()->set_string_value(a);
  add("args", list);
  add("varargs", none_value());
  add("varkw", none_value());
  add("defaults", none_value());
  tensorflow::StructuredValue empty_list;
  empty_list.mutable_list_value();
  add("kwonlyargs", empty_list);
  add("kwonlydefaults", none_value());
  tensorflow::StructuredValue empty_dict;
  empty_dict.mutable_dict_value();
  add("annotations", empty_dict);
  return v;
}

bool tuple_outputs(const Signature& s) {
  // `return a, b` gives keys output_0, output_1...; a returned dict keeps its keys.
  for (size_t k = 0; k < s.outputs.size(); ++k)
    if (s.outputs[k].key != "output_" + std::to_string(k)) return false;
  return true;
}

}  // namespace

void Tf2Model::build_object_graph(tensorflow::MetaGraphDef* mg) {
  // The object tree: root -> path components of the variables, the traced
  // functions, and "signatures" -> one bare concrete function per signature.
  struct Obj {
    enum Kind { kUser, kVar, kFunction, kSigMap, kBare } kind;
    std::string local_name, path;
    int index = -1;  // variable or signature index
    std::vector<int> children;
    int id = -1;
  };
  std::vector<Obj> objs = {{Obj::kUser, "", "", -1, {}, -1}};
  auto child = [&](int parent, Obj o) {
    for (int c : objs[parent].children)
      if (objs[c].local_name == o.local_name) return c;
    objs.push_back(std::move(o));
    int id = static_cast<int>(objs.size()) - 1;
    objs[parent].children.push_back(id);
    return id;
  };
  for (size_t v = 0; v < vars_.size(); ++v) {
    int at = 0;
    std::string path;
    size_t start = 0;
    const std::string& p = vars_[v].path;
    while (true) {
      size_t slash = p.find('/', start);
      std::string comp = p.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      path += (path.empty() ? "" : "/") + comp;
      if (slash == std::string::npos) {
        at = child(at, {Obj::kVar, comp, path, static_cast<int>(v), {}, -1});
        break;
      }
      at = child(at, {Obj::kUser, comp, path, -1, {}, -1});
      start = slash + 1;
    }
  }
  for (size_t s = 0; s < sigs_.size(); ++s) child(0, {Obj::kFunction, sigs_[s].fn_name, "", static_cast<int>(s), {}, -1});
  int sigmap = child(0, {Obj::kSigMap, "signatures", "", -1, {}, -1});
  std::vector<size_t> order(sigs_.size());
  for (size_t s = 0; s < sigs_.size(); ++s) order[s] = s;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sigs_[a].key < sigs_[b].key; });
  for (size_t s : order) child(sigmap, {Obj::kBare, sigs_[s].key, "", static_cast<int>(s), {}, -1});

  // Node ids in breadth-first order from the root, as TF numbers them.
  std::vector<int> bfs = {0};
  for (size_t k = 0; k < bfs.size(); ++k)
    for (int c : objs[bfs[k]].children) bfs.push_back(c);
  for (size_t k = 0; k < bfs.size(); ++k) objs[bfs[k]].id = static_cast<int>(k);
  std::vector<int> var_node(vars_.size());
  for (const Obj& o : objs)
    if (o.kind == Obj::kVar) var_node[o.index] = o.id;
  std::function<bool(int)> has_values = [&](int i) {
    if (objs[i].kind == Obj::kVar) return true;
    for (int c : objs[i].children)
      if (has_values(c)) return true;
    return false;
  };

  auto* og = mg->mutable_object_graph_def();
  trackable_.Clear();
  for (int i : bfs) {
    const Obj& o = objs[i];
    auto* n = og->add_nodes();
    auto* t = trackable_.add_nodes();
    for (int c : o.children) {
      auto* r = n->add_children();
      r->set_node_id(objs[c].id);
      r->set_local_name(objs[c].local_name);
      auto* tr = t->add_children();
      tr->set_node_id(objs[c].id);
      tr->set_local_name(objs[c].local_name);
    }
    t->mutable_has_checkpoint_values()->set_value(has_values(i));
    switch (o.kind) {
      case Obj::kUser: {
        auto* u = n->mutable_user_object();
        u->set_identifier("_generic_user_object");
        u->mutable_version()->set_producer(1);
        u->mutable_version()->set_min_consumer(1);
        break;
      }
      case Obj::kVar: {
        const Variable& v = vars_[o.index];
        auto* sv = n->mutable_variable();
        sv->set_dtype(v.value.dtype);
        *sv->mutable_shape() = shape_proto(v.value.shape);
        sv->set_trainable(v.trainable);
        sv->set_name(v.name);
        auto* a = t->add_attributes();
        a->set_name("VARIABLE_VALUE");
        a->set_full_name(v.name);
        a->set_checkpoint_key(o.path + "/.ATTRIBUTES/VARIABLE_VALUE");
        break;
      }
      case Obj::kFunction: {
        const Signature& s = sigs_[o.index];
        auto* f = n->mutable_function();
        f->add_concrete_functions(built_sigs_[s.key].inner);
        auto* spec = f->mutable_function_spec();
        std::vector<std::string> args = {"self"};
        for (int k : s.arg_order) args.push_back(s.inputs[k].key);
        *spec->mutable_fullargspec() = full_arg_spec(args);
        spec->set_is_method(true);
        auto* tuple = spec->mutable_input_signature()->mutable_tuple_value();
        for (int k : s.arg_order) *tuple->add_values() = tensor_spec_value(s.inputs[k].key, s.inputs[k]);
        break;
      }
      case Obj::kSigMap: {
        auto* u = n->mutable_user_object();
        u->set_identifier("signature_map");
        u->mutable_version()->set_producer(1);
        u->mutable_version()->set_min_consumer(1);
        break;
      }
      case Obj::kBare: {
        const Signature& s = sigs_[o.index];
        auto* b = n->mutable_bare_concrete_function();
        b->set_concrete_function_name(built_sigs_[s.key].wrapper);
        for (const auto& in : s.inputs) b->add_argument_keywords(in.key);
        b->set_allowed_positional_arguments(static_cast<int64_t>(s.inputs.size()));
        break;
      }
    }
  }

  // Concrete functions: bound_inputs are the captured variables' node ids, in
  // the order the functions take them as trailing resource arguments.
  for (const Signature& s : sigs_) {
    const Built& b = built_sigs_[s.key];
    std::vector<int> bound;
    for (int v : b.resources) bound.push_back(var_node[v]);
    {
      auto& cf = (*og->mutable_concrete_functions())[b.inner];
      for (int id : bound) cf.add_bound_inputs(id);
      auto* sig = cf.mutable_canonicalized_input_signature()->mutable_tuple_value();
      auto* pos = sig->add_values()->mutable_tuple_value();
      for (int k : s.arg_order) *pos->add_values() = tensor_spec_value(s.inputs[k].key, s.inputs[k]);
      sig->add_values()->mutable_dict_value();
      if (s.outputs.size() == 1 && tuple_outputs(s)) {
        *cf.mutable_output_signature() = tensor_spec_value("", s.outputs[0]);
      } else if (tuple_outputs(s)) {
        auto* t = cf.mutable_output_signature()->mutable_tuple_value();
        for (const auto& o : s.outputs) *t->add_values() = tensor_spec_value("", o);
      } else {
        auto* d = cf.mutable_output_signature()->mutable_dict_value();
        for (const auto& o : s.outputs) (*d->mutable_fields())[o.key] = tensor_spec_value(o.key, o);
      }
    }
    {
      auto& cf = (*og->mutable_concrete_functions())[b.wrapper];
      for (int id : bound) cf.add_bound_inputs(id);
      auto* sig = cf.mutable_canonicalized_input_signature()->mutable_tuple_value();
      sig->add_values()->mutable_tuple_value();
      auto* kw = sig->add_values()->mutable_dict_value();
      for (const auto& in : s.inputs) (*kw->mutable_fields())[in.key] = tensor_spec_value(in.key, in);
      auto* d = cf.mutable_output_signature()->mutable_dict_value();
      for (const auto& o : s.outputs) (*d->mutable_fields())[o.key] = tensor_spec_value(o.key, o);
    }
  }
}

// The functions tf.saved_model.save adds for tf.train.Checkpoint save and
// restore (string ops, SaveV2/RestoreV2): unreachable from any signature.
std::pair<std::string, std::string> Tf2Model::add_saver_functions() {
  std::string save_fn = "__inference__traced_save_" + std::to_string(uid_ += 7);
  std::string restore_fn = "__inference__traced_restore_" + std::to_string(uid_ += 7);
  {
    FunctionDef* f = lib_.add_function();
    auto* sig = f->mutable_signature();
    sig->set_name(save_fn);
    auto arg = [&](const std::string& name, DataType t) {
      auto* a = sig->add_input_arg();
      a->set_name(name);
      a->set_type(t);
    };
    arg("file_prefix", tensorflow::DT_STRING);
    std::vector<std::string> save_args;
    std::vector<DataType> dtypes;
    for (const Variable& v : vars_) {
      save_args.push_back("savev2_" + lower_snake(v.name) + "_read_readvariableop");
      arg(save_args.back(), v.value.dtype);
      dtypes.push_back(v.value.dtype);
    }
    arg("savev2_const", tensorflow::DT_STRING);
    save_args.push_back("savev2_const");
    dtypes.push_back(tensorflow::DT_STRING);
    auto* o = sig->add_output_arg();
    o->set_name("identity_1");
    o->set_type(tensorflow::DT_STRING);
    sig->set_is_stateful(true);
    sig->add_control_output("MergeV2Checkpoints");
    auto* nd = f->mutable_node_def();
    auto str_const = [&](const std::string& name, std::vector<std::string> vals) {
      NodeDef* n = add_node(nd, name, "Const", {}, {{"dtype", a_type(tensorflow::DT_STRING)}});
      auto* t = (*n->mutable_attr())["value"].mutable_tensor();
      t->set_dtype(tensorflow::DT_STRING);
      if (vals.size() != 1) t->mutable_tensor_shape()->add_dim()->set_size(static_cast<int64_t>(vals.size()));
      else t->mutable_tensor_shape();
      for (auto& v : vals) t->add_string_val(v);
    };
    add_node(nd, "StaticRegexFullMatch", "StaticRegexFullMatch", {"file_prefix"}, {{"pattern", a_s("^s3://.*")}});
    str_const("Const", {".part"});
    str_const("Const_1", {"_temp/part"});
    add_node(nd, "Select", "Select", {"StaticRegexFullMatch:output:0", "Const:output:0", "Const_1:output:0"},
             {{"T", a_type(tensorflow::DT_STRING)}});
    add_node(nd, "StringJoin", "StringJoin", {"file_prefix", "Select:output:0"}, {{"N", a_i(2)}});
    add_node(nd, "num_shards", "Const", {},
             {{"dtype", a_type(tensorflow::DT_INT32)}, {"value", a_tensor(int_value(tensorflow::DT_INT32, {}, {1}))}});
    add_node(nd, "ShardedFilename/shard", "Const", {},
             {{"dtype", a_type(tensorflow::DT_INT32)}, {"value", a_tensor(int_value(tensorflow::DT_INT32, {}, {0}))}});
    add_node(nd, "ShardedFilename", "ShardedFilename",
             {"StringJoin:output:0", "ShardedFilename/shard:output:0", "num_shards:output:0"});
    std::vector<std::string> keys, slices;
    for (const Variable& v : vars_) keys.push_back(v.path + "/.ATTRIBUTES/VARIABLE_VALUE");
    keys.push_back("_CHECKPOINTABLE_OBJECT_GRAPH");
    slices.assign(keys.size(), "");
    str_const("SaveV2/tensor_names", keys);
    str_const("SaveV2/shape_and_slices", slices);
    std::vector<std::string> save_in = {"ShardedFilename:filename:0", "SaveV2/tensor_names:output:0",
                                        "SaveV2/shape_and_slices:output:0"};
    save_in.insert(save_in.end(), save_args.begin(), save_args.end());
    add_node(nd, "SaveV2", "SaveV2", save_in, {{"dtypes", a_types(dtypes)}});
    add_node(nd, "MergeV2Checkpoints/checkpoint_prefixes", "Pack", {"ShardedFilename:filename:0", "^SaveV2"},
             {{"N", a_i(1)}, {"T", a_type(tensorflow::DT_STRING)}});
    add_node(nd, "MergeV2Checkpoints", "MergeV2Checkpoints",
             {"MergeV2Checkpoints/checkpoint_prefixes:output:0", "file_prefix"});
    add_node(nd, "Identity", "Identity", {"file_prefix", "^MergeV2Checkpoints"}, {{"T", a_type(tensorflow::DT_STRING)}});
    add_node(nd, "Identity_1", "Identity", {"Identity:output:0", "^MergeV2Checkpoints"},
             {{"T", a_type(tensorflow::DT_STRING)}});
    (*f->mutable_ret())["identity_1"] = "Identity_1:output:0";
    (*f->mutable_control_ret())["MergeV2Checkpoints"] = "MergeV2Checkpoints";
  }
  {
    FunctionDef* f = lib_.add_function();
    auto* sig = f->mutable_signature();
    sig->set_name(restore_fn);
    auto* a = sig->add_input_arg();
    a->set_name("file_prefix");
    a->set_type(tensorflow::DT_STRING);
    std::vector<std::string> res;
    for (size_t k = 0; k < vars_.size(); ++k) {
      res.push_back(k == 0 ? "assignvariableop_resource" : "assignvariableop_" + std::to_string(k) + "_resource");
      auto* r = sig->add_input_arg();
      r->set_name(res.back());
      r->set_type(tensorflow::DT_RESOURCE);
    }
    std::string out = "identity_" + std::to_string(vars_.size() + 1);
    auto* o = sig->add_output_arg();
    o->set_name(out);
    o->set_type(tensorflow::DT_STRING);
    sig->set_is_stateful(true);
    auto* nd = f->mutable_node_def();
    std::vector<std::string> deps;
    if (!vars_.empty()) {
      std::vector<std::string> keys;
      std::vector<DataType> dtypes;
      for (const Variable& v : vars_) {
        keys.push_back(v.path + "/.ATTRIBUTES/VARIABLE_VALUE");
        dtypes.push_back(v.value.dtype);
      }
      for (const char* name : {"RestoreV2/tensor_names", "RestoreV2/shape_and_slices"}) {
        NodeDef* n = add_node(nd, name, "Const", {}, {{"dtype", a_type(tensorflow::DT_STRING)}});
        auto* t = (*n->mutable_attr())["value"].mutable_tensor();
        t->set_dtype(tensorflow::DT_STRING);
        t->mutable_tensor_shape()->add_dim()->set_size(static_cast<int64_t>(keys.size()));
        for (const auto& k : keys) t->add_string_val(std::string(name) == "RestoreV2/tensor_names" ? k : "");
      }
      add_node(nd, "RestoreV2", "RestoreV2",
               {"file_prefix", "RestoreV2/tensor_names:output:0", "RestoreV2/shape_and_slices:output:0"},
               {{"dtypes", a_types(dtypes)}});
      for (size_t k = 0; k < vars_.size(); ++k) {
        std::string id = k == 0 ? "Identity" : "Identity_" + std::to_string(k);
        std::string as = k == 0 ? "AssignVariableOp" : "AssignVariableOp_" + std::to_string(k);
        add_node(nd, id, "Identity", {"RestoreV2:tensors:" + std::to_string(k)}, {{"T", a_type(dtypes[k])}});
        add_node(nd, as, "AssignVariableOp", {res[k], id + ":output:0"}, {{"dtype", a_type(dtypes[k])}});
        deps.push_back("^" + as);
        sig->add_control_output(as);
        (*f->mutable_control_ret())[as] = as;
      }
    }
    std::vector<std::string> ins = {"file_prefix"};
    ins.insert(ins.end(), deps.begin(), deps.end());
    std::string last = "Identity_" + std::to_string(vars_.size());
    add_node(nd, last, "Identity", ins, {{"T", a_type(tensorflow::DT_STRING)}});
    (*f->mutable_ret())[out] = last + ":output:0";
  }
  return {save_fn, restore_fn};
}

tensorflow::SavedModel Tf2Model::saved_model() {
  build();
  sm_.Clear();
  sm_.set_saved_model_schema_version(1);
  tensorflow::MetaGraphDef* mg = sm_.add_meta_graphs();
  auto* info = mg->mutable_meta_info_def();
  info->add_tags("serve");
  info->set_tensorflow_version("2.14.0");
  info->set_tensorflow_git_version("tflite_convert tests/saved_model generator");
  info->set_stripped_default_attrs(true);

  build_object_graph(mg);  // also fills trackable_ (the checkpoint's object graph)

  tensorflow::GraphDef* g = mg->mutable_graph_def();
  auto* nodes = g->mutable_node();
  for (const Variable& v : vars_) {
    add_node(nodes, v.name, "VarHandleOp", {},
             {{"_output_shapes", a_shapes({{}})},
              {"dtype", a_type(v.value.dtype)},
              {"shape", a_shape(v.value.shape)},
              {"shared_name", a_s(v.name)}});
    add_node(nodes, v.name + "/Read/ReadVariableOp", "ReadVariableOp", {v.name},
             {{"_output_shapes", a_shapes({v.value.shape})}, {"dtype", a_type(v.value.dtype)}});
  }

  // One Placeholder per input ("<signature>_<input>") and one call per
  // signature, in signature-key order; calls are numbered per op type.
  std::vector<const Signature*> sorted;
  for (const auto& s : sigs_) sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->key < b->key; });
  int n_stateful = 0, n_stateless = 0;
  auto call_name = [&](bool stateful) {
    int& n = stateful ? n_stateful : n_stateless;
    std::string base = stateful ? "StatefulPartitionedCall" : "PartitionedCall";
    return n++ == 0 ? base : base + "_" + std::to_string(n - 1);
  };
  for (const Signature* s : sorted) {
    const Built& b = built_sigs_[s->key];
    tensorflow::SignatureDef sd;
    sd.set_method_name("tensorflow/serving/predict");
    std::vector<std::string> ins;
    std::vector<DataType> tin, tout;
    std::vector<std::vector<int64_t>> out_shapes;
    for (const auto& in : s->inputs) {
      std::string ph = s->key + "_" + in.key;
      add_node(nodes, ph, "Placeholder", {},
               {{"_output_shapes", a_shapes({in.shape})}, {"dtype", a_type(in.dtype)}, {"shape", a_shape(in.shape)}});
      ins.push_back(ph);
      tin.push_back(in.dtype);
      auto& ti = (*sd.mutable_inputs())[in.key];
      ti.set_name(ph + ":0");
      ti.set_dtype(in.dtype);
      *ti.mutable_tensor_shape() = shape_proto(in.shape);
    }
    std::vector<int64_t> read_only;
    for (int v : b.resources) {
      read_only.push_back(static_cast<int64_t>(ins.size()));
      ins.push_back(vars_[v].name);
      tin.push_back(tensorflow::DT_RESOURCE);
    }
    for (const auto& o : s->outputs) {
      tout.push_back(o.dtype);
      out_shapes.push_back(o.shape);
    }
    std::string cn = call_name(b.stateful);
    add_node(nodes, cn, b.stateful ? "StatefulPartitionedCall" : "PartitionedCall", ins,
             {{"Tin", a_types(tin)},
              {"Tout", a_types(tout)},
              {"_collective_manager_ids", a_ints({})},
              {"_output_shapes", a_shapes(out_shapes)},
              {"_read_only_resource_inputs", a_ints(read_only)},
              {"config_proto", a_s(config_proto())},
              {"f", a_func(b.wrapper)}});
    for (size_t k = 0; k < s->outputs.size(); ++k) {
      auto& ti = (*sd.mutable_outputs())[s->outputs[k].key];
      ti.set_name(cn + ":" + std::to_string(k));
      ti.set_dtype(s->outputs[k].dtype);
      *ti.mutable_tensor_shape() = shape_proto(s->outputs[k].shape);
    }
    (*mg->mutable_signature_def())[s->key] = sd;
  }

  // The init op, the object graph for the saver, and the save/restore
  // functions tf.saved_model.save always adds (unreachable from signatures).
  add_node(nodes, "NoOp", "NoOp", {});
  NodeDef* c = add_node(nodes, "Const", "Const", {},
                        {{"_output_shapes", a_shapes({{}})}, {"dtype", a_type(tensorflow::DT_STRING)}});
  c->set_device("/device:CPU:0");
  {
    auto* t = (*c->mutable_attr())["value"].mutable_tensor();
    t->set_dtype(tensorflow::DT_STRING);
    t->mutable_tensor_shape();
    t->add_string_val(trackable_.SerializeAsString());
  }
  add_node(nodes, "saver_filename", "Placeholder", {},
           {{"_output_shapes", a_shapes({{}})}, {"dtype", a_type(tensorflow::DT_STRING)}, {"shape", a_shape({})}});

  auto [save_fn, restore_fn] = add_saver_functions();
  {
    std::vector<std::string> ins = {"saver_filename"};
    std::vector<DataType> tin = {tensorflow::DT_STRING};
    for (const Variable& v : vars_) {
      ins.push_back(v.name + "/Read/ReadVariableOp");
      tin.push_back(v.value.dtype);
    }
    ins.push_back("Const");
    tin.push_back(tensorflow::DT_STRING);
    std::string save_call = call_name(true);
    add_node(nodes, save_call, "StatefulPartitionedCall", ins,
             {{"Tin", a_types(tin)},
              {"Tout", a_types({tensorflow::DT_STRING})},
              {"_output_shapes", a_shapes({{}})},
              {"config_proto", a_s(config_proto())},
              {"f", a_func(save_fn)}});
    std::vector<std::string> rins = {"saver_filename"};
    std::vector<DataType> rtin = {tensorflow::DT_STRING};
    for (const Variable& v : vars_) {
      rins.push_back(v.name);
      rtin.push_back(tensorflow::DT_RESOURCE);
    }
    std::string restore_call = call_name(true);
    add_node(nodes, restore_call, "StatefulPartitionedCall", rins,
             {{"Tin", a_types(rtin)},
              {"Tout", a_types({tensorflow::DT_STRING})},
              {"_output_shapes", a_shapes({{}})},
              {"config_proto", a_s(config_proto())},
              {"f", a_func(restore_fn)}});
    auto* sv = mg->mutable_saver_def();
    sv->set_filename_tensor_name("saver_filename:0");
    sv->set_save_tensor_name(save_call + ":0");
    sv->set_restore_op_name(restore_call);
    sv->set_version(tensorflow::SaverDef::V2);
  }
  *g->mutable_library() = lib_;
  g->mutable_versions()->set_producer(1575);
  g->mutable_versions()->set_min_consumer(12);

  (*mg->mutable_collection_def())["saved_model_main_op"].mutable_node_list()->add_value("NoOp");
  {
    tensorflow::SignatureDef init;
    auto& ti = (*init.mutable_outputs())["__saved_model_init_op"];
    ti.set_name("NoOp");
    ti.mutable_tensor_shape()->set_unknown_rank(true);
    (*mg->mutable_signature_def())["__saved_model_init_op"] = init;
  }
  strip_default_attrs(g);
  add_stripped_ops(*g, info->mutable_stripped_op_list());
  // The library grew the save/restore functions; keep lib_ as the signatures'
  // functions only, so saved_model() can be called again.
  lib_.mutable_function()->RemoveLast();
  lib_.mutable_function()->RemoveLast();
  return sm_;
}

std::vector<tflc::NamedTensor> Tf2Model::checkpoint() {
  if (sm_.meta_graphs_size() == 0) saved_model();  // fills trackable_
  std::vector<tflc::NamedTensor> out;
  tflc::NamedTensor og;
  og.name = "_CHECKPOINTABLE_OBJECT_GRAPH";
  og.dtype = tflc::DType::kString;
  og.strings = {trackable_.SerializeAsString()};
  out.push_back(og);
  for (const Variable& v : vars_) out.push_back(v.value.named(v.path + "/.ATTRIBUTES/VARIABLE_VALUE"));
  return out;
}

tensorflow::GraphDef Tf2Model::frozen(const std::string& key) {
  const Signature* s = nullptr;
  for (const auto& x : sigs_)
    if (x.key == key) s = &x;
  if (!s) die("frozen: no signature " + key);
  tensorflow::GraphDef g;
  Body b(this, true);
  b.nodes_ = g.mutable_node();
  for (const auto& in : s->inputs)
    b.add(in.key, "Placeholder", {}, {{"dtype", a_type(in.dtype)}, {"shape", a_shape(in.shape)}});
  for (int k : s->arg_order) b.args_.push_back(s->inputs[k].key);
  std::vector<std::string> outs = s->body(b);
  for (size_t k = 0; k < outs.size(); ++k)
    b.add(s->outputs[k].key, "Identity", {outs[k]}, {{"T", a_type(s->outputs[k].dtype)}});
  g.mutable_versions()->set_producer(1575);
  return g;
}

Status Tf2Model::write(const std::string& dir) {
  tensorflow::SavedModel sm = saved_model();
  RETURN_IF_ERROR(write_proto(dir + "/saved_model.pb", sm));
  return tflc::write_tensor_bundle(dir + "/variables/variables", checkpoint());
}

// ---- files --------------------------------------------------------------------

Status write_file(const std::string& path, const std::string& bytes) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return tflc::invalid_input("cannot create the folder of '" + path + "': " + ec.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return tflc::invalid_input("cannot write '" + path + "'");
  return tflc::ok_status();
}

Status write_proto(const std::string& path, const google::protobuf::Message& m) {
  // Deterministic: map fields (attrs, signature_def, ...) in key order, so
  // every run writes the same bytes.
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    if (!m.SerializeToCodedStream(&out)) return tflc::internal_error("cannot serialize " + m.GetTypeName());
  }
  return write_file(path, bytes);
}

}  // namespace smgen
