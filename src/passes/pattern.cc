#include "passes/pattern.h"

#include <cstring>

#include "ops/registry.h"

namespace tflc {

UseDef::UseDef(const Graph& g) : producer(g.producer_index()), uses(g.use_counts()) {
  is_graph_output.assign(g.tensors.size(), false);
  for (TensorId o : g.outputs) is_graph_output[o] = true;
}

std::optional<WeightLayout> filter_layout(const Op& op) {
  const OpSchema* s = find_op(op.code);
  if (!s) return std::nullopt;
  const WeightLayout& w = s->weights;
  if (w.weight_input < 0 || w.channel_axis < 0 || w.bias_input < 0) return std::nullopt;
  return w;
}

void absorb_consumer(Op& producer, Op& consumer) {
  producer.outputs[0] = consumer.outputs[0];
  consumer.dead = true;
}

std::optional<std::vector<float>> per_channel_values(const Tensor& t, int64_t n) {
  if (!t.is_const() || t.dtype != DType::kFloat32 || t.unknown_rank) return std::nullopt;
  int64_t count = t.num_elements();
  if (count != 1 && count != n) return std::nullopt;
  for (int i = 0; i + 1 < t.rank(); ++i)
    if (t.shape[i] != 1) return std::nullopt;
  std::vector<float> v(static_cast<size_t>(count));
  std::memcpy(v.data(), t.data->data(), v.size() * sizeof(float));
  if (count == 1) v.assign(static_cast<size_t>(n), v[0]);
  return v;
}

std::optional<ChannelOpMatch> match_channel_op(Graph& g, const UseDef& ud, const Op& op) {
  if (op.dead || op.inputs.size() != 2 || fused_activation(op) != Activation::NONE) return std::nullopt;
  TensorId x = op.inputs[0], c = op.inputs[1];
  bool commutative = op.code != OpCode::SUB && op.code != OpCode::DIV;
  if (!g.t(c).is_const() && commutative) std::swap(x, c);
  Op* prod = ud.producer_of(g, x);
  if (!prod || prod->dead || ud.uses[x] != 1 || ud.is_graph_output[x]) return std::nullopt;
  auto layout = filter_layout(*prod);
  if (!layout || fused_activation(*prod) != Activation::NONE) return std::nullopt;
  const Tensor& out = g.t(x);
  if (out.dtype != DType::kFloat32 || out.unknown_rank || out.shape.empty() || out.shape.back() < 0) return std::nullopt;
  if (g.t(op.outputs[0]).shape != out.shape) return std::nullopt;
  int64_t n = out.shape.back();
  auto values = per_channel_values(g.t(c), n);
  if (!values) return std::nullopt;
  return ChannelOpMatch{prod, *layout, n, std::move(*values)};
}

}  // namespace tflc
