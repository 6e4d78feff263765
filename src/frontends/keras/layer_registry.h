// Keras layer -> IR lowering table. Each layer class has one record (in one
// layers/*.cc file) that lowers a layer call through KerasLayerContext.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "frontends/keras/h5_file.h"
#include "ops/ir_builder.h"

namespace tflc {

class KerasLayerContext : public IrBuilder {
 public:
  KerasLayerContext(Graph& g, const std::string& name, const std::string& class_name, const nlohmann::json& config,
                    const std::vector<KerasArray>& weights, std::vector<TensorId> inputs, int64_t fold_budget)
      : IrBuilder(g, name, fold_budget),
        class_name_(class_name),
        config_(config),
        weights_(weights),
        inputs_(std::move(inputs)) {}

  const std::string& class_name() const { return class_name_; }
  std::string source() const override { return class_name_ + " layer '" + scope() + "'"; }
  const nlohmann::json& config() const { return config_; }
  int num_inputs() const { return static_cast<int>(inputs_.size()); }
  TensorId in(int i) const { return inputs_.at(i); }
  const Tensor& in_tensor(int i) const { return g_.t(inputs_.at(i)); }
  Status expect_inputs(int min, int max = -1) const;

  // Config values; `def` when absent (or null).
  Expected<int64_t> get_int(const char* key, std::optional<int64_t> def = std::nullopt) const;
  Expected<double> get_float(const char* key, std::optional<double> def = std::nullopt) const;
  Expected<bool> get_bool(const char* key, std::optional<bool> def = std::nullopt) const;
  Expected<std::string> get_string(const char* key, std::optional<std::string> def = std::nullopt) const;
  // An int or a list of ints of length n ("kernel_size": 3 or [3, 3]).
  Expected<std::vector<int64_t>> get_ints(const char* key, size_t n, std::optional<std::vector<int64_t>> def = std::nullopt) const;
  // Error unless data_format is channels_last (the TFLite layout).
  Status expect_channels_last() const;
  // Error unless input 0 has exactly this rank.
  Status expect_input_rank(int rank) const;

  // The layer's i-th stored weight, as float32 values (any float dtype).
  int num_weights() const { return static_cast<int>(weights_.size()); }
  Expected<TensorId> weight(int i, const std::string& suffix);
  Expected<std::vector<float>> weight_values(int i, std::vector<int64_t>* shape = nullptr) const;
  std::vector<std::string> weight_names() const {
    std::vector<std::string> n;
    for (const auto& w : weights_) n.push_back(w.name);
    return n;
  }

  // The Keras version that wrote the file ("" when it does not say).
  void set_keras_version(std::string v) { keras_version_ = std::move(v); }
  const std::string& keras_version() const { return keras_version_; }

  // The call's kwargs: input_names[i] names the kwarg that passed in(i) (""
  // for positional inputs); kwargs holds the non-tensor ones.
  void set_call_args(std::vector<std::string> input_names, nlohmann::json kwargs) {
    input_names_ = std::move(input_names);
    call_kwargs_ = std::move(kwargs);
  }
  // The input passed as kwarg `key`, or kNoTensor.
  TensorId named_in(const std::string& key) const {
    for (size_t i = 0; i < input_names_.size() && i < inputs_.size(); ++i)
      if (input_names_[i] == key) return inputs_[i];
    return kNoTensor;
  }
  int num_positional_inputs() const {
    int n = 0;
    for (int i = 0; i < num_inputs(); ++i) n += i >= static_cast<int>(input_names_.size()) || input_names_[i].empty();
    return n;
  }
  const nlohmann::json& call_kwargs() const { return call_kwargs_; }
  // The two operands of a binary call in call order. Keras 3 op calls may
  // pass a number (ops.add(x, 1.0)); it becomes a scalar constant of the
  // tensor operand's dtype.
  Expected<std::pair<TensorId, TensorId>> binary_operands();

  // Keras masks (Embedding mask_zero=True, Masking): the bool [batch, time]
  // mask of input i, or kNoTensor. A layer that makes one sets it for its
  // first output; the importer passes masks on only to layers that read them.
  TensorId input_mask(int i) const {
    return i >= 0 && i < static_cast<int>(input_masks_.size()) ? input_masks_[i] : kNoTensor;
  }
  void set_input_masks(std::vector<TensorId> masks) { input_masks_ = std::move(masks); }
  void set_output_mask(TensorId mask) { output_mask_ = mask; }
  TensorId output_mask() const { return output_mask_; }

  // Applies a Keras activation by name ("linear", "relu", "softmax"...).
  Expected<TensorId> activation(TensorId x, const std::string& name);

 private:
  std::string class_name_;
  const nlohmann::json& config_;
  const std::vector<KerasArray>& weights_;
  std::vector<TensorId> inputs_;
  std::string keras_version_;
  std::vector<std::string> input_names_;
  nlohmann::json call_kwargs_ = nlohmann::json::object();
  std::vector<TensorId> input_masks_;
  TensorId output_mask_ = kNoTensor;
};

using KerasLowerFn = Expected<std::vector<TensorId>> (*)(KerasLayerContext& ctx);

struct KerasLayerRecord {
  std::vector<std::string> classes;  // Keras class names sharing this lowering
  KerasLowerFn lower;
};

bool register_keras_layer(KerasLayerRecord record);

// The weights a layer takes, in its own order (Keras 2's trainable ones
// first, then the non-trainable ones), from its config and, when known, its
// input (else input-sized dimensions are -1). Used to hand out a nested
// model's .h5 weights by Keras's loading order when their names do not
// match the layers; a class without one cannot be matched that way.
struct KerasWeightSpec {
  std::vector<int64_t> shape;  // -1: not known without the input
  bool trainable = true;
};
using KerasWeightSpecFn = Expected<std::vector<KerasWeightSpec>> (*)(const nlohmann::json& config, const Tensor* input);
bool register_keras_weight_spec(std::vector<std::string> classes, KerasWeightSpecFn fn);
KerasWeightSpecFn find_keras_weight_spec(const std::string& class_name);
// For layers without weights.
Expected<std::vector<KerasWeightSpec>> keras_no_weights(const nlohmann::json& config, const Tensor* input);
KerasLowerFn find_keras_layer(const std::string& class_name);
std::vector<std::string> all_keras_layers();

#define TFLC_REGISTER_KERAS_LAYER(ident, ...) \
  static const bool ident##_keras_registered = ::tflc::register_keras_layer(__VA_ARGS__)
#define TFLC_REGISTER_KERAS_WEIGHTS(ident, ...) \
  static const bool ident##_keras_weights_registered = ::tflc::register_keras_weight_spec(__VA_ARGS__)

}  // namespace tflc
