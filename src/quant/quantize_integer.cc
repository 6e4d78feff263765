// Full integer quantization: every float32 tensor with a recorded range
// becomes int8 (int16 in 16x8 mode) following each op's QuantSpec; ops with
// no integer kernel stay float behind DEQUANTIZE/QUANTIZE (or fail in
// integer-only mode). Model inputs/outputs get the requested types; IF/WHILE
// bodies are quantized inside and keep float inputs and outputs.
#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <unordered_map>

#include "ops/op_util.h"
#include "ops/registry.h"
#include "quant/qparams.h"
#include "quant/stages.h"

namespace tflc {

namespace {

using Spec = QuantSpec;
using QP = std::shared_ptr<QuantParams>;

bool has_range(const Tensor& t) { return t.quant && t.quant->scale.empty() && !t.quant->min.empty() && !t.quant->max.empty(); }
bool is_quantized(const Tensor& t) { return t.quant && !t.quant->scale.empty(); }

QP make_qp(ScaleZp p) {
  auto q = std::make_shared<QuantParams>();
  q->scale = {p.scale};
  q->zero_point = {p.zero_point};
  return q;
}

// The op's record has an integer kernel in TFLite's quantization spec (the
// rule integer-only mode applies before looking at ranges).
bool has_integer_rule(const Op& op, bool int16_activations) {
  const OpSchema* s = find_op(op.code);
  if (!s || s->quant.output == QuantSpec::Output::kNone) return false;
  return !int16_activations || s->quant.int16;
}

bool touches_float32(const Graph& g, const Op& op) {
  for (TensorId t : op.inputs)
    if (t >= 0 && g.t(t).dtype == DType::kFloat32) return true;
  for (TensorId t : op.outputs)
    if (t >= 0 && g.t(t).dtype == DType::kFloat32) return true;
  return false;
}

class IntegerQuantizer {
 public:
  IntegerQuantizer(Model& m, Graph& g, const IntegerQuantOptions& o)
      : m_(m), g_(g), o_(o), act_(o.int16_activations ? DType::kInt16 : DType::kInt8) {}

  // Pass 1: decides which ops run quantized, before touching the graph, so
  // that integer-only mode fails with one complete list over all subgraphs.
  // Adds the ops that stay float to `failed`.
  void plan(std::set<std::string>& failed) {
    const size_t n_orig = g_.tensors.size();
    was_float_.assign(n_orig, false);
    for (size_t i = 0; i < n_orig; ++i) was_float_[i] = g_.tensors[i].dtype == DType::kFloat32;
    ops_.clear();
    for (auto& op : g_.ops)
      if (!op->dead) ops_.push_back(op.get());
    std::vector<bool> quantized_native(n_orig, false);
    for (TensorId id : g_.inputs)
      if (g_.t(id).dtype == DType::kFloat32 && o_.input_type != DType::kFloat32) quantized_native[id] = true;
    quantize_op_.assign(ops_.size(), false);
    touches_.assign(ops_.size(), false);
    for (size_t i = 0; i < ops_.size(); ++i) {
      const Op& op = *ops_[i];
      touches_[i] = touches_float(op);
      if (!touches_[i]) continue;
      quantize_op_[i] = can_quantize(op, quantized_native);
      if (quantize_op_[i]) {
        for (TensorId t : op.outputs)
          if (t >= 0 && g_.t(t).dtype == DType::kFloat32) quantized_native[t] = true;
      } else {
        failed.insert(op.code == OpCode::CUSTOM ? op.custom_code : op_name(op.code));  // FlexX by name
      }
    }
  }

  // Pass 2: rewrites the graph as planned.
  Status apply() {
    RETURN_IF_ERROR(convert_inputs());
    for (size_t i = 0; i < ops_.size(); ++i) {
      Op& op = *ops_[i];
      if (!touches_[i]) continue;
      if (quantize_op_[i]) {
        RETURN_IF_ERROR(quantize(op).with_context(op_name(op.code) + " '" + op.origin + "'"));
      } else {
        for (TensorId& t : op.inputs)
          if (quantized_here(t)) {
            ASSIGN_OR_RETURN(t, float_form(t));
          }
      }
    }
    RETURN_IF_ERROR(convert_outputs());
    // Ranges left on float tensors are not emitted (TF drops them too).
    for (Tensor& t : g_.tensors)
      if (t.quant && t.quant->scale.empty()) t.quant.reset();
    g_.compact();
    return ok_status();
  }

 private:
  Model& m_;
  Graph& g_;
  const IntegerQuantOptions& o_;
  DType act_;
  std::unordered_map<TensorId, TensorId> quant_form_, float_form_;
  std::vector<bool> was_float_;  // per original tensor: float32 before we started
  std::vector<Op*> ops_;         // the live ops when planned, with the plan's verdicts
  std::vector<bool> quantize_op_, touches_;

  // A float tensor this pass turned into an integer one (not an integer
  // tensor the model already had).
  bool quantized_here(TensorId id) const {
    return id >= 0 && id < static_cast<TensorId>(was_float_.size()) && was_float_[id] && g_.t(id).dtype == act_ &&
           is_quantized(g_.t(id));
  }

  bool touches_float(const Op& op) const { return touches_float32(g_, op); }

  // A float activation, or one already quantized (an integer model input).
  bool is_activation(TensorId id) const {
    if (id < 0 || g_.t(id).is_const()) return false;
    const Tensor& t = g_.t(id);
    return t.dtype == DType::kFloat32 || quantized_here(id);
  }

  // The first activation input: the one whose qparams the bias scale and
  // kSameAsInput outputs follow.
  int data_input(const Op& op) const {
    for (size_t i = 0; i < op.inputs.size(); ++i)
      if (is_activation(op.inputs[i])) return static_cast<int>(i);
    return -1;
  }

  bool can_quantize(const Op& op, const std::vector<bool>& quantized_native) const {
    if (!has_integer_rule(op, o_.int16_activations)) return false;
    const OpSchema* s = find_op(op.code);
    const Spec& q = s->quant;
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      TensorId id = op.inputs[i];
      if (id < 0) continue;
      const Tensor& t = g_.t(id);
      if (t.dtype != DType::kFloat32 || t.is_const()) continue;
      bool native = id < static_cast<TensorId>(quantized_native.size()) && quantized_native[id];
      if (!native && !has_range(t)) return false;
    }
    bool has_data = data_input(op) >= 0;
    for (TensorId id : op.outputs) {
      if (id < 0 || g_.t(id).dtype != DType::kFloat32) continue;
      if ((q.output == Spec::Output::kOwnRange || q.output == Spec::Output::kSameAsOutput) && !has_range(g_.t(id)))
        return false;
      if (q.output == Spec::Output::kSameAsInput && !has_data && !has_range(g_.t(id))) return false;
    }
    // A bias needs the weight's scale, so a constant bias needs constant weights.
    const int wi = quant_weight_input(*s), bi = quant_bias_input(*s);
    if (bi >= 0 && has_input(op, bi) && wi >= 0 && has_input(op, wi) && g_.t(op.inputs[bi]).is_const() &&
        !g_.t(op.inputs[wi]).is_const())
      return false;
    return true;
  }

  QP activation_params(const Tensor& t) const {
    double lo = t.quant->min[0], hi = t.quant->max[0];
    for (float v : t.quant->min) lo = std::min<double>(lo, v);
    for (float v : t.quant->max) hi = std::max<double>(hi, v);
    return make_qp(o_.int16_activations ? int16_activation_params(lo, hi) : int8_activation_params(lo, hi));
  }

  int64_t qmin(DType t) const { return t == DType::kInt16 ? -32768 : t == DType::kUInt8 ? 0 : -128; }
  int64_t qmax(DType t) const { return t == DType::kInt16 ? 32767 : t == DType::kUInt8 ? 255 : 127; }

  TensorId add_like(TensorId of, const std::string& name, DType dtype, QP q) {
    Tensor t;
    t.name = name;
    t.dtype = dtype;
    t.shape = g_.t(of).shape;
    t.unknown_rank = g_.t(of).unknown_rank;
    t.quant = std::move(q);
    return g_.add_tensor(std::move(t));
  }

  // The quantized form of float tensor `id` (a QUANTIZE from its range).
  Expected<TensorId> quant_form(TensorId id) {
    if (is_quantized(g_.t(id))) return id;
    if (auto it = quant_form_.find(id); it != quant_form_.end()) return it->second;
    if (!has_range(g_.t(id))) return internal_error("tensor '" + g_.t(id).name + "' has no recorded range");
    TensorId q = add_like(id, g_.t(id).name + "_quantized", act_, activation_params(g_.t(id)));
    g_.add_op(OpCode::QUANTIZE, {id}, {q}, {}, g_.t(id).name);
    quant_form_[id] = q;
    return q;
  }

  // The float form of quantized tensor `id` (a DEQUANTIZE).
  Expected<TensorId> float_form(TensorId id) {
    if (auto it = float_form_.find(id); it != float_form_.end()) return it->second;
    TensorId f = add_like(id, g_.t(id).name + "_dequantized", DType::kFloat32, nullptr);
    g_.add_op(OpCode::DEQUANTIZE, {id}, {f}, {}, g_.t(id).name);
    float_form_[id] = f;
    return f;
  }

  // A new constant holding `values` with `q`; named after the float original.
  template <typename T>
  TensorId add_const_q(TensorId of, DType dtype, const std::vector<T>& values, QP q) {
    TensorId id = g_.add_const(g_.t(of).name, dtype, g_.t(of).shape, to_bytes(values));
    g_.t(id).quant = std::move(q);
    return id;
  }

  // A constant non-weight input (ADD's addend, PADV2's pad value, ...):
  // per-tensor params from `ref` or from its own values.
  // `ref`: the params to use; else the constant's own range, or `fallback`
  // when that range is only zero (a scale of 1 would break kernels such as
  // the comparisons, which need scales below 1).
  Expected<TensorId> quantize_const(TensorId id, const QP& ref, const QP& fallback = nullptr) {
    const Tensor& t = g_.t(id);
    std::vector<float> v = const_values<float>(t);
    QP q = ref;
    if (!q) {
      double lo = 0, hi = 0;
      for (float x : v) {
        if (!std::isfinite(x)) return invalid_input("constant '" + t.name + "' contains inf or NaN");
        lo = std::min<double>(lo, x), hi = std::max<double>(hi, x);
      }
      if (lo == hi) {  // all zeros: any scale represents them exactly
        if (fallback) q = fallback;
        else hi = 1;
      }
      if (!q) q = make_qp(o_.int16_activations ? int16_activation_params(lo, hi) : int8_activation_params(lo, hi));
    }
    std::vector<int64_t> qv = quantize_values(v, {q->scale[0], q->zero_point[0]}, qmin(act_), qmax(act_));
    if (act_ == DType::kInt16) return add_const_q(id, act_, std::vector<int16_t>(qv.begin(), qv.end()), q);
    return add_const_q(id, act_, std::vector<int8_t>(qv.begin(), qv.end()), q);
  }

  Status quantize(Op& op) {
    const OpSchema& schema = *find_op(op.code);
    const Spec& spec = schema.quant;
    const int weight_input = quant_weight_input(schema), bias_input = quant_bias_input(schema);
    int di = data_input(op);
    QP ref;  // the data input's params after quantization
    // Ops whose kernels copy values (concatenation, select) need one scale
    // for every operand: the output's range, which covers them all.
    const bool from_output = spec.output == Spec::Output::kSameAsOutput;
    if (from_output) ref = activation_params(g_.t(op.outputs.at(0)));
    if (di >= 0) {
      ASSIGN_OR_RETURN(TensorId q, quant_form(op.inputs[di]));
      if (from_output && (g_.t(q).quant->scale != ref->scale || g_.t(q).quant->zero_point != ref->zero_point)) {
        TensorId r = add_like(q, g_.t(q).name + "_requantized", act_, ref);
        g_.add_op(OpCode::QUANTIZE, {q}, {r}, {}, g_.t(q).name);
        q = r;
      }
      op.inputs[di] = q;
      if (!from_output) ref = g_.t(q).quant;
    }
    std::vector<float> weight_scales;
    if (weight_input >= 0 && has_input(op, weight_input)) {
      TensorId w = op.inputs[weight_input];
      if (g_.t(w).dtype == DType::kFloat32 && g_.t(w).is_const()) {
        const Tensor& wt = g_.t(w);
        const int channel_axis = quant_weight_axis(schema);
        int axis = channel_axis < wt.rank() ? channel_axis : -1;
        ASSIGN_OR_RETURN(QuantizedWeights qw, quantize_weights_symmetric(const_values<float>(wt), wt.shape, axis));
        auto q = std::make_shared<QuantParams>();
        q->scale = qw.scale;
        q->zero_point.assign(qw.scale.size(), 0);
        q->axis = std::max(axis, 0);
        weight_scales = qw.scale;
        op.inputs[weight_input] = add_const_q(w, DType::kInt8, qw.values, q);
      }
    }
    for (size_t i = 0; i < op.inputs.size(); ++i) {
      TensorId id = op.inputs[i];
      if (id < 0 || static_cast<int>(i) == di) continue;
      if (g_.t(id).dtype != DType::kFloat32 && !is_activation(id)) continue;
      bool same = spec.output == Spec::Output::kSameAsInput || from_output;
      if (static_cast<int>(i) == bias_input && g_.t(id).is_const()) {
        RETURN_IF_ERROR(quantize_bias(op, i, ref, weight_scales));
      } else if (static_cast<int>(i) == weight_input && !g_.t(id).is_const()) {
        ASSIGN_OR_RETURN(op.inputs[i], quant_form(id));
        weight_scales = g_.t(op.inputs[i]).quant->scale;
      } else if (g_.t(id).is_const()) {
        ASSIGN_OR_RETURN(op.inputs[i], quantize_const(id, same ? ref : nullptr, ref));
      } else {
        ASSIGN_OR_RETURN(TensorId q, quant_form(id));
        // Ops that keep the input scale need every operand on one scale: requantize.
        if (same && ref && (g_.t(q).quant->scale != ref->scale || g_.t(q).quant->zero_point != ref->zero_point)) {
          TensorId r = add_like(q, g_.t(id).name + "_requantized", act_, ref);
          g_.add_op(OpCode::QUANTIZE, {q}, {r}, {}, g_.t(id).name);
          q = r;
        }
        op.inputs[i] = q;
      }
    }
    for (TensorId id : op.outputs) {
      if (id < 0 || g_.t(id).dtype != DType::kFloat32) continue;
      Tensor& t = g_.t(id);
      QP q;
      switch (spec.output) {
        case Spec::Output::kSameAsInput: q = ref ? ref : activation_params(t); break;
        case Spec::Output::kSameAsOutput: q = ref; break;
        case Spec::Output::kFixed:
          q = o_.int16_activations ? make_qp({spec.fixed_scale_int16, 0})
                                   : make_qp({spec.fixed_scale_int8, spec.fixed_zero_point_int8});
          break;
        default: q = activation_params(t); break;
      }
      t.dtype = act_;
      t.quant = q;
    }
    return ok_status();
  }

  Status quantize_bias(Op& op, size_t i, const QP& in, const std::vector<float>& weight_scales) {
    TensorId id = op.inputs[i];
    if (!in || weight_scales.empty()) return unsupported("not supported yet: a constant bias without quantized weights");
    std::vector<float> b = const_values<float>(g_.t(id));
    std::vector<float> scales = bias_scales(in->scale[0], weight_scales);
    auto q = std::make_shared<QuantParams>();
    q->scale = scales;
    q->zero_point.assign(scales.size(), 0);
    if (o_.int16_activations) {
      ASSIGN_OR_RETURN(auto v, quantize_bias_int64(b, scales));
      op.inputs[i] = add_const_q(id, DType::kInt64, v, q);
    } else {
      ASSIGN_OR_RETURN(auto v, quantize_bias_int32(b, scales));
      op.inputs[i] = add_const_q(id, DType::kInt32, v, q);
    }
    return ok_status();
  }

  // Gives the outside-facing tensor `to` the name of `from` and points the
  // signatures at it.
  void take_name(TensorId from, TensorId to, const char* suffix, bool input) {
    std::string name = g_.t(from).name;
    g_.t(from).name = name + suffix;
    g_.t(to).name = name;
    for (SignatureDef& s : m_.signatures) {
      if (&m_.subgraphs.at(s.subgraph) != &g_) continue;
      for (auto& [key, tid] : input ? s.inputs : s.outputs)
        if (tid == from) tid = to;
    }
  }

  Status convert_inputs() {
    for (TensorId& id : g_.inputs) {
      Tensor& t = g_.t(id);
      if (t.dtype != DType::kFloat32 || o_.input_type == DType::kFloat32) continue;
      if (!has_range(t)) return invalid_input("model input '" + t.name + "' has no recorded range");
      QP q = activation_params(t);
      t.dtype = act_;
      t.quant = q;
      if (o_.input_type == DType::kUInt8) {
        // uint8 in, requantized to int8 by a QUANTIZE (same scale, zero point + 128).
        auto uq = std::make_shared<QuantParams>(*q);
        uq->zero_point[0] += 128;
        TensorId u = add_like(id, t.name, DType::kUInt8, uq);
        g_.add_op(OpCode::QUANTIZE, {u}, {id}, {}, t.name);
        take_name(id, u, "_int8", true);
        id = u;
      } else if (o_.input_type != act_) {
        return usage_error("inference_input_type " + dtype_name(o_.input_type) + " does not match the " +
                           dtype_name(act_) + " activations");
      }
    }
    return ok_status();
  }

  Status convert_outputs() {
    for (TensorId& id : g_.outputs) {
      DType dt = g_.t(id).dtype;
      bool q = quantized_here(id);
      if (!q && dt != DType::kFloat32) continue;  // not a float edge
      DType want = o_.output_type;
      if (q && want == act_) continue;
      if (!q && want == DType::kFloat32) continue;
      TensorId from = id, to;
      if (q && want == DType::kFloat32) {
        to = add_like(id, g_.t(id).name, DType::kFloat32, nullptr);
        g_.add_op(OpCode::DEQUANTIZE, {id}, {to}, {}, g_.t(id).name);
      } else if (want == DType::kUInt8 || want == act_) {
        QP p;
        if (q) {
          p = std::make_shared<QuantParams>(*g_.t(id).quant);
        } else {
          if (!has_range(g_.t(id))) {
            if (o_.no_range_reason.empty())
              return invalid_input("model output '" + g_.t(id).name + "' has no recorded range");
            return invalid_input("model output '" + g_.t(id).name + "' has no recorded range: " + o_.no_range_reason +
                                 "; keep --inference_output_type=float32 for this model");
          }
          p = activation_params(g_.t(id));
        }
        if (want == DType::kUInt8) p->zero_point[0] += 128;
        to = add_like(id, g_.t(id).name, want, p);
        g_.add_op(OpCode::QUANTIZE, {id}, {to}, {}, g_.t(id).name);
      } else {
        return usage_error("inference_output_type " + dtype_name(want) + " does not match the " + dtype_name(act_) +
                           " activations");
      }
      take_name(from, to, q ? "_int8" : "_float", false);
      id = to;
    }
    return ok_status();
  }
};

}  // namespace

std::vector<std::string> ops_without_integer_kernel(const Model& m, bool int16_activations) {
  std::set<std::string> names;
  auto graphs = m.all_subgraphs();
  if (!graphs.ok()) return {};
  for (const Graph* gp : *graphs)
    for (const auto& op : gp->ops)
      if (!op->dead && touches_float32(*gp, *op) && !has_integer_rule(*op, int16_activations))
        names.insert(op->code == OpCode::CUSTOM ? op->custom_code : op_name(op->code));
  return {names.begin(), names.end()};
}

// Every subgraph, bodies included, as TF's quantizer runs its passes on every
// function: a body's ops are quantized inside it, with QUANTIZE after its
// float inputs and DEQUANTIZE before its float outputs, while the IF/WHILE
// that calls it (no integer kernel of its own) keeps float operands.
Status quantize_integer(Model& m, const IntegerQuantOptions& o) {
  ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m.all_subgraphs());
  IntegerQuantOptions body_options = o;  // bodies keep their float interface
  body_options.input_type = body_options.output_type = DType::kFloat32;
  auto is_entry = [&](const Graph* g) {
    for (const Graph& e : m.subgraphs)
      if (&e == g) return true;
    return false;
  };
  std::vector<std::unique_ptr<IntegerQuantizer>> quantizers;
  std::set<std::string> failed;
  for (Graph* g : graphs) {
    quantizers.push_back(std::make_unique<IntegerQuantizer>(m, *g, is_entry(g) ? o : body_options));
    quantizers.back()->plan(failed);
  }
  if (!failed.empty() && !o.allow_float) {
    std::string list;
    for (const auto& f : failed) list += (list.empty() ? "'" : ", '") + f + "'";
    return unsupported("Quantization not yet supported for op: " + list + " (" +
                       (o.no_range_reason.empty() ? "an op has no integer kernel or a tensor has no recorded range"
                                                  : o.no_range_reason) +
                       "; allow float fallback with --supported_ops=TFLITE_BUILTINS)");
  }
  for (auto& q : quantizers) RETURN_IF_ERROR(q->apply());
  return ok_status();
}

}  // namespace tflc
