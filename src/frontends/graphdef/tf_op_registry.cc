#include "frontends/graphdef/tf_op_registry.h"

#include <map>

#include "tensorflow/core/framework/types.pb.h"

namespace tflc {
namespace {

using tensorflow::AttrValue;

std::map<std::string, TfLowerFn>& table() {
  static std::map<std::string, TfLowerFn> t;
  return t;
}

Status missing_attr(const std::string& node, const std::string& key) {
  return invalid_input("node '" + node + "' lacks attribute '" + key + "'");
}

Status wrong_attr(const std::string& node, const std::string& key, const char* want) {
  return invalid_input("attribute '" + key + "' of node '" + node + "' is not " + want);
}

// The one lookup behind every attr_* getter: `def` when the attribute is
// absent, an error when it holds another kind of value, else get(value).
template <typename T, typename Get>
Expected<T> read_attr(const tensorflow::NodeDef& node, const std::string& key, std::optional<T> def,
                      AttrValue::ValueCase want, const char* what, Get get) {
  auto it = node.attr().find(key);
  if (it == node.attr().end()) {
    if (def) return std::move(*def);
    return missing_attr(node.name(), key);
  }
  if (it->second.value_case() != want) return wrong_attr(node.name(), key, what);
  return get(it->second);
}

}  // namespace

bool register_tf_op(TfOpRecord record) {
  for (const std::string& op : record.tf_ops) {
    TFLC_CHECK(table().count(op) == 0);  // one lowering per TF op
    table()[op] = record.lower;
  }
  return true;
}

TfLowerFn find_tf_op(const std::string& tf_op) {
  auto it = table().find(tf_op);
  return it == table().end() ? nullptr : it->second;
}

std::vector<std::string> all_tf_ops() {
  std::vector<std::string> out;
  for (auto& [k, v] : table()) out.push_back(k);
  return out;
}

DType dtype_from_tf(int t) {
  switch (t) {
    case tensorflow::DT_FLOAT: return DType::kFloat32;
    case tensorflow::DT_DOUBLE: return DType::kFloat64;
    case tensorflow::DT_INT32: return DType::kInt32;
    case tensorflow::DT_UINT8: return DType::kUInt8;
    case tensorflow::DT_INT16: return DType::kInt16;
    case tensorflow::DT_INT8: return DType::kInt8;
    case tensorflow::DT_STRING: return DType::kString;
    case tensorflow::DT_COMPLEX64: return DType::kComplex64;
    case tensorflow::DT_INT64: return DType::kInt64;
    case tensorflow::DT_BOOL: return DType::kBool;
    case tensorflow::DT_BFLOAT16: return DType::kBFloat16;
    case tensorflow::DT_UINT16: return DType::kUInt16;
    case tensorflow::DT_COMPLEX128: return DType::kComplex128;
    case tensorflow::DT_HALF: return DType::kFloat16;
    case tensorflow::DT_RESOURCE: return DType::kResource;
    case tensorflow::DT_VARIANT: return DType::kVariant;
    case tensorflow::DT_UINT32: return DType::kUInt32;
    case tensorflow::DT_UINT64: return DType::kUInt64;
    case tensorflow::DT_INT4: return DType::kInt4;
    default: return DType::kInvalid;
  }
}

Status TfNodeContext::expect_inputs(int min, int max) const {
  if (max < 0) max = min;
  int n = num_inputs();
  if (n < min || n > max)
    return invalid_input(node_.op() + " node '" + name() + "' has " + std::to_string(n) + " inputs, expected " +
                         std::to_string(min) + (max == min ? "" : ".." + std::to_string(max)));
  return ok_status();
}

bool TfNodeContext::has_attr(const std::string& key) const { return node_.attr().count(key) > 0; }

Expected<int64_t> TfNodeContext::attr_int(const std::string& key, std::optional<int64_t> def) const {
  return read_attr(node_, key, def, AttrValue::kI, "an int", [](const AttrValue& v) { return v.i(); });
}

Expected<float> TfNodeContext::attr_float(const std::string& key, std::optional<float> def) const {
  return read_attr(node_, key, def, AttrValue::kF, "a float", [](const AttrValue& v) { return v.f(); });
}

Expected<bool> TfNodeContext::attr_bool(const std::string& key, std::optional<bool> def) const {
  return read_attr(node_, key, def, AttrValue::kB, "a bool", [](const AttrValue& v) { return v.b(); });
}

Expected<std::string> TfNodeContext::attr_string(const std::string& key, std::optional<std::string> def) const {
  return read_attr(node_, key, std::move(def), AttrValue::kS, "a string", [](const AttrValue& v) { return v.s(); });
}

Expected<std::string> TfNodeContext::attr_func(const std::string& key) const {
  return read_attr(node_, key, std::optional<std::string>(), AttrValue::kFunc, "a function",
                   [](const AttrValue& v) { return v.func().name(); });
}

Expected<DType> TfNodeContext::attr_type(const std::string& key, std::optional<DType> def) const {
  return read_attr(node_, key, def, AttrValue::kType, "a type", [&](const AttrValue& v) -> Expected<DType> {
    DType t = dtype_from_tf(v.type());
    // TFLite kernels have no float64 forms: float64 graphs compute in float32
    // (the importer keeps float64 at the graph's inputs and outputs).
    if (t == DType::kFloat64) t = DType::kFloat32;
    if (t == DType::kInvalid)
      return unsupported("not supported yet: data type " + tensorflow::DataType_Name(v.type()) + " of node '" +
                         name() + "'");
    return t;
  });
}

Expected<std::vector<int64_t>> TfNodeContext::attr_ints(const std::string& key,
                                                        std::optional<std::vector<int64_t>> def) const {
  return read_attr(node_, key, std::move(def), AttrValue::kList, "a list", [](const AttrValue& v) {
    return std::vector<int64_t>(v.list().i().begin(), v.list().i().end());
  });
}

namespace {

std::vector<int64_t> permuted(const google::protobuf::RepeatedField<int64_t>& v, const std::vector<int32_t>& perm,
                              int group) {
  std::vector<int64_t> out;
  for (int32_t p : perm)
    for (int k = 0; k < group; ++k) out.push_back(v[p * group + k]);
  return out;
}

}  // namespace

Expected<std::vector<TensorId>> lower_channels_last(TfNodeContext& ctx, TfLowerFn lower, LayoutInputs which) {
  auto f = ctx.attr_string("data_format", std::string("NHWC"));
  if (!f.ok() || (*f != "NCHW" && *f != "NCDHW")) return lower(ctx);
  const int rank = *f == "NCHW" ? 4 : 5;
  std::vector<int32_t> to_last = {0}, to_first = {0, rank - 1};
  for (int i = 2; i < rank; ++i) to_last.push_back(i);
  to_last.push_back(1);
  for (int i = 1; i < rank - 1; ++i) to_first.push_back(i);

  tensorflow::NodeDef node = ctx.node();
  auto& attrs = *node.mutable_attr();
  attrs["data_format"].set_s(rank == 4 ? "NHWC" : "NDHWC");
  for (const char* key : {"strides", "dilations", "ksize", "explicit_paddings"}) {
    auto it = attrs.find(key);
    if (it == attrs.end() || !it->second.has_list()) continue;
    const auto& v = it->second.list().i();
    const int group = v.size() == rank ? 1 : v.size() == 2 * rank ? 2 : 0;
    if (group == 0) continue;  // the lowering reports the bad length
    std::vector<int64_t> p = permuted(v, to_last, group);
    it->second.mutable_list()->mutable_i()->Assign(p.begin(), p.end());
  }

  IrBuilder layout(ctx.graph(), ctx.name() + "/layout", ctx.fold_budget());
  std::vector<TensorId> inputs = ctx.inputs();
  for (int i : which.images) {
    if (i >= static_cast<int>(inputs.size())) continue;  // the lowering's input check reports it
    const Tensor& t = ctx.graph().t(inputs[i]);
    if (!t.unknown_rank && t.rank() != rank)
      return invalid_input("input " + std::to_string(i) + " of " + ctx.source() + " must have rank " +
                           std::to_string(rank) + " for data_format=" + *f + ", got " + shape_str(t.shape));
    ASSIGN_OR_RETURN(inputs[i], layout.emit1(OpCode::TRANSPOSE, {inputs[i], layout.const_i32(to_last, "perm")}));
  }
  if (which.shape >= 0 && which.shape < static_cast<int>(inputs.size())) {
    ASSIGN_OR_RETURN(inputs[which.shape],
                     layout.emit1(OpCode::GATHER, {inputs[which.shape], layout.const_i32(to_last, "perm")},
                                  tflite::GatherOptionsT{}));
  }
  TfNodeContext inner(ctx.graph(), node, std::move(inputs), ctx.fold_budget());
  inner.set_functions(ctx.functions());
  ASSIGN_OR_RETURN(std::vector<TensorId> outs, lower(inner));
  if (!outs.empty()) {
    ASSIGN_OR_RETURN(outs[0], layout.emit1(OpCode::TRANSPOSE, {outs[0], layout.const_i32(to_first, "perm")}));
  }
  return outs;
}

Status TfNodeContext::expect_nhwc(const char* key) const {
  auto f = attr_string(key, std::string("NHWC"));
  if (!f.ok()) return f.status();
  bool three_d = node_.op().find("3D") != std::string::npos;
  const char* channels_last = three_d ? "NDHWC" : "NHWC";
  const char* channels_first = three_d ? "NCDHW" : "NCHW";
  if (*f == channels_last) return ok_status();
  if (*f == channels_first)
    return unsupported("not supported yet: " + node_.op() + " node '" + name() + "' with " + key + "=" + *f +
                       " (only " + channels_last + ")");
  // TensorFlow's own wording for an attribute outside the op's definition.
  return invalid_input("'tf." + node_.op() + "' op attribute '" + key + "' failed to satisfy constraint: '" +
                       channels_last + "' or '" + channels_first + "' convnet data format (node '" + name() +
                       "' has '" + *f + "')");
}

std::string TfNodeContext::output_name(int i) const {
  return i == 0 ? name() : name() + ":" + std::to_string(i);
}

}  // namespace tflc
