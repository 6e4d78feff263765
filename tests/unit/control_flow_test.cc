// IF and WHILE with bodies as called subgraphs, built by hand: shape
// inference and folding through the bodies, the writer's subgraph indices,
// and the verifier's checks. With TFLC_CF_MODEL_OUT set, the written model
// is kept for tests/e2e/control_flow_ir.mjs, which runs it in LiteRT.js.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "ir/dump.h"
#include "ops/op_util.h"
#include "loop_graphs.h"
#include "passes/passes.h"
#include "tflite/writer.h"

namespace tflc {
namespace {

using test::body;
using test::value;

std::shared_ptr<Graph> while_cond() { return test::count_cond("while_cond", "cond/"); }
std::shared_ptr<Graph> while_body() { return test::double_step("while_body", "body/"); }
std::shared_ptr<Graph> branch(const std::string& name, OpCode code) { return test::one_branch(name, code, name + "/", "acc"); }

// main(x): (i, acc) = while i < 3: (i + 1, acc * 2) from (0, x);
//          y = if sum(acc) > 0: acc + 1 else acc - 1;  returns (y, i)
// With `constant_x`, x is a constant [1, 2] and the model has no inputs.
Model if_while_model(bool constant_x) {
  Model m;
  m.source_format = "graphdef";
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = constant_x ? g.add_const("x", DType::kFloat32, {2}, to_bytes(std::vector<float>{1, 2})) : value(g, "x");
  TensorId zero = g.add_const("zero", DType::kInt32, {}, to_bytes(std::vector<int32_t>{0}));
  TensorId i = value(g, "while:0", DType::kInt32, {}), acc = value(g, "while:1");
  Op& w = g.add_op(OpCode::WHILE, {zero, x}, {i, acc}, {}, "while");
  w.callees = {while_cond(), while_body()};
  TensorId axis = g.add_const("axis", DType::kInt32, {1}, to_bytes(std::vector<int32_t>{0}));
  TensorId sum = value(g, "sum", DType::kFloat32, {});
  g.add_op(OpCode::SUM, {acc, axis}, {sum});
  TensorId fzero = g.add_const("fzero", DType::kFloat32, {}, to_bytes(std::vector<float>{0}));
  TensorId pos = value(g, "positive", DType::kBool, {});
  g.add_op(OpCode::GREATER, {sum, fzero}, {pos});
  TensorId y = value(g, "y");
  Op& f = g.add_op(OpCode::IF, {pos, acc}, {y}, {}, "if");
  f.callees = {branch("then", OpCode::ADD), branch("else", OpCode::SUB)};
  if (!constant_x) g.inputs = {x};
  g.outputs = {y, i};
  SignatureDef s;
  if (!constant_x) s.inputs = {{"x", x}};
  s.outputs = {{"y", y}, {"i", i}};
  m.signatures.push_back(s);
  return m;
}

template <class T>
std::vector<T> values_of(const Graph& g, TensorId id) {
  EXPECT_TRUE(g.t(id).is_const()) << g.t(id).name << " was not folded";
  return g.t(id).is_const() ? const_values<T>(g.t(id)) : std::vector<T>{};
}

TEST(ControlFlow, InfersShapesThroughBodies) {
  Model m = if_while_model(false);
  Status st = run_pipeline(m, {});
  ASSERT_TRUE(st.ok()) << st.message();
  const Graph& g = m.subgraphs[0];
  EXPECT_EQ(g.t(g.outputs[0]).shape, (Shape{2}));
  EXPECT_EQ(g.t(g.outputs[0]).dtype, DType::kFloat32);
  EXPECT_EQ(g.t(g.outputs[1]).dtype, DType::kInt32);
  std::string dump = dump_model(m);
  EXPECT_NE(dump.find("calls=while_cond,while_body"), std::string::npos) << dump;
  EXPECT_NE(dump.find("calls=then,else"), std::string::npos) << dump;
}

TEST(ControlFlow, FoldsIfAndWhileWithConstantInputs) {
  Model m = if_while_model(true);
  Status st = run_pipeline(m, {});
  ASSERT_TRUE(st.ok()) << st.message();
  const Graph& g = m.subgraphs[0];
  EXPECT_EQ(values_of<float>(g, g.outputs[0]), (std::vector<float>{9, 17}));  // [1,2] * 8 + 1
  EXPECT_EQ(values_of<int32_t>(g, g.outputs[1]), (std::vector<int32_t>{3}));
  // Both control-flow ops folded away, so no body is left to write.
  auto all = m.all_subgraphs();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 1u);
}

TEST(ControlFlow, WriterNamesBodiesBySubgraphIndex) {
  Model m = if_while_model(false);
  ASSERT_TRUE(run_pipeline(m, {}).ok());
  auto bytes = write_tflite(m, {});
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  flatbuffers::Verifier v(reinterpret_cast<const uint8_t*>(bytes->data()), bytes->size());
  ASSERT_TRUE(tflite::VerifyModelBuffer(v));
  const tflite::Model* model = tflite::GetModel(bytes->data());
  ASSERT_EQ(model->subgraphs()->size(), 5u);
  std::vector<std::string> names;
  for (const auto* sg : *model->subgraphs()) names.push_back(sg->name()->str());
  EXPECT_EQ(names, (std::vector<std::string>{"main", "while_cond", "while_body", "then", "else"}));
  const auto* main = model->subgraphs()->Get(0);
  int seen = 0;
  for (const auto* op : *main->operators()) {
    auto code = model->operator_codes()->Get(op->opcode_index())->builtin_code();
    if (code == tflite::BuiltinOperator::WHILE) {
      EXPECT_EQ(op->builtin_options_as_WhileOptions()->cond_subgraph_index(), 1);
      EXPECT_EQ(op->builtin_options_as_WhileOptions()->body_subgraph_index(), 2);
      ++seen;
    }
    if (code == tflite::BuiltinOperator::IF) {
      EXPECT_EQ(op->builtin_options_as_IfOptions()->then_subgraph_index(), 3);
      EXPECT_EQ(op->builtin_options_as_IfOptions()->else_subgraph_index(), 4);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
  ASSERT_EQ(model->signature_defs()->size(), 1u);
  EXPECT_EQ(model->signature_defs()->Get(0)->subgraph_index(), 0u);
  if (const char* out = std::getenv("TFLC_CF_MODEL_OUT")) {
    std::ofstream f(out, std::ios::binary);
    f.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    ASSERT_TRUE(f.good()) << "cannot write " << out;
  }
}

TEST(ControlFlow, SharedBodyIsWrittenOnce) {
  Model m = if_while_model(false);
  Graph& g = m.subgraphs[0];
  for (auto& op : g.ops)
    if (op->code == OpCode::IF) op->callees[1] = op->callees[0];  // then == else
  ASSERT_TRUE(run_pipeline(m, {}).ok());
  auto all = m.all_subgraphs();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 4u);
}

TEST(ControlFlow, VerifierRejectsBodyWithWrongOutputs) {
  Model m = if_while_model(false);
  for (auto& op : m.subgraphs[0].ops)
    if (op->code == OpCode::WHILE) op->callees[1]->outputs.pop_back();
  Status st = run_pipeline(m, {});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("WHILE body 'while_body' must take and return the 2 loop values"), std::string::npos)
      << st.message();
}

TEST(ControlFlow, VerifierRejectsRecursion) {
  Model m = if_while_model(false);
  std::shared_ptr<Graph> then;
  for (auto& op : m.subgraphs[0].ops)
    if (op->code == OpCode::IF) {
      then = op->callees[0];
      Graph& t = *then;
      TensorId c = t.add_const("c", DType::kBool, {}, std::string(1, '\1'));
      TensorId r = value(t, "rec");
      Op& self = t.add_op(OpCode::IF, {c, t.inputs[0]}, {r});
      self.callees = {then, op->callees[1]};
    }
  Status st = verify_model(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'then' calls itself"), std::string::npos) << st.message();
  for (auto& op : then->ops) op->callees.clear();  // break the cycle so the test frees it
}

}  // namespace
}  // namespace tflc
