// Custom ops (allow_custom_ops, custom_opdefs) and user ops through Flex
// (select_user_tf_ops): what becomes a CUSTOM op, its custom_code, and its
// custom_options as TF's exporter writes them; and what is refused.
#include <gtest/gtest.h>

#include <flatbuffers/flexbuffers.h>

#include <string>
#include <vector>

#include "frontends/graphdef/custom_ops.h"
#include "frontends/graphdef/import.h"
#include "graphdef_builder.h"

namespace tflc {
namespace {

using tensorflow::NodeDef;

using test::add;

using test::only_custom;

// TF's own end-to-end test of custom OpDefs (tflite_convert_test.py,
// _createSavedModelWithCustomOp): x + x with the Add renamed to CustomAdd
// and its T attr removed.
tensorflow::GraphDef custom_add_graph(const std::string& op = "CustomAdd") {
  tensorflow::GraphDef gd;
  test::add_placeholder(gd, "input", tensorflow::DT_FLOAT, {1, 16, 16, 3});
  add(gd, "add", op, {"input", "input"});
  return gd;
}

const char* kCustomAddDef =
    "name: 'CustomAdd' input_arg: {name: 'Input1' type: DT_FLOAT} input_arg: {name: 'Input2' type: DT_FLOAT} "
    "output_arg: {name: 'Output' type: DT_FLOAT}";

GraphDefImportOptions custom_options(std::vector<std::string> defs) {
  GraphDefImportOptions opt;
  opt.output_arrays = {"add"};
  opt.fallbacks.allow_custom_ops = true;
  auto parsed = parse_custom_opdefs(defs);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  if (parsed.ok()) opt.fallbacks.custom_opdefs = *parsed;
  return opt;
}

TEST(CustomOps, UnknownOpWithoutOpDefIsRefusedNamingTheFlag) {
  tensorflow::GraphDef gd = custom_add_graph();
  auto m = import_graphdef(gd, custom_options({}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(m.status().message().find("'tf.CustomAdd' op (node 'add') is not a TensorFlow op: declare it with "
                                      "--custom_opdefs"),
            std::string::npos)
      << m.status().message();
}

TEST(CustomOps, WithoutAllowCustomOpsTheOpIsListed) {
  tensorflow::GraphDef gd = custom_add_graph();
  GraphDefImportOptions opt;
  opt.output_arrays = {"add"};
  auto m = import_graphdef(gd, opt);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("Custom ops: CustomAdd"), std::string::npos) << m.status().message();
}

TEST(CustomOps, DeclaredOpBecomesCustomOpWithItsType) {
  tensorflow::GraphDef gd = custom_add_graph();
  auto m = import_graphdef(gd, custom_options({kCustomAddDef}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Op* op = only_custom(*m);
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->custom_code, "CustomAdd");
  ASSERT_EQ(op->inputs.size(), 2u);
  ASSERT_EQ(op->outputs.size(), 1u);
  const Tensor& out = m->subgraphs[0].t(op->outputs[0]);
  EXPECT_EQ(out.dtype, DType::kFloat32);
  EXPECT_TRUE(out.unknown_rank);  // a custom OpDef has no shape function
  // No attrs: an empty map.
  auto root = flexbuffers::GetRoot(op->custom_options.data(), op->custom_options.size());
  ASSERT_TRUE(root.IsMap());
  EXPECT_EQ(root.AsMap().size(), 0u);
}

TEST(CustomOps, OpDefThatDoesNotMatchTheNodeIsRefused) {
  // TF's testSavedModelWithInvalidCustomOpdefsFlag: one input declared, two given.
  tensorflow::GraphDef gd = custom_add_graph();
  auto m = import_graphdef(gd, custom_options({"name: 'CustomAdd' input_arg: {name: 'Input1' type: DT_FLOAT} "
                                               "output_arg: {name: 'Output' type: DT_FLOAT}"}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(m.status().message().find("has 2 inputs, but its OpDef declares 1"), std::string::npos)
      << m.status().message();
  // A declared input type that the graph contradicts.
  tensorflow::GraphDef gd2 = custom_add_graph();
  auto m2 = import_graphdef(gd2, custom_options({"name: 'CustomAdd' input_arg: {name: 'a' type: DT_INT32} "
                                                 "input_arg: {name: 'b' type: DT_FLOAT} output_arg: {name: 'y' "
                                                 "type: DT_FLOAT}"}));
  ASSERT_FALSE(m2.ok());
  EXPECT_NE(m2.status().message().find("input 'a' is float32, but its OpDef says int32"), std::string::npos)
      << m2.status().message();
}

TEST(CustomOps, CustomOpDefsAreChecked) {
  auto bad = [](const std::string& text) {
    auto r = parse_custom_opdefs({text});
    EXPECT_FALSE(r.ok()) << text;
    if (r.ok()) return std::string();
    EXPECT_EQ(r.status().kind(), ErrorKind::kUsage);
    return r.status().message();
  };
  EXPECT_NE(bad("name: 'X' input_arg: {name: }").find("not an OpDef (line 1 column"), std::string::npos);
  EXPECT_NE(bad("input_arg: {name: 'x' type: DT_FLOAT}").find("has no name"), std::string::npos);
  EXPECT_NE(bad("name: 'AddV2'").find("which TensorFlow already defines"), std::string::npos);
  EXPECT_NE(bad("name: 'X' output_arg: {name: 'y'}").find("arg 'y' of 'X' has no type"), std::string::npos);
  auto twice = parse_custom_opdefs({"name: 'X'", "name: 'X'"});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("declares 'X' twice"), std::string::npos);
}

TEST(CustomOps, OptionsAreTheAttrsAsTfWritesThem) {
  NodeDef n;
  n.set_op("MyOp");
  auto& a = *n.mutable_attr();
  a["s"].set_s("hello");
  a["i"].set_i(-300);
  a["f"].set_f(0.5f);
  a["b"].set_b(true);
  a["T"].set_type(tensorflow::DT_INT32);
  for (int64_t v : {1, 2, 70000}) a["li"].mutable_list()->add_i(v);
  a["ls"].mutable_list()->add_s("a");
  a["lf"].mutable_list()->add_f(2.5f);
  a["shape"].mutable_shape()->add_dim()->set_size(3);  // not written, as TF skips it
  a["empty"].mutable_list();                           // not written
  a["_output_shapes"].mutable_list()->add_shape();     // not an op attr
  a["_class"].mutable_list()->add_s("loc:@x");         // colocation
  a["_keep"].set_i(7);                                 // other internal attrs stay
  std::vector<uint8_t> bytes = custom_op_options(n);
  auto m = flexbuffers::GetRoot(bytes.data(), bytes.size()).AsMap();
  EXPECT_EQ(m.size(), 9u);
  EXPECT_EQ(m["s"].AsString().str(), "hello");
  EXPECT_EQ(m["i"].AsInt64(), -300);
  EXPECT_FLOAT_EQ(m["f"].AsFloat(), 0.5f);
  EXPECT_TRUE(m["b"].AsBool());
  EXPECT_EQ(m["T"].AsInt32(), 2);  // TFLite's INT32
  auto li = m["li"].AsTypedVector();
  ASSERT_EQ(li.size(), 3u);
  EXPECT_EQ(li[2].AsInt64(), 70000);
  EXPECT_EQ(m["ls"].AsTypedVector()[0].AsString().str(), "a");
  EXPECT_FLOAT_EQ(m["lf"].AsTypedVector()[0].AsFloat(), 2.5f);
  EXPECT_EQ(m["_keep"].AsInt32(), 7);
  EXPECT_TRUE(m["shape"].IsNull());
  EXPECT_TRUE(m["_class"].IsNull());
}

TEST(CustomOps, SinhMatchesTheOfficialCustomOpBytes) {
  // LiteRT tflite/testdata/custom_sinh.bin (f67457790c9c2ab67347d6fe53270e8d3df20868),
  // written by TF's converter with allow_custom_ops: custom_code "Sinh" and
  // these custom_options, the map {T: 0 (FLOAT32)}.
  const std::vector<uint8_t> official = {0x54, 0x00, 0x01, 0x03, 0x01, 0x01, 0x01, 0x00, 0x04, 0x02, 0x24, 0x01};
  tensorflow::GraphDef gd;
  test::add_placeholder(gd, "input", tensorflow::DT_FLOAT, {1});
  NodeDef& s = add(gd, "add", "Sinh", {"input"});
  (*s.mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  auto m = import_graphdef(gd, custom_options({}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Op* op = only_custom(*m);
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->custom_code, "Sinh");
  EXPECT_EQ(op->custom_options, official);
}

TEST(CustomOps, FlexIsPreferredAndUserOpsGoThroughFlex) {
  // Sinh is in the Flex allowlist: with SELECT_TF_OPS too it is FlexSinh.
  tensorflow::GraphDef gd;
  test::add_placeholder(gd, "input", tensorflow::DT_FLOAT, {1});
  NodeDef& s = add(gd, "add", "Sinh", {"input"});
  (*s.mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  GraphDefImportOptions opt = custom_options({});
  opt.fallbacks.select_tf_ops = true;
  auto m = import_graphdef(gd, opt);
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_NE(only_custom(*m), nullptr);
  EXPECT_EQ(only_custom(*m)->custom_code, "FlexSinh");
  // TF's testSavedModelWithFlex: a declared user op listed in
  // experimental_select_user_tf_ops becomes FlexCustomAdd2.
  tensorflow::GraphDef gd2 = custom_add_graph("CustomAdd2");
  std::string def = kCustomAddDef;
  def.replace(def.find("CustomAdd"), 9, "CustomAdd2");
  GraphDefImportOptions opt2 = custom_options({def});
  opt2.fallbacks.select_tf_ops = true;
  opt2.fallbacks.select_user_tf_ops = {"CustomAdd2"};
  auto m2 = import_graphdef(gd2, opt2);
  ASSERT_TRUE(m2.ok()) << m2.status().message();
  ASSERT_NE(only_custom(*m2), nullptr);
  EXPECT_EQ(only_custom(*m2)->custom_code, "FlexCustomAdd2");
}

// The SSD post-processing op as export_tflite_ssd_graph.py writes it.
tensorflow::GraphDef detection_graph(bool with_scale = true) {
  tensorflow::GraphDef gd;
  test::add_placeholder(gd, "boxes", tensorflow::DT_FLOAT, {1, 10, 4});
  test::add_placeholder(gd, "scores", tensorflow::DT_FLOAT, {1, 10, 3});
  test::add_placeholder(gd, "anchors", tensorflow::DT_FLOAT, {10, 4});
  NodeDef& d = add(gd, "TFLite_Detection_PostProcess", "TFLite_Detection_PostProcess", {"boxes", "scores", "anchors"});
  auto& a = *d.mutable_attr();
  a["max_detections"].set_i(5);
  a["max_classes_per_detection"].set_i(1);
  a["detections_per_class"].set_i(100);
  a["num_classes"].set_i(2);
  a["nms_score_threshold"].set_f(0.3f);
  a["nms_iou_threshold"].set_f(0.6f);
  a["use_regular_nms"].set_b(false);
  for (const char* k : {"y_scale", "x_scale", "h_scale", "w_scale"})
    if (with_scale || std::string(k) != "h_scale") a[k].set_f(10.0f);
  a["_output_quantized"].set_b(true);
  return gd;
}

TEST(CustomOps, DetectionPostProcessNeedsNoOpDefAndGetsStaticShapes) {
  tensorflow::GraphDef gd = detection_graph();
  GraphDefImportOptions opt = custom_options({});
  opt.output_arrays = {"TFLite_Detection_PostProcess", "TFLite_Detection_PostProcess:1",
                       "TFLite_Detection_PostProcess:2", "TFLite_Detection_PostProcess:3"};
  auto m = import_graphdef(gd, opt);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Op* op = only_custom(*m);
  ASSERT_NE(op, nullptr);
  EXPECT_EQ(op->custom_code, "TFLite_Detection_PostProcess");
  ASSERT_EQ(op->outputs.size(), 4u);
  const std::vector<std::vector<int64_t>> want = {{1, 5, 4}, {1, 5}, {1, 5}, {1}};
  for (size_t k = 0; k < 4; ++k) EXPECT_EQ(m->subgraphs[0].t(op->outputs[k]).shape, want[k]) << k;
  auto map = flexbuffers::GetRoot(op->custom_options.data(), op->custom_options.size()).AsMap();
  EXPECT_EQ(map["max_detections"].AsInt32(), 5);
  EXPECT_FLOAT_EQ(map["nms_iou_threshold"].AsFloat(), 0.6f);
  EXPECT_FALSE(map["use_regular_nms"].AsBool());
  EXPECT_TRUE(map["_output_quantized"].AsBool());

  tensorflow::GraphDef bad = detection_graph(/*with_scale=*/false);
  auto r = import_graphdef(bad, opt);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("has no float attr 'h_scale', which LiteRT's kernel reads"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace tflc
