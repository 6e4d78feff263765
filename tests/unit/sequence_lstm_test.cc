// UNIDIRECTIONAL_SEQUENCE_LSTM: the float reference kernel against
// hand-computed values, shape inference, version, and the Keras LSTM
// lowering to it (weights split per gate in TFLite's order), evaluated op by
// op against a naive Keras LSTM loop.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "frontends/keras/layer_registry.h"
#include "ops/op_util.h"

namespace tflc {
namespace {

using Vec = std::vector<float>;

TensorId cf(Graph& g, Shape shape, Vec v) {
  return g.add_const("f" + std::to_string(g.tensors.size()), DType::kFloat32, std::move(shape), to_bytes(v));
}
TensorId state(Graph& g, Shape shape) {
  Tensor t;
  t.name = "state" + std::to_string(g.tensors.size());
  t.shape = std::move(shape);
  t.is_variable = true;
  return g.add_tensor(std::move(t));
}

// B=1, T=2, I=1, U=1. Gate weights (i, f, c, o): input 0.5 -0.5 1 0.25,
// recurrent 0.1 0.2 -0.3 0.4, bias 0 1 0 -0.5; x = [1, -2].
// Step 1 (h=c=0): i=σ(.5) f=σ(.5) g=tanh(1) o=σ(-.25); c=i·g=0.474061389,
//   h=o·tanh(c)=0.193288127.
// Step 2: z = w·x + r·h + b, c = f·c + i·g = 0.155443869, h = 0.043857303.
Op& tiny_lstm(Graph& g, TensorId x) {
  std::vector<TensorId> in(24, kNoTensor);
  in[0] = x;
  const float wx[4] = {0.5f, -0.5f, 1.f, 0.25f}, wr[4] = {0.1f, 0.2f, -0.3f, 0.4f}, b[4] = {0.f, 1.f, 0.f, -0.5f};
  for (int k = 0; k < 4; ++k) {
    in[1 + k] = cf(g, {1, 1}, {wx[k]});
    in[5 + k] = cf(g, {1, 1}, {wr[k]});
    in[12 + k] = cf(g, {1}, {b[k]});
  }
  in[18] = state(g, {1, 1});
  in[19] = state(g, {1, 1});
  Tensor y;
  y.name = "y";
  TensorId out = g.add_tensor(std::move(y));
  tflite::UnidirectionalSequenceLSTMOptionsT a;
  a.fused_activation_function = Activation::TANH;
  return g.add_op(OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM, in, {out}, a);
}

TEST(SequenceLstm, EvalMatchesHandComputedValues) {
  Graph g;
  TensorId x = cf(g, {1, 2, 1}, {1.f, -2.f});
  Op& op = tiny_lstm(g, x);
  const OpSchema* s = find_op(OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM);
  ASSERT_NE(s, nullptr);
  ASSERT_TRUE(s->infer(g, op).ok());
  EXPECT_EQ(g.t(op.outputs[0]).shape, (Shape{1, 2, 1}));
  // The state inputs are variables: the op never folds at conversion time.
  EXPECT_FALSE(all_inputs_const(g, op));
  Status st = s->eval(g, op);
  ASSERT_TRUE(st.ok()) << st.message();
  const Tensor& y = g.t(op.outputs[0]);
  ASSERT_TRUE(y.is_const());
  EXPECT_NEAR(y.as<float>()[0], 0.193288127f, 1e-6f);
  EXPECT_NEAR(y.as<float>()[1], 0.043857303f, 1e-6f);
  EXPECT_EQ(s->version(g, op), 1);
}

TEST(SequenceLstm, InferUnknownLengthAndRefusals) {
  Graph g;
  Tensor t;
  t.name = "x";
  t.shape = {-1, -1, 1};
  TensorId x = g.add_tensor(std::move(t));
  Op& op = tiny_lstm(g, x);
  const OpSchema* s = find_op(OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM);
  ASSERT_TRUE(s->infer(g, op).ok());
  EXPECT_EQ(g.t(op.outputs[0]).shape, (Shape{-1, -1, 1}));
  EXPECT_FALSE(s->eval(g, op).ok());  // dynamic shape: no evaluation
  op.inputs[4] = kNoTensor;           // a required gate weight
  EXPECT_FALSE(s->infer(g, op).ok());
  op.inputs.pop_back();
  EXPECT_FALSE(s->infer(g, op).ok());
}

float sigm(float v) { return 1.f / (1.f + std::exp(-v)); }

// Keras LSTM(return_sequences=False, go_backwards) on a run-time input
// lowers to REVERSE_V2 + UNIDIRECTIONAL_SEQUENCE_LSTM + STRIDED_SLICE;
// running the reference kernels op by op matches a naive Keras loop.
TEST(SequenceLstm, KerasLoweringMatchesKerasFormula) {
  const int B = 2, T = 3, I = 2, U = 3;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> d(-0.7f, 0.7f);
  auto rnd = [&](size_t n) {
    Vec v(n);
    for (auto& e : v) e = d(rng);
    return v;
  };
  Vec k = rnd(I * 4 * U), r = rnd(U * 4 * U), b = rnd(4 * U), x = rnd(B * T * I);
  auto arr = [](std::vector<int64_t> shape, const Vec& v) {
    KerasArray a;
    a.name = "w";
    a.dtype = DType::kFloat32;
    a.shape = std::move(shape);
    a.bytes = to_bytes(v);
    return a;
  };
  Graph g;
  Tensor xt;
  xt.name = "x";
  xt.shape = {B, T, I};
  TensorId xin = g.add_tensor(std::move(xt));
  g.inputs.push_back(xin);
  nlohmann::json cfg = {{"units", U}, {"activation", "tanh"}, {"recurrent_activation", "sigmoid"},
                        {"go_backwards", true}, {"return_sequences", false}};
  KerasLowerFn fn = find_keras_layer("LSTM");
  ASSERT_NE(fn, nullptr);
  const std::vector<KerasArray> w = {arr({I, 4 * U}, k), arr({U, 4 * U}, r), arr({4 * U}, b)};
  KerasLayerContext ctx(g, "lstm", "LSTM", cfg, w, {xin}, 1 << 20);
  auto outs = fn(ctx);
  ASSERT_TRUE(outs.ok()) << outs.status().message();
  std::vector<OpCode> codes;
  for (const auto& op : g.ops) codes.push_back(op->code);
  ASSERT_EQ(codes, (std::vector<OpCode>{OpCode::REVERSE_V2, OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM,
                                        OpCode::STRIDED_SLICE}));
  EXPECT_EQ(g.t((*outs)[0]).shape, (Shape{B, U}));
  // Feed x, then run every op's reference kernel in order.
  g.t(xin).data = make_buffer(to_bytes(x));
  for (const auto& op : g.ops) {
    Status st = find_op(op->code)->eval(g, *op);
    ASSERT_TRUE(st.ok()) << op_name(op->code) << ": " << st.message();
  }
  const Tensor& y = g.t((*outs)[0]);
  ASSERT_TRUE(y.is_const());
  for (int bi = 0; bi < B; ++bi) {
    Vec h(U, 0.f), c(U, 0.f);
    for (int t = T - 1; t >= 0; --t) {
      Vec z(4 * U);
      for (int j = 0; j < 4 * U; ++j) {
        float s = b[j];
        for (int i = 0; i < I; ++i) s += x[(bi * T + t) * I + i] * k[i * 4 * U + j];
        for (int u = 0; u < U; ++u) s += h[u] * r[u * 4 * U + j];
        z[j] = s;
      }
      for (int u = 0; u < U; ++u) {
        c[u] = sigm(z[U + u]) * c[u] + sigm(z[u]) * std::tanh(z[2 * U + u]);
        h[u] = sigm(z[3 * U + u]) * std::tanh(c[u]);
      }
    }
    for (int u = 0; u < U; ++u) EXPECT_NEAR(y.as<float>()[bi * U + u], h[u], 1e-5f) << bi << "," << u;
  }
}

}  // namespace
}  // namespace tflc
