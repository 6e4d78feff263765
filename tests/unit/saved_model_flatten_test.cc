// The SavedModel inliner resolves "node:output_arg:index" inside function
// bodies through the TF OpDef table, for any op.
#include "frontends/saved_model/flatten.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tflc {
namespace {

tensorflow::NodeDef* add(google::protobuf::RepeatedPtrField<tensorflow::NodeDef>* nodes, const std::string& name,
                         const std::string& op, const std::vector<std::string>& inputs) {
  tensorflow::NodeDef* n = nodes->Add();
  n->set_name(name);
  n->set_op(op);
  for (const auto& in : inputs) n->add_input(in);
  return n;
}

// main: x -> PartitionedCall(fn) "call"; fn returns `ret` (one output).
tensorflow::GraphDef graph_returning(const std::string& ret, bool with_custom = false) {
  tensorflow::GraphDef g;
  add(g.mutable_node(), "x", "Placeholder", {});
  auto* call = add(g.mutable_node(), "call", "PartitionedCall", {"x"});
  (*call->mutable_attr())["f"].mutable_func()->set_name("fn");
  tensorflow::FunctionDef* f = g.mutable_library()->add_function();
  auto* sig = f->mutable_signature();
  sig->set_name("fn");
  auto* in = sig->add_input_arg();
  in->set_name("x");
  in->set_type(tensorflow::DT_FLOAT);
  auto* out = sig->add_output_arg();
  out->set_name("y");
  out->set_type(tensorflow::DT_FLOAT);
  add(f->mutable_node_def(), "k", "Const", {});
  add(f->mutable_node_def(), "axis", "Const", {});
  add(f->mutable_node_def(), "topk", "TopKV2", {"x", "k:output:0"});
  auto* split = add(f->mutable_node_def(), "split", "Split", {"axis:output:0", "x"});
  (*split->mutable_attr())["num_split"].set_i(3);
  add(f->mutable_node_def(), "switch", "Switch", {"x", "k:output:0"});
  add(f->mutable_node_def(), "qr", "Qr", {"x"});  // outputs q, r
  if (with_custom) add(f->mutable_node_def(), "custom", "NotATensorFlowOp", {"x"});
  (*f->mutable_ret())["y"] = ret;
  return g;
}

Expected<std::string> flattened_call_input(const std::string& ret, bool with_custom = false) {
  tensorflow::GraphDef g = graph_returning(ret, with_custom);
  auto no_vars = [](const tensorflow::NodeDef& n) -> Expected<tensorflow::TensorProto> {
    return internal_error("no variables");
  };
  ASSIGN_OR_RETURN(tensorflow::GraphDef flat, flatten_graph(g, {"call:0"}, no_vars));
  for (const auto& n : flat.node())
    if (n.name() == "call") {
      EXPECT_EQ(n.op(), "IdentityN");
      if (n.input_size() != 1) return internal_error("call has " + std::to_string(n.input_size()) + " inputs");
      return n.input(0);
    }
  return internal_error("no node 'call'");
}

void expect_resolves(const std::string& ret, const std::string& want, bool with_custom = false) {
  auto got = flattened_call_input(ret, with_custom);
  ASSERT_TRUE(got.ok()) << ret << ": " << got.status().message();
  EXPECT_EQ(*got, want) << ret;
}

TEST(SavedModelFlatten, ResolvesNamedOutputArgsThroughOpDefs) {
  expect_resolves("topk:values:0", "call/topk");
  expect_resolves("topk:indices:0", "call/topk:1");
  expect_resolves("split:output:2", "call/split:2");
  expect_resolves("switch:output_true:0", "call/switch:1");
  expect_resolves("qr:r:0", "call/qr:1");
  expect_resolves("k:output:0", "call/k");
  expect_resolves("x", "x");
}

TEST(SavedModelFlatten, RejectsUnknownArgsAndIndicesOutOfRange) {
  auto bad_arg = flattened_call_input("topk:idx:0");
  ASSERT_FALSE(bad_arg.ok());
  EXPECT_NE(bad_arg.status().message().find("values, indices"), std::string::npos) << bad_arg.status().message();
  EXPECT_FALSE(flattened_call_input("split:output:3").ok());
  EXPECT_FALSE(flattened_call_input("topk:indices:1").ok());
  EXPECT_FALSE(flattened_call_input("topk:indices:x").ok());
  EXPECT_FALSE(flattened_call_input("topk:indices:-1").ok());
}

TEST(SavedModelFlatten, OpsWithoutAnOpDefKeepTheirIndex) {
  // The importer reports the op itself; the inliner does not guess its args.
  expect_resolves("custom:out:1", "call/custom:1", /*with_custom=*/true);
}

}  // namespace
}  // namespace tflc
