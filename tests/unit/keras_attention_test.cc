// Keras layers of attention/locally_connected/tf_op_layer/conv_recurrent.cc:
// inferred shapes on dynamic-batch inputs, folded values on constant inputs,
// and the forms we refuse (numerics are checked in LiteRT.js by
// tests/keras/check_layers.mjs).
#include <gtest/gtest.h>

#include <cstring>

#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using json = nlohmann::json;

KerasArray arr(const std::string& name, Shape shape, float fill = 0.1f) {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  std::vector<float> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = fill * static_cast<float>((i % 7) + 1) - 0.3f;
  return KerasArray{name, DType::kFloat32, std::move(shape), to_bytes(v)};
}

struct Call {
  std::vector<Shape> shapes;             // graph inputs (dynamic batch -1 allowed); {} = input 0 again
  std::vector<std::string> names;        // kwarg per input ("" positional)
  json kwargs = json::object();
  std::vector<float> const_values;       // when set: input 0 is this constant
};

struct Result {
  Status status = ok_status();
  Shape shape;
  std::vector<float> values;
};

Result run(const std::string& cls, const json& config, const std::vector<KerasArray>& weights, const Call& c) {
  Graph g;
  std::vector<TensorId> ins;
  for (size_t i = 0; i < c.shapes.size(); ++i) {
    if (i == 0 && !c.const_values.empty()) {
      ins.push_back(g.add_const("x", DType::kFloat32, c.shapes[0], to_bytes(c.const_values)));
      continue;
    }
    if (i > 0 && c.shapes[i].empty()) {
      ins.push_back(ins[0]);
      continue;
    }
    Tensor t;
    t.name = "in" + std::to_string(i);
    t.shape = c.shapes[i];
    ins.push_back(g.add_tensor(t));
    g.inputs.push_back(ins.back());
  }
  Result r;
  KerasLowerFn fn = find_keras_layer(cls);
  if (!fn) {
    r.status = invalid_input("no layer " + cls);
    return r;
  }
  KerasLayerContext ctx(g, "layer", cls, config, weights, ins, kDefaultFoldBudget);
  ctx.set_keras_version("2.13.1");
  ctx.set_call_args(c.names, c.kwargs);
  auto outs = fn(ctx);
  if (!outs.ok()) {
    r.status = outs.status();
    return r;
  }
  const Tensor& y = g.t((*outs)[0]);
  r.shape = y.shape;
  if (y.is_const()) {
    r.values.resize(static_cast<size_t>(y.num_elements()));
    std::memcpy(r.values.data(), y.data->data(), r.values.size() * 4);
  }
  return r;
}

std::vector<KerasArray> mha_weights(int64_t d, int64_t heads, int64_t k, int64_t out) {
  return {arr("mha/query/kernel:0", {d, heads, k}), arr("mha/query/bias:0", {heads, k}),
          arr("mha/key/kernel:0", {d, heads, k}),   arr("mha/key/bias:0", {heads, k}),
          arr("mha/value/kernel:0", {d, heads, k}), arr("mha/value/bias:0", {heads, k}),
          arr("mha/attention_output/kernel:0", {heads, k, out}), arr("mha/attention_output/bias:0", {out})};
}

TEST(KerasAttention, MultiHeadAttentionShapesAndRefusals) {
  json cfg = {{"num_heads", 2}, {"key_dim", 3}, {"attention_axes", nullptr}};
  Call c{{{-1, 4, 6}, {-1, 5, 6}}, {"", "value"}};
  Result r = run("MultiHeadAttention", cfg, mha_weights(6, 2, 3, 6), c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 4, 6}));
  // Without its value the call is malformed.
  Call only_q{{{-1, 4, 6}}, {""}};
  EXPECT_EQ(run("MultiHeadAttention", cfg, mha_weights(6, 2, 3, 6), only_q).status.kind(), ErrorKind::kInvalidInput);
  cfg["attention_axes"] = json::array({2});
  r = run("MultiHeadAttention", cfg, mha_weights(6, 2, 3, 6), c);
  EXPECT_EQ(r.status.kind(), ErrorKind::kUnsupported);
  // A kernel that does not fit the input is bad input, not a crash.
  cfg["attention_axes"] = nullptr;
  EXPECT_EQ(run("MultiHeadAttention", cfg, mha_weights(5, 2, 3, 6), c).status.kind(), ErrorKind::kInvalidInput);
}

TEST(KerasAttention, AttentionFoldsToValueOnBatchOne) {
  // Rank 2, batch 1: one score, softmax 1, so the output is the value.
  Call c{{{1, 3}, {}}, {"", ""}};
  c.const_values = {1.0f, 2.0f, 3.0f};
  Result r = run("Attention", json{{"use_scale", false}}, {}, c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{1, 3}));
  EXPECT_EQ(r.values, (std::vector<float>{1.0f, 2.0f, 3.0f}));
  Call masked{{{-1, 2, 3}, {-1, 4, 3}, {-1, 2}}, {"", "", "mask"}};
  EXPECT_EQ(run("Attention", json::object(), {}, masked).status.kind(), ErrorKind::kUnsupported);
}

TEST(KerasAttention, TensorFlowOpLayer) {
  json node = {{"name", "Reshape"}, {"op", "Reshape"}, {"input", {"x", "Reshape/shape"}},
               {"attr", {{"T", {{"type", "DT_FLOAT"}}}, {"Tshape", {{"type", "DT_INT32"}}}}}};
  Call c{{{1, 2, 3}}, {""}};
  c.const_values = {1, 2, 3, 4, 5, 6};
  Result r = run("TensorFlowOpLayer", json{{"node_def", node}, {"constants", {{"1", {-1, 6}}}}}, {}, c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{1, 6}));
  EXPECT_EQ(r.values, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  node["op"] = "NoSuchOp";
  r = run("TensorFlowOpLayer", json{{"node_def", node}, {"constants", {{"1", {-1, 6}}}}}, {}, c);
  EXPECT_EQ(r.status.kind(), ErrorKind::kUnsupported);
  EXPECT_NE(r.status.message().find("NoSuchOp"), std::string::npos);
  // A constant of a ragged form is refused, not misread.
  node["op"] = "Reshape";
  r = run("TensorFlowOpLayer", json{{"node_def", node}, {"constants", {{"1", {{1, 2}, {3}}}}}}, {}, c);
  EXPECT_FALSE(r.status.ok());
}

TEST(KerasAttention, LocallyConnected) {
  json cfg = {{"filters", 4}, {"kernel_size", {3, 3}}, {"strides", {1, 1}}, {"padding", "valid"},
              {"data_format", "channels_first"}, {"activation", "tanh"}, {"implementation", 1}};
  Call c{{{-1, 3, 10, 10}}, {""}};
  Result r = run("LocallyConnected2D", cfg, {arr("k", {64, 27, 4}), arr("b", {8, 8, 4})}, c);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 4, 8, 8}));
  EXPECT_EQ(run("LocallyConnected2D", cfg, {arr("k", {64, 26, 4}), arr("b", {8, 8, 4})}, c).status.kind(),
            ErrorKind::kInvalidInput);
  cfg["padding"] = "same";
  EXPECT_EQ(run("LocallyConnected2D", cfg, {arr("k", {64, 27, 4}), arr("b", {8, 8, 4})}, c).status.kind(),
            ErrorKind::kUnsupported);
}

TEST(KerasAttention, ConvLstm2DShapes) {
  json cfg = {{"filters", 3}, {"kernel_size", {3, 3}}, {"padding", "same"}, {"return_sequences", true},
              {"data_format", "channels_last"}};
  std::vector<KerasArray> w = {arr("k", {3, 3, 2, 12}), arr("r", {3, 3, 3, 12}), arr("b", {12})};
  Result r = run("ConvLSTM2D", cfg, w, Call{{{-1, 3, 5, 4, 2}}, {""}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 3, 5, 4, 3}));
  cfg["return_sequences"] = false;
  cfg["padding"] = "valid";
  r = run("ConvLSTM2D", cfg, w, Call{{{-1, 3, 5, 4, 2}}, {""}});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 3, 2, 3}));
  EXPECT_EQ(run("ConvLSTM2D", cfg, w, Call{{{-1, -1, 5, 4, 2}}, {""}}).status.kind(), ErrorKind::kUnsupported);
}

}  // namespace
}  // namespace tflc
