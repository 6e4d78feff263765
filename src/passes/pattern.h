// Helpers shared by the fusion passes: use-def lookups and the channel
// layout of the ops that own a filter and a bias.
#pragma once

#include <optional>
#include <vector>

#include "ir/graph.h"
#include "ops/registry.h"

namespace tflc {

struct UseDef {
  std::vector<int> producer;  // tensor -> op index or -1
  std::vector<int> uses;      // tensor -> number of uses (graph outputs count)
  std::vector<bool> is_graph_output;
  explicit UseDef(const Graph& g);
  Op* producer_of(Graph& g, TensorId t) const {
    return t >= 0 && producer[t] >= 0 ? g.ops[producer[t]].get() : nullptr;
  }
};

// Ops with a (filter, bias) pair: their record's WeightLayout, when it has a
// weight input, a channel axis and a bias input (CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED, CONV_3D, TRANSPOSE_CONV).
std::optional<WeightLayout> filter_layout(const Op& op);

// Makes `consumer`'s output the producer's output: the producer now writes
// consumer->outputs[0] and the consumer is marked dead.
void absorb_consumer(Op& producer, Op& consumer);

// A float32 constant of n values broadcastable over the channel axis:
// shape [], [1], [n] or [1,..,1,n]. Returns the per-channel values.
std::optional<std::vector<float>> per_channel_values(const Tensor& t, int64_t n);

// For y = op(x, c), c a per-channel (or scalar) float constant: the producer
// of x that can absorb op into its filter or bias — a filter op with no fused
// activation whose float32 result feeds only op, with y shaped like x.
struct ChannelOpMatch {
  Op* producer;
  WeightLayout layout;
  int64_t channels;
  std::vector<float> values;  // c per output channel
};
std::optional<ChannelOpMatch> match_channel_op(Graph& g, const UseDef& ud, const Op& op);

}  // namespace tflc
