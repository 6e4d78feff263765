// The GraphDef importer uses the TF OpDef table: a node it does not lower has
// its OpDef's outputs (reads past them are errors), attrs an older GraphDef
// leaves out get their OpDef defaults, and an op with no OpDef is reported in
// TensorFlow's wording.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "frontends/graphdef/import.h"
#include "graphdef_builder.h"

namespace tflc {
namespace {

using tensorflow::NodeDef;

using test::add;

// Placeholder "x" of float[shape], its shape given only by _output_shapes as
// older GraphDefs do.
void add_input(tensorflow::GraphDef& gd, const std::vector<int64_t>& shape) {
  NodeDef& x = add(gd, "x", "Placeholder");
  (*x.mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  auto* s = (*x.mutable_attr())["_output_shapes"].mutable_list()->add_shape();
  for (int64_t d : shape) s->add_dim()->set_size(d);
}

Status import_status(tensorflow::GraphDef& gd, const std::string& output) {
  GraphDefImportOptions opt;
  opt.output_arrays = {output};
  return import_graphdef(gd, opt).status();
}

// Unique (y, idx) is a Flex op the converter does not lower.
tensorflow::GraphDef unique_read_at(const std::string& ref) {
  tensorflow::GraphDef gd;
  add_input(gd, {4});
  (*add(gd, "u", "Unique", {"x"}).mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  add(gd, "y", "Identity", {ref});
  return gd;
}

TEST(GraphDefOpDefs, UnloweredOpHasTheOutputsOfItsOpDef) {
  tensorflow::GraphDef ok_read = unique_read_at("u:1");  // idx
  Status s = import_status(ok_read, "y");
  EXPECT_EQ(s.kind(), ErrorKind::kUnsupported) << s.message();
  EXPECT_NE(s.message().find("Unique"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("does not produce"), std::string::npos) << s.message();

  tensorflow::GraphDef bad_read = unique_read_at("u:2");  // Unique has two outputs
  s = import_status(bad_read, "y");
  EXPECT_EQ(s.kind(), ErrorKind::kInvalidInput) << s.message();
  EXPECT_NE(s.message().find("reads 'u:2', which that node does not produce"), std::string::npos) << s.message();
}

TEST(GraphDefOpDefs, OpWithoutAnOpDefIsNeitherCustomNorFlex) {
  tensorflow::GraphDef gd;
  add_input(gd, {4});
  add(gd, "c", "MyCustomOp", {"x"});
  add(gd, "y", "Identity", {"c:5"});
  Status s = import_status(gd, "y");
  EXPECT_EQ(s.kind(), ErrorKind::kUnsupported) << s.message();
  EXPECT_NE(s.message().find("'tf.MyCustomOp' op is neither a custom op nor a flex op"), std::string::npos)
      << s.message();
}

TEST(GraphDefOpDefs, FillsAttrDefaultsOfLoweredNodesOnly) {
  tensorflow::GraphDef gd;
  add_input(gd, {1, 4, 4, 1});
  NodeDef& w = add(gd, "w", "Const");
  (*w.mutable_attr())["dtype"].set_type(tensorflow::DT_FLOAT);
  auto* t = (*w.mutable_attr())["value"].mutable_tensor();
  t->set_dtype(tensorflow::DT_FLOAT);
  for (int i = 0; i < 4; ++i) t->mutable_tensor_shape()->add_dim()->set_size(1);
  t->add_float_val(2.0f);
  // No data_format, dilations, use_cudnn_on_gpu, explicit_paddings: all defaulted.
  NodeDef& conv = add(gd, "conv", "Conv2D", {"x", "w"});
  (*conv.mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  (*conv.mutable_attr())["padding"].set_s("VALID");
  for (int i = 0; i < 4; ++i) (*conv.mutable_attr())["strides"].mutable_list()->add_i(1);
  Status s = import_status(gd, "conv");
  ASSERT_TRUE(s.ok()) << s.message();
  const auto& a = gd.node(2).attr();
  ASSERT_TRUE(a.contains("data_format"));
  EXPECT_EQ(a.at("data_format").s(), "NHWC");
  ASSERT_TRUE(a.contains("dilations"));
  EXPECT_EQ(a.at("dilations").list().i_size(), 4);
  EXPECT_TRUE(a.contains("use_cudnn_on_gpu"));
  // The Placeholder keeps its attrs as written: a default unknown-rank shape
  // would hide _output_shapes.
  EXPECT_FALSE(gd.node(0).attr().contains("shape"));
}

}  // namespace
}  // namespace tflc
