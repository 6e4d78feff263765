// Quantization through IF/WHILE bodies, on a model built by hand:
// calibration records ranges inside the bodies (every iteration, only the
// taken branch, every call site of a shared body), full-integer mode
// quantizes the bodies' ops behind QUANTIZE/DEQUANTIZE at their float
// boundaries, and integer-only mode names the control-flow op it cannot make
// integer.
#include <gtest/gtest.h>

#include <memory>

#include "ops/op_util.h"
#include "loop_graphs.h"
#include "quant/stages.h"

namespace tflc {
namespace {

using test::value;

std::shared_ptr<Graph> cond() { return test::count_cond("cond", ""); }
std::shared_ptr<Graph> step() { return test::double_step("step", ""); }
std::shared_ptr<Graph> branch(const std::string& name, OpCode code) { return test::one_branch(name, code, "", "v"); }

// main(x, p): a = loop(x); b = p ? a + 1 : a - 1; y = loop(b), where both
// loops run 3 times (acc * 2) and share their cond and body subgraphs.
struct LoopModel {
  Model m;
  std::shared_ptr<Graph> c = cond(), s = step(), then_b = branch("then", OpCode::ADD),
                         else_b = branch("else", OpCode::SUB);
  LoopModel() {
    m.subgraphs.emplace_back();
    Graph& g = m.subgraphs[0];
    TensorId x = value(g, "x"), p = value(g, "p", DType::kBool, {});
    TensorId zero = g.add_const("zero", DType::kInt32, {}, to_bytes(std::vector<int32_t>{0}));
    TensorId i1 = value(g, "w1:0", DType::kInt32, {}), a = value(g, "w1:1");
    g.add_op(OpCode::WHILE, {zero, x}, {i1, a}, {}, "w1").callees = {c, s};
    TensorId b = value(g, "b");
    g.add_op(OpCode::IF, {p, a}, {b}, {}, "if").callees = {then_b, else_b};
    TensorId i2 = value(g, "w2:0", DType::kInt32, {}), y = value(g, "y");
    g.add_op(OpCode::WHILE, {zero, b}, {i2, y}, {}, "w2").callees = {c, s};
    g.inputs = {x, p};
    g.outputs = {y};
    SignatureDef sig;
    sig.inputs = {{"x", x}, {"p", p}};
    sig.outputs = {{"y", y}};
    m.signatures.push_back(sig);
  }
};

// Samples: x = [1, -2] with p = true, x = [0.5, 3] with p = false.
Dataset samples() {
  Dataset d;
  d.num_samples = 2;
  d.keys = {"x", "p"};
  NdArray x;
  x.shape = {2, 2};
  x.bytes = to_bytes(std::vector<float>{1, -2, 0.5f, 3});
  NdArray p;
  p.dtype = DType::kBool;
  p.shape = {2};
  p.bytes = std::string("\1\0", 2);
  d.arrays = {x, p};
  return d;
}

void expect_range(const Graph& g, const std::string& name, float lo, float hi) {
  for (const Tensor& t : g.tensors) {
    if (t.name != name) continue;
    ASSERT_TRUE(t.quant && t.quant->min.size() == 1) << g.name << "/" << name << " has no recorded range";
    EXPECT_FLOAT_EQ(t.quant->min[0], lo) << g.name << "/" << name;
    EXPECT_FLOAT_EQ(t.quant->max[0], hi) << g.name << "/" << name;
    return;
  }
  ADD_FAILURE() << "no tensor " << g.name << "/" << name;
}

TEST(QuantControlFlow, CalibrationRecordsRangesInsideBodies) {
  LoopModel lm;
  Status st = calibrate(lm.m, samples(), {});
  ASSERT_TRUE(st.ok()) << st.message();
  // Loop 1 carries x, 2x, 4x into the body: [1,-2],[2,-4],[4,-8] and
  // [.5,3],[1,6],[2,12]; loop 2 carries b = 8x +- 1: [9,-15] (then) and
  // [3,23] (else), doubled twice: down to -60, up to 92. Both loops share
  // the body, so its range covers both.
  expect_range(*lm.s, "acc", -60, 92);
  expect_range(*lm.s, "acc2", -120, 184);  // 2x..8x and 2b..8b
  // The condition also sees the final values (8x, 8b).
  expect_range(*lm.c, "acc", -120, 184);
  // Each branch records only the samples that took it.
  expect_range(*lm.then_b, "v", -16, 8);
  expect_range(*lm.then_b, "r", -15, 9);
  expect_range(*lm.else_b, "v", 4, 24);
  expect_range(*lm.else_b, "r", 3, 23);
  expect_range(lm.m.subgraphs[0], "y", -120, 184);
}

int count_ops(const Graph& g, OpCode code) {
  int n = 0;
  for (const auto& op : g.ops) n += !op->dead && op->code == code;
  return n;
}

TEST(QuantControlFlow, FullIntegerQuantizesBodiesBehindFloatBoundaries) {
  LoopModel lm;
  ASSERT_TRUE(calibrate(lm.m, samples(), {}).ok());
  IntegerQuantOptions o;
  Status st = quantize_integer(lm.m, o);
  ASSERT_TRUE(st.ok()) << st.message();
  for (const Graph* g : {lm.s.get(), lm.then_b.get(), lm.else_b.get()}) {
    // The interface the IF/WHILE passes through stays float32 ...
    for (TensorId id : g->inputs) {
      if (g->t(id).name == "acc" || g->t(id).name == "v") {
        EXPECT_EQ(g->t(id).dtype, DType::kFloat32) << g->name;
      }
    }
    for (TensorId id : g->outputs) {
      if (g->t(id).name != "i1") {
        EXPECT_EQ(g->t(id).dtype, DType::kFloat32) << g->name;
      }
    }
    // ... and the op inside runs on int8 between a QUANTIZE and a DEQUANTIZE.
    EXPECT_EQ(count_ops(*g, OpCode::QUANTIZE), 1) << g->name;
    EXPECT_EQ(count_ops(*g, OpCode::DEQUANTIZE), 1) << g->name;
    for (const auto& op : g->ops) {
      if (op->code == OpCode::MUL || op->code == OpCode::SUB || (op->code == OpCode::ADD && g != lm.s.get())) {
        EXPECT_EQ(g->t(op->outputs[0]).dtype, DType::kInt8) << g->name << " " << op_name(op->code);
      }
    }
  }
  // The condition has no float op; the loops and the IF keep float operands.
  EXPECT_EQ(count_ops(*lm.c, OpCode::QUANTIZE), 0);
  for (const auto& op : lm.m.subgraphs[0].ops)
    for (TensorId id : op->inputs) EXPECT_NE(lm.m.subgraphs[0].t(id).dtype, DType::kInt8) << op_name(op->code);
}

TEST(QuantControlFlow, IntegerOnlyNamesTheControlFlowOps) {
  LoopModel lm;
  ASSERT_TRUE(calibrate(lm.m, samples(), {}).ok());
  IntegerQuantOptions o;
  o.allow_float = false;
  Status st = quantize_integer(lm.m, o);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.kind(), ErrorKind::kUnsupported);
  EXPECT_NE(st.message().find("Quantization not yet supported for op: 'IF', 'WHILE'"), std::string::npos)
      << st.message();
  EXPECT_EQ(count_ops(*lm.s, OpCode::QUANTIZE), 0) << "nothing is rewritten when integer-only fails";
}

}  // namespace
}  // namespace tflc
