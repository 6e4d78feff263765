// Calibration on the reference kernels: recorded ranges against hand-computed
// min/max, input mapping, and the errors for bad samples and missing kernels.
#include <gtest/gtest.h>

#include "ops/op_util.h"
#include "ops/registry.h"
#include "quant/stages.h"

namespace tflc {
namespace {

TensorId act(Graph& g, const std::string& name, Shape shape) {
  Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  return g.add_tensor(std::move(t));
}

NdArray f32(Shape shape, const std::vector<float>& v) {
  NdArray a;
  a.shape = std::move(shape);
  a.bytes = to_bytes(v);
  return a;
}

Dataset one_array(NdArray a, std::string key = "arr_0") {
  Dataset d;
  d.num_samples = a.shape[0];
  d.keys = {std::move(key)};
  d.arrays = {std::move(a)};
  return d;
}

// y = RELU((x + c) * k), x: [1, 4]
struct Tiny {
  Model m;
  TensorId x, s, p, y, c;
  Tiny() {
    m.subgraphs.emplace_back();
    Graph& g = m.subgraphs[0];
    x = act(g, "x", {1, 4});
    s = act(g, "s", {1, 4});
    p = act(g, "p", {1, 4});
    y = act(g, "y", {1, 4});
    c = g.add_const("c", DType::kFloat32, {1, 4}, to_bytes(std::vector<float>{1, 2, 3, 4}));
    TensorId k = g.add_const("k", DType::kFloat32, {1, 4}, to_bytes(std::vector<float>{-1, 1, -1, 1}));
    g.add_op(OpCode::ADD, {x, c}, {s});
    g.add_op(OpCode::MUL, {s, k}, {p});
    g.add_op(OpCode::RELU, {p}, {y});
    g.inputs = {x};
    g.outputs = {y};
  }
  Graph& g() { return m.subgraphs[0]; }
  void expect_range(TensorId id, float lo, float hi) {
    const Tensor& t = g().t(id);
    ASSERT_TRUE(t.quant) << t.name;
    ASSERT_EQ(t.quant->min.size(), 1u) << t.name;
    EXPECT_TRUE(t.quant->scale.empty()) << t.name;
    EXPECT_FLOAT_EQ(t.quant->min[0], lo) << t.name;
    EXPECT_FLOAT_EQ(t.quant->max[0], hi) << t.name;
  }
};

// Two samples of 4 values (no batch dimension: the input's batch of 1 is added).
// x:   [-1, 2, 3, -4] and [0.5, 0, 1, 2]         -> [-4, 3]
// s:   [0, 4, 6, 0]   and [1.5, 2, 4, 6]         -> [0, 6]
// p:   [0, 4, -6, 0]  and [-1.5, 2, -4, 6]       -> [-6, 6]
// y:   [0, 4, 0, 0]   and [0, 2, 0, 6]           -> [0, 6]
const std::vector<float> kSamples = {-1, 2, 3, -4, 0.5f, 0, 1, 2};

TEST(Calibrate, RecordsHandComputedRanges) {
  Tiny t;
  Status st = calibrate(t.m, one_array(f32({2, 4}, kSamples)), {});
  ASSERT_TRUE(st.ok()) << st.message();
  t.expect_range(t.x, -4, 3);
  t.expect_range(t.s, 0, 6);
  t.expect_range(t.p, -6, 6);
  t.expect_range(t.y, 0, 6);
  EXPECT_FALSE(t.g().t(t.c).quant) << "constants get no recorded range";
  EXPECT_FALSE(t.g().t(t.s).is_const()) << "the model itself is not evaluated in place";
}

TEST(Calibrate, KeepsRangesAlreadyRecorded) {
  Tiny t;
  auto q = std::make_shared<QuantParams>();
  q->min = {-10};
  q->max = {10};
  t.g().t(t.p).quant = q;
  ASSERT_TRUE(calibrate(t.m, one_array(f32({2, 1, 4}, kSamples)), {}).ok());
  t.expect_range(t.p, -10, 10);
  t.expect_range(t.y, 0, 6);
}

TEST(Calibrate, Float64SamplesFeedFloat32Inputs) {
  Tiny t;
  NdArray a;
  a.dtype = DType::kFloat64;
  a.shape = {2, 4};
  std::vector<double> d(kSamples.begin(), kSamples.end());
  a.bytes = to_bytes(d);
  Status st = calibrate(t.m, one_array(a), {});
  ASSERT_TRUE(st.ok()) << st.message();
  t.expect_range(t.x, -4, 3);
  t.expect_range(t.p, -6, 6);
}

TEST(Calibrate, WrongShapeOrDtypeNamesTheInput) {
  Tiny t;
  Status st = calibrate(t.m, one_array(f32({2, 2, 2}, kSamples)), {});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("for input 'x': samples have shape [2,2]"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("the input has shape [1,4]"), std::string::npos) << st.message();

  NdArray i;
  i.dtype = DType::kInt32;
  i.shape = {2, 4};
  i.bytes = std::string(32, '\0');
  st = calibrate(t.m, one_array(i), {});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("for input 'x': the array is int32, the input is float32"), std::string::npos)
      << st.message();
  EXPECT_FALSE(t.g().t(t.y).quant) << "nothing recorded on failure";
}

TEST(Calibrate, DynamicDimsTakeTheSampleShape) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x", {-1, 2}), y = act(g, "y", {-1, 2});
  g.add_op(OpCode::RELU, {x}, {y});
  g.inputs = {x};
  g.outputs = {y};
  // One sample of 3 rows.
  Status st = calibrate(m, one_array(f32({1, 3, 2}, {-1, 5, 2, -7, 0, 3})), {});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_FLOAT_EQ(g.t(y).quant->max[0], 5);
  EXPECT_FLOAT_EQ(g.t(x).quant->min[0], -7);
  EXPECT_EQ(g.t(x).shape, (Shape{-1, 2})) << "the model keeps its dynamic shape";
}

TEST(Calibrate, ArraysMapByNameThenByPosition) {
  auto model = [] {
    Model m;
    m.subgraphs.emplace_back();
    Graph& g = m.subgraphs[0];
    TensorId a = act(g, "a", {1, 1}), b = act(g, "b", {1, 1}), d = act(g, "d", {1, 1});
    g.add_op(OpCode::SUB, {a, b}, {d});
    g.inputs = {a, b};
    g.outputs = {d};
    return m;
  };
  Dataset ds;
  ds.num_samples = 1;
  ds.keys = {"b", "a"};
  ds.arrays = {f32({1, 1}, {10}), f32({1, 1}, {3})};
  Model named = model();
  ASSERT_TRUE(calibrate(named, ds, {}).ok());
  EXPECT_FLOAT_EQ(named.subgraphs[0].t(2).quant->min[0], -7);  // a - b = 3 - 10

  ds.keys = {"arr_0", "arr_1"};
  Model positional = model();
  ASSERT_TRUE(calibrate(positional, ds, {}).ok());
  EXPECT_FLOAT_EQ(positional.subgraphs[0].t(2).quant->min[0], 7);  // 10 - 3

  ds.keys = {"a", "zzz"};
  Model missing = model();
  Status st = calibrate(missing, ds, {});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("no array for model input 'b'"), std::string::npos) << st.message();

  ds.keys = {"arr_0"};
  ds.arrays.resize(1);
  Model few = model();
  st = calibrate(few, ds, {});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("the model has 2 inputs"), std::string::npos) << st.message();
}

TEST(Calibrate, OpWithoutReferenceKernelIsNotSupportedYet) {
  const OpSchema* no_eval = nullptr;
  for (const OpSchema* s : all_ops())
    if (!s->eval) no_eval = s;
  if (!no_eval) GTEST_SKIP() << "every registered op has a reference kernel";
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x", {1, 4}), y = act(g, "y", {1, 4});
  g.add_op(no_eval->code, {x}, {y}, {}, "node_without_kernel");
  g.inputs = {x};
  g.outputs = {y};
  Status st = calibrate(m, one_array(f32({2, 4}, kSamples)), {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.kind(), ErrorKind::kUnsupported);
  EXPECT_NE(st.message().find("not supported yet: calibrating " + op_name(no_eval->code) + " ("), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("node_without_kernel"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace tflc
