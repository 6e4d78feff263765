// The TF OpDef table: output arg names and counts as a node instantiates
// them, attr defaults, and coverage of every op the converter lowers or
// hands to Flex.
#include "frontends/graphdef/op_defs.h"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

tensorflow::NodeDef node(const std::string& op) {
  tensorflow::NodeDef n;
  n.set_name("n");
  n.set_op(op);
  return n;
}

void set_int(tensorflow::NodeDef& n, const std::string& key, int64_t v) { (*n.mutable_attr())[key].set_i(v); }

void set_types(tensorflow::NodeDef& n, const std::string& key, int count) {
  auto* list = (*n.mutable_attr())[key].mutable_list();
  for (int i = 0; i < count; ++i) list->add_type(tensorflow::DT_FLOAT);
}

std::vector<OutputArg> args_of(const tensorflow::NodeDef& n) {
  const tensorflow::OpDef* def = find_op_def(n.op());
  EXPECT_NE(def, nullptr) << n.op();
  if (!def) return {};
  auto args = output_args(*def, n);
  EXPECT_TRUE(args.ok()) << args.status().message();
  return args.ok() ? *args : std::vector<OutputArg>{};
}

Status status_of(const tensorflow::NodeDef& n) {
  const tensorflow::OpDef* def = find_op_def(n.op());
  if (!def) return internal_error("no OpDef for " + n.op());
  return output_args(*def, n).status();
}

TEST(OpDefs, SplitHasNumSplitOutputs) {
  tensorflow::NodeDef n = node("Split");
  set_int(n, "num_split", 3);
  auto args = args_of(n);
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(args[0].name, "output");
  EXPECT_EQ(args[0].count, 3);
  EXPECT_EQ(output_count(args), 3);
  auto last = flat_output_index(args, "output", 2);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 2);
  EXPECT_FALSE(flat_output_index(args, "output", 3).ok());
  EXPECT_FALSE(flat_output_index(args, "output", -1).ok());
}

TEST(OpDefs, SplitWithoutNumSplitIsAnError) {
  // num_split has no default in TF's registry.
  Status s = status_of(node("Split"));
  EXPECT_EQ(s.kind(), ErrorKind::kInvalidInput);
  EXPECT_NE(s.message().find("num_split"), std::string::npos) << s.message();
}

TEST(OpDefs, UnpackHasNumOutputs) {
  tensorflow::NodeDef n = node("Unpack");
  set_int(n, "num", 4);
  auto args = args_of(n);
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(output_count(args), 4);
}

TEST(OpDefs, CountsBelowMinimumOrOverCapAreErrors) {
  tensorflow::NodeDef unpack = node("Unpack");
  set_int(unpack, "num", -1);  // minimum 0
  EXPECT_EQ(status_of(unpack).kind(), ErrorKind::kInvalidInput);
  tensorflow::NodeDef split = node("Split");
  set_int(split, "num_split", 0);  // minimum 1
  EXPECT_EQ(status_of(split).kind(), ErrorKind::kInvalidInput);
  set_int(split, "num_split", int64_t{1} << 40);
  EXPECT_EQ(status_of(split).kind(), ErrorKind::kInvalidInput);
}

TEST(OpDefs, MistypedCountAttrIsAnError) {
  tensorflow::NodeDef n = node("Split");
  (*n.mutable_attr())["num_split"].set_s("3");
  EXPECT_EQ(status_of(n).kind(), ErrorKind::kInvalidInput);
}

TEST(OpDefs, CountBoundToAFunctionParameterIsUnsupported) {
  tensorflow::NodeDef n = node("Split");
  (*n.mutable_attr())["num_split"].set_placeholder("k");
  EXPECT_EQ(status_of(n).kind(), ErrorKind::kUnsupported);
}

TEST(OpDefs, IdentityNHasOneOutputPerListType) {
  tensorflow::NodeDef n = node("IdentityN");
  set_types(n, "T", 3);
  auto args = args_of(n);
  ASSERT_EQ(args.size(), 1u);
  EXPECT_EQ(args[0].name, "output");
  EXPECT_EQ(output_count(args), 3);
  (*n.mutable_attr())["T"].set_i(3);  // not a list
  EXPECT_EQ(status_of(n).kind(), ErrorKind::kInvalidInput);
}

TEST(OpDefs, TopKV2HasValuesThenIndices) {
  auto args = args_of(node("TopKV2"));
  ASSERT_EQ(args.size(), 2u);
  EXPECT_EQ(args[0].name, "values");
  EXPECT_EQ(args[1].name, "indices");
  EXPECT_EQ(output_count(args), 2);
  auto idx = flat_output_index(args, "indices", 0);
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ(*idx, 1);
  auto bad = flat_output_index(args, "index", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("values, indices"), std::string::npos) << bad.status().message();
}

TEST(OpDefs, ArgsAfterAListStartAfterIt) {
  // CTCBeamSearchDecoder: decoded_indices, decoded_values, decoded_shape
  // (top_paths each), then log_probability.
  tensorflow::NodeDef n = node("CTCBeamSearchDecoder");
  set_int(n, "top_paths", 2);
  auto args = args_of(n);
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(output_count(args), 7);
  auto shape1 = flat_output_index(args, "decoded_shape", 1);
  ASSERT_TRUE(shape1.ok());
  EXPECT_EQ(*shape1, 5);
  auto log_prob = flat_output_index(args, "log_probability", 0);
  ASSERT_TRUE(log_prob.ok());
  EXPECT_EQ(*log_prob, 6);
  // Switch: output_false, output_true; the inliner reads "switch:output_true:0".
  auto sw = args_of(node("Switch"));
  auto t = flat_output_index(sw, "output_true", 0);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1);
  // FusedBatchNormV3 has six outputs.
  EXPECT_EQ(output_count(args_of(node("FusedBatchNormV3"))), 6);
}

TEST(OpDefs, CountAttrsFallBackToDefaults) {
  // ParseSingleSequenceExample's count and list attrs all default to 0 / [].
  tensorflow::NodeDef n = node("ParseSingleSequenceExample");
  auto args = args_of(n);
  ASSERT_EQ(args.size(), 8u);
  EXPECT_EQ(output_count(args), 0);
  set_int(n, "Ncontext_sparse", 2);
  set_types(n, "context_sparse_types", 2);
  EXPECT_EQ(output_count(args_of(n)), 6);  // indices, values, shapes per sparse key
}

TEST(OpDefs, OpsWithoutOutputsHaveNone) {
  EXPECT_EQ(output_count(args_of(node("NoOp"))), 0);
  EXPECT_EQ(output_count(args_of(node("AssignVariableOp"))), 0);
}

TEST(OpDefs, FillsConv2DDefaults) {
  tensorflow::NodeDef n = node("Conv2D");
  (*n.mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
  (*n.mutable_attr())["padding"].set_s("SAME");
  (*n.mutable_attr())["use_cudnn_on_gpu"].set_b(false);  // set: kept
  const tensorflow::OpDef* def = find_op_def("Conv2D");
  ASSERT_NE(def, nullptr);
  fill_attr_defaults(*def, n);
  const auto& a = n.attr();
  ASSERT_TRUE(a.contains("data_format"));
  EXPECT_EQ(a.at("data_format").s(), "NHWC");
  ASSERT_TRUE(a.contains("dilations"));
  ASSERT_EQ(a.at("dilations").list().i_size(), 4);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(a.at("dilations").list().i(i), 1);
  ASSERT_TRUE(a.contains("explicit_paddings"));
  EXPECT_TRUE(a.at("explicit_paddings").has_list());
  EXPECT_EQ(a.at("explicit_paddings").list().i_size(), 0);
  EXPECT_FALSE(a.at("use_cudnn_on_gpu").b());
  EXPECT_EQ(a.at("padding").s(), "SAME");
  // strides has no default: still absent.
  EXPECT_FALSE(a.contains("strides"));
}

TEST(OpDefs, FillsMaxPoolDataFormatButKeepsASetOne) {
  const tensorflow::OpDef* def = find_op_def("MaxPool");
  ASSERT_NE(def, nullptr);
  tensorflow::NodeDef n = node("MaxPool");
  fill_attr_defaults(*def, n);
  EXPECT_EQ(n.attr().at("data_format").s(), "NHWC");
  tensorflow::NodeDef m = node("MaxPool");
  (*m.mutable_attr())["data_format"].set_s("NCHW");
  fill_attr_defaults(*def, m);
  EXPECT_EQ(m.attr().at("data_format").s(), "NCHW");
}

TEST(OpDefs, AbsentOpsHaveNoOpDef) {
  EXPECT_EQ(find_op_def("NotATensorFlowOp"), nullptr);
  EXPECT_EQ(find_op_def(""), nullptr);
  EXPECT_EQ(find_op_def("Conv"), nullptr);     // a prefix of Conv2D
  EXPECT_EQ(find_op_def("conv2d"), nullptr);   // names are case-sensitive
  ASSERT_NE(find_op_def("Conv2D"), nullptr);
  EXPECT_EQ(find_op_def("Conv2D")->name(), "Conv2D");
}

TEST(OpDefs, EveryFlexAllowlistOpHasAnOpDef) {
  const char* const flex[] = {
#include "frontends/graphdef/flex_ops.inc"
  };
  ASSERT_GT(std::size(flex), 700u);
  std::vector<std::string> missing;
  for (const char* op : flex)
    if (!find_op_def(op)) missing.push_back(op);
  EXPECT_TRUE(missing.empty()) << missing.size() << " missing, first: " << missing.front();
  EXPECT_GE(op_def_count(), static_cast<int>(std::size(flex)));
}

TEST(OpDefs, EveryLoweredOpHasAnOpDef) {
  std::vector<std::string> ops = all_tf_ops();
  ASSERT_GT(ops.size(), 100u);
  // Handled by import.cc itself, and the ops the SavedModel inliner meets.
  for (const char* op : {"Placeholder", "PlaceholderWithDefault", "Const", "Identity", "IdentityN", "NoOp",
                         "StopGradient", "CheckNumerics", "Snapshot", "PreventGradient", "EnsureShape",
                         "PartitionedCall", "StatefulPartitionedCall", "If", "StatelessIf", "While",
                         "StatelessWhile", "Case", "Switch", "Merge", "Enter", "Exit", "NextIteration", "LoopCond",
                         "TensorListReserve", "TensorListFromTensor", "TensorListGetItem", "TensorListSetItem",
                         "TensorListStack", "TensorListPushBack", "TensorListPopBack", "TensorListLength",
                         "TensorListElementShape", "TensorArrayV3", "TensorArrayReadV3", "TensorArrayWriteV3",
                         "TensorArrayGatherV3", "TensorArrayScatterV3", "TensorArraySizeV3", "VarHandleOp",
                         "ReadVariableOp", "VariableV2", "AssignVariableOp", "RestoreV2", "SaveV2"})
    ops.push_back(op);
  std::vector<std::string> missing;
  for (const auto& op : ops)
    if (!find_op_def(op)) missing.push_back(op);
  EXPECT_TRUE(missing.empty()) << missing.size() << " missing, first: " << missing.front();
}

TEST(OpDefs, EveryOpResolvesOutputsFromDefaultsOrReportsWhichAttr) {
  // With no attrs set, an op either resolves (no count attrs, or counts with
  // defaults) or names the attr it lacks; it never aborts.
  int resolved = 0;
  for (const char* op : {"Abs", "Split", "SplitV", "Unpack", "IdentityN", "TopKV2", "While", "If", "_Arg"}) {
    const tensorflow::OpDef* def = find_op_def(op);
    ASSERT_NE(def, nullptr) << op;
    auto args = output_args(*def, node(op));
    if (args.ok()) ++resolved;
    else EXPECT_NE(args.status().message().find("lacks attr"), std::string::npos) << args.status().message();
  }
  EXPECT_EQ(resolved, 3);  // Abs, TopKV2, _Arg
}

}  // namespace
}  // namespace tflc
