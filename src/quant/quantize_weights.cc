// Weight-only quantization modes: float16 weights, and dynamic range (int8
// weights with hybrid kernels). Both follow TF's converter: float16 turns every
// float32 constant an op reads into float16 behind one DEQUANTIZE; dynamic
// range quantizes the weight inputs of each op record (weights, quant).
#include <cstring>
#include <map>
#include <optional>
#include <utility>

#include "ops/registry.h"
#include "quant/qparams.h"
#include "quant/stages.h"
#include "support/half.h"

namespace tflc {

namespace {

// TF's minimum_elements_for_weights default: smaller weights stay float.
constexpr int64_t kMinElementsForWeights = 1024;

struct Use {
  Op* op;
  size_t slot;
};

// For every tensor, the (op, input slot) pairs that read it.
std::vector<std::vector<Use>> uses_by_tensor(Graph& g) {
  std::vector<std::vector<Use>> uses(g.tensors.size());
  for (auto& op : g.ops) {
    if (op->dead) continue;
    for (size_t i = 0; i < op->inputs.size(); ++i)
      if (op->inputs[i] >= 0) uses.at(op->inputs[i]).push_back({op.get(), i});
  }
  return uses;
}

bool is_graph_output(const Graph& g, TensorId id) {
  for (TensorId o : g.outputs)
    if (o == id) return true;
  return false;
}

bool is_plain_float_const(const Tensor& t) {
  return t.is_const() && !t.is_variable && t.dtype == DType::kFloat32 && !t.quant;
}

Expected<std::vector<float>> float_values(const Tensor& t) {
  int64_t n = t.num_elements();
  if (n < 0) return invalid_input("constant '" + t.name + "' has a dynamic shape");
  if (static_cast<int64_t>(t.data->size()) != n * 4)
    return invalid_input("constant '" + t.name + "' holds " + std::to_string(t.data->size()) + " bytes for " +
                         std::to_string(n) + " float32 values");
  std::vector<float> v(n);
  if (n > 0) std::memcpy(v.data(), t.data->data(), n * 4);
  return v;
}

// Makes `id` (a float32 constant) the output of DEQUANTIZE(stored): the
// constant's readers and any graph output keep using `id` unchanged.
void dequantize_into(Graph& g, TensorId id, TensorId stored) {
  Tensor& t = g.t(id);
  t.data.reset();
  std::string origin = t.name;
  t.name += "_dequantize";  // TF's name for the dequantized copy
  g.add_op(OpCode::DEQUANTIZE, {stored}, {id}, {}, origin);
}

// Converted bytes per source buffer: constants that share bytes (the writer
// stores a buffer once) keep sharing them. Holds the sources so that their
// addresses stay unique while in use as keys.
template <typename V>
struct BufferCache {
  std::map<std::pair<const std::string*, std::string>, V> map;
  std::vector<Buffer> keep;
};

Status float16_graph(Graph& g, BufferCache<Buffer>& cache) {
  auto uses = uses_by_tensor(g);
  bool changed = false;
  // Constants with the same bytes and shape share one DEQUANTIZE.
  std::map<std::pair<const std::string*, std::vector<int64_t>>, TensorId> dequantized;
  const size_t count = g.tensors.size();  // tensors added below need no visit
  for (size_t id = 0; id < count; ++id) {
    if (uses[id].empty() || !is_plain_float_const(g.t(id))) continue;
    const Tensor& t = g.t(id);
    auto [dq, fresh] = dequantized.try_emplace({t.data.get(), t.shape}, static_cast<TensorId>(id));
    if (!fresh && !is_graph_output(g, static_cast<TensorId>(id))) {
      for (const Use& u : uses[id]) u.op->inputs[u.slot] = dq->second;
      changed = true;
      continue;
    }
    Buffer& half = cache.map[{t.data.get(), ""}];
    if (!half) {
      ASSIGN_OR_RETURN(std::vector<float> v, float_values(t));
      std::string bytes(v.size() * 2, '\0');
      for (size_t i = 0; i < v.size(); ++i) {
        uint16_t h = float_to_half(v[i]);
        std::memcpy(&bytes[i * 2], &h, 2);
      }
      half = make_buffer(std::move(bytes));
      cache.keep.push_back(t.data);
    }
    Tensor stored;
    stored.name = t.name;
    stored.dtype = DType::kFloat16;
    stored.shape = t.shape;
    stored.data = half;
    TensorId sid = g.add_tensor(std::move(stored));
    dequantize_into(g, static_cast<TensorId>(id), sid);
    changed = true;
  }
  if (changed) g.compact();  // DEQUANTIZE ops move in front of their first reader
  return ok_status();
}

struct Int8Weights {
  Buffer values;
  std::shared_ptr<QuantParams> quant;
};

// The int8 copy of a weight constant, one per per-channel axis it is read with.
Expected<TensorId> int8_weights(Graph& g, TensorId id, int axis, std::map<std::pair<TensorId, int>, TensorId>& made,
                                BufferCache<Int8Weights>& cache) {
  auto key = std::make_pair(id, axis);
  if (auto it = made.find(key); it != made.end()) return it->second;
  const Tensor& t = g.t(id);
  if (axis >= t.rank()) axis = -1;  // an unexpected rank: per-tensor is always valid
  // Same bytes, axis and shape give the same values and scales.
  std::string shape_key = std::to_string(axis);
  for (int64_t d : t.shape) shape_key += "," + std::to_string(d);
  Int8Weights& w = cache.map[{t.data.get(), shape_key}];
  if (!w.values) {
    ASSIGN_OR_RETURN(std::vector<float> v, float_values(t));
    ASSIGN_OR_RETURN(QuantizedWeights q, quantize_weights_symmetric(v, t.shape, axis));
    std::string bytes(q.values.size(), '\0');
    if (!q.values.empty()) std::memcpy(bytes.data(), q.values.data(), q.values.size());
    w.quant = std::make_shared<QuantParams>();
    w.quant->scale = q.scale;
    w.quant->zero_point.assign(q.scale.size(), 0);
    w.quant->axis = axis >= 0 ? axis : 0;
    w.values = make_buffer(std::move(bytes));
    cache.keep.push_back(t.data);
  }
  Tensor stored;
  stored.name = t.name;
  stored.dtype = DType::kInt8;
  stored.shape = t.shape;
  stored.data = w.values;
  stored.quant = std::make_shared<QuantParams>(*w.quant);
  TensorId sid = g.add_tensor(std::move(stored));
  made[key] = sid;
  return sid;
}

// The per-channel axis a weight read at `slot` is quantized with, or
// nullopt when the slot is no weight input the record quantizes.
std::optional<int> weight_axis(const OpSchema& s, size_t slot) {
  if (quant_weight_input(s) == static_cast<int>(slot)) return quant_weight_axis(s);
  for (int e : s.quant.extra_weight_inputs)
    if (e == static_cast<int>(slot)) return -1;  // extra weights are per-tensor
  return std::nullopt;
}

bool quantizable_weight(const Graph& g, TensorId id) {
  return id >= 0 && is_plain_float_const(g.t(id)) && g.t(id).num_elements() >= kMinElementsForWeights;
}

// Whether `op` can run its hybrid kernel: float activations, and every present
// weight input becomes int8 (TF's CheckAllOpInputsQuantized: the LSTM hybrid
// kernel reads all its weights as int8).
bool hybrid_ok(const Graph& g, const Op& op, const OpSchema& schema) {
  const QuantSpec& q = schema.quant;
  if (!q.hybrid || op.inputs.empty() || op.inputs[0] < 0 || g.t(op.inputs[0]).dtype != DType::kFloat32) return false;
  std::vector<int> slots = q.extra_weight_inputs;
  if (quant_weight_input(schema) >= 0) slots.push_back(quant_weight_input(schema));
  for (int s : slots) {
    if (s >= static_cast<int>(op.inputs.size()) || op.inputs[s] < 0) continue;  // optional, omitted
    // The activation input itself is never a weight.
    if (op.inputs[s] == op.inputs[0] || !quantizable_weight(g, op.inputs[s])) return false;
  }
  return true;
}

Status dynamic_range_graph(Graph& g, BufferCache<Int8Weights>& cache) {
  auto uses = uses_by_tensor(g);
  // Decided before any input is replaced.
  std::map<const Op*, bool> hybrid;
  for (auto& op : g.ops) {
    if (op->dead) continue;
    const OpSchema* s = find_op(op->code);
    if (s) hybrid[op.get()] = hybrid_ok(g, *op, *s);
  }
  std::map<std::pair<TensorId, int>, TensorId> made;
  bool changed = false;
  const size_t count = g.tensors.size();
  for (size_t idx = 0; idx < count; ++idx) {
    const TensorId id = static_cast<TensorId>(idx);
    if (uses[id].empty() || !quantizable_weight(g, id)) continue;
    std::vector<std::pair<Use, int>> weight_only;  // readers without a hybrid kernel, with the axis
    for (const Use& u : uses[id]) {
      const OpSchema* s = find_op(u.op->code);
      if (!s) continue;
      std::optional<int> axis = weight_axis(*s, u.slot);
      if (!axis) continue;
      if (hybrid[u.op]) {
        ASSIGN_OR_RETURN(TensorId q, int8_weights(g, id, *axis, made, cache));
        u.op->inputs[u.slot] = q;
        changed = true;
      } else {
        weight_only.push_back({u, *axis});
      }
    }
    // As TF does for e.g. TRANSPOSE_CONV and GATHER: int8 storage, DEQUANTIZE before the op.
    for (const auto& [u, axis] : weight_only) {
      ASSIGN_OR_RETURN(TensorId q, int8_weights(g, id, axis, made, cache));
      // One DEQUANTIZE per int8 copy, shared by its weight-only readers.
      TensorId out = kNoTensor;
      for (auto& op : g.ops)
        if (!op->dead && op->code == OpCode::DEQUANTIZE && op->inputs.size() == 1 && op->inputs[0] == q)
          out = op->outputs[0];
      if (out == kNoTensor) {
        Tensor f;
        f.name = g.t(id).name + "_dequantize";
        f.shape = g.t(id).shape;
        out = g.add_tensor(std::move(f));
        g.add_op(OpCode::DEQUANTIZE, {q}, {out}, {}, g.t(id).name);
      }
      u.op->inputs[u.slot] = out;
      changed = true;
    }
  }
  if (changed) g.compact();
  return ok_status();
}

}  // namespace

Status quantize_weights_dynamic_range(Model& m) {
  BufferCache<Int8Weights> cache;
  // Bodies too: a Keras RNN's WHILE body holds its kernels.
  ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m.all_subgraphs());
  for (Graph* g : graphs) RETURN_IF_ERROR(dynamic_range_graph(*g, cache));
  return ok_status();
}

Status quantize_weights_float16(Model& m) {
  BufferCache<Buffer> cache;
  ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m.all_subgraphs());
  for (Graph* g : graphs) RETURN_IF_ERROR(float16_graph(*g, cache));
  return ok_status();
}

}  // namespace tflc
