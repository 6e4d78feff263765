#include "frontends/keras/layer_registry.h"

#include "frontends/keras/layers/activations_more.h"
#include "support/half.h"

#include <cmath>
#include <cstring>
#include <map>

namespace tflc {
namespace {

std::map<std::string, KerasLowerFn>& table() {
  static std::map<std::string, KerasLowerFn> t;
  return t;
}

std::map<std::string, KerasWeightSpecFn>& spec_table() {
  static std::map<std::string, KerasWeightSpecFn> t;
  return t;
}

}  // namespace

bool register_keras_weight_spec(std::vector<std::string> classes, KerasWeightSpecFn fn) {
  for (const auto& c : classes) {
    TFLC_CHECK(spec_table().count(c) == 0);
    spec_table()[c] = fn;
  }
  return true;
}

KerasWeightSpecFn find_keras_weight_spec(const std::string& class_name) {
  auto it = spec_table().find(class_name);
  return it == spec_table().end() ? nullptr : it->second;
}

Expected<std::vector<KerasWeightSpec>> keras_no_weights(const nlohmann::json&, const Tensor*) {
  return std::vector<KerasWeightSpec>{};
}

bool register_keras_layer(KerasLayerRecord record) {
  for (const auto& c : record.classes) {
    TFLC_CHECK(table().count(c) == 0);  // one lowering per class
    table()[c] = record.lower;
  }
  return true;
}

KerasLowerFn find_keras_layer(const std::string& class_name) {
  auto it = table().find(class_name);
  return it == table().end() ? nullptr : it->second;
}

std::vector<std::string> all_keras_layers() {
  std::vector<std::string> out;
  for (auto& [k, v] : table()) out.push_back(k);
  return out;
}

Expected<std::pair<TensorId, TensorId>> KerasLayerContext::binary_operands() {
  if (num_inputs() == 2) return std::pair<TensorId, TensorId>{in(0), in(1)};
  auto args = call_kwargs_.find("__args__");  // Keras 3 positional args, numbers kept
  if (num_inputs() != 1 || args == call_kwargs_.end() || !args->is_array() || args->size() != 2)
    return unsupported("not supported yet: '" + scope() + "' needs two operands");
  const nlohmann::json& a = (*args)[0];
  const nlohmann::json& b = (*args)[1];
  const bool a_is_number = a.is_number(), b_is_number = b.is_number();
  if (a_is_number == b_is_number) return unsupported("not supported yet: the operands of '" + scope() + "'");
  const double v = (a_is_number ? a : b).get<double>();
  const DType t = in_tensor(0).dtype;
  TensorId c;
  if (t == DType::kFloat32) {
    c = const_f32_scalar(static_cast<float>(v), "operand");
  } else if (t == DType::kInt32) {
    int32_t i = static_cast<int32_t>(v);
    c = constant(DType::kInt32, {}, std::string(reinterpret_cast<const char*>(&i), 4), "operand");
  } else {
    return unsupported("not supported yet: a number operand for a " + dtype_name(t) + " tensor in '" + scope() + "'");
  }
  return a_is_number ? std::pair<TensorId, TensorId>{c, in(0)} : std::pair<TensorId, TensorId>{in(0), c};
}

Status KerasLayerContext::expect_inputs(int min, int max) const {
  if (max < 0) max = min;
  int n = num_inputs();
  if (n < min || n > max)
    return invalid_input(class_name_ + " layer '" + scope() + "' is called on " + std::to_string(n) +
                         " inputs, expected " + std::to_string(min) + (max == min ? "" : ".." + std::to_string(max)));
  return ok_status();
}

namespace {
Status bad_config(const std::string& layer, const char* key, const char* want) {
  return invalid_input("layer '" + layer + "': config '" + key + "' is not " + want);
}
}  // namespace

Expected<int64_t> KerasLayerContext::get_int(const char* key, std::optional<int64_t> def) const {
  auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) {
    if (def) return *def;
    return invalid_input("layer '" + scope() + "' lacks config '" + key + "'");
  }
  if (!it->is_number_integer()) return bad_config(scope(), key, "an integer");
  return it->get<int64_t>();
}

Expected<double> KerasLayerContext::get_float(const char* key, std::optional<double> def) const {
  auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) {
    if (def) return *def;
    return invalid_input("layer '" + scope() + "' lacks config '" + key + "'");
  }
  if (!it->is_number()) return bad_config(scope(), key, "a number");
  return it->get<double>();
}

Expected<bool> KerasLayerContext::get_bool(const char* key, std::optional<bool> def) const {
  auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) {
    if (def) return *def;
    return invalid_input("layer '" + scope() + "' lacks config '" + key + "'");
  }
  if (!it->is_boolean()) return bad_config(scope(), key, "true or false");
  return it->get<bool>();
}

Expected<std::string> KerasLayerContext::get_string(const char* key, std::optional<std::string> def) const {
  auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) {
    if (def) return *def;
    return invalid_input("layer '" + scope() + "' lacks config '" + key + "'");
  }
  if (!it->is_string()) return bad_config(scope(), key, "a string");
  return it->get<std::string>();
}

Expected<std::vector<int64_t>> KerasLayerContext::get_ints(const char* key, size_t n,
                                                           std::optional<std::vector<int64_t>> def) const {
  auto it = config_.find(key);
  if (it == config_.end() || it->is_null()) {
    if (def) return *def;
    return invalid_input("layer '" + scope() + "' lacks config '" + key + "'");
  }
  if (it->is_number_integer()) return std::vector<int64_t>(n, it->get<int64_t>());
  if (!it->is_array() || it->size() != n) return bad_config(scope(), key, "an int or a list of them");
  std::vector<int64_t> out;
  for (const auto& v : *it) {
    if (!v.is_number_integer()) return bad_config(scope(), key, "a list of ints");
    out.push_back(v.get<int64_t>());
  }
  return out;
}

Status KerasLayerContext::expect_input_rank(int rank) const {
  const Tensor& x = in_tensor(0);
  if (x.unknown_rank || x.rank() != rank)
    return invalid_input(class_name_ + " layer '" + scope() + "' wants a rank-" + std::to_string(rank) + " input");
  return ok_status();
}

Status KerasLayerContext::expect_channels_last() const {
  // Keras 1 says dim_ordering: "th" (channels first) or "tf".
  auto dim = get_string("dim_ordering", std::string("tf"));
  if (!dim.ok()) return dim.status();
  if (*dim != "tf" && *dim != "default")
    return unsupported("not supported yet: " + class_name_ + " layer '" + scope() + "' with dim_ordering=" + *dim);
  auto f = get_string("data_format", std::string("channels_last"));
  if (!f.ok()) return f.status();
  if (*f != "channels_last")
    return unsupported("not supported yet: " + class_name_ + " layer '" + scope() + "' with data_format=" + *f);
  return ok_status();
}

Expected<std::vector<float>> KerasLayerContext::weight_values(int i, std::vector<int64_t>* shape) const {
  if (i >= num_weights())
    return invalid_input("layer '" + scope() + "' has " + std::to_string(num_weights()) + " weights in the file, needs at least " +
                         std::to_string(i + 1) + "; the file does not match its config");
  if (i < 0) return internal_error("weight index " + std::to_string(i));
  const KerasArray& a = weights_[i];
  // The declared shape is checked against the bytes present before anything is allocated.
  const int esize = a.dtype == DType::kFloat64 ? 8 : a.dtype == DType::kFloat16 ? 2 : 4;
  uint64_t n = 1;
  for (int64_t d : a.shape) {
    if (d < 0 || (d > 0 && n > (uint64_t{1} << 60) / static_cast<uint64_t>(d)))
      return invalid_input("weight '" + a.name + "' of layer '" + scope() + "' declares shape " + shape_str(a.shape) +
                           " but holds " + std::to_string(a.bytes.size()) + " bytes; the file is damaged");
    n *= static_cast<uint64_t>(d);
  }
  if (a.bytes.size() != n * esize && (a.dtype == DType::kFloat32 || a.dtype == DType::kFloat64 || a.dtype == DType::kFloat16))
    return invalid_input("weight '" + a.name + "' of layer '" + scope() + "' declares shape " + shape_str(a.shape) +
                         " but holds " + std::to_string(a.bytes.size()) + " bytes; the file is damaged");
  std::vector<float> v(static_cast<size_t>(n));
  if (a.dtype == DType::kFloat32 && a.bytes.size() == v.size() * 4) {
    if (!v.empty()) std::memcpy(v.data(), a.bytes.data(), a.bytes.size());
  } else if (a.dtype == DType::kFloat64 && a.bytes.size() == v.size() * 8) {
    for (size_t k = 0; k < v.size(); ++k) {
      double d;
      std::memcpy(&d, a.bytes.data() + 8 * k, 8);
      v[k] = static_cast<float>(d);
    }
  } else if (a.dtype == DType::kFloat16 && a.bytes.size() == v.size() * 2) {
    for (size_t k = 0; k < v.size(); ++k) {
      uint16_t h;
      std::memcpy(&h, a.bytes.data() + 2 * k, 2);
      v[k] = half_to_float(h);
    }
  } else {
    return unsupported("not supported yet: weight '" + a.name + "' of layer '" + scope() + "' stored as " +
                       dtype_name(a.dtype));
  }
  if (shape) *shape = a.shape;
  return v;
}

Expected<TensorId> KerasLayerContext::weight(int i, const std::string& suffix) {
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(std::vector<float> v, weight_values(i, &shape));
  return constant(DType::kFloat32, shape, to_bytes(v), suffix);
}

Expected<TensorId> KerasLayerContext::activation(TensorId x, const std::string& name) {
  auto unary = [&](OpCode c) { return emit1(c, {x}); };
  if (name == "linear" || name.empty()) return x;
  if (name == "relu") return unary(OpCode::RELU);
  if (name == "relu6") return unary(OpCode::RELU6);
  if (name == "sigmoid") return unary(OpCode::LOGISTIC);
  if (name == "tanh") return unary(OpCode::TANH);
  if (name == "elu") return unary(OpCode::ELU);
  if (name == "exponential") return unary(OpCode::EXP);
  if (name == "softmax") {
    return emit1(OpCode::SOFTMAX, {x}, tflite::SoftmaxOptionsT{.beta = 1.0f});
  }
  if (name == "swish" || name == "silu") {
    ASSIGN_OR_RETURN(TensorId s, unary(OpCode::LOGISTIC));
    return emit1(OpCode::MUL, {x, s});
  }
  if (name == "leaky_relu") {  // Keras default negative slope
    return emit1(OpCode::LEAKY_RELU, {x}, tflite::LeakyReluOptionsT{.alpha = 0.2f});
  }
  return keras_activation_extra(*this, x, name, keras_version_);
}

}  // namespace tflc
