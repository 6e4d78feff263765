// Full integer quantization on hand-built graphs with hand-set ranges.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "ops/op_util.h"
#include "quant/stages.h"

namespace tflc {
namespace {

TensorId act(Graph& g, const std::string& name, Shape shape, float lo, float hi) {
  Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  t.quant = std::make_shared<QuantParams>();
  t.quant->min = {lo};
  t.quant->max = {hi};
  return g.add_tensor(std::move(t));
}

TensorId cf(Graph& g, const std::string& name, Shape shape, std::vector<float> v) {
  return g.add_const(name, DType::kFloat32, std::move(shape), to_bytes(v));
}

std::vector<OpCode> codes(const Graph& g) {
  std::vector<OpCode> c;
  for (const auto& op : g.ops) c.push_back(op->code);
  return c;
}

const Op* find(const Graph& g, OpCode c) {
  for (const auto& op : g.ops)
    if (op->code == c) return op.get();
  return nullptr;
}

// x[1,4] in [0,1] -> FULLY_CONNECTED (w [3,4], b [3]) -> y in [-2,3] -> SOFTMAX -> z.
struct FcModel {
  Model m;
  TensorId x, y, z;
  FcModel() {
    m.subgraphs.emplace_back();
    Graph& g = m.subgraphs[0];
    x = act(g, "x", {1, 4}, 0, 1);
    y = act(g, "y", {1, 3}, -2, 3);
    z = act(g, "z", {1, 3}, 0, 1);
    TensorId w = cf(g, "w", {3, 4}, {1, 0, 0, 0, 0, -2, 0, 0, 0, 0, 0.5f, 0});
    TensorId b = cf(g, "b", {3}, {0.1f, 0, -0.1f});
    g.add_op(OpCode::FULLY_CONNECTED, {x, w, b}, {y});
    g.add_op(OpCode::SOFTMAX, {y}, {z});
    g.inputs = {x};
    g.outputs = {z};
    SignatureDef s;
    s.inputs = {{"x", x}};
    s.outputs = {{"z", z}};
    m.signatures = {s};
  }
  Graph& g() { return m.subgraphs[0]; }
};

TEST(QuantInteger, FloatIoAddsQuantizeAndDequantize) {
  FcModel f;
  ASSERT_TRUE(quantize_integer(f.m, {}).ok());
  Graph& g = f.g();
  EXPECT_EQ(codes(g), (std::vector<OpCode>{OpCode::QUANTIZE, OpCode::FULLY_CONNECTED, OpCode::SOFTMAX,
                                           OpCode::DEQUANTIZE}));
  // Model I/O stay float and keep their names and signature entries.
  EXPECT_EQ(g.t(g.inputs[0]).dtype, DType::kFloat32);
  EXPECT_EQ(g.t(g.inputs[0]).name, "x");
  EXPECT_FALSE(g.t(g.inputs[0]).quant);  // the recorded range is not written
  EXPECT_EQ(g.t(g.outputs[0]).dtype, DType::kFloat32);
  EXPECT_EQ(g.t(g.outputs[0]).name, "z");
  EXPECT_EQ(f.m.signatures[0].outputs[0].second, g.outputs[0]);

  const Op* fc = find(g, OpCode::FULLY_CONNECTED);
  const Tensor& in = g.t(fc->inputs[0]);
  EXPECT_EQ(in.dtype, DType::kInt8);
  EXPECT_FLOAT_EQ(in.quant->scale[0], 1.0f / 255);
  EXPECT_EQ(in.quant->zero_point[0], -128);
  // FULLY_CONNECTED weights: per-tensor symmetric int8.
  const Tensor& w = g.t(fc->inputs[1]);
  EXPECT_EQ(w.dtype, DType::kInt8);
  ASSERT_EQ(w.quant->scale.size(), 1u);
  EXPECT_FLOAT_EQ(w.quant->scale[0], 2.0f / 127);
  EXPECT_EQ(w.quant->zero_point[0], 0);
  EXPECT_EQ(const_values<int8_t>(w)[5], -127);
  EXPECT_EQ(const_values<int8_t>(w)[0], 64);
  // Bias: int32, scale = input scale * weight scale.
  const Tensor& b = g.t(fc->inputs[2]);
  EXPECT_EQ(b.dtype, DType::kInt32);
  float bs = static_cast<float>((1.0 / 255) * (2.0 / 127));
  EXPECT_NEAR(b.quant->scale[0], bs, 1e-12);
  EXPECT_EQ(const_values<int32_t>(b)[0], static_cast<int32_t>(std::lround(0.1 / bs)));
  const Tensor& y = g.t(fc->outputs[0]);
  EXPECT_EQ(y.dtype, DType::kInt8);
  EXPECT_FLOAT_EQ(y.quant->scale[0], 5.0f / 255);
  EXPECT_EQ(y.quant->zero_point[0], -26);  // -128 + 2 / (5/255)
  // SOFTMAX: fixed 1/256, -128.
  const Tensor& z = g.t(find(g, OpCode::SOFTMAX)->outputs[0]);
  EXPECT_EQ(z.dtype, DType::kInt8);
  EXPECT_FLOAT_EQ(z.quant->scale[0], 1.0f / 256);
  EXPECT_EQ(z.quant->zero_point[0], -128);
}

TEST(QuantInteger, Int8IoQuantizesTheModelEdges) {
  FcModel f;
  IntegerQuantOptions o;
  o.input_type = o.output_type = DType::kInt8;
  o.allow_float = false;
  ASSERT_TRUE(quantize_integer(f.m, o).ok());
  Graph& g = f.g();
  EXPECT_EQ(codes(g), (std::vector<OpCode>{OpCode::FULLY_CONNECTED, OpCode::SOFTMAX}));
  EXPECT_EQ(g.inputs[0], f.x);
  EXPECT_EQ(g.t(f.x).dtype, DType::kInt8);
  EXPECT_EQ(g.t(f.z).dtype, DType::kInt8);
  EXPECT_EQ(g.t(f.z).name, "z");
}

TEST(QuantInteger, Uint8IoRequantizes) {
  FcModel f;
  IntegerQuantOptions o;
  o.input_type = o.output_type = DType::kUInt8;
  ASSERT_TRUE(quantize_integer(f.m, o).ok());
  Graph& g = f.g();
  EXPECT_EQ(codes(g), (std::vector<OpCode>{OpCode::QUANTIZE, OpCode::FULLY_CONNECTED, OpCode::SOFTMAX,
                                           OpCode::QUANTIZE}));
  const Tensor& in = g.t(g.inputs[0]);
  EXPECT_EQ(in.dtype, DType::kUInt8);
  EXPECT_EQ(in.name, "x");
  EXPECT_EQ(in.quant->zero_point[0], 0);  // int8 -128 + 128
  EXPECT_EQ(f.m.signatures[0].inputs[0].second, g.inputs[0]);
  const Tensor& out = g.t(g.outputs[0]);
  EXPECT_EQ(out.dtype, DType::kUInt8);
  EXPECT_EQ(out.quant->zero_point[0], 0);
  EXPECT_FLOAT_EQ(out.quant->scale[0], 1.0f / 256);
}

// x -> EXP (no integer kernel) -> e -> ADD(e, x) -> s
struct FallbackModel {
  Model m;
  FallbackModel() {
    m.subgraphs.emplace_back();
    Graph& g = m.subgraphs[0];
    TensorId x = act(g, "x", {4}, -1, 1);
    TensorId e = act(g, "e", {4}, 0, 3);
    TensorId s = act(g, "s", {4}, -1, 4);
    g.add_op(OpCode::EXP, {x}, {e});
    g.add_op(OpCode::ADD, {e, x}, {s});
    g.inputs = {x};
    g.outputs = {s};
  }
};

TEST(QuantInteger, FloatFallbackAroundOpsWithoutIntegerKernel) {
  FallbackModel f;
  ASSERT_TRUE(quantize_integer(f.m, {}).ok());
  Graph& g = f.m.subgraphs[0];
  const Op* exp = find(g, OpCode::EXP);
  const Op* add = find(g, OpCode::ADD);
  ASSERT_TRUE(exp && add);
  EXPECT_EQ(g.t(exp->inputs[0]).dtype, DType::kFloat32);
  EXPECT_EQ(g.t(exp->outputs[0]).dtype, DType::kFloat32);
  EXPECT_EQ(g.t(add->inputs[0]).dtype, DType::kInt8);
  EXPECT_EQ(g.t(add->inputs[1]).dtype, DType::kInt8);
  EXPECT_EQ(g.t(add->outputs[0]).dtype, DType::kInt8);
  // x feeds EXP as float and ADD through one QUANTIZE; e is quantized once.
  std::vector<OpCode> c = codes(g);
  EXPECT_EQ(std::count(c.begin(), c.end(), OpCode::QUANTIZE), 2);
  EXPECT_EQ(std::count(c.begin(), c.end(), OpCode::DEQUANTIZE), 1);
}

TEST(QuantInteger, IntegerOnlyListsUnsupportedOps) {
  FallbackModel f;
  IntegerQuantOptions o;
  o.allow_float = false;
  Status s = quantize_integer(f.m, o);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("Quantization not yet supported for op: 'EXP'"), std::string::npos) << s.message();
}

TEST(QuantInteger, ConvPerChannelAndDepthwiseAxis3) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x", {1, 2, 2, 1}, -1, 1);
  TensorId c = act(g, "c", {1, 2, 2, 2}, -2, 2);
  TensorId d = act(g, "d", {1, 2, 2, 2}, -4, 4);
  g.add_op(OpCode::CONV_2D, {x, cf(g, "w", {2, 1, 1, 1}, {1, -4}), cf(g, "b", {2}, {1, 2})}, {c});
  g.add_op(OpCode::DEPTHWISE_CONV_2D, {c, cf(g, "dw", {1, 1, 1, 2}, {0.5f, 2}), cf(g, "db", {2}, {0, 0})}, {d});
  g.inputs = {x};
  g.outputs = {d};
  IntegerQuantOptions o;
  o.input_type = o.output_type = DType::kInt8;
  ASSERT_TRUE(quantize_integer(m, o).ok());
  const Tensor& w = g.t(find(g, OpCode::CONV_2D)->inputs[1]);
  ASSERT_EQ(w.quant->scale.size(), 2u);
  EXPECT_EQ(w.quant->axis, 0);
  EXPECT_FLOAT_EQ(w.quant->scale[1], 4.0f / 127);
  const Tensor& b = g.t(find(g, OpCode::CONV_2D)->inputs[2]);
  ASSERT_EQ(b.quant->scale.size(), 2u);
  EXPECT_EQ(b.quant->zero_point, (std::vector<int64_t>{0, 0}));
  const Tensor& dw = g.t(find(g, OpCode::DEPTHWISE_CONV_2D)->inputs[1]);
  ASSERT_EQ(dw.quant->scale.size(), 2u);
  EXPECT_EQ(dw.quant->axis, 3);
  EXPECT_FLOAT_EQ(dw.quant->scale[0], 0.5f / 127);
}

TEST(QuantInteger, SameScaleOpsRequantizeOtherOperands) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId a = act(g, "a", {4}, -1, 1);
  TensorId b = act(g, "b", {4}, -8, 8);
  TensorId o = act(g, "o", {4}, -8, 8);
  g.add_op(OpCode::MAXIMUM, {a, b}, {o});
  g.inputs = {a, b};
  g.outputs = {o};
  ASSERT_TRUE(quantize_integer(m, {}).ok());
  const Op* mx = find(g, OpCode::MAXIMUM);
  const auto& qa = *g.t(mx->inputs[0]).quant;
  EXPECT_EQ(g.t(mx->inputs[1]).quant->scale, qa.scale);
  EXPECT_EQ(g.t(mx->outputs[0]).quant->scale, qa.scale);
  EXPECT_EQ(g.t(mx->outputs[0]).quant->zero_point, qa.zero_point);
}

TEST(QuantInteger, Int16ActivationsUseInt64Bias) {
  FcModel f;
  IntegerQuantOptions o;
  o.int16_activations = true;
  o.input_type = o.output_type = DType::kInt16;
  ASSERT_TRUE(quantize_integer(f.m, o).ok());
  Graph& g = f.g();
  const Op* fc = find(g, OpCode::FULLY_CONNECTED);
  EXPECT_EQ(g.t(fc->inputs[0]).dtype, DType::kInt16);
  EXPECT_EQ(g.t(fc->inputs[0]).quant->zero_point[0], 0);
  EXPECT_FLOAT_EQ(g.t(fc->inputs[0]).quant->scale[0], 1.0f / 32767);
  EXPECT_EQ(g.t(fc->inputs[1]).dtype, DType::kInt8);
  EXPECT_EQ(g.t(fc->inputs[2]).dtype, DType::kInt64);
  const Tensor& z = g.t(find(g, OpCode::SOFTMAX)->outputs[0]);
  EXPECT_FLOAT_EQ(z.quant->scale[0], 1.0f / 32768);
  EXPECT_EQ(z.quant->zero_point[0], 0);
}

TEST(QuantInteger, MissingRangeOnIntegerInputIsAnError) {
  FcModel f;
  f.g().t(f.x).quant.reset();
  IntegerQuantOptions o;
  o.input_type = DType::kInt8;
  EXPECT_FALSE(quantize_integer(f.m, o).ok());
}

}  // namespace
}  // namespace tflc

namespace tflc {
namespace {

// Op versions for quantized tensors, as TFLite's op_version.cc gives them.
struct VersionCase {
  OpCode code;
  int v_int8, v_int16;
};

TensorId qtensor(Graph& g, DType t, Shape shape) {
  Tensor x;
  x.name = "q";
  x.dtype = t;
  x.shape = std::move(shape);
  x.quant = std::make_shared<QuantParams>();
  x.quant->scale = {0.5f};
  x.quant->zero_point = {0};
  return g.add_tensor(std::move(x));
}

TensorId i32(Graph& g, std::vector<int32_t> v, Shape shape) {
  return g.add_const("c", DType::kInt32, std::move(shape), to_bytes(v));
}

int version_of(OpCode code, DType t) {
  Graph g;
  TensorId x = qtensor(g, t, {1, 4, 4, 8});
  TensorId y = qtensor(g, t, {1, 4, 4, 8});
  std::vector<TensorId> in = {x};
  switch (code) {
    case OpCode::TRANSPOSE: in.push_back(i32(g, {0, 2, 1, 3}, {4})); break;
    case OpCode::PAD: in.push_back(i32(g, std::vector<int32_t>(8, 0), {4, 2})); break;
    case OpCode::MEAN: case OpCode::SUM: case OpCode::REDUCE_MAX: in.push_back(i32(g, {1, 2}, {2})); break;
    case OpCode::RESHAPE: in.push_back(i32(g, {1, 4, 4, 8}, {4})); break;
    case OpCode::RESIZE_BILINEAR: case OpCode::RESIZE_NEAREST_NEIGHBOR: in.push_back(i32(g, {4, 4}, {2})); break;
    case OpCode::GATHER: in.push_back(i32(g, {0}, {1})); break;
    case OpCode::SPLIT: in = {i32(g, {3}, {}), x}; break;
    case OpCode::CONCATENATION: case OpCode::ADD: case OpCode::SUB: case OpCode::MUL: case OpCode::MAXIMUM:
    case OpCode::MINIMUM: case OpCode::BATCH_MATMUL: in.push_back(x); break;
    case OpCode::STRIDED_SLICE:
      in.push_back(i32(g, {0, 0, 0, 0}, {4}));
      in.push_back(i32(g, {1, 4, 4, 8}, {4}));
      in.push_back(i32(g, {1, 1, 1, 1}, {4}));
      break;
    case OpCode::CONV_2D: case OpCode::DEPTHWISE_CONV_2D: case OpCode::FULLY_CONNECTED: {
      TensorId w = g.add_const("w", DType::kInt8, code == OpCode::FULLY_CONNECTED ? Shape{8, 128} : Shape{8, 1, 1, 8},
                               std::string(code == OpCode::FULLY_CONNECTED ? 1024 : 64, '\0'));
      g.t(w).quant = std::make_shared<QuantParams>();
      g.t(w).quant->scale.assign(code == OpCode::FULLY_CONNECTED ? 1 : 8, 0.1f);
      g.t(w).quant->zero_point.assign(g.t(w).quant->scale.size(), 0);
      g.t(w).quant->axis = code == OpCode::DEPTHWISE_CONV_2D ? 3 : 0;
      DType bt = t == DType::kInt16 ? DType::kInt64 : DType::kInt32;
      TensorId b = g.add_const("b", bt, {8}, std::string(8 * dtype_size(bt), '\0'));
      in = {x, w, b};
      break;
    }
    default: break;
  }
  Op& op = g.add_op(code, in, {y});
  if (!find_op(code)) return -1;
  return op_version(g, op);
}

TEST(QuantOpVersions, MatchTfLiteForInt8AndInt16) {
  const std::vector<VersionCase> cases = {
      {OpCode::CONV_2D, 3, 1},          {OpCode::DEPTHWISE_CONV_2D, 3, 1}, {OpCode::FULLY_CONNECTED, 4, 1},
      {OpCode::AVERAGE_POOL_2D, 2, 3},  {OpCode::MAX_POOL_2D, 2, 3},       {OpCode::SOFTMAX, 2, 3},
      {OpCode::LOGISTIC, 2, 3},         {OpCode::TANH, 2, 3},              {OpCode::RELU, 2, 3},
      {OpCode::RELU6, 2, 3},            {OpCode::LEAKY_RELU, 1, 2},        {OpCode::TRANSPOSE, 2, 5},
      {OpCode::PAD, 2, 3},              {OpCode::MEAN, 2, 3},              {OpCode::REDUCE_MAX, 2, 3},
      {OpCode::SUM, 2, 1},              {OpCode::CONCATENATION, 2, 3},     {OpCode::RESHAPE, 1, 1},
      {OpCode::RESIZE_BILINEAR, 2, 4},  {OpCode::RESIZE_NEAREST_NEIGHBOR, 2, 4},
      {OpCode::STRIDED_SLICE, 2, 1},    {OpCode::GATHER, 2, 4},            {OpCode::SPLIT, 2, 4},
      {OpCode::ADD, 2, 3},              {OpCode::SUB, 2, 5},               {OpCode::MUL, 2, 4},
      {OpCode::MAXIMUM, 2, 4},          {OpCode::MINIMUM, 2, 4},           {OpCode::BATCH_MATMUL, 2, 3},
      {OpCode::QUANTIZE, 1, 2},         {OpCode::DEQUANTIZE, 2, 3},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(version_of(c.code, DType::kInt8), c.v_int8) << op_name(c.code) << " int8";
    EXPECT_EQ(version_of(c.code, DType::kInt16), c.v_int16) << op_name(c.code) << " int16";
  }
}

}  // namespace
}  // namespace tflc
