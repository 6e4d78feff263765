// Weight-only quantization (float16, dynamic range) on tiny graphs against
// hand-computed values, and float16 rounding of support/half.h.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "ops/registry.h"
#include "quant/stages.h"
#include "support/half.h"

namespace tflc {
namespace {

TensorId act(Graph& g, const std::string& name, std::vector<int64_t> shape) {
  Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  return g.add_tensor(std::move(t));
}

TensorId const_f32(Graph& g, const std::string& name, std::vector<int64_t> shape, const std::vector<float>& v) {
  std::string bytes(v.size() * 4, '\0');
  std::memcpy(bytes.data(), v.data(), bytes.size());
  return g.add_const(name, DType::kFloat32, std::move(shape), std::move(bytes));
}

int version_of(const Graph& g, const Op& op) { return op_version(g, op); }

const Op* find(const Graph& g, OpCode code, int nth = 0) {
  for (const auto& op : g.ops)
    if (!op->dead && op->code == code && nth-- == 0) return op.get();
  return nullptr;
}

int count(const Graph& g, OpCode code) {
  int n = 0;
  for (const auto& op : g.ops) n += !op->dead && op->code == code;
  return n;
}

// --- float16 rounding ---

uint16_t h(float f) { return float_to_half(f); }

TEST(QuantWeightsHalf, RoundsTiesToEven) {
  EXPECT_EQ(h(1.0f), 0x3c00);
  EXPECT_EQ(h(1.0f + std::ldexp(1.0f, -11)), 0x3c00);      // halfway 0x3c00/0x3c01 -> even
  EXPECT_EQ(h(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);  // halfway 0x3c01/0x3c02 -> even
  EXPECT_EQ(h(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)), 0x3c01);  // just above halfway
  EXPECT_EQ(h(-2.0f), 0xc000);
  EXPECT_EQ(h(-0.0f), 0x8000);
  // 2047.5 / 2048 rounds up across the exponent boundary to 1.0 * 2^0.
  EXPECT_EQ(h(1.0f - std::ldexp(1.0f, -12)), 0x3c00);
}

TEST(QuantWeightsHalf, Subnormals) {
  EXPECT_EQ(h(std::ldexp(1.0f, -24)), 0x0001);          // smallest subnormal
  EXPECT_EQ(h(std::ldexp(1.0f, -25)), 0x0000);          // halfway 0/1 -> even
  EXPECT_EQ(h(3 * std::ldexp(1.0f, -25)), 0x0002);      // halfway 1/2 -> even
  EXPECT_EQ(h(1023 * std::ldexp(1.0f, -24)), 0x03ff);   // largest subnormal
  EXPECT_EQ(h(1023.5f * std::ldexp(1.0f, -24)), 0x0400);  // rounds into the smallest normal
  EXPECT_EQ(h(std::ldexp(1.0f, -14)), 0x0400);
  EXPECT_EQ(h(std::ldexp(1.0f, -30)), 0x0000);          // underflow to zero
  EXPECT_FLOAT_EQ(half_to_float(0x0001), std::ldexp(1.0f, -24));
}

TEST(QuantWeightsHalf, OverflowAndSpecials) {
  EXPECT_EQ(h(65504.0f), 0x7bff);  // largest half
  EXPECT_EQ(h(65519.0f), 0x7bff);  // below the halfway point to 65536
  EXPECT_EQ(h(65520.0f), 0x7c00);  // halfway rounds to even: infinity
  EXPECT_EQ(h(1e10f), 0x7c00);
  EXPECT_EQ(h(-1e10f), 0xfc00);
  EXPECT_EQ(h(std::numeric_limits<float>::infinity()), 0x7c00);
  uint16_t nan = h(std::numeric_limits<float>::quiet_NaN());
  EXPECT_EQ(nan & 0x7c00, 0x7c00);
  EXPECT_NE(nan & 0x03ff, 0);
}

// --- float16 weights ---

TEST(QuantWeightsFloat16, OneDequantizePerConstant) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x", {1, 4});
  TensorId c = const_f32(g, "c", {4}, {1.0f, -2.5f, 0.1f, 65504.0f});
  TensorId shape = g.add_const("shape", DType::kInt32, {2}, std::string(8, '\0'));
  TensorId a = act(g, "a", {1, 4}), b = act(g, "b", {1, 4}), r = act(g, "r", {4, 1});
  g.add_op(OpCode::ADD, {x, c}, {a});
  g.add_op(OpCode::MUL, {a, c}, {b});
  g.add_op(OpCode::RESHAPE, {b, shape}, {r});
  g.inputs = {x};
  g.outputs = {r};
  ASSERT_TRUE(quantize_weights_float16(m).ok());

  ASSERT_EQ(count(g, OpCode::DEQUANTIZE), 1);
  const Op* dq = find(g, OpCode::DEQUANTIZE);
  EXPECT_EQ(g.ops.front().get(), dq);  // before its first reader
  const Tensor& stored = g.t(dq->inputs[0]);
  EXPECT_EQ(stored.dtype, DType::kFloat16);
  ASSERT_EQ(stored.data->size(), 8u);
  const uint16_t* hv = stored.as<uint16_t>();
  EXPECT_EQ(hv[0], 0x3c00);
  EXPECT_EQ(hv[1], 0xc100);
  EXPECT_EQ(hv[2], 0x2e66);  // 0.1 -> 0.0999755859375
  EXPECT_EQ(hv[3], 0x7bff);
  // Both readers share the dequantized float32 tensor; it is no constant.
  EXPECT_EQ(find(g, OpCode::ADD)->inputs[1], dq->outputs[0]);
  EXPECT_EQ(find(g, OpCode::MUL)->inputs[1], dq->outputs[0]);
  EXPECT_FALSE(g.t(dq->outputs[0]).is_const());
  EXPECT_EQ(g.t(dq->outputs[0]).dtype, DType::kFloat32);
  EXPECT_EQ(version_of(g, *dq), 3);  // float16 input
  // Non-float constants are left alone.
  EXPECT_EQ(g.t(shape).dtype, DType::kInt32);
  EXPECT_TRUE(g.t(shape).is_const());
  (void)c;
}

// --- dynamic range ---

TEST(QuantWeightsDynamicRange, ConvPerChannelAxis0) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  // 4 output channels x 16x4x4: channel c holds (c+1) * {-1, -2/3, .., 1}.
  const int64_t per = 16 * 4 * 4;
  std::vector<float> w(4 * per);
  for (int64_t i = 0; i < 4 * per; ++i) w[i] = static_cast<float>((i / per + 1) * ((i % 7) - 3) / 3.0);
  TensorId x = act(g, "x", {1, 8, 8, 4});
  TensorId f = const_f32(g, "filter", {4, 16, 4, 4}, w);
  TensorId bias = const_f32(g, "bias", {4}, {0.1f, 0.2f, 0.3f, 0.4f});
  TensorId y = act(g, "y", {1, 8, 8, 4});
  g.add_op(OpCode::CONV_2D, {x, f, bias}, {y});
  g.inputs = {x};
  g.outputs = {y};
  ASSERT_TRUE(quantize_weights_dynamic_range(m).ok());

  const Op* conv = find(g, OpCode::CONV_2D);
  const Tensor& q = g.t(conv->inputs[1]);
  ASSERT_EQ(q.dtype, DType::kInt8);
  ASSERT_TRUE(q.quant);
  ASSERT_EQ(q.quant->scale.size(), 4u);
  EXPECT_EQ(q.quant->axis, 0);
  for (int c = 0; c < 4; ++c) {
    EXPECT_NEAR(q.quant->scale[c], (c + 1) / 127.0, 1e-7);
    EXPECT_EQ(q.quant->zero_point[c], 0);
  }
  const int8_t* v = q.as<int8_t>();
  // i % 7 = 0..6 -> -1, -2/3, -1/3, 0, 1/3, 2/3, 1 of the channel max.
  const int8_t expect[7] = {-127, -85, -42, 0, 42, 85, 127};
  for (int64_t i : {0L, 1L, 2L, 3L, 4L, 5L, 6L, per + 3, 3 * per + 5}) EXPECT_EQ(v[i], expect[i % 7]) << i;
  EXPECT_EQ(g.t(conv->inputs[2]).dtype, DType::kFloat32);  // bias stays float
  EXPECT_EQ(count(g, OpCode::DEQUANTIZE), 0);
  EXPECT_EQ(version_of(g, *conv), 5);  // hybrid per-channel
}

TEST(QuantWeightsDynamicRange, FullyConnectedPerTensorAndSmallWeights) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  std::vector<float> w(32 * 64);
  const float pattern[4] = {-0.5f, -0.1f, 0.3f, 0.5f};
  for (size_t i = 0; i < w.size(); ++i) w[i] = pattern[i % 4];
  TensorId x = act(g, "x", {1, 64});
  TensorId wt = const_f32(g, "w", {32, 64}, w);
  TensorId b = const_f32(g, "b", {32}, std::vector<float>(32, 0.5f));
  TensorId y = act(g, "y", {1, 32});
  g.add_op(OpCode::FULLY_CONNECTED, {x, wt, b}, {y});
  // 32x16 = 512 < 1024 elements: stays float.
  TensorId small = const_f32(g, "small", {16, 32}, std::vector<float>(16 * 32, 0.25f));
  TensorId z = act(g, "z", {1, 16});
  g.add_op(OpCode::FULLY_CONNECTED, {y, small, kNoTensor}, {z});
  // The big weight also feeds an ADD: that reader keeps the float constant.
  TensorId x2 = act(g, "x2", {32, 64}), s = act(g, "s", {32, 64});
  g.add_op(OpCode::ADD, {x2, wt}, {s});
  g.inputs = {x, x2};
  g.outputs = {z, s};
  ASSERT_TRUE(quantize_weights_dynamic_range(m).ok());

  const Op* fc = find(g, OpCode::FULLY_CONNECTED, 0);
  const Tensor& q = g.t(fc->inputs[1]);
  ASSERT_EQ(q.dtype, DType::kInt8);
  ASSERT_EQ(q.quant->scale.size(), 1u);  // per-tensor, as TF's dynamic range FC
  EXPECT_NEAR(q.quant->scale[0], 0.5 / 127, 1e-9);
  const int8_t* v = q.as<int8_t>();
  EXPECT_EQ(v[0], -127);
  EXPECT_EQ(v[1], -25);  // -0.1 * 254 = -25.4
  EXPECT_EQ(v[2], 76);   // 0.3 * 254 = 76.2
  EXPECT_EQ(v[3], 127);
  EXPECT_EQ(version_of(g, *fc), 9);  // hybrid with asymmetric inputs

  const Op* fc2 = find(g, OpCode::FULLY_CONNECTED, 1);
  EXPECT_EQ(fc2->inputs[1], small);
  EXPECT_EQ(g.t(small).dtype, DType::kFloat32);

  const Op* add = find(g, OpCode::ADD);
  EXPECT_EQ(add->inputs[1], wt);
  EXPECT_TRUE(g.t(wt).is_const());
  EXPECT_EQ(g.t(wt).dtype, DType::kFloat32);
  EXPECT_EQ(count(g, OpCode::DEQUANTIZE), 0);
}

TEST(QuantWeightsDynamicRange, BatchMatmulHybridAndDepthwiseAxis3) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x", {2, 4, 64});
  TensorId w = const_f32(g, "w", {64, 32}, std::vector<float>(64 * 32, 1.5f));
  TensorId y = act(g, "y", {2, 4, 32});
  g.add_op(OpCode::BATCH_MATMUL, {x, w}, {y});
  TensorId xi = act(g, "xi", {1, 8, 8, 128});
  std::vector<float> dw(3 * 3 * 128);
  for (size_t i = 0; i < dw.size(); ++i) dw[i] = static_cast<float>(i % 128 + 1);  // channel c: c+1
  TensorId f = const_f32(g, "dw", {1, 3, 3, 128}, dw);
  TensorId d = act(g, "d", {1, 8, 8, 128});
  g.add_op(OpCode::DEPTHWISE_CONV_2D, {xi, f, kNoTensor}, {d});
  g.inputs = {x, xi};
  g.outputs = {y, d};
  ASSERT_TRUE(quantize_weights_dynamic_range(m).ok());

  const Op* bmm = find(g, OpCode::BATCH_MATMUL);
  const Tensor& q = g.t(bmm->inputs[1]);
  ASSERT_EQ(q.dtype, DType::kInt8);
  ASSERT_EQ(q.quant->scale.size(), 1u);
  EXPECT_NEAR(q.quant->scale[0], 1.5 / 127, 1e-9);
  EXPECT_EQ(q.as<int8_t>()[17], 127);
  EXPECT_EQ(version_of(g, *bmm), 4);

  const Op* dwc = find(g, OpCode::DEPTHWISE_CONV_2D);
  const Tensor& qd = g.t(dwc->inputs[1]);
  ASSERT_EQ(qd.dtype, DType::kInt8);
  ASSERT_EQ(qd.quant->scale.size(), 128u);
  EXPECT_EQ(qd.quant->axis, 3);
  EXPECT_NEAR(qd.quant->scale[9], 10 / 127.0, 1e-7);
  EXPECT_EQ(qd.as<int8_t>()[9], 127);
  EXPECT_EQ(version_of(g, *dwc), 6);  // hybrid per-channel
}

TEST(QuantWeightsDynamicRange, TransposeConvGetsDequantize) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId out_shape = g.add_const("os", DType::kInt32, {4}, std::string(16, '\0'));
  TensorId w = const_f32(g, "w", {16, 3, 3, 8}, std::vector<float>(16 * 9 * 8, -2.0f));
  TensorId x = act(g, "x", {1, 4, 4, 8});
  TensorId y = act(g, "y", {1, 8, 8, 16});
  g.add_op(OpCode::TRANSPOSE_CONV, {out_shape, w, x, kNoTensor}, {y});
  g.inputs = {x};
  g.outputs = {y};
  ASSERT_TRUE(quantize_weights_dynamic_range(m).ok());
  const Op* tc = find(g, OpCode::TRANSPOSE_CONV);
  const Op* dq = find(g, OpCode::DEQUANTIZE);
  if (!find_op(OpCode::TRANSPOSE_CONV) || quant_weight_input(*find_op(OpCode::TRANSPOSE_CONV)) != 1)
    GTEST_SKIP() << "TRANSPOSE_CONV's record quantizes no weight input";
  ASSERT_NE(dq, nullptr);
  EXPECT_EQ(tc->inputs[1], dq->outputs[0]);
  const Tensor& q = g.t(dq->inputs[0]);
  EXPECT_EQ(q.dtype, DType::kInt8);
  EXPECT_EQ(q.quant->scale.size(), 16u);
  EXPECT_EQ(q.as<int8_t>()[0], -127);
  EXPECT_EQ(version_of(g, *dq), 5);  // int8 per-channel
}

// Constants that share bytes (the writer stores them once) keep sharing them;
// in float16 they share one DEQUANTIZE.
TEST(QuantWeightsDynamicRange, SharedBuffersStayShared) {
  for (bool half : {false, true}) {
    Model m;
    m.subgraphs.emplace_back();
    Graph& g = m.subgraphs[0];
    TensorId x = act(g, "x", {1, 64});
    TensorId w1 = const_f32(g, "w1", {32, 64}, std::vector<float>(32 * 64, 0.75f));
    TensorId w2 = g.add_tensor(Tensor(g.t(w1)));  // same Buffer, another tensor
    g.t(w2).name = "w2";
    TensorId y1 = act(g, "y1", {1, 32}), y2 = act(g, "y2", {1, 32});
    g.add_op(OpCode::FULLY_CONNECTED, {x, w1, kNoTensor}, {y1});
    g.add_op(OpCode::FULLY_CONNECTED, {x, w2, kNoTensor}, {y2});
    g.outputs = {y1, y2};
    ASSERT_TRUE((half ? quantize_weights_float16(m) : quantize_weights_dynamic_range(m)).ok());
    const Op* a = find(g, OpCode::FULLY_CONNECTED, 0);
    const Op* b = find(g, OpCode::FULLY_CONNECTED, 1);
    if (half) {  // one float16 constant behind one DEQUANTIZE, read by both
      ASSERT_EQ(count(g, OpCode::DEQUANTIZE), 1);
      const Op* dq = find(g, OpCode::DEQUANTIZE);
      EXPECT_EQ(g.t(dq->inputs[0]).dtype, DType::kFloat16);
      EXPECT_EQ(a->inputs[1], dq->outputs[0]);
      EXPECT_EQ(b->inputs[1], dq->outputs[0]);
      continue;
    }
    TensorId qa = a->inputs[1], qb = b->inputs[1];
    EXPECT_NE(qa, qb);
    EXPECT_EQ(g.t(qa).dtype, DType::kInt8);
    EXPECT_EQ(g.t(qa).data.get(), g.t(qb).data.get());
  }
}

TEST(QuantWeightsDynamicRange, RejectsTruncatedWeights) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x", {1, 64});
  TensorId w = g.add_const("w", DType::kFloat32, {32, 64}, std::string(100, '\0'));
  TensorId y = act(g, "y", {1, 32});
  g.add_op(OpCode::FULLY_CONNECTED, {x, w, kNoTensor}, {y});
  g.outputs = {y};
  EXPECT_FALSE(quantize_weights_dynamic_range(m).ok());
  EXPECT_FALSE(quantize_weights_float16(m).ok());
}


// --- UNIDIRECTIONAL_SEQUENCE_LSTM and GATHER (extra_weight_inputs) ---

namespace lstm_case {
// A Keras-like LSTM (no peepholes/projection) with I inputs and U units.
Op* build(Graph& g, int64_t I, int64_t U) {
  TensorId x = act(g, "x", {1, 3, I});
  std::vector<TensorId> in(24, kNoTensor);
  in[0] = x;
  for (int k = 0; k < 4; ++k) {
    std::vector<float> wx(U * I), wr(U * U);
    for (size_t i = 0; i < wx.size(); ++i) wx[i] = 0.01f * static_cast<float>((i * 7 + k) % 21) - 0.1f;
    for (size_t i = 0; i < wr.size(); ++i) wr[i] = 0.02f * static_cast<float>((i * 5 + k) % 11) - 0.1f;
    in[1 + k] = const_f32(g, "wx" + std::to_string(k), {U, I}, wx);
    in[5 + k] = const_f32(g, "wr" + std::to_string(k), {U, U}, wr);
    in[12 + k] = const_f32(g, "b" + std::to_string(k), {U}, std::vector<float>(U, 0.1f));
  }
  for (int s : {18, 19}) {
    Tensor st;
    st.name = "state" + std::to_string(s);
    st.shape = {1, U};
    st.is_variable = true;
    in[s] = g.add_tensor(std::move(st));
  }
  TensorId y = act(g, "y", {1, 3, U});
  g.add_op(OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM, in, {y});
  g.inputs = {x};
  g.outputs = {y};
  return g.ops.back().get();
}
}  // namespace lstm_case

TEST(QuantWeightsDynamicRange, SequenceLstmAllWeightsInt8Hybrid) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  lstm_case::build(g, 40, 32);  // 32x40 = 1280 and 32x32 = 1024 elements: all quantized
  const Op* before = find(g, OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM);
  ASSERT_TRUE(before);
  EXPECT_EQ(version_of(g, *before), 1);
  ASSERT_TRUE(quantize_weights_dynamic_range(m).ok());
  const Op* op = find(g, OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM);
  ASSERT_TRUE(op);
  for (int i = 1; i <= 8; ++i) {
    const Tensor& w = g.t(op->inputs[i]);
    EXPECT_EQ(w.dtype, DType::kInt8) << i;
    ASSERT_TRUE(w.quant) << i;
    EXPECT_EQ(w.quant->scale.size(), 1u) << i;  // per-tensor, as TF's LSTM
    EXPECT_EQ(w.quant->zero_point[0], 0) << i;
  }
  // wr0 holds 0.02 * {0..10} - 0.1: max |v| = 0.1 -> scale 0.1/127.
  EXPECT_NEAR(g.t(op->inputs[5]).quant->scale[0], 0.1 / 127, 1e-8);
  for (int i = 12; i <= 15; ++i) EXPECT_EQ(g.t(op->inputs[i]).dtype, DType::kFloat32) << i;  // biases stay float
  EXPECT_EQ(count(g, OpCode::DEQUANTIZE), 0);
  EXPECT_EQ(version_of(g, *op), 3);  // hybrid with asymmetric_quantize_inputs
}

TEST(QuantWeightsDynamicRange, SequenceLstmSmallWeightKeepsFloatKernel) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  lstm_case::build(g, 8, 32);  // input weights 32x8 = 256 < 1024: no hybrid kernel
  ASSERT_TRUE(quantize_weights_dynamic_range(m).ok());
  const Op* op = find(g, OpCode::UNIDIRECTIONAL_SEQUENCE_LSTM);
  ASSERT_TRUE(op);
  for (int i = 1; i <= 8; ++i) EXPECT_EQ(g.t(op->inputs[i]).dtype, DType::kFloat32) << i;
  // The four 32x32 recurrent weights are stored int8 behind a DEQUANTIZE each.
  EXPECT_EQ(count(g, OpCode::DEQUANTIZE), 4);
  for (int i = 5; i <= 8; ++i) EXPECT_FALSE(g.t(op->inputs[i]).is_const()) << i;
  EXPECT_EQ(version_of(g, *op), 1);
}

TEST(QuantWeightsDynamicRange, GatherParamsWeightOnly) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  std::vector<float> table(64 * 32);
  for (size_t i = 0; i < table.size(); ++i) table[i] = static_cast<float>(i % 9) - 4.0f;
  TensorId params = const_f32(g, "embeddings", {64, 32}, table);
  Tensor ids;
  ids.name = "ids";
  ids.dtype = DType::kInt32;
  ids.shape = {1, 5};
  TensorId idx = g.add_tensor(std::move(ids));
  TensorId y = act(g, "y", {1, 5, 32});
  g.add_op(OpCode::GATHER, {params, idx}, {y});
  g.inputs = {idx};
  g.outputs = {y};
  ASSERT_TRUE(quantize_weights_dynamic_range(m).ok());
  ASSERT_EQ(count(g, OpCode::DEQUANTIZE), 1);
  const Op* dq = find(g, OpCode::DEQUANTIZE);
  const Op* gather = find(g, OpCode::GATHER);
  ASSERT_TRUE(dq && gather);
  EXPECT_EQ(gather->inputs[0], dq->outputs[0]);
  const Tensor& q = g.t(dq->inputs[0]);
  EXPECT_EQ(q.dtype, DType::kInt8);
  ASSERT_TRUE(q.quant);
  ASSERT_EQ(q.quant->scale.size(), 1u);
  EXPECT_NEAR(q.quant->scale[0], 4.0 / 127, 1e-7);
  EXPECT_EQ(q.as<int8_t>()[0], -127);
}

}  // namespace
}  // namespace tflc
