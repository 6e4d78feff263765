// --target_runtime: each op version written is one the target runtime has,
// per the records' runtime tables; re-lowerings replace ops over the cap,
// and anything else is refused by name.
#include <gtest/gtest.h>

#include <string>

#include "api/converter.h"
#include "ops/registry.h"
#include "passes/target_runtime.h"
#include "tflite_schema_generated.h"

namespace tflc {
namespace {

std::string placeholder(const std::string& name, const std::string& type, const std::vector<int>& shape) {
  std::string dims;
  for (int d : shape) dims += "dim { size: " + std::to_string(d) + " } ";
  return "node { name: '" + name + "' op: 'Placeholder' attr { key: 'dtype' value { type: " + type +
         " } } attr { key: 'shape' value { shape { " + dims + "} } } }\n";
}
std::string float_const(const std::string& name, const std::vector<int>& shape, float v) {
  std::string dims;
  for (int d : shape) dims += "dim { size: " + std::to_string(d) + " } ";
  return "node { name: '" + name + "' op: 'Const' attr { key: 'dtype' value { type: DT_FLOAT } } attr { key: 'value' "
         "value { tensor { dtype: DT_FLOAT tensor_shape { " + dims + "} float_val: " + std::to_string(v) + " } } } }\n";
}
std::string int_const(const std::string& name, const std::vector<int>& v) {
  std::string vals;
  for (int x : v) vals += "int_val: " + std::to_string(x) + " ";
  return "node { name: '" + name + "' op: 'Const' attr { key: 'dtype' value { type: DT_INT32 } } attr { key: 'value' "
         "value { tensor { dtype: DT_INT32 tensor_shape { dim { size: " + std::to_string(v.size()) + " } } " + vals +
         "} } } }\n";
}
std::string transpose(const std::vector<int>& shape, const std::vector<int>& perm) {
  return placeholder("x", "DT_FLOAT", shape) + int_const("perm", perm) +
         "node { name: 'y' op: 'Transpose' input: 'x' input: 'perm' attr { key: 'T' value { type: DT_FLOAT } } "
         "attr { key: 'Tperm' value { type: DT_INT32 } } }\n";
}
std::string conv_attrs() {
  return "attr { key: 'T' value { type: DT_FLOAT } } attr { key: 'strides' value { list { i: 1 i: 1 i: 1 i: 1 } } } "
         "attr { key: 'padding' value { s: 'SAME' } } attr { key: 'data_format' value { s: 'NHWC' } } "
         "attr { key: 'dilations' value { list { i: 1 i: 1 i: 1 i: 1 } } }";
}
// Conv2DBackpropInput + BiasAdd + Relu: TRANSPOSE_CONV with a bias (version 3), then RELU.
std::string transpose_conv() {
  return placeholder("x", "DT_FLOAT", {1, 4, 4, 6}) + float_const("k", {3, 3, 4, 6}, 0.25f) +
         int_const("sizes", {1, 8, 8, 4}) + float_const("b", {4}, 0.5f) +
         "node { name: 'up' op: 'Conv2DBackpropInput' input: 'sizes' input: 'k' input: 'x' " + conv_attrs() +
         " attr { key: 'strides' value { list { i: 1 i: 2 i: 2 i: 1 } } } }\n"
         "node { name: 'ba' op: 'BiasAdd' input: 'up' input: 'b' attr { key: 'T' value { type: DT_FLOAT } } }\n"
         "node { name: 'y' op: 'Relu' input: 'ba' attr { key: 'T' value { type: DT_FLOAT } } }\n";
}
// A Conv2D whose filter takes 2 of the 4 input channels: grouped (version 6).
std::string grouped_conv() {
  return placeholder("x", "DT_FLOAT", {1, 5, 5, 4}) + float_const("k", {3, 3, 2, 6}, 0.25f) +
         "node { name: 'y' op: 'Conv2D' input: 'x' input: 'k' " + conv_attrs() + " }\n";
}

struct Converted {
  Status status;
  std::string bytes;
};
Converted convert_text(const std::string& pbtxt, const std::string& target) {
  ConvertOptions o;
  o.graph_def_content = pbtxt;
  o.output_arrays = {"y"};
  o.target_runtime = target;
  auto r = convert(o);
  if (!r.ok()) return {r.status(), ""};
  return {ok_status(), *r};
}

// (op, version) pairs of a .tflite, each checked against the op's runtime table.
std::vector<std::pair<std::string, int>> check_codes(const std::string& bytes, const std::string& runtime) {
  std::vector<std::pair<std::string, int>> out;
  const tflite::Model* m = tflite::GetModel(bytes.data());
  for (const auto* c : *m->operator_codes()) {
    OpCode code = static_cast<OpCode>(c->builtin_code());
    const OpSchema* s = find_op(code);
    EXPECT_NE(s, nullptr);
    if (!s) continue;
    EXPECT_LE(static_cast<size_t>(c->version()), s->runtime_versions.size()) << op_name(code);
    if (static_cast<size_t>(c->version()) > s->runtime_versions.size()) continue;
    std::string need = s->runtime_versions[c->version() - 1];
    EXPECT_FALSE(need.empty()) << op_name(code);
    EXPECT_FALSE(runtime_version_less(runtime, need)) << op_name(code) << " v" << c->version() << " needs " << need;
    out.push_back({op_name(code), c->version()});
  }
  return out;
}

bool has(const std::vector<std::pair<std::string, int>>& codes, const std::string& op, int version) {
  for (const auto& c : codes)
    if (c.first == op && c.second == version) return true;
  return false;
}

TEST(TargetRuntime, ParsesTheFlag) {
  EXPECT_EQ(*parse_target_runtime("2.10"), "2.10.0");
  EXPECT_EQ(*parse_target_runtime("2.3.1"), "2.3.1");
  EXPECT_EQ(*parse_target_runtime("2.04"), "2.4.0");
  for (const char* bad : {"", "2", "3.0", "1.15", "2.x", "2.10.0.1", "2..1", "v2.10", "2.10 "}) {
    auto r = parse_target_runtime(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().kind(), ErrorKind::kUsage);
    EXPECT_NE(r.status().message().find("--target_runtime"), std::string::npos);
  }
}

TEST(TargetRuntime, VersionsAgainstEveryRecordsTable) {
  // Every version whose table names a release is allowed from that release
  // on, and the cap is the table's highest such version.
  for (const OpSchema* s : all_ops())
    for (size_t v = 1; v <= s->runtime_versions.size(); ++v) {
      std::string r = s->runtime_versions[v - 1];
      if (r.empty()) continue;
      EXPECT_GE(max_version_in_runtime(*s, r), static_cast<int>(v)) << op_name(s->code) << " v" << v;
      EXPECT_EQ(max_version_in_runtime(*s, "1.0.0"), 0) << op_name(s->code);
    }
}

TEST(TargetRuntime, Rank5TransposeMergesAxesForOlderRuntimes) {
  std::string g = transpose({2, 3, 4, 5, 2}, {0, 3, 4, 1, 2});
  Converted plain = convert_text(g, "");
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  EXPECT_TRUE(has(check_codes(plain.bytes, "2.3.0"), "TRANSPOSE", 4));
  Converted capped = convert_text(g, "2.2");
  ASSERT_TRUE(capped.status.ok()) << capped.status.message();
  auto codes = check_codes(capped.bytes, "2.2.0");
  EXPECT_TRUE(has(codes, "TRANSPOSE", 1));
  EXPECT_TRUE(has(codes, "RESHAPE", 1));
  EXPECT_EQ(convert_text(g, "2.3").bytes, plain.bytes);  // the target has version 4: nothing changes
}

TEST(TargetRuntime, TransposeWithADynamicBatchMergesToo) {
  std::string g = transpose({-1, 3, 4, 10, 10}, {1, 0, 2, 3, 4});  // Keras time-major swap of a ConvLSTM input
  Converted capped = convert_text(g, "2.2");
  ASSERT_TRUE(capped.status.ok()) << capped.status.message();
  auto codes = check_codes(capped.bytes, "2.2.0");
  EXPECT_TRUE(has(codes, "TRANSPOSE", 1));
  EXPECT_TRUE(has(codes, "RESHAPE", 1));
  // Two dynamic dimensions cannot go through one RESHAPE: refused.
  EXPECT_FALSE(convert_text(transpose({-1, 3, -1, 10, 10}, {1, 0, 2, 3, 4}), "2.2").status.ok());
}

TEST(TargetRuntime, UnmergeableRank6TransposeIsRefusedByName) {
  Converted r = convert_text(transpose({2, 3, 2, 3, 2, 3}, {5, 4, 3, 2, 1, 0}), "2.11");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message(),
            "op TRANSPOSE ('y') needs version 6 (TFLite 2.12.0); --target_runtime=2.11 has at most version 5 of "
            "TRANSPOSE and no exact older lowering applies");
  EXPECT_TRUE(convert_text(transpose({2, 3, 2, 3, 2, 3}, {5, 4, 3, 2, 1, 0}), "2.12").status.ok());
}

TEST(TargetRuntime, TransposeConvBiasBecomesAddBefore23) {
  Converted plain = convert_text(transpose_conv(), "");
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  auto codes = check_codes(plain.bytes, "2.3.0");
  EXPECT_TRUE(has(codes, "TRANSPOSE_CONV", 3));
  EXPECT_EQ(convert_text(transpose_conv(), "2.3").bytes, plain.bytes);
  Converted c22 = convert_text(transpose_conv(), "2.2");
  ASSERT_TRUE(c22.status.ok()) << c22.status.message();
  codes = check_codes(c22.bytes, "2.2.0");
  EXPECT_TRUE(has(codes, "TRANSPOSE_CONV", 1));
  EXPECT_TRUE(has(codes, "ADD", 1));
  EXPECT_TRUE(has(codes, "RELU", 1));
  Converted c21 = convert_text(transpose_conv(), "2.1");  // TRANSPOSE_CONV v1 is 1.9, ADD 1.5, RELU 1.5
  ASSERT_TRUE(c21.status.ok()) << c21.status.message();
  check_codes(c21.bytes, "2.1.0");
}

TEST(TargetRuntime, GroupedConvBecomesOneConvPerGroup) {
  Converted plain = convert_text(grouped_conv(), "");
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  EXPECT_TRUE(has(check_codes(plain.bytes, "2.9.0"), "CONV_2D", 6));
  Converted capped = convert_text(grouped_conv(), "2.8");
  ASSERT_TRUE(capped.status.ok()) << capped.status.message();
  auto codes = check_codes(capped.bytes, "2.8.0");
  EXPECT_TRUE(has(codes, "CONV_2D", 1));
  EXPECT_TRUE(has(codes, "SPLIT", 1));
  EXPECT_TRUE(has(codes, "CONCATENATION", 1));
}

TEST(TargetRuntime, BatchMatMulBecomesFullyConnectedBefore23) {
  // A batched product (one FC per batch) and a 2-D one with adj_x.
  std::string g = placeholder("a", "DT_FLOAT", {2, 3, 4}) + placeholder("b", "DT_FLOAT", {2, 4, 5}) +
                  placeholder("c", "DT_FLOAT", {4, 3}) + placeholder("d", "DT_FLOAT", {4, 6}) +
                  "node { name: 'y' op: 'BatchMatMulV2' input: 'a' input: 'b' attr { key: 'T' value { type: DT_FLOAT } } "
                  "attr { key: 'adj_x' value { b: false } } attr { key: 'adj_y' value { b: false } } }\n"
                  "node { name: 'z' op: 'MatMul' input: 'c' input: 'd' attr { key: 'T' value { type: DT_FLOAT } } "
                  "attr { key: 'transpose_a' value { b: true } } attr { key: 'transpose_b' value { b: false } } }\n";
  ConvertOptions o;
  o.graph_def_content = g;
  o.output_arrays = {"y", "z"};
  auto plain = convert(o);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_TRUE(has(check_codes(*plain, "2.3.0"), "BATCH_MATMUL", 1));
  o.target_runtime = "2.2";
  auto capped = convert(o);
  ASSERT_TRUE(capped.ok()) << capped.status().message();
  auto codes = check_codes(*capped, "2.2.0");
  EXPECT_TRUE(has(codes, "FULLY_CONNECTED", 1));
  EXPECT_TRUE(has(codes, "UNPACK", 1));
  EXPECT_TRUE(has(codes, "PACK", 1));
  for (const auto& c : codes) EXPECT_NE(c.first, "BATCH_MATMUL");
}

TEST(TargetRuntime, BroadcastingSelectV2BecomesSelectBefore22) {
  std::string g = placeholder("c", "DT_BOOL", {5}) + placeholder("x", "DT_FLOAT", {2, 5}) +
                  placeholder("z", "DT_FLOAT", {2, 1}) +
                  "node { name: 'y' op: 'SelectV2' input: 'c' input: 'x' input: 'z' "
                  "attr { key: 'T' value { type: DT_FLOAT } } }\n";
  Converted plain = convert_text(g, "");
  ASSERT_TRUE(plain.status.ok()) << plain.status.message();
  EXPECT_TRUE(has(check_codes(plain.bytes, "2.2.0"), "SELECT_V2", 1));
  Converted capped = convert_text(g, "2.1");
  ASSERT_TRUE(capped.status.ok()) << capped.status.message();
  auto codes = check_codes(capped.bytes, "2.1.0");
  EXPECT_TRUE(has(codes, "SELECT", 1));
  EXPECT_TRUE(has(codes, "TILE", 1));
  for (const auto& c : codes) EXPECT_NE(c.first, "SELECT_V2");
}

TEST(TargetRuntime, RefusesFeaturesWithoutAnOlderForm) {
  std::string add64 = placeholder("a", "DT_INT64", {3}) + placeholder("b", "DT_INT64", {3}) +
                      "node { name: 'y' op: 'AddV2' input: 'a' input: 'b' attr { key: 'T' value { type: DT_INT64 } } }\n";
  Converted r = convert_text(add64, "2.5");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message(), "op ADD ('y') needs version 4 (TFLite 2.6.0); --target_runtime=2.5 has at most "
                                "version 3 of ADD and no exact older lowering applies");
  EXPECT_TRUE(convert_text(add64, "2.6").status.ok());
  std::string conv3d = placeholder("x", "DT_FLOAT", {1, 4, 4, 4, 2}) + float_const("k", {2, 2, 2, 2, 3}, 0.5f) +
                       "node { name: 'y' op: 'Conv3D' input: 'x' input: 'k' attr { key: 'T' value { type: DT_FLOAT } } "
                       "attr { key: 'strides' value { list { i: 1 i: 1 i: 1 i: 1 i: 1 } } } attr { key: 'padding' "
                       "value { s: 'VALID' } } attr { key: 'data_format' value { s: 'NDHWC' } } attr { key: "
                       "'dilations' value { list { i: 1 i: 1 i: 1 i: 1 i: 1 } } } }\n";
  r = convert_text(conv3d, "2.4");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.message(), "op CONV_3D ('y') needs version 1 (TFLite 2.5.0); --target_runtime=2.4 has no "
                                "CONV_3D and no exact older lowering applies");
  EXPECT_TRUE(convert_text(conv3d, "2.5").status.ok());
}

TEST(TargetRuntime, BadValueIsAUsageError) {
  Converted r = convert_text(transpose({2, 3}, {1, 0}), "2.x");
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.kind(), ErrorKind::kUsage);
}

}  // namespace
}  // namespace tflc
