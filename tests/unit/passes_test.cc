// Each pass run alone on a hand-built graph.
#include <gtest/gtest.h>

#include "ops/op_util.h"
#include "passes/passes.h"

namespace tflc {
namespace {

TensorId act(Graph& g, const std::string& name, Shape shape) {
  Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  return g.add_tensor(std::move(t));
}

TensorId cf(Graph& g, const std::string& name, Shape shape, std::vector<float> v) {
  return g.add_const(name, DType::kFloat32, std::move(shape), to_bytes(v));
}

TensorId ci(Graph& g, const std::string& name, std::vector<int32_t> v) {
  return g.add_const(name, DType::kInt32, {static_cast<int64_t>(v.size())}, to_bytes(v));
}

std::vector<float> values(const Graph& g, TensorId id) { return const_values<float>(g.t(id)); }

// conv(x) with a 2-channel 1x1 filter [[1],[2]] and bias [10, 20].
struct ConvGraph {
  Graph g;
  TensorId x, conv_out;
  Op* conv;
  ConvGraph() {
    x = act(g, "x", {1, 2, 2, 1});
    conv_out = act(g, "conv", {1, 2, 2, 2});
    TensorId w = cf(g, "w", {2, 1, 1, 1}, {1, 2});
    TensorId b = cf(g, "b", {2}, {10, 20});
    conv = &g.add_op(OpCode::CONV_2D, {x, w, b}, {conv_out});
    g.inputs = {x};
  }
};

TEST(FuseBiasAdd, FoldsPerChannelConstantIntoBias) {
  ConvGraph c;
  TensorId y = act(c.g, "y", {1, 2, 2, 2});
  c.g.add_op(OpCode::ADD, {c.conv_out, cf(c.g, "d", {2}, {1, -1})}, {y});
  c.g.outputs = {y};
  ASSERT_TRUE(fuse_bias_add(c.g).ok());
  ASSERT_EQ(c.g.ops.size(), 1u);
  EXPECT_EQ(c.g.ops[0]->outputs[0], y);
  EXPECT_EQ(values(c.g, c.g.ops[0]->inputs[2]), (std::vector<float>{11, 19}));
}

TEST(FuseBiasAdd, KeepsAddWhenConvHasAnotherUse) {
  ConvGraph c;
  TensorId y = act(c.g, "y", {1, 2, 2, 2});
  c.g.add_op(OpCode::ADD, {c.conv_out, cf(c.g, "d", {2}, {1, -1})}, {y});
  c.g.outputs = {y, c.conv_out};
  ASSERT_TRUE(fuse_bias_add(c.g).ok());
  EXPECT_EQ(c.g.ops.size(), 2u);
}

TEST(FoldBatchNorm, ScalesFilterAndBiasPerOutputChannel) {
  ConvGraph c;
  TensorId y = act(c.g, "y", {1, 2, 2, 2});
  c.g.add_op(OpCode::MUL, {c.conv_out, cf(c.g, "m", {2}, {3, 0.5})}, {y});
  c.g.outputs = {y};
  ASSERT_TRUE(fold_batch_norm(c.g).ok());
  ASSERT_EQ(c.g.ops.size(), 1u);
  EXPECT_EQ(values(c.g, c.g.ops[0]->inputs[1]), (std::vector<float>{3, 1}));
  EXPECT_EQ(values(c.g, c.g.ops[0]->inputs[2]), (std::vector<float>{30, 10}));
}

TEST(FoldBatchNorm, LeavesMulWithoutConv) {
  Graph g;
  TensorId x = act(g, "x", {1, 2});
  TensorId y = act(g, "y", {1, 2});
  g.add_op(OpCode::MUL, {x, cf(g, "m", {2}, {3, 4})}, {y});
  g.inputs = {x};
  g.outputs = {y};
  ASSERT_TRUE(fold_batch_norm(g).ok());
  EXPECT_EQ(g.ops.size(), 1u);
}

TEST(FuseActivation, FusesReluIntoConv) {
  ConvGraph c;
  TensorId y = act(c.g, "y", {1, 2, 2, 2});
  c.g.add_op(OpCode::RELU6, {c.conv_out}, {y});
  c.g.outputs = {y};
  ASSERT_TRUE(fuse_activation(c.g).ok());
  ASSERT_EQ(c.g.ops.size(), 1u);
  EXPECT_EQ(opts<tflite::Conv2DOptionsT>(*c.g.ops[0]).fused_activation_function, Activation::RELU6);
  EXPECT_EQ(c.g.ops[0]->outputs[0], y);
}

TEST(FuseActivation, DoesNotFuseTwice) {
  ConvGraph c;
  c.conv->options = tflite::Conv2DOptionsT{.stride_w = 1, .stride_h = 1, .fused_activation_function = Activation::RELU};
  TensorId y = act(c.g, "y", {1, 2, 2, 2});
  c.g.add_op(OpCode::RELU6, {c.conv_out}, {y});
  c.g.outputs = {y};
  ASSERT_TRUE(fuse_activation(c.g).ok());
  EXPECT_EQ(c.g.ops.size(), 2u);
}

TEST(FuseActivation, NeverIntoConcatenation) {
  // TFLite's CONCATENATION kernel rejects a fused activation.
  Graph g;
  TensorId a = act(g, "a", {1, 2});
  TensorId b = act(g, "b", {1, 2});
  TensorId c = act(g, "c", {1, 4});
  TensorId y = act(g, "y", {1, 4});
  tflite::ConcatenationOptionsT cat;
  cat.axis = 1;
  g.add_op(OpCode::CONCATENATION, {a, b}, {c}, cat);
  g.add_op(OpCode::RELU, {c}, {y});
  g.inputs = {a, b};
  g.outputs = {y};
  ASSERT_TRUE(fuse_activation(g).ok());
  EXPECT_EQ(g.ops.size(), 2u);
}

TEST(CleanupTransposeReshape, InverseTransposesCancel) {
  Graph g;
  TensorId x = act(g, "x", {2, 3});
  TensorId a = act(g, "a", {3, 2});
  TensorId b = act(g, "b", {2, 3});
  TensorId y = act(g, "y", {2, 3});
  g.add_op(OpCode::TRANSPOSE, {x, ci(g, "p", {1, 0})}, {a});
  g.add_op(OpCode::TRANSPOSE, {a, ci(g, "q", {1, 0})}, {b});
  g.add_op(OpCode::RELU, {b}, {y});
  g.inputs = {x};
  g.outputs = {y};
  ASSERT_TRUE(cleanup_transpose_reshape(g).ok());
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_EQ(g.ops[0]->inputs[0], x);
}

TEST(CleanupTransposeReshape, ReshapeChainCollapses) {
  Graph g;
  TensorId x = act(g, "x", {2, 3});
  TensorId a = act(g, "a", {6});
  TensorId b = act(g, "b", {3, 2});
  g.add_op(OpCode::RESHAPE, {x, ci(g, "s1", {6})}, {a});
  g.add_op(OpCode::RESHAPE, {a, ci(g, "s2", {3, 2})}, {b});
  g.inputs = {x};
  g.outputs = {b};
  ASSERT_TRUE(cleanup_transpose_reshape(g).ok());
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_EQ(g.ops[0]->inputs[0], x);
}

TEST(FuseDilatedConv, SameFromSpaceToBatchPattern) {
  Graph g;
  TensorId x = act(g, "x", {1, 8, 8, 1});
  TensorId s = act(g, "s", {4, 6, 6, 1});
  TensorId c = act(g, "c", {4, 4, 4, 1});
  TensorId y = act(g, "y", {1, 8, 8, 1});
  TensorId block = ci(g, "block", {2, 2});
  g.add_op(OpCode::SPACE_TO_BATCH_ND, {x, block, g.add_const("pads", DType::kInt32, {2, 2}, to_bytes(std::vector<int32_t>{2, 2, 2, 2}))}, {s});
  tflite::Conv2DOptionsT a;
  a.padding = Padding::VALID;
  a.stride_w = a.stride_h = 1;
  g.add_op(OpCode::CONV_2D, {s, cf(g, "w", {1, 3, 3, 1}, std::vector<float>(9, 1)), cf(g, "b", {1}, {0})}, {c}, a);
  g.add_op(OpCode::BATCH_TO_SPACE_ND, {c, block, g.add_const("crops", DType::kInt32, {2, 2}, to_bytes(std::vector<int32_t>{0, 0, 0, 0}))}, {y});
  g.inputs = {x};
  g.outputs = {y};
  ASSERT_TRUE(fuse_dilated_conv(g).ok());
  ASSERT_EQ(g.ops.size(), 1u);
  const Op& conv = *g.ops[0];
  EXPECT_EQ(conv.inputs[0], x);
  EXPECT_EQ(opts<tflite::Conv2DOptionsT>(conv).padding, Padding::SAME);
  EXPECT_EQ(opts<tflite::Conv2DOptionsT>(conv).dilation_h_factor, 2);
  EXPECT_EQ(conv.outputs[0], y);
}

TEST(DedupBuffers, IdenticalConstantsShareOneBuffer) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId a = cf(g, "a", {2}, {1, 2});
  TensorId b = cf(g, "b", {2}, {1, 2});
  TensorId c = cf(g, "c", {2}, {1, 3});
  ASSERT_TRUE(dedup_buffers(m).ok());
  EXPECT_EQ(g.t(a).data.get(), g.t(b).data.get());
  EXPECT_NE(g.t(a).data.get(), g.t(c).data.get());
}

TEST(EliminateDeadOps, RemovesUnusedChains) {
  Graph g;
  TensorId x = act(g, "x", {2});
  TensorId a = act(g, "a", {2});
  TensorId b = act(g, "b", {2});
  TensorId y = act(g, "y", {2});
  g.add_op(OpCode::RELU, {x}, {a});
  g.add_op(OpCode::RELU, {a}, {b});
  g.add_op(OpCode::RELU6, {x}, {y});
  g.inputs = {x};
  g.outputs = {y};
  ASSERT_TRUE(eliminate_dead_ops(g).ok());
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_EQ(g.ops[0]->code, OpCode::RELU6);
}


// y = SUM(x, [1]) / n on x [4, 16].
Graph sum_div(float n) {
  Graph g;
  TensorId x = act(g, "x", {4, 16}), s = act(g, "s", {4}), y = act(g, "y", {4});
  g.add_op(OpCode::SUM, {x, ci(g, "axes", {1})}, {s});
  g.add_op(OpCode::DIV, {s, cf(g, "n", {}, {n})}, {y});
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

TEST(FuseMean, SumOverCountIsMean) {
  Graph g = sum_div(16);
  ASSERT_TRUE(fuse_mean(g).ok());
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_EQ(g.ops[0]->code, OpCode::MEAN);
}

TEST(FuseMean, OtherDivisorStays) {
  Graph g = sum_div(15);
  ASSERT_TRUE(fuse_mean(g).ok());
  EXPECT_EQ(g.ops.size(), 2u);
}

// 1 / (1 + exp(-x)) on x [8]; `leak` also makes exp(-x) a graph output.
Graph logistic_graph(float one, bool leak) {
  Graph g;
  TensorId x = act(g, "x", {8}), n = act(g, "n", {8}), e = act(g, "e", {8}), d = act(g, "d", {8}),
           y = act(g, "y", {8});
  g.add_op(OpCode::NEG, {x}, {n});
  g.add_op(OpCode::EXP, {n}, {e});
  g.add_op(OpCode::ADD, {e, cf(g, "one", {}, {1})}, {d});
  g.add_op(OpCode::DIV, {cf(g, "num", {}, {one}), d}, {y});
  g.inputs = {x};
  g.outputs = {y};
  if (leak) g.outputs.push_back(e);
  return g;
}

TEST(FuseElementwiseActivations, LogisticWrittenOut) {
  Graph g = logistic_graph(1, false);
  ASSERT_TRUE(fuse_elementwise_activations(g).ok());
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_EQ(g.ops[0]->code, OpCode::LOGISTIC);
  EXPECT_EQ(g.ops[0]->inputs, std::vector<TensorId>{g.inputs[0]});
}

TEST(FuseElementwiseActivations, NearMissStays) {
  Graph g = logistic_graph(1.001f, false);  // 1.001 / (1 + exp(-x))
  ASSERT_TRUE(fuse_elementwise_activations(g).ok());
  EXPECT_EQ(g.ops.size(), 4u);
}

TEST(FuseElementwiseActivations, IntermediateWithAnotherUseStays) {
  Graph g = logistic_graph(1, true);
  ASSERT_TRUE(fuse_elementwise_activations(g).ok());
  EXPECT_EQ(g.ops.size(), 4u);
}

// x [2, 8]: EXP(x) / SUM(EXP(x), [axis], keep_dims); `leak` gives EXP a third use.
Graph softmax_graph(int32_t axis, bool leak) {
  Graph g;
  TensorId x = act(g, "x", {2, 8}), e = act(g, "e", {2, 8});
  TensorId s = act(g, "s", axis == 1 ? Shape{2, 1} : Shape{1, 8}), y = act(g, "y", {2, 8});
  g.add_op(OpCode::EXP, {x}, {e});
  g.add_op(OpCode::SUM, {e, ci(g, "axes", {axis})}, {s}, tflite::ReducerOptionsT{.keep_dims = true});
  g.add_op(OpCode::DIV, {e, s}, {y});
  g.inputs = {x};
  g.outputs = {y};
  if (leak) g.outputs.push_back(e);
  return g;
}

TEST(FuseSoftmax, LastAxis) {
  Graph g = softmax_graph(1, false);
  ASSERT_TRUE(fuse_softmax(g).ok());
  ASSERT_EQ(g.ops.size(), 1u);
  EXPECT_EQ(g.ops[0]->code, OpCode::SOFTMAX);
}

TEST(FuseSoftmax, OtherAxisOrSharedExpStays) {
  Graph g = softmax_graph(0, false);
  ASSERT_TRUE(fuse_softmax(g).ok());
  EXPECT_EQ(g.ops.size(), 3u);
  Graph h = softmax_graph(1, true);
  ASSERT_TRUE(fuse_softmax(h).ok());
  EXPECT_EQ(h.ops.size(), 3u);
}

}  // namespace
}  // namespace tflc
