#include "quant/quantize.h"

#include <algorithm>
#include <cctype>

#include "quant/stages.h"

namespace tflc {

namespace {

bool contains(const std::vector<std::string>& v, const char* s) { return std::find(v.begin(), v.end(), s) != v.end(); }

Status check_names(const std::vector<std::string>& given, const std::vector<const char*>& known, const char* flag) {
  for (const auto& s : given) {
    bool ok = std::any_of(known.begin(), known.end(), [&](const char* k) { return s == k; });
    if (ok) continue;
    std::string list;
    for (const char* k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    return usage_error("unknown " + std::string(flag) + " value '" + s + "'; use one of: " + list);
  }
  return ok_status();
}

// Ranges only matter to integer quantization; other modes drop them so the
// writer does not emit min/max on float tensors.
Status clear_recorded_ranges(Model& m) {
  ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m.all_subgraphs());
  for (Graph* g : graphs)
    for (Tensor& t : g->tensors)
      if (t.quant && t.quant->scale.empty()) t.quant.reset();
  return ok_status();
}

// Input ranges from quantized_input_stats: the type's integer range mapped
// through real = (q - mean) / std.
Status apply_input_stats(Model& m, const QuantizeOptions& o) {
  if (o.input_stats.empty()) return ok_status();
  double qmin = -128, qmax = 127;
  if (o.inference_input_type == DType::kUInt8) qmin = 0, qmax = 255;
  if (o.inference_input_type == DType::kInt16) qmin = -32768, qmax = 32767;
  for (Graph& g : m.subgraphs) {
    if (g.inputs.size() != o.input_stats.size())
      return usage_error("--mean_values and --std_dev_values give " + std::to_string(o.input_stats.size()) +
                         " values; the model has " + std::to_string(g.inputs.size()) + " inputs");
    for (size_t i = 0; i < g.inputs.size(); ++i) {
      auto [mean, std_dev] = o.input_stats[i];
      if (!(std_dev > 0)) return usage_error("--std_dev_values must be positive");
      auto q = std::make_shared<QuantParams>();
      q->min = {static_cast<float>((qmin - mean) / std_dev)};
      q->max = {static_cast<float>((qmax - mean) / std_dev)};
      if (q->min[0] > 0 || q->max[0] < 0)
        return usage_error("--mean_values must lie within the input type's range so that 0.0 is representable");
      g.t(g.inputs[i]).quant = std::move(q);
    }
  }
  return ok_status();
}

// TF 1.x default_ranges_stats: float activations with no range take the
// given one (constants are weights, quantized from their values).
void apply_default_ranges(Model& m, const QuantizeOptions& o) {
  if (!o.default_ranges) return;
  auto [lo, hi] = *o.default_ranges;
  auto graphs = m.all_subgraphs();
  if (!graphs.ok()) return;
  for (Graph* g : *graphs)
    for (Tensor& t : g->tensors) {
      if (t.is_const() || t.dtype != DType::kFloat32 || (t.quant && (!t.quant->min.empty() || !t.quant->scale.empty())))
        continue;
      auto q = std::make_shared<QuantParams>();
      q->min = {static_cast<float>(lo)};
      q->max = {static_cast<float>(hi)};
      t.quant = std::move(q);
    }
}

}  // namespace

const char* quant_mode_name(QuantMode m) {
  switch (m) {
    case QuantMode::kNone: return "none";
    case QuantMode::kDynamicRange: return "dynamic range";
    case QuantMode::kFloat16: return "float16";
    case QuantMode::kInt8AllowFloat: return "full integer (float fallback)";
    case QuantMode::kInt8Only: return "integer only";
    case QuantMode::kInt16x8AllowFloat: return "16x8 (float fallback)";
    case QuantMode::kInt16x8Only: return "16x8 integer only";
  }
  return "?";
}

bool is_integer_mode(QuantMode m) {
  return m == QuantMode::kInt8AllowFloat || m == QuantMode::kInt8Only || is_16x8_mode(m);
}
bool is_16x8_mode(QuantMode m) { return m == QuantMode::kInt16x8AllowFloat || m == QuantMode::kInt16x8Only; }

Expected<DType> parse_inference_type(const std::string& s) {
  std::string t = s;
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  if (t.rfind("tf.", 0) == 0) t = t.substr(3);
  if (t == "float32" || t == "float") return DType::kFloat32;
  if (t == "int8") return DType::kInt8;
  if (t == "uint8" || t == "quantized_uint8") return DType::kUInt8;
  if (t == "int16") return DType::kInt16;
  return usage_error("unknown inference type '" + s + "'; use float32, int8, uint8 or int16");
}

// Follows lite.py's QuantizationMode: the smallest supported type defaults
// to int8; TFLITE_BUILTINS or SELECT_TF_OPS in supported_ops allows float.
Expected<QuantMode> choose_quant_mode(const QuantizeOptions& o, bool has_qat_ranges) {
  static const std::vector<const char*> kOps = {"TFLITE_BUILTINS", "TFLITE_BUILTINS_INT8", "SELECT_TF_OPS",
                                                "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"};
  RETURN_IF_ERROR(check_names(o.supported_ops, kOps, "--supported_ops"));
  RETURN_IF_ERROR(check_names(o.supported_types, {"float16", "int8"}, "--supported_types"));
  if (o.supported_ops.empty()) return usage_error("--supported_ops must name at least one op set");
  if (!contains(o.supported_ops, "TFLITE_BUILTINS") && !contains(o.supported_ops, "TFLITE_BUILTINS_INT8") &&
      !contains(o.supported_ops, "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"))
    return unsupported("not supported yet: --supported_ops without TFLITE_BUILTINS (Flex-only models)");

  bool int8_target = contains(o.supported_ops, "TFLITE_BUILTINS_INT8") ||
                     (o.supported_types.size() == 1 && o.supported_types[0] == "int8");
  bool int16x8_target = contains(o.supported_ops, "EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8");
  bool allow_float = contains(o.supported_ops, "TFLITE_BUILTINS") || contains(o.supported_ops, "SELECT_TF_OPS");
  bool smallest_is_int8 = o.supported_types.empty() || contains(o.supported_types, "int8");
  if (!o.representative_dataset.empty() && o.dataset_source)
    return usage_error("give the representative dataset as a file or as samples, not both");
  bool has_data = !o.representative_dataset.empty() || o.dataset_source;

  QuantMode mode = QuantMode::kNone;
  if (o.optimize) {
    if ((int8_target || int16x8_target) && !has_data && !has_qat_ranges)
      return usage_error("For full integer quantization, a `representative_dataset` must be specified.");
    if (!smallest_is_int8 && contains(o.supported_types, "float16")) {
      mode = QuantMode::kFloat16;
    } else if (has_data || has_qat_ranges) {
      if (int16x8_target) mode = allow_float ? QuantMode::kInt16x8AllowFloat : QuantMode::kInt16x8Only;
      else mode = (!allow_float && int8_target) ? QuantMode::kInt8Only : QuantMode::kInt8AllowFloat;
    } else {
      mode = QuantMode::kDynamicRange;
    }
  } else if (has_data) {
    return usage_error("--representative_dataset needs --optimizations=DEFAULT");
  }

  // lite.py's _validate_inference_input_output_types.
  auto ok_type = [&](DType t) {
    if (t == DType::kFloat32) return true;
    if (!is_integer_mode(mode)) return false;
    return is_16x8_mode(mode) ? t == DType::kInt16 : (t == DType::kInt8 || t == DType::kUInt8);
  };
  if (!ok_type(o.inference_input_type) || !ok_type(o.inference_output_type)) {
    if (!is_integer_mode(mode))
      return usage_error("The inference_input_type and inference_output_type must be tf.float32.");
    return usage_error(is_16x8_mode(mode)
                           ? "The inference_input_type and inference_output_type must be in ['tf.float32', 'tf.int16']."
                           : "The inference_input_type and inference_output_type must be in ['tf.float32', 'tf.int8', "
                             "'tf.uint8'].");
  }
  return mode;
}

bool has_recorded_ranges(const Model& m) {
  auto graphs = m.all_subgraphs();
  if (!graphs.ok()) return false;  // a cyclic body: the writer reports it
  for (const Graph* g : *graphs) {
    for (const auto& op : g->ops)
      if (!op->dead && op->code == OpCode::FAKE_QUANT) return true;
    for (const Tensor& t : g->tensors)
      if (t.quant && t.quant->scale.empty() && !t.quant->min.empty()) return true;
  }
  return false;
}

namespace {

std::string join_names(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& n : v) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// What calibration could not run, in one sentence ("" when it ran everything).
std::string runtime_only_sentence(const CalibrationReport& r) {
  if (r.runtime_only_ops.empty()) return "";
  const bool one = r.runtime_only_ops.size() == 1;
  std::string s = "calibration cannot run the Flex/custom op" + std::string(one ? " " : "s ") +
                  join_names(r.runtime_only_ops) + " (only the runtime can), so " + (one ? "it stays" : "they stay") +
                  " float";
  if (r.dependent_count == 0) return s + " and no other op depends on " + (one ? "its" : "their") + " outputs";
  return s + ", and so do the " + std::to_string(r.dependent_count) + " op(s) that depend on " +
         (one ? "its" : "their") + " outputs (" + join_names(r.dependent_ops) + "), which have no recorded range";
}

}  // namespace

Status quantize(Model& m, const QuantizeOptions& o, std::vector<std::string>* notes) {
  ASSIGN_OR_RETURN(QuantMode mode, choose_quant_mode(o, has_recorded_ranges(m) || o.default_ranges.has_value()));
  if (o.default_ranges && !is_integer_mode(mode))
    return usage_error("--default_ranges_min and --default_ranges_max go with an integer --inference_type "
                       "(INT8 or QUANTIZED_UINT8)");
  if (o.default_ranges && !(o.default_ranges->first < o.default_ranges->second))
    return usage_error("--default_ranges_min must be less than --default_ranges_max");
  switch (mode) {
    case QuantMode::kNone:
      if (!o.input_stats.empty())
        return usage_error("--mean_values and --std_dev_values go with an integer --inference_type");
      return clear_recorded_ranges(m);
    case QuantMode::kFloat16:
      RETURN_IF_ERROR(clear_recorded_ranges(m));
      return quantize_weights_float16(m).with_context("float16 quantization");
    case QuantMode::kDynamicRange:
      RETURN_IF_ERROR(clear_recorded_ranges(m));
      return quantize_weights_dynamic_range(m).with_context("dynamic range quantization");
    default: break;
  }
  RETURN_IF_ERROR(absorb_fake_quant(m));
  RETURN_IF_ERROR(apply_input_stats(m, o));
  CalibrationReport report;
  CalibrateOptions co;
  co.show_progress = o.show_progress;
  co.report = &report;
  if (!o.representative_dataset.empty()) {
    ASSIGN_OR_RETURN(Dataset data, read_representative_dataset(o.representative_dataset));
    RETURN_IF_ERROR(calibrate(m, data, co).with_context("calibration"));
  } else if (o.dataset_source) {
    RETURN_IF_ERROR(calibrate(m, *o.dataset_source, co).with_context("calibration"));
  }
  apply_default_ranges(m, o);
  IntegerQuantOptions io;
  io.allow_float = mode == QuantMode::kInt8AllowFloat || mode == QuantMode::kInt16x8AllowFloat;
  io.int16_activations = is_16x8_mode(mode);
  io.input_type = o.inference_input_type;
  io.output_type = o.inference_output_type;
  io.no_range_reason = runtime_only_sentence(report);
  RETURN_IF_ERROR(quantize_integer(m, io).with_context(quant_mode_name(mode) + std::string(" quantization")));
  if (notes && !io.no_range_reason.empty()) notes->push_back(io.no_range_reason);
  return ok_status();
}

}  // namespace tflc
