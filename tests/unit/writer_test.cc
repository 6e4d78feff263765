#include <gtest/gtest.h>

#include <cstring>

#include "ops/op_util.h"
#include "tflite/writer.h"

namespace tflc {
namespace {

Model relu_model(std::vector<float> bias) {
  Model m;
  m.source_format = "graphdef";
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  Tensor x;
  x.name = "x";
  x.shape = {-1, 3};
  TensorId xi = g.add_tensor(x);
  TensorId b = g.add_const("b", DType::kFloat32, {3}, to_bytes(bias));
  Tensor y;
  y.name = "y";
  y.shape = {-1, 3};
  TensorId yi = g.add_tensor(y);
  g.add_op(OpCode::ADD, {xi, b}, {yi});
  g.inputs = {xi};
  g.outputs = {yi};
  SignatureDef s;
  s.inputs = {{"x", xi}};
  s.outputs = {{"y", yi}};
  m.signatures.push_back(s);
  return m;
}

const tflite::Model* parse(const std::string& bytes) {
  flatbuffers::Verifier v(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  EXPECT_TRUE(tflite::VerifyModelBuffer(v));
  return tflite::GetModel(bytes.data());
}

TEST(Writer, WritesInterfaceShapesAndAlignedBuffers) {
  Model m = relu_model({1, 2, 3});
  auto bytes = write_tflite(m);
  ASSERT_TRUE(bytes.ok());
  const tflite::Model* model = parse(*bytes);
  EXPECT_EQ(model->version(), 3u);
  const auto* sg = model->subgraphs()->Get(0);
  ASSERT_EQ(sg->tensors()->size(), 3u);
  const auto* x = sg->tensors()->Get(sg->inputs()->Get(0));
  EXPECT_EQ(x->name()->str(), "x");
  EXPECT_EQ(x->shape()->Get(0), 1);               // dynamic dims are 1 in shape
  EXPECT_EQ(x->shape_signature()->Get(0), -1);    // and -1 in the signature
  const auto* b = sg->tensors()->Get(sg->operators()->Get(0)->inputs()->Get(1));
  const auto* data = model->buffers()->Get(b->buffer())->data();
  ASSERT_EQ(data->size(), 12u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(data->data()) % 16, 0u);
  ASSERT_EQ(model->signature_defs()->size(), 1u);
  EXPECT_EQ(model->signature_defs()->Get(0)->signature_key()->str(), "serving_default");
  bool has_runtime = false, has_conversion = false;
  for (const auto* md : *model->metadata()) {
    has_runtime = has_runtime || md->name()->str() == "min_runtime_version";
    has_conversion = has_conversion || md->name()->str() == "CONVERSION_METADATA";
  }
  EXPECT_TRUE(has_runtime);
  EXPECT_TRUE(has_conversion);
}

TEST(Writer, IsDeterministic) {
  Model a = relu_model({1, 2, 3}), b = relu_model({1, 2, 3});
  EXPECT_EQ(*write_tflite(a), *write_tflite(b));
}

TEST(Writer, OffsetBuffersPointPastTheFlatBuffer) {
  Model m = relu_model({4, 5, 6});
  WriteOptions o;
  o.force_buffer_offsets = true;
  auto bytes = write_tflite(m, o);
  ASSERT_TRUE(bytes.ok());
  const tflite::Model* model = parse(*bytes);
  const auto* sg = model->subgraphs()->Get(0);
  const auto* b = sg->tensors()->Get(sg->operators()->Get(0)->inputs()->Get(1));
  const auto* buf = model->buffers()->Get(b->buffer());
  EXPECT_EQ(buf->data(), nullptr);
  ASSERT_GT(buf->offset(), 1u);
  ASSERT_EQ(buf->size(), 12u);
  ASSERT_LE(buf->offset() + buf->size(), bytes->size());
  EXPECT_EQ(buf->offset() % 16, 0u);
  float v[3];
  std::memcpy(v, bytes->data() + buf->offset(), 12);
  EXPECT_EQ(v[2], 6.0f);
}

TEST(Writer, UnknownRankHasNoDimsAndNoRank) {
  Model m = relu_model({1, 2, 3});
  Graph& g = m.subgraphs[0];
  g.t(g.inputs[0]).unknown_rank = true;  // as a Flex op or a loop body may leave it
  g.t(g.outputs[0]).unknown_rank = true;
  auto bytes = write_tflite(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  const auto* sg = parse(*bytes)->subgraphs()->Get(0);
  const auto* x = sg->tensors()->Get(sg->inputs()->Get(0));
  EXPECT_EQ(x->shape()->size(), 0u);
  EXPECT_EQ(x->shape_signature(), nullptr);
  EXPECT_FALSE(x->has_rank());
}

TEST(Writer, CustomOpKeepsItsCodeAndBytes) {
  Model m = relu_model({1, 2, 3});
  Op& op = *m.subgraphs[0].ops[0];
  op.code = OpCode::CUSTOM;
  op.options = {};
  op.custom_code = "MyOp";
  op.custom_options = {1, 2, 3};
  auto bytes = write_tflite(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  const tflite::Model* model = parse(*bytes);
  const auto* w = model->subgraphs()->Get(0)->operators()->Get(0);
  EXPECT_EQ(model->operator_codes()->Get(w->opcode_index())->custom_code()->str(), "MyOp");
  ASSERT_NE(w->custom_options(), nullptr);
  EXPECT_EQ(std::vector<uint8_t>(w->custom_options()->begin(), w->custom_options()->end()),
            (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(w->builtin_options_type(), tflite::BuiltinOptions::NONE);
}

TEST(Writer, LargeBuiltinCodesUseThePlaceholder) {
  EXPECT_EQ(operator_code_fields(static_cast<int32_t>(OpCode::ADD)), (std::pair<int8_t, int32_t>{0, 0}));
  EXPECT_EQ(operator_code_fields(127), (std::pair<int8_t, int32_t>{127, 127}));
  EXPECT_EQ(operator_code_fields(static_cast<int32_t>(OpCode::GELU)), (std::pair<int8_t, int32_t>{127, 150}));
}

}  // namespace
}  // namespace tflc
