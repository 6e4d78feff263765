// TensorFlowOpLayer: tf.keras 1.14-2.3 records a raw TF op used on Keras
// tensors as a NodeDef (config "node_def", in protobuf's JSON form) plus the
// constant inputs it captured (config "constants": {"input index": value}).
// The NodeDef is lowered through the GraphDef frontend's TF op table.
#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <functional>
#include <map>
#include <set>

#include "frontends/graphdef/tf_op_registry.h"
#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using json = nlohmann::json;
using Outs = Expected<std::vector<TensorId>>;

// Inputs that take integer indices/shapes whatever the op's T ("last" = -1).
const std::map<std::string, std::set<int>>& int_inputs() {
  static const std::map<std::string, std::set<int>> m = {
      {"Reshape", {1}}, {"ExpandDims", {1}}, {"Transpose", {1}}, {"Sum", {1}}, {"Mean", {1}}, {"Max", {1}},
      {"Min", {1}}, {"Prod", {1}}, {"All", {1}}, {"Any", {1}}, {"ArgMax", {1}}, {"ArgMin", {1}},
      {"ConcatV2", {-1}}, {"Pad", {1}}, {"PadV2", {1}}, {"MirrorPad", {1}}, {"Tile", {1}}, {"Slice", {1, 2}},
      {"StridedSlice", {1, 2, 3}}, {"GatherV2", {1, 2}}, {"Gather", {1}}, {"Split", {0}}, {"SplitV", {1, 2}},
      {"Fill", {0}}, {"OneHot", {1}}, {"Cumsum", {1}}, {"ResizeBilinear", {1}}, {"ResizeNearestNeighbor", {1}},
      {"BroadcastTo", {1}}, {"Range", {}}, {"Pack", {}}, {"SpaceToBatchND", {1, 2}}, {"BatchToSpaceND", {1, 2}},
  };
  return m;
}

bool is_float(DType t) { return t == DType::kFloat32 || t == DType::kFloat16 || t == DType::kFloat64; }

// A captured constant (a nested JSON list of numbers) as a graph constant.
Expected<TensorId> make_constant(KerasLayerContext& ctx, const json& v, DType dtype, int index) {
  Shape shape;
  const json* p = &v;
  while (p->is_array()) {
    shape.push_back(static_cast<int64_t>(p->size()));
    if (p->empty()) break;
    p = &(*p)[0];
  }
  std::vector<double> flat;
  bool any_float = false, bad = false;
  std::function<void(const json&, size_t)> walk = [&](const json& j, size_t depth) {
    if (j.is_array()) {
      if (depth >= shape.size() || static_cast<int64_t>(j.size()) != shape[depth]) {
        bad = true;
        return;
      }
      for (const auto& e : j) walk(e, depth + 1);
    } else if (j.is_number()) {
      if (depth != shape.size()) bad = true;
      any_float = any_float || j.is_number_float();
      flat.push_back(j.get<double>());
    } else if (j.is_boolean()) {
      flat.push_back(j.get<bool>() ? 1 : 0);
    } else {
      bad = true;
    }
  };
  walk(v, 0);
  if (bad) return unsupported("not supported yet: TensorFlowOpLayer constant input " + std::to_string(index) + " of that form");
  if (dtype == DType::kInvalid) dtype = any_float ? DType::kFloat32 : DType::kInt32;
  std::string name = "const" + std::to_string(index);
  if (is_float(dtype)) {
    std::vector<float> f(flat.begin(), flat.end());
    return ctx.constant(DType::kFloat32, shape, to_bytes(f), name);
  }
  if (dtype == DType::kBool) {
    std::string bytes;
    for (double d : flat) bytes.push_back(d != 0 ? 1 : 0);
    return ctx.constant(DType::kBool, shape, bytes, name);
  }
  if (dtype == DType::kInt64) {
    std::vector<int64_t> i(flat.size());
    for (size_t k = 0; k < flat.size(); ++k) i[k] = static_cast<int64_t>(flat[k]);
    return ctx.constant(DType::kInt64, shape, to_bytes(i), name);
  }
  std::vector<int32_t> i(flat.size());
  for (size_t k = 0; k < flat.size(); ++k) {
    if (std::abs(flat[k]) > 2147483647.0) return unsupported("not supported yet: TensorFlowOpLayer int64 constants");
    i[k] = static_cast<int32_t>(flat[k]);
  }
  return ctx.constant(DType::kInt32, shape, to_bytes(i), name);
}

Outs lower_tf_op_layer(KerasLayerContext& ctx) {
  const json& c = ctx.config();
  if (!c.contains("node_def") || !c["node_def"].is_object())
    return invalid_input("TensorFlowOpLayer '" + ctx.scope() + "' has no node_def");
  tensorflow::NodeDef node;
  google::protobuf::util::JsonParseOptions opt;
  opt.ignore_unknown_fields = true;
  auto st = google::protobuf::util::JsonStringToMessage(c["node_def"].dump(), &node, opt);
  if (!st.ok())
    return invalid_input("TensorFlowOpLayer '" + ctx.scope() + "': node_def does not parse: " + std::string(st.message()));
  const json empty = json::object();
  const json& consts = c.contains("constants") && c["constants"].is_object() ? c["constants"] : empty;

  // The op's type T, to give untyped number constants of data inputs.
  DType t = DType::kInvalid;
  auto ta = node.attr().find("T");
  if (ta != node.attr().end() && ta->second.value_case() == tensorflow::AttrValue::kType)
    t = dtype_from_tf(ta->second.type());
  auto ints = int_inputs().find(node.op());
  int n_data = 0;
  for (const auto& s : node.input())
    if (s.empty() || s[0] != '^') ++n_data;

  std::vector<TensorId> ins;
  int next = 0;
  for (int i = 0; i < n_data; ++i) {
    auto cv = consts.find(std::to_string(i));
    if (cv != consts.end()) {
      bool int_pos = ints != int_inputs().end() && (ints->second.count(i) || (ints->second.count(-1) && i == n_data - 1));
      DType want = int_pos ? DType::kInvalid : t;
      ASSIGN_OR_RETURN(TensorId k, make_constant(ctx, *cv, want, i));
      ins.push_back(k);
    } else {
      if (next >= ctx.num_inputs())
        return invalid_input("TensorFlowOpLayer '" + ctx.scope() + "' (" + node.op() + ") needs more inputs than it is called on");
      ins.push_back(ctx.in(next++));
    }
  }
  if (node.op() == "Identity" || node.op() == "StopGradient") {
    if (ins.empty()) return invalid_input("TensorFlowOpLayer '" + ctx.scope() + "' has no input");
    return std::vector<TensorId>{ins[0]};
  }
  TfLowerFn fn = find_tf_op(node.op());
  if (!fn) return unsupported("not supported yet: TensorFlowOpLayer of TF op '" + node.op() + "'");
  TfNodeContext tf(ctx.graph(), node, ins, kDefaultFoldBudget);
  return fn(tf);
}

TFLC_REGISTER_KERAS_LAYER(tf_op_layer, {{"TensorFlowOpLayer"}, lower_tf_op_layer});

}  // namespace
}  // namespace tflc
