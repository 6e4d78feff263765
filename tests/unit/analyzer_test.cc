#include "tflite/analyzer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "tflite_schema_generated.h"

namespace tflc {
namespace {

// Knobs the tests turn to build good and broken variants of one tiny model:
// out = x + bias, bias a constant [1, 2], one signature, min_runtime_version.
struct TinyModel {
  std::vector<int32_t> op_inputs = {0, 1};
  uint32_t opcode_index = 0;
  uint32_t bias_buffer = 1;
  uint32_t signature_output = 2;
  uint64_t bias_file_offset = 0;  // > 1: bias stored past the flatbuffer
};

std::string serialize(const TinyModel& spec) {
  flatbuffers::FlatBufferBuilder fbb;
  using tflite::BuiltinOperator;
  std::vector<flatbuffers::Offset<tflite::OperatorCode>> codes = {
      tflite::CreateOperatorCodeDirect(fbb, 0, nullptr, 2, BuiltinOperator::ADD),
      // Old-style file: only the deprecated byte says CUSTOM.
      tflite::CreateOperatorCodeDirect(fbb, 32, "MyCustomOp", 1, BuiltinOperator::ADD),
      // Codes above 127 live only in builtin_code; the byte holds the placeholder.
      tflite::CreateOperatorCodeDirect(fbb, 127, nullptr, 1, BuiltinOperator::CUMSUM),
  };

  float bias[2] = {1.0f, 2.0f};
  std::vector<uint8_t> bias_bytes(sizeof(bias));
  std::memcpy(bias_bytes.data(), bias, sizeof(bias));
  std::vector<uint8_t> version_bytes(16, 0);
  std::memcpy(version_bytes.data(), "1.5.0", 5);
  std::vector<flatbuffers::Offset<tflite::Buffer>> buffers = {
      tflite::CreateBufferDirect(fbb),
      spec.bias_file_offset > 1 ? tflite::CreateBufferDirect(fbb, nullptr, spec.bias_file_offset, sizeof(bias))
                                : tflite::CreateBufferDirect(fbb, &bias_bytes),
      tflite::CreateBufferDirect(fbb, &version_bytes),
  };

  std::vector<int32_t> shape_x = {1, 2}, sig_x = {-1, 2}, shape_bias = {2};
  std::vector<flatbuffers::Offset<tflite::Tensor>> tensors = {
      tflite::CreateTensorDirect(fbb, &shape_x, tflite::TensorType::FLOAT32, 0, "x", 0, false, 0, &sig_x),
      tflite::CreateTensorDirect(fbb, &shape_bias, tflite::TensorType::FLOAT32, spec.bias_buffer, "bias"),
      tflite::CreateTensorDirect(fbb, &shape_x, tflite::TensorType::FLOAT32, 0, "out"),
  };
  std::vector<int32_t> op_outputs = {2}, sg_inputs = {0}, sg_outputs = {2};
  std::vector<flatbuffers::Offset<tflite::Operator>> ops = {
      tflite::CreateOperatorDirect(fbb, spec.opcode_index, &spec.op_inputs, &op_outputs)};
  std::vector<flatbuffers::Offset<tflite::SubGraph>> subgraphs = {
      tflite::CreateSubGraphDirect(fbb, &tensors, &sg_inputs, &sg_outputs, &ops, "main")};

  std::vector<flatbuffers::Offset<tflite::TensorMap>> sig_in = {tflite::CreateTensorMapDirect(fbb, "input_x", 0)};
  std::vector<flatbuffers::Offset<tflite::TensorMap>> sig_out = {
      tflite::CreateTensorMapDirect(fbb, "output_0", spec.signature_output)};
  std::vector<flatbuffers::Offset<tflite::SignatureDef>> sigs = {
      tflite::CreateSignatureDefDirect(fbb, &sig_in, &sig_out, "serving_default", 0)};
  std::vector<flatbuffers::Offset<tflite::Metadata>> metadata = {
      tflite::CreateMetadataDirect(fbb, "min_runtime_version", 2)};

  auto model = tflite::CreateModelDirect(fbb, 3, &codes, &subgraphs, "tiny test model", &buffers, nullptr,
                                         &metadata, &sigs);
  fbb.Finish(model, tflite::ModelIdentifier());
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

AnalyzeOptions named(const std::string& name) {
  AnalyzeOptions o;
  o.name = name;
  return o;
}

void expect_has(const std::string& text, const std::string& line) {
  EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\n--- in:\n" << text;
}

TEST(Analyzer, TinyModelReport) {
  std::string bytes = serialize(TinyModel{});
  auto r = analyze_tflite(bytes, named("tiny.tflite"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const std::string& s = *r;
  expect_has(s, "=== tiny.tflite ===\n");
  expect_has(s, "Schema version: 3\n");
  expect_has(s, "Description: 'tiny test model'\n");
  expect_has(s, "Minimum runtime version: '1.5.0'\n");
  expect_has(s, "Metadata (1): 'min_runtime_version'\n");
  expect_has(s, "Your TFLite model has '1' subgraph(s).");
  expect_has(s, "the ADD op takes\ntensor #0 and tensor #1 as input and produces tensor #2 as output.");
  expect_has(s, "Subgraph#0 main(T#0) -> [T#2]\n");
  expect_has(s, "  Op#0 ADD(T#0, T#1) -> [T#2]\n");
  expect_has(s, "  T#0(x) shape:[1, 2], shape_signature:[-1, 2], type:FLOAT32\n");
  expect_has(s, "  T#1(bias) shape:[2], type:FLOAT32 RO 8 bytes, buffer: 1, data:[1, 2]\n");
  expect_has(s, "Your TFLite model has '1' signature_def(s).\n");
  expect_has(s, "Signature#0 key: 'serving_default'\n");
  expect_has(s, "    'input_x' : T#0\n");
  expect_has(s, "    'output_0' : T#2\n");
  expect_has(s, "  OpCode#0 ADD v2\n");
  expect_has(s, "  OpCode#1 MyCustomOp (CUSTOM) v1\n");
  expect_has(s, "  OpCode#2 CUMSUM v1\n");
  expect_has(s, "  ADD: 1\n");
  expect_has(s, "Model size: " + std::string(10 - std::to_string(bytes.size()).size(), ' ') +
                    std::to_string(bytes.size()) + " bytes\n");
  expect_has(s, "Total data buffer size:         24 bytes");
}

TEST(Analyzer, NoBuffersHidesDataButKeepsSizes) {
  std::string bytes = serialize(TinyModel{});
  AnalyzeOptions o = named("tiny.tflite");
  o.show_buffers = false;
  auto r = analyze_tflite(bytes, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  expect_has(*r, "  T#1(bias) shape:[2], type:FLOAT32 RO 8 bytes\n");
  EXPECT_EQ(r->find("data:["), std::string::npos);
  EXPECT_EQ(r->find("Buffer#"), std::string::npos);
}

TEST(Analyzer, BufferStoredPastTheFlatbuffer) {
  // >2GB layout: the buffer holds offset/size relative to the file start.
  TinyModel spec;
  spec.bias_file_offset = 2;  // placeholder, so the probe below has the final layout
  spec.bias_file_offset = serialize(spec).size() + 64;  // slack in case the encoding grows
  std::string bytes = serialize(spec);
  ASSERT_LE(bytes.size(), spec.bias_file_offset);
  bytes.resize(spec.bias_file_offset, '\0');
  float bias[2] = {3.0f, 4.0f};
  bytes.append(reinterpret_cast<const char*>(bias), sizeof(bias));

  auto r = analyze_tflite(bytes, named("big.tflite"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  expect_has(*r, "type:FLOAT32 RO 8 bytes, buffer: 1, data:[3, 4]\n");
  expect_has(*r, "Buffer#1: 8 bytes at file offset " + std::to_string(spec.bias_file_offset));

  bytes.resize(bytes.size() - 1);  // buffer now ends past the file
  auto bad = analyze_tflite(bytes, named("big.tflite"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(bad.status().message().find("past the end"), std::string::npos) << bad.status().message();
}

TEST(Analyzer, RejectsNonModel) {
  auto r = analyze_tflite("not a model", named("x.tflite"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(r.status().message().find("'x.tflite' is not a valid .tflite file"), std::string::npos)
      << r.status().message();
}

TEST(Analyzer, RejectsTruncatedModel) {
  std::string bytes = serialize(TinyModel{});
  for (size_t n : {size_t{0}, size_t{4}, size_t{8}, bytes.size() / 2, bytes.size() - 1}) {
    auto r = analyze_tflite(std::string_view(bytes).substr(0, n), named("t.tflite"));
    ASSERT_FALSE(r.ok()) << "accepted a model truncated to " << n << " bytes";
    EXPECT_EQ(r.status().kind(), ErrorKind::kInvalidInput);
    EXPECT_NE(r.status().message().find("is not a valid .tflite file"), std::string::npos)
        << r.status().message();
  }
}

TEST(Analyzer, RejectsOutOfRangeIndices) {
  {
    TinyModel m;
    m.op_inputs = {0, 7};
    auto r = analyze_tflite(serialize(m), named("m"));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("refers to tensor 7"), std::string::npos) << r.status().message();
  }
  {
    TinyModel m;
    m.bias_buffer = 99;
    auto r = analyze_tflite(serialize(m), named("m"));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("refers to buffer 99"), std::string::npos) << r.status().message();
  }
  {
    TinyModel m;
    m.opcode_index = 5;
    auto r = analyze_tflite(serialize(m), named("m"));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("opcode_index 5"), std::string::npos) << r.status().message();
  }
  {
    TinyModel m;
    m.signature_output = 3;
    auto r = analyze_tflite(serialize(m), named("m"));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("Signature#0"), std::string::npos) << r.status().message();
  }
}

TEST(Analyzer, OptionalInputIsAllowed) {
  TinyModel m;
  m.op_inputs = {0, -1};
  auto r = analyze_tflite(serialize(m), named("m"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  expect_has(*r, "  Op#0 ADD(T#0, T#-1) -> [T#2]\n");
}

}  // namespace
}  // namespace tflc
