// Select TF ops: with select_tf_ops a node with no builtin lowering that is
// in TF's Flex allowlist becomes CUSTOM "Flex<Op>" whose custom_options
// decode (FlexBuffers) to [op, NodeDef]; the bytes match what TF's converter
// wrote in the official softplus_flex.bin.
#include <gtest/gtest.h>

#include <flatbuffers/flexbuffers.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "frontends/graphdef/import.h"
#include "frontends/graphdef/op_defs.h"
#include "frontends/graphdef/unsupported_ops.h"
#include "graphdef_builder.h"
#include "tflite_schema_generated.h"

namespace tflc {
namespace {

using tensorflow::NodeDef;

using test::add;

// Decodes custom_options as [op, NodeDef]; fails the test if it is not that.
void decode_flex(const std::vector<uint8_t>& opts, std::string* op, NodeDef* nd) {
  ASSERT_FALSE(opts.empty());
  auto root = flexbuffers::GetRoot(opts.data(), opts.size());
  ASSERT_TRUE(root.IsVector());
  auto v = root.AsVector();
  ASSERT_EQ(v.size(), 2u);
  ASSERT_TRUE(v[0].IsString());
  ASSERT_TRUE(v[1].IsString());
  *op = v[0].AsString().str();
  auto s = v[1].AsString();
  ASSERT_TRUE(nd->ParseFromArray(s.c_str(), static_cast<int>(s.length())));
}

using test::only_custom;

// Unique(x) -> (y, idx): no builtin lowering, in the allowlist.
tensorflow::GraphDef unique_graph() {
  tensorflow::GraphDef gd;
  test::add_placeholder(gd, "x", tensorflow::DT_FLOAT, {4});
  NodeDef& u = add(gd, "u", "Unique", {"x", "^x"});
  (*u.mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  u.set_device("/device:CPU:0");
  (*u.mutable_attr())["_class"].mutable_list()->add_s("loc:@x");
  add(gd, "y", "Identity", {"u:1"});
  return gd;
}

TEST(FlexOps, WithoutSelectTfOpsTheOpIsUnsupported) {
  tensorflow::GraphDef gd = unique_graph();
  GraphDefImportOptions opt;
  opt.output_arrays = {"y"};
  auto m = import_graphdef(gd, opt);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(m.status().message().find("Unique"), std::string::npos) << m.status().message();
}

TEST(FlexOps, UnloweredAllowlistOpBecomesFlexCustomOp) {
  tensorflow::GraphDef gd = unique_graph();
  GraphDefImportOptions opt;
  opt.output_arrays = {"y"};
  opt.fallbacks.select_tf_ops = true;
  auto m = import_graphdef(gd, opt);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Op* op = only_custom(*m);
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->custom_code, "FlexUnique");
  ASSERT_EQ(op->outputs.size(), 2u);
  const Graph& g = m->subgraphs[0];
  EXPECT_EQ(g.t(op->outputs[0]).dtype, DType::kFloat32);
  EXPECT_EQ(g.t(op->outputs[1]).dtype, DType::kInt32);  // out_idx's OpDef default
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_EQ(g.outputs[0], op->outputs[1]);

  std::string name;
  NodeDef nd;
  decode_flex(op->custom_options, &name, &nd);
  EXPECT_EQ(name, "Unique");
  EXPECT_EQ(nd.op(), "Unique");
  EXPECT_EQ(nd.name(), "");
  ASSERT_EQ(nd.input_size(), 1);  // the control input is not a data input
  EXPECT_EQ(nd.input(0), "");
  EXPECT_EQ(nd.device(), "/device:CPU:0");
  EXPECT_EQ(nd.attr().size(), 2u);
  EXPECT_EQ(nd.attr().at("T").type(), tensorflow::DT_FLOAT);
  EXPECT_EQ(nd.attr().at("out_idx").type(), tensorflow::DT_INT32);
  EXPECT_EQ(nd.attr().count("_class"), 0u);
}

TEST(FlexOps, BuiltinIsPreferredOverFlex) {
  tensorflow::GraphDef gd;
  test::add_placeholder(gd, "x", tensorflow::DT_FLOAT, {4});
  (*add(gd, "r", "Relu", {"x"}).mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  GraphDefImportOptions opt;
  opt.output_arrays = {"r"};
  opt.fallbacks.select_tf_ops = true;
  auto m = import_graphdef(gd, opt);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(only_custom(*m), nullptr);
}

TEST(FlexOps, NeitherBuiltinNorFlexIsStillListed) {
  tensorflow::GraphDef gd;
  test::add_placeholder(gd, "x", tensorflow::DT_FLOAT, {4});
  (*add(gd, "u", "Unique", {"x"}).mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  add(gd, "z", "NoSuchOpAnywhere", {"u"});
  GraphDefImportOptions opt;
  opt.output_arrays = {"z"};
  opt.fallbacks.select_tf_ops = true;
  auto m = import_graphdef(gd, opt);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("NoSuchOpAnywhere"), std::string::npos) << m.status().message();
}

// Allowlist ops with no builtin, across dtypes (strings, complex, int and
// float images): each becomes Flex<Op> whose NodeDef decodes to the source
// node's op and attrs, plus every OpDef default the node left out; outputs
// take the OpDef's types.
TEST(FlexOps, AllowlistOpsAcrossTypesDecodeToTheirNodeDef) {
  using tensorflow::DataType;
  struct Input {
    std::string name;
    DataType dt;
    std::vector<int64_t> shape;
  };
  struct Case {
    std::string op;
    std::vector<Input> inputs;
    std::vector<std::pair<std::string, DataType>> type_attrs;
    std::vector<std::pair<std::string, std::string>> string_attrs;
    std::vector<DType> outputs;
  };
  const std::vector<Case> cases = {
      {"RFFT", {{"x", tensorflow::DT_FLOAT, {8}}, {"n", tensorflow::DT_INT32, {1}}},
       {{"Treal", tensorflow::DT_FLOAT}, {"Tcomplex", tensorflow::DT_COMPLEX64}}, {}, {DType::kComplex64}},
      {"Bincount", {{"arr", tensorflow::DT_INT32, {5}}, {"size", tensorflow::DT_INT32, {}}, {"w", tensorflow::DT_FLOAT, {0}}},
       {{"T", tensorflow::DT_FLOAT}}, {}, {DType::kFloat32}},
      {"ImageProjectiveTransformV3",
       {{"images", tensorflow::DT_FLOAT, {1, 4, 4, 1}}, {"transforms", tensorflow::DT_FLOAT, {1, 8}},
        {"output_shape", tensorflow::DT_INT32, {2}}, {"fill_value", tensorflow::DT_FLOAT, {}}},
       {{"dtype", tensorflow::DT_FLOAT}}, {{"interpolation", "BILINEAR"}}, {DType::kFloat32}},
      {"StringLength", {{"s", tensorflow::DT_STRING, {2}}}, {}, {}, {DType::kInt32}},
      {"StringToNumber", {{"s", tensorflow::DT_STRING, {2}}}, {}, {}, {DType::kFloat32}},
      {"AsString", {{"v", tensorflow::DT_INT32, {3}}}, {{"T", tensorflow::DT_INT32}}, {}, {DType::kString}},
      {"MatrixInverse", {{"m", tensorflow::DT_FLOAT, {2, 2}}}, {{"T", tensorflow::DT_FLOAT}}, {}, {DType::kFloat32}},
      {"Cumprod", {{"v", tensorflow::DT_FLOAT, {4}}, {"axis", tensorflow::DT_INT32, {}}},
       {{"T", tensorflow::DT_FLOAT}, {"Tidx", tensorflow::DT_INT32}}, {}, {DType::kFloat32}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.op);
    tensorflow::GraphDef gd;
    std::vector<std::string> names;
    for (const Input& in : c.inputs) {
      test::add_placeholder(gd, in.name, in.dt, in.shape);
      names.push_back(in.name);
    }
    NodeDef& n = add(gd, "op", c.op, names);
    for (const auto& [k, t] : c.type_attrs) (*n.mutable_attr())[k].set_type(t);
    for (const auto& [k, v] : c.string_attrs) (*n.mutable_attr())[k].set_s(v);
    const NodeDef source = n;
    GraphDefImportOptions opt;
    opt.output_arrays = {"op"};
    opt.fallbacks.select_tf_ops = true;
    auto m = import_graphdef(gd, opt);
    ASSERT_TRUE(m.ok()) << m.status().message();
    const Op* op = only_custom(*m);
    ASSERT_NE(op, nullptr);
    EXPECT_EQ(op->custom_code, "Flex" + c.op);
    ASSERT_EQ(op->outputs.size(), c.outputs.size());
    for (size_t k = 0; k < c.outputs.size(); ++k) EXPECT_EQ(m->subgraphs[0].t(op->outputs[k]).dtype, c.outputs[k]);
    std::string name;
    NodeDef nd;
    decode_flex(op->custom_options, &name, &nd);
    EXPECT_EQ(name, c.op);
    EXPECT_EQ(nd.op(), c.op);
    EXPECT_EQ(nd.input_size(), static_cast<int>(c.inputs.size()));
    for (const auto& [k, v] : source.attr()) {
      ASSERT_EQ(nd.attr().count(k), 1u) << k;
      EXPECT_EQ(nd.attr().at(k).SerializeAsString(), v.SerializeAsString()) << k;
    }
    const tensorflow::OpDef* def = find_op_def(c.op);
    ASSERT_NE(def, nullptr);
    for (const auto& a : def->attr()) {
      if (!a.has_default_value() || source.attr().count(a.name())) continue;
      ASSERT_EQ(nd.attr().count(a.name()), 1u) << "default of " << a.name() << " not filled";
      EXPECT_EQ(nd.attr().at(a.name()).SerializeAsString(), a.default_value().SerializeAsString()) << a.name();
    }
  }
}

// Reads the CUSTOM op's custom_options out of an official .tflite file.
bool reference_options(const std::string& path, const std::string& code, std::vector<uint8_t>* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  std::string bytes = ss.str();
  flatbuffers::Verifier v(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (!tflite::VerifyModelBuffer(v)) return false;
  const tflite::Model* m = tflite::GetModel(bytes.data());
  for (const auto* sg : *m->subgraphs())
    for (const auto* op : *sg->operators()) {
      const auto* c = m->operator_codes()->Get(op->opcode_index());
      if (c->custom_code() && c->custom_code()->str() == code && op->custom_options()) {
        out->assign(op->custom_options()->begin(), op->custom_options()->end());
        return true;
      }
    }
  return false;
}

TEST(FlexOps, CustomOptionsMatchTensorFlowsBytes) {
  const std::string dir = "/work/shared/reference/flex/";
  std::vector<uint8_t> want;
  if (!reference_options(dir + "softplus_flex.bin", "FlexSoftplus", &want))
    GTEST_SKIP() << "no reference " << dir << "softplus_flex.bin (../shared absent)";
  std::string name;
  NodeDef ref;
  decode_flex(want, &name, &ref);
  EXPECT_EQ(name, "Softplus");
  // The same node as a GraphDef carries it: a name, a named input, T.
  NodeDef src;
  src.set_name("softplus");
  src.set_op("Softplus");
  src.add_input("input");
  src.set_device("/device:CPU:0");
  (*src.mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  (*src.mutable_attr())["_output_shapes"].mutable_list()->add_shape();
  EXPECT_EQ(flex_custom_options(src), want) << ref.DebugString();

  std::vector<uint8_t> dbl;
  if (reference_options(dir + "double_flex.bin", "FlexDouble", &dbl)) {
    decode_flex(dbl, &name, &ref);
    EXPECT_EQ(name, "Double");
    EXPECT_EQ(ref.op(), "Double");
    EXPECT_EQ(ref.attr().at("T").type(), tensorflow::DT_INT32);
  }
}

}  // namespace
}  // namespace tflc
