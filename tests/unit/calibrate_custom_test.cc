// Calibration with Flex/custom ops: they run only in the runtime, so they
// and the ops computed from their outputs are skipped and get no range;
// everything else gets its real range.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tflc
