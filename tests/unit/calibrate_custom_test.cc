// Calibration with Flex/custom ops: they run only in the runtime, so they
// and the ops computed from their outputs are skipped and get no range;
// everything else gets its real range.
#include <gtest/gtest.h>

#include "loop_graphs.h"
#include "ops/op_util.h"
#include "quant/stages.h"

namespace tflc {
namespace {

TensorId act(Graph& g, const std::string& name) {
  Tensor t;
  t.name = name;
  t.shape = {1, 4};
  return g.add_tensor(std::move(t));
}

// y = RELU(x) (builtin); t = FlexTan(x); u = RELU(t) (depends on the Flex op)
TEST(CalibrateCustom, SkipsCustomOpsAndTheirDependents) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x"), y = act(g, "y"), t = act(g, "t"), u = act(g, "u");
  g.add_op(OpCode::RELU, {x}, {y});
  g.add_op(OpCode::CUSTOM, {x}, {t}).custom_code = "FlexTan";
  g.add_op(OpCode::RELU, {t}, {u});
  g.inputs = {x};
  g.outputs = {y, u};
  Dataset d;
  d.num_samples = 2;
  d.keys = {"x"};
  NdArray a;
  a.shape = {2, 1, 4};
  a.bytes = to_bytes(std::vector<float>{-1, 2, 3, -4, 0.5f, 0, 1, 2});
  d.arrays = {a};
  CalibrationReport report;
  CalibrateOptions o;
  o.report = &report;
  Status st = calibrate(m, d, o);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_TRUE(g.t(y).quant);
  EXPECT_FLOAT_EQ(g.t(y).quant->min[0], 0);
  EXPECT_FLOAT_EQ(g.t(y).quant->max[0], 3);
  ASSERT_TRUE(g.t(x).quant);
  EXPECT_FLOAT_EQ(g.t(x).quant->min[0], -4);
  EXPECT_FALSE(g.t(t).quant) << "a Flex op's output gets no range";
  EXPECT_FALSE(g.t(u).quant) << "a value computed from a Flex op's output gets no range";
  EXPECT_EQ(report.runtime_only_ops, std::vector<std::string>{"FlexTan"});
  EXPECT_EQ(report.dependent_count, 1);
  EXPECT_EQ(report.dependent_ops, std::vector<std::string>{"RELU"});
}

// Without the report, and with no custom op, nothing is skipped.
TEST(CalibrateCustom, NoCustomOpsNoReport) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x"), y = act(g, "y");
  g.add_op(OpCode::RELU, {x}, {y});
  g.inputs = {x};
  g.outputs = {y};
  Dataset d;
  d.num_samples = 1;
  d.keys = {"x"};
  NdArray a;
  a.shape = {1, 1, 4};
  a.bytes = to_bytes(std::vector<float>{-1, 2, 3, -4});
  d.arrays = {a};
  CalibrationReport report;
  CalibrateOptions o;
  o.report = &report;
  ASSERT_TRUE(calibrate(m, d, o).ok());
  EXPECT_TRUE(report.runtime_only_ops.empty());
  EXPECT_EQ(report.dependent_count, 0);
  ASSERT_TRUE(g.t(y).quant);
  EXPECT_FLOAT_EQ(g.t(y).quant->max[0], 3);
}

// main(x): (i, a) = WHILE(0, x) with step(i, acc) = (i + 1, Flex(acc)) when
// `flex_feeds_output`, else (i + 1, acc * 2) with an unused Flex(acc) beside;
// y = RELU(a); z = RELU(x).
struct FlexLoop {
  Model m;
  std::shared_ptr<Graph> c = test::count_cond("cond", ""), s = test::body("step");
  TensorId a, y, z, acc, acc2;
  explicit FlexLoop(bool flex_feeds_output) {
    TensorId i = test::value(*s, "i", DType::kInt32, {});
    acc = test::value(*s, "acc");
    TensorId one = s->add_const("one", DType::kInt32, {}, to_bytes(std::vector<int32_t>{1}));
    TensorId two = s->add_const("two", DType::kFloat32, {}, to_bytes(std::vector<float>{2}));
    TensorId i1 = test::value(*s, "i1", DType::kInt32, {}), f = test::value(*s, "f");
    acc2 = test::value(*s, "acc2");
    s->add_op(OpCode::ADD, {i, one}, {i1});
    s->add_op(OpCode::CUSTOM, {acc}, {f}).custom_code = "FlexTan";
    if (flex_feeds_output) s->add_op(OpCode::MUL, {f, two}, {acc2});
    else s->add_op(OpCode::MUL, {acc, two}, {acc2});
    s->inputs = {i, acc};
    s->outputs = {i1, acc2};
    m.subgraphs.emplace_back();
    Graph& g = m.subgraphs[0];
    TensorId x = test::value(g, "x");
    TensorId zero = g.add_const("zero", DType::kInt32, {}, to_bytes(std::vector<int32_t>{0}));
    TensorId wi = test::value(g, "w:0", DType::kInt32, {});
    a = test::value(g, "w:1");
    y = test::value(g, "y");
    z = test::value(g, "z");
    g.add_op(OpCode::WHILE, {zero, x}, {wi, a}, {}, "w").callees = {c, s};
    g.add_op(OpCode::RELU, {a}, {y});
    g.add_op(OpCode::RELU, {x}, {z});
    g.inputs = {x};
    g.outputs = {y, z};
  }
  Status run(CalibrationReport& r) {
    Dataset d;
    d.num_samples = 2;
    d.keys = {"x"};
    NdArray arr;
    arr.shape = {2, 2};
    arr.bytes = to_bytes(std::vector<float>{-1, 2, 0.5f, -3});
    d.arrays = {arr};
    CalibrateOptions o;
    o.report = &r;
    return calibrate(m, d, o);
  }
};

// A loop whose carried value comes from a Flex op cannot run past its first
// step: the loop's outputs, what follows them and the bodies get no range
// (ranges of the first iteration only would be wrong).
TEST(CalibrateCustom, LoopCarryingAFlexValueLosesItsRanges) {
  FlexLoop l(true);
  CalibrationReport r;
  Status st = l.run(r);
  ASSERT_TRUE(st.ok()) << st.message();
  const Graph& g = l.m.subgraphs[0];
  EXPECT_FALSE(g.t(l.a).quant);
  EXPECT_FALSE(g.t(l.y).quant);
  ASSERT_TRUE(g.t(l.z).quant);
  EXPECT_FLOAT_EQ(g.t(l.z).quant->max[0], 2);
  EXPECT_FALSE(l.s->t(l.acc).quant) << "the body stopped midway: no range from part of its iterations";
  EXPECT_EQ(r.runtime_only_ops, std::vector<std::string>{"FlexTan"});
  EXPECT_EQ(r.dependent_ops, (std::vector<std::string>{"MUL", "RELU", "WHILE"}));
}

// A Flex op inside a body whose outputs do not depend on it: the loop runs,
// every other body value gets its range over all iterations.
TEST(CalibrateCustom, FlexOpBesideALoopCarryKeepsTheLoopsRanges) {
  FlexLoop l(false);
  CalibrationReport r;
  Status st = l.run(r);
  ASSERT_TRUE(st.ok()) << st.message();
  const Graph& g = l.m.subgraphs[0];
  ASSERT_TRUE(g.t(l.a).quant);
  EXPECT_FLOAT_EQ(g.t(l.a).quant->min[0], -24);  // x * 8 over 3 iterations
  EXPECT_FLOAT_EQ(g.t(l.a).quant->max[0], 16);
  ASSERT_TRUE(l.s->t(l.acc2).quant);
  EXPECT_FLOAT_EQ(l.s->t(l.acc2).quant->min[0], -24);
  EXPECT_EQ(r.runtime_only_ops, std::vector<std::string>{"FlexTan"});
  EXPECT_EQ(r.dependent_count, 0);
}

}  // namespace
}  // namespace tflc
