// evaluate() (api/evaluate.h) on in-memory GraphDefs: the mapping of each
// node, the suggested flags (checked by converting), the integer check.
#include "api/evaluate.h"

#include <gtest/gtest.h>

#include <string>

namespace tflc {
namespace {

const char kFlexGraph[] = R"(
node { name: "x" op: "Placeholder" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "shape" value { shape { dim { size: 4 } } } } }
node { name: "u" op: "Unique" input: "x" attr { key: "T" value { type: DT_FLOAT } } attr { key: "out_idx" value { type: DT_INT32 } } }
node { name: "r" op: "Relu" input: "x" attr { key: "T" value { type: DT_FLOAT } } }
)";

const OpEvaluation* find(const Evaluation& e, const std::string& op) {
  for (const auto& o : e.ops)
    if (o.op == op) return &o;
  return nullptr;
}

TEST(Evaluate, FlexOpAndTheFlagThatConvertsIt) {
  ConvertOptions o;
  o.graph_def_content = kFlexGraph;
  auto e = evaluate(o);
  ASSERT_TRUE(e.ok()) << e.status().message();
  const OpEvaluation* u = find(*e, "Unique");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->mapping, "flex");
  EXPECT_EQ(u->nodes, std::vector<std::string>{"u"});
  const OpEvaluation* r = find(*e, "Relu");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->mapping, "builtin");
  EXPECT_EQ(r->builtins, std::vector<std::string>{"RELU"});
  EXPECT_FALSE(e->converts);
  EXPECT_EQ(e->suggested_flags, std::vector<std::string>{"--supported_ops=TFLITE_BUILTINS,SELECT_TF_OPS"});
  EXPECT_TRUE(e->converts_with_suggested_flags);
  EXPECT_TRUE(e->integer_checked);
  EXPECT_FALSE(e->integer_quantizable);
  EXPECT_EQ(e->no_integer_kernel, std::vector<std::string>{"FlexUnique"});
  EXPECT_EQ(e->flex, 1);
  EXPECT_EQ(e->builtin, 2);  // x (input) and r
}

TEST(Evaluate, WithSelectTfOpsItConverts) {
  ConvertOptions o;
  o.graph_def_content = kFlexGraph;
  o.quantize.supported_ops = {"TFLITE_BUILTINS", "SELECT_TF_OPS"};
  auto e = evaluate(o);
  ASSERT_TRUE(e.ok()) << e.status().message();
  EXPECT_TRUE(e->converts);
  EXPECT_TRUE(e->suggested_flags.empty());
  EXPECT_TRUE(e->error.empty());
}

TEST(Evaluate, JsonHasTheSameFacts) {
  ConvertOptions o;
  o.graph_def_content = kFlexGraph;
  auto e = evaluate(o);
  ASSERT_TRUE(e.ok());
  std::string j = evaluation_json(*e);
  EXPECT_NE(j.find("\"mapping\": \"flex\""), std::string::npos) << j;
  EXPECT_NE(j.find("\"converts\": false"), std::string::npos) << j;
  EXPECT_NE(j.find("\"converts_with_suggested_flags\": true"), std::string::npos) << j;
}

TEST(Evaluate, UnreadableModelIsAnError) {
  ConvertOptions o;
  o.graph_def_content = "this is not a graph {";
  auto e = evaluate(o);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().kind(), ErrorKind::kInvalidInput);
  ConvertOptions none;
  EXPECT_EQ(evaluate(none).status().kind(), ErrorKind::kUsage);
}

}  // namespace
}  // namespace tflc
