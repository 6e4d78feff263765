// TFOpLambda: Keras 2 records a tf.* call on Keras tensors by its API name
// (config "function": "math.multiply"). The first positional argument is the
// layer input; the other arguments come as call kwargs named after the TF
// function's parameters ("y", "axis", "shape", ...), each either a tensor
// (a graph input named by that kwarg) or a JSON value.
// Keras 3 records keras.ops.* calls as operation nodes of their own class
// ("Mean", "Transpose"...; module keras.src.ops.*), their non-tensor
// arguments in the config; the classes whose names no Keras layer uses are
// lowered here too (see lower_keras3_op).
#include <cstring>
#include <functional>
#include <map>

#include "frontends/keras/layer_registry.h"
#include "frontends/keras/layers/activations_more.h"

namespace tflc {
namespace {

using json = nlohmann::json;
using Outs = Expected<std::vector<TensorId>>;

Outs one(TensorId y) { return std::vector<TensorId>{y}; }

std::string fn_name(const KerasLayerContext& ctx) {
  auto it = ctx.config().find("function");
  return it != ctx.config().end() && it->is_string() ? it->get<std::string>() : "?";
}

Status not_yet(const KerasLayerContext& ctx, const std::string& why = "") {
  return unsupported("not supported yet: TFOpLambda 'tf." + fn_name(ctx) + "'" + (why.empty() ? "" : " (" + why + ")"));
}

// The first positional input (TF's first parameter), or the input passed as
// kwarg `key` when the call named it.
Expected<TensorId> first_input(const KerasLayerContext& ctx, const char* key) {
  TensorId t = ctx.named_in(key);
  if (t != kNoTensor) return t;
  if (ctx.num_positional_inputs() < 1 || ctx.num_inputs() < 1)
    return invalid_input("TFOpLambda '" + ctx.scope() + "' has no tensor input");
  return ctx.in(0);
}

// A non-tensor kwarg, or nullptr when absent or null.
const json* kwarg(const KerasLayerContext& ctx, const char* key) {
  const json& kw = ctx.call_kwargs();
  auto it = kw.find(key);
  return it == kw.end() || it->is_null() ? nullptr : &*it;
}

// A JSON number or nested list of numbers as a constant of `dtype`
// (float32 or int32; other dtypes are not supported here).
Expected<TensorId> json_constant(KerasLayerContext& ctx, const json& v, DType dtype, const std::string& suffix) {
  std::vector<int64_t> shape;
  const json* p = &v;
  while (p->is_array()) {
    if (shape.size() > 8 || p->empty()) return unsupported("not supported yet: an empty or deep constant in TFOpLambda");
    shape.push_back(static_cast<int64_t>(p->size()));
    p = &(*p)[0];
  }
  std::vector<double> flat;
  std::function<Status(const json&, size_t)> walk = [&](const json& j, size_t depth) -> Status {
    if (depth == shape.size()) {
      if (!j.is_number() && !j.is_boolean()) return invalid_input("a TFOpLambda constant holds a non-number");
      flat.push_back(j.is_boolean() ? (j.get<bool>() ? 1.0 : 0.0) : j.get<double>());
      return Status();
    }
    if (!j.is_array() || static_cast<int64_t>(j.size()) != shape[depth])
      return invalid_input("a TFOpLambda constant is a ragged list");
    for (const auto& e : j) RETURN_IF_ERROR(walk(e, depth + 1));
    return Status();
  };
  RETURN_IF_ERROR(walk(v, 0));
  std::string bytes;
  if (dtype == DType::kFloat32) {
    bytes.resize(flat.size() * 4);
    for (size_t i = 0; i < flat.size(); ++i) {
      float f = static_cast<float>(flat[i]);
      std::memcpy(&bytes[i * 4], &f, 4);
    }
  } else if (dtype == DType::kInt32) {
    bytes.resize(flat.size() * 4);
    for (size_t i = 0; i < flat.size(); ++i) {
      int32_t x = static_cast<int32_t>(flat[i]);
      std::memcpy(&bytes[i * 4], &x, 4);
    }
  } else {
    return unsupported("not supported yet: a TFOpLambda constant operand of a non-float32/int32 tensor");
  }
  return ctx.constant(dtype, shape, std::move(bytes), suffix);
}

// The operand passed as `key`: a tensor input, or a constant in the
// dtype of `like`.
Expected<TensorId> operand(KerasLayerContext& ctx, const char* key, TensorId like) {
  TensorId t = ctx.named_in(key);
  if (t != kNoTensor) return t;
  const json* v = kwarg(ctx, key);
  if (!v) return not_yet(ctx, std::string("no '") + key + "' operand");
  return json_constant(ctx, *v, ctx.graph().t(like).dtype, key);
}

// A list of ints (or one int) from a kwarg; `present` tells whether it was given.
Expected<std::vector<int32_t>> int_list(const KerasLayerContext& ctx, const char* key, bool* present) {
  std::vector<int32_t> out;
  // A tensor-valued argument is not in the kwargs: never read it as absent.
  if (ctx.named_in(key) != kNoTensor) return not_yet(ctx, std::string("'") + key + "' is a tensor");
  const json* v = kwarg(ctx, key);
  *present = v != nullptr;
  if (!v) return out;
  auto get = [&](const json& j) -> Status {
    if (!j.is_number_integer()) return not_yet(ctx, std::string("'") + key + "' is not a list of ints");
    out.push_back(j.get<int32_t>());
    return Status();
  };
  if (v->is_array()) {
    for (const auto& e : *v) RETURN_IF_ERROR(get(e));
  } else {
    RETURN_IF_ERROR(get(*v));
  }
  return out;
}

Expected<bool> bool_kwarg(const KerasLayerContext& ctx, const char* key, bool def) {
  const json* v = kwarg(ctx, key);
  if (!v) return def;
  if (!v->is_boolean()) return invalid_input(std::string("TFOpLambda kwarg '") + key + "' is not a bool");
  return v->get<bool>();
}

// Axis in [0, rank) or an error naming the op.
Expected<int> norm_axis(const KerasLayerContext& ctx, int64_t axis, int rank) {
  if (axis < -rank || axis >= rank) return invalid_input("TFOpLambda '" + ctx.scope() + "': axis out of range");
  return static_cast<int>(axis < 0 ? axis + rank : axis);
}

// ---- the lowerings, by function group ----

Outs binary(KerasLayerContext& ctx, OpCode code) {
  // 2.0 - y: the constant first operand arrives as kwarg "x", the tensor as "y".
  if (ctx.named_in("x") == kNoTensor && ctx.num_positional_inputs() == 0 && kwarg(ctx, "x")) {
    TensorId y = ctx.named_in("y");
    if (y == kNoTensor) return not_yet(ctx, "no tensor operand");
    ASSIGN_OR_RETURN(TensorId x, json_constant(ctx, *kwarg(ctx, "x"), ctx.graph().t(y).dtype, "x"));
    ASSIGN_OR_RETURN(TensorId out, ctx.emit1(code, {x, y}));
    return one(out);
  }
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "x"));
  ASSIGN_OR_RETURN(TensorId y, operand(ctx, "y", x));
  ASSIGN_OR_RETURN(TensorId out, ctx.emit1(code, {x, y}));
  return one(out);
}

Outs unary(KerasLayerContext& ctx, const char* key, OpCode code) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, key));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(code, {x}));
  return one(y);
}

// Keras activation names for nn.*/math.* functions with that meaning.
Outs keras_act(KerasLayerContext& ctx, const char* key, const std::string& act) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, key));
  ASSIGN_OR_RETURN(TensorId y, ctx.activation(x, act));
  return one(y);
}

Outs lower_softmax(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "logits"));
  int rank = ctx.graph().t(x).rank();
  bool given = false;
  ASSIGN_OR_RETURN(std::vector<int32_t> axes, int_list(ctx, "axis", &given));
  if (!given) {  // tf.nn.softmax's older "dim"
    ASSIGN_OR_RETURN(axes, int_list(ctx, "dim", &given));
  }
  int axis = rank - 1;
  if (given) {
    if (axes.size() != 1) return not_yet(ctx, "softmax over several axes");
    ASSIGN_OR_RETURN(axis, norm_axis(ctx, axes[0], rank));
  }
  tflite::SoftmaxOptionsT a{.beta = 1.0f};
  if (axis == rank - 1) {
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::SOFTMAX, {x}, a));
    return one(y);
  }
  // TFLite's SOFTMAX works on the last axis: swap `axis` there and back.
  std::vector<int32_t> perm;
  for (int i = 0; i < rank; ++i) perm.push_back(i);
  std::swap(perm[axis], perm[rank - 1]);
  ASSIGN_OR_RETURN(TensorId t, ctx.emit1(OpCode::TRANSPOSE, {x, ctx.const_i32(perm, "perm")}));
  ASSIGN_OR_RETURN(t, ctx.emit1(OpCode::SOFTMAX, {t}, a));
  ASSIGN_OR_RETURN(t, ctx.emit1(OpCode::TRANSPOSE, {t, ctx.const_i32(perm, "perm_back")}));
  return one(t);
}

Outs lower_gelu(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "features"));
  ASSIGN_OR_RETURN(bool approximate, bool_kwarg(ctx, "approximate", false));
  ASSIGN_OR_RETURN(TensorId y, keras_gelu(ctx, x, approximate));
  return one(y);
}

Outs lower_silu(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "features"));
  const json* beta = kwarg(ctx, "beta");
  if (beta && !(beta->is_number() && beta->get<double>() == 1.0)) return not_yet(ctx, "beta other than 1");
  ASSIGN_OR_RETURN(TensorId y, ctx.activation(x, "silu"));
  return one(y);
}

Outs lower_reshape(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "tensor"));
  bool given = false;
  ASSIGN_OR_RETURN(std::vector<int32_t> shape, int_list(ctx, "shape", &given));
  if (!given) return not_yet(ctx, "no constant 'shape'");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::RESHAPE, {x, ctx.const_i32(shape, "shape")}));
  return one(y);
}

Outs lower_transpose(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "a"));
  int rank = ctx.graph().t(x).rank();
  bool given = false;
  ASSIGN_OR_RETURN(std::vector<int32_t> perm, int_list(ctx, "perm", &given));
  if (!given)  // TF's default: reverse the dimensions
    for (int i = rank - 1; i >= 0; --i) perm.push_back(i);
  if (static_cast<int>(perm.size()) != rank) return invalid_input("TFOpLambda '" + ctx.scope() + "': perm does not match the rank");
  ASSIGN_OR_RETURN(bool conj, bool_kwarg(ctx, "conjugate", false));
  if (conj) return not_yet(ctx, "conjugate=True");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::TRANSPOSE, {x, ctx.const_i32(perm, "perm")}));
  return one(y);
}

Outs lower_expand_dims(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "input"));
  bool given = false;
  ASSIGN_OR_RETURN(std::vector<int32_t> axis, int_list(ctx, "axis", &given));
  if (!given || axis.size() != 1) return not_yet(ctx, "needs one constant 'axis'");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::EXPAND_DIMS, {x, ctx.const_i32_scalar(axis[0], "axis")}));
  return one(y);
}

Outs lower_squeeze(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "input"));
  const Tensor& t = ctx.graph().t(x);
  int rank = t.rank();
  bool given = false;
  ASSIGN_OR_RETURN(std::vector<int32_t> axes, int_list(ctx, "axis", &given));
  if (!given) {  // compat.v1's name
    ASSIGN_OR_RETURN(axes, int_list(ctx, "squeeze_dims", &given));
  }
  tflite::SqueezeOptionsT a;
  if (given) {
    for (int32_t d : axes) {
      ASSIGN_OR_RETURN(int n, norm_axis(ctx, d, rank));
      a.squeeze_dims.push_back(n);
    }
  } else {
    // All size-1 dims; a dynamic dim might be 1 at run time, so name them.
    for (int i = 0; i < rank; ++i) {
      if (t.shape[i] < 0) return not_yet(ctx, "squeeze without axis of a tensor with dynamic dims");
      if (t.shape[i] == 1) a.squeeze_dims.push_back(i);
    }
  }
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::SQUEEZE, {x}, a));
  return one(y);
}

Outs lower_concat(KerasLayerContext& ctx) {
  // tf.concat(values, axis): the list arrives as the positional inputs.
  std::vector<TensorId> ins;
  for (int i = 0; i < ctx.num_inputs(); ++i) ins.push_back(ctx.in(i));
  if (ins.empty()) return invalid_input("TFOpLambda '" + ctx.scope() + "' has no tensor input");
  bool given = false;
  ASSIGN_OR_RETURN(std::vector<int32_t> axis, int_list(ctx, "axis", &given));
  if (!given || axis.size() != 1) return not_yet(ctx, "needs one constant 'axis'");
  tflite::ConcatenationOptionsT a;
  ASSIGN_OR_RETURN(a.axis, norm_axis(ctx, axis[0], ctx.graph().t(ins[0]).rank()));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::CONCATENATION, ins, a));
  return one(y);
}

Outs lower_reduce(KerasLayerContext& ctx, OpCode code) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "input_tensor"));
  int rank = ctx.graph().t(x).rank();
  bool given = false;
  ASSIGN_OR_RETURN(std::vector<int32_t> axes, int_list(ctx, "axis", &given));
  if (!given)  // axis=None: every dimension
    for (int i = 0; i < rank; ++i) axes.push_back(i);
  for (auto& d : axes) {
    ASSIGN_OR_RETURN(d, norm_axis(ctx, d, rank));
  }
  tflite::ReducerOptionsT a;
  ASSIGN_OR_RETURN(a.keep_dims, bool_kwarg(ctx, "keepdims", false));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(code, {x, ctx.const_i32(axes, "axis")}, a));
  return one(y);
}

Outs lower_clip(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId x, first_input(ctx, "t"));
  ASSIGN_OR_RETURN(TensorId lo, operand(ctx, "clip_value_min", x));
  ASSIGN_OR_RETURN(TensorId hi, operand(ctx, "clip_value_max", x));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MAXIMUM, {x, lo}));
  ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MINIMUM, {y, hi}));
  return one(y);
}

Outs lower_matmul(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(TensorId a, first_input(ctx, "a"));
  ASSIGN_OR_RETURN(TensorId b, operand(ctx, "b", a));
  tflite::BatchMatMulOptionsT at;
  ASSIGN_OR_RETURN(at.adj_x, bool_kwarg(ctx, "transpose_a", false));
  ASSIGN_OR_RETURN(at.adj_y, bool_kwarg(ctx, "transpose_b", false));
  // adjoint == transpose for the real dtypes handled here.
  ASSIGN_OR_RETURN(bool adj_a, bool_kwarg(ctx, "adjoint_a", false));
  ASSIGN_OR_RETURN(bool adj_b, bool_kwarg(ctx, "adjoint_b", false));
  at.adj_x = at.adj_x || adj_a;
  at.adj_y = at.adj_y || adj_b;
  if (ctx.graph().t(a).rank() < 2 || ctx.graph().t(b).rank() < 2) return not_yet(ctx, "matmul of rank < 2");
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::BATCH_MATMUL, {a, b}, at));
  return one(y);
}

using Lower = std::function<Outs(KerasLayerContext&)>;

const std::map<std::string, Lower>& table() {
  static const std::map<std::string, Lower> t = [] {
    std::map<std::string, Lower> m;
    auto bin = [&](std::initializer_list<const char*> names, OpCode c) {
      for (const char* n : names) m[n] = [c](KerasLayerContext& ctx) { return binary(ctx, c); };
    };
    bin({"math.add", "__operators__.add", "__operators__.radd"}, OpCode::ADD);
    bin({"math.subtract", "__operators__.sub"}, OpCode::SUB);
    bin({"math.multiply", "__operators__.mul"}, OpCode::MUL);
    bin({"math.truediv", "math.divide", "__operators__.truediv"}, OpCode::DIV);
    bin({"math.maximum"}, OpCode::MAXIMUM);
    bin({"math.minimum"}, OpCode::MINIMUM);
    bin({"math.pow", "__operators__.pow"}, OpCode::POW);
    auto un = [&](std::initializer_list<const char*> names, const char* key, OpCode c) {
      for (const char* n : names) m[n] = [key, c](KerasLayerContext& ctx) { return unary(ctx, key, c); };
    };
    un({"nn.relu"}, "features", OpCode::RELU);
    un({"nn.relu6"}, "features", OpCode::RELU6);
    un({"math.sigmoid", "nn.sigmoid", "sigmoid"}, "x", OpCode::LOGISTIC);
    un({"math.tanh", "nn.tanh", "tanh"}, "x", OpCode::TANH);
    un({"math.exp", "exp"}, "x", OpCode::EXP);
    un({"math.log", "log"}, "x", OpCode::LOG);
    un({"math.sqrt", "sqrt"}, "x", OpCode::SQRT);
    un({"math.rsqrt"}, "x", OpCode::RSQRT);
    un({"math.abs", "abs"}, "x", OpCode::ABS);
    un({"math.negative", "__operators__.neg"}, "x", OpCode::NEG);
    un({"math.square", "square"}, "x", OpCode::SQUARE);
    m["nn.elu"] = [](KerasLayerContext& ctx) { return keras_act(ctx, "features", "elu"); };
    m["math.softplus"] = m["nn.softplus"] = [](KerasLayerContext& ctx) { return keras_act(ctx, "features", "softplus"); };
    m["nn.softmax"] = m["math.softmax"] = lower_softmax;
    m["nn.gelu"] = lower_gelu;
    m["nn.silu"] = m["nn.swish"] = lower_silu;
    m["reshape"] = lower_reshape;
    m["transpose"] = m["compat.v1.transpose"] = m["linalg.matrix_transpose"] = lower_transpose;
    m["expand_dims"] = lower_expand_dims;
    m["squeeze"] = m["compat.v1.squeeze"] = lower_squeeze;
    m["concat"] = lower_concat;
    m["math.reduce_mean"] = [](KerasLayerContext& ctx) { return lower_reduce(ctx, OpCode::MEAN); };
    m["math.reduce_sum"] = [](KerasLayerContext& ctx) { return lower_reduce(ctx, OpCode::SUM); };
    m["math.reduce_max"] = [](KerasLayerContext& ctx) { return lower_reduce(ctx, OpCode::REDUCE_MAX); };
    m["math.reduce_min"] = [](KerasLayerContext& ctx) { return lower_reduce(ctx, OpCode::REDUCE_MIN); };
    m["clip_by_value"] = lower_clip;
    m["linalg.matmul"] = m["matmul"] = lower_matmul;
    return m;
  }();
  return t;
}

// ---- Keras 3 operations (keras.src.ops.numpy / nn / math) ----

Status not_yet_k3(const KerasLayerContext& ctx, const std::string& why);

// A config list of ints (or one int); `present` false when absent or null.
Expected<std::vector<int32_t>> cfg_ints(const KerasLayerContext& ctx, const char* key, bool* present) {
  std::vector<int32_t> out;
  auto it = ctx.config().find(key);
  *present = it != ctx.config().end() && !it->is_null();
  if (!*present) return out;
  const json& v = *it;
  const json one_item = json::array({v});
  for (const auto& e : v.is_array() ? v : one_item) {
    if (!e.is_number_integer()) return not_yet_k3(ctx, std::string("'") + key + "' is not a list of ints");
    out.push_back(e.get<int32_t>());
  }
  return out;
}

Status not_yet_k3(const KerasLayerContext& ctx, const std::string& why) {
  return unsupported("not supported yet: Keras 3 op '" + ctx.class_name() + "' (" + why + ")");
}

Outs lower_keras3_op(KerasLayerContext& ctx) {
  const std::string& c = ctx.class_name();
  if (ctx.num_inputs() < 1) return invalid_input("Keras 3 op '" + ctx.scope() + "' has no tensor input");
  TensorId x = ctx.in(0);
  int rank = ctx.graph().t(x).rank();
  static const std::map<std::string, OpCode> unary_ops = {
      {"Relu", OpCode::RELU}, {"Relu6", OpCode::RELU6}, {"Sigmoid", OpCode::LOGISTIC}, {"Tanh", OpCode::TANH},
      {"Exp", OpCode::EXP},   {"Log", OpCode::LOG},     {"Sqrt", OpCode::SQRT},        {"Rsqrt", OpCode::RSQRT},
      {"Absolute", OpCode::ABS}, {"Abs", OpCode::ABS},  {"Negative", OpCode::NEG},     {"Square", OpCode::SQUARE}};
  static const std::map<std::string, OpCode> binary_ops = {
      {"Divide", OpCode::DIV}, {"TrueDivide", OpCode::DIV}, {"Power", OpCode::POW}};
  static const std::map<std::string, OpCode> reduce_ops = {
      {"Mean", OpCode::MEAN}, {"Sum", OpCode::SUM}, {"Max", OpCode::REDUCE_MAX}, {"Min", OpCode::REDUCE_MIN}};
  if (auto it = unary_ops.find(c); it != unary_ops.end()) {
    RETURN_IF_ERROR(ctx.expect_inputs(1));
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(it->second, {x}));
    return one(y);
  }
  if (auto it = binary_ops.find(c); it != binary_ops.end()) {
    ASSIGN_OR_RETURN(auto ab, ctx.binary_operands());
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(it->second, {ab.first, ab.second}));
    return one(y);
  }
  if (c == "Matmul") {
    ASSIGN_OR_RETURN(auto ab, ctx.binary_operands());
    if (rank < 2 || ctx.graph().t(ab.second).rank() < 2) return not_yet_k3(ctx, "matmul of rank < 2");
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::BATCH_MATMUL, {ab.first, ab.second}));
    return one(y);
  }
  if (c == "Silu" || c == "Swish") {
    ASSIGN_OR_RETURN(TensorId y, ctx.activation(x, "silu"));
    return one(y);
  }
  if (c == "Gelu") {  // keras.ops.gelu defaults to the tanh approximation
    ASSIGN_OR_RETURN(bool approximate, ctx.get_bool("approximate", true));
    ASSIGN_OR_RETURN(TensorId y, keras_gelu(ctx, x, approximate));
    return one(y);
  }
  bool given = false;
  if (auto it = reduce_ops.find(c); it != reduce_ops.end()) {
    auto init = ctx.config().find("initial");  // ops.max/min's start value
    if (init != ctx.config().end() && !init->is_null()) return not_yet_k3(ctx, "an 'initial' value");
    ASSIGN_OR_RETURN(std::vector<int32_t> axes, cfg_ints(ctx, "axis", &given));
    if (!given)
      for (int i = 0; i < rank; ++i) axes.push_back(i);
    for (auto& d : axes) {
      ASSIGN_OR_RETURN(d, norm_axis(ctx, d, rank));
    }
    tflite::ReducerOptionsT a;
    ASSIGN_OR_RETURN(a.keep_dims, ctx.get_bool("keepdims", false));
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(it->second, {x, ctx.const_i32(axes, "axis")}, a));
    return one(y);
  }
  if (c == "Transpose") {
    ASSIGN_OR_RETURN(std::vector<int32_t> perm, cfg_ints(ctx, "axes", &given));
    if (!given)
      for (int i = rank - 1; i >= 0; --i) perm.push_back(i);
    if (static_cast<int>(perm.size()) != rank) return invalid_input("Keras 3 op '" + ctx.scope() + "': axes do not match the rank");
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::TRANSPOSE, {x, ctx.const_i32(perm, "perm")}));
    return one(y);
  }
  if (c == "ExpandDims") {
    ASSIGN_OR_RETURN(std::vector<int32_t> axis, cfg_ints(ctx, "axis", &given));
    if (axis.size() != 1) return not_yet_k3(ctx, "needs one 'axis'");
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::EXPAND_DIMS, {x, ctx.const_i32_scalar(axis[0], "axis")}));
    return one(y);
  }
  if (c == "Squeeze") {
    ASSIGN_OR_RETURN(std::vector<int32_t> axes, cfg_ints(ctx, "axis", &given));
    if (!given) return not_yet_k3(ctx, "squeeze without a config 'axis'");
    tflite::SqueezeOptionsT a;
    for (int32_t d : axes) {
      ASSIGN_OR_RETURN(int n, norm_axis(ctx, d, rank));
      a.squeeze_dims.push_back(n);
    }
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::SQUEEZE, {x}, a));
    return one(y);
  }
  if (c == "Clip") {
    RETURN_IF_ERROR(ctx.expect_inputs(1));
    ASSIGN_OR_RETURN(double lo, ctx.get_float("x_min"));
    ASSIGN_OR_RETURN(double hi, ctx.get_float("x_max"));
    if (ctx.graph().t(x).dtype != DType::kFloat32) return not_yet_k3(ctx, "clip of a non-float32 tensor");
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MAXIMUM, {x, ctx.const_f32_scalar(static_cast<float>(lo), "min")}));
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::MINIMUM, {y, ctx.const_f32_scalar(static_cast<float>(hi), "max")}));
    return one(y);
  }
  return not_yet_k3(ctx, "no lowering");
}

Outs lower_tf_op_lambda(KerasLayerContext& ctx) {
  ASSIGN_OR_RETURN(std::string fn, ctx.get_string("function"));
  auto it = table().find(fn);
  if (it == table().end()) return not_yet(ctx);
  if (ctx.num_inputs() < 1) return invalid_input("TFOpLambda '" + ctx.scope() + "' has no tensor input");
  return it->second(ctx);
}

TFLC_REGISTER_KERAS_LAYER(tf_op_lambda, {{"TFOpLambda"}, lower_tf_op_lambda});
// Keras 3 op classes no Keras layer shares (Add, Multiply, Reshape,
// Concatenate, Softmax... reach the layers of those names instead).
TFLC_REGISTER_KERAS_LAYER(keras3_ops, {{"Relu", "Relu6", "Sigmoid", "Tanh", "Exp", "Log", "Sqrt", "Rsqrt", "Absolute",
                                        "Abs", "Negative", "Square", "Divide", "TrueDivide", "Power", "Matmul", "Silu",
                                        "Swish", "Gelu", "Mean", "Sum", "Max", "Min", "Transpose", "ExpandDims",
                                        "Squeeze", "Clip"},
                                       lower_keras3_op});

}  // namespace
}  // namespace tflc
