// Op options are the schema's own tables: conversion into OpOptions, typed
// access with schema defaults, and the dump printing every field.
#include <gtest/gtest.h>

#include "ir/dump.h"
#include "ops/registry.h"

namespace tflc {
namespace {

TEST(Options, TablesConvertIntoTheRightUnion) {
  OpOptions a = tflite::ConcatenationOptionsT{.axis = 2};
  EXPECT_EQ(a.builtin.type, tflite::BuiltinOptions::ConcatenationOptions);
  EXPECT_EQ(a.builtin2.type, tflite::BuiltinOptions2::NONE);
  OpOptions b = tflite::StablehloConcatenateOptionsT{.dimension = 3};
  EXPECT_EQ(b.builtin.type, tflite::BuiltinOptions::NONE);
  EXPECT_EQ(b.builtin2.type, tflite::BuiltinOptions2::StablehloConcatenateOptions);
  EXPECT_TRUE(OpOptions{}.empty());
}

TEST(Options, UnsetReadsAsSchemaDefaultsAndMutableSetsTheTable) {
  Op op;
  op.code = OpCode::CONCATENATION;
  EXPECT_EQ(opts<tflite::ConcatenationOptionsT>(op).axis, 0);
  EXPECT_TRUE(op.options.empty());  // reading does not materialize
  mutable_opts<tflite::ConcatenationOptionsT>(op).axis = -1;
  EXPECT_EQ(opts<tflite::ConcatenationOptionsT>(op).axis, -1);
  Op copy = op;  // deep copy of the table
  mutable_opts<tflite::ConcatenationOptionsT>(copy).axis = 1;
  EXPECT_EQ(opts<tflite::ConcatenationOptionsT>(op).axis, -1);
}

TEST(Options, RecordDefaultIsAppliedAndOtherTablesRefused) {
  const OpSchema* s = find_op(OpCode::SOFTMAX);
  ASSERT_NE(s, nullptr);
  Op op;
  op.code = OpCode::SOFTMAX;
  ASSERT_TRUE(apply_default_options(*s, op).ok());
  EXPECT_EQ(opts<tflite::SoftmaxOptionsT>(op).beta, 1.0f);  // the record's default, not the schema's 0
  Op wrong;
  wrong.code = OpCode::SOFTMAX;
  wrong.options = tflite::ConcatenationOptionsT{};
  Status st = apply_default_options(*s, wrong);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("carries ConcatenationOptions instead of SoftmaxOptions"), std::string::npos)
      << st.message();
}

TEST(Options, DumpPrintsEveryField) {
  Graph g;
  Tensor x;
  x.name = "x";
  x.shape = {1, 4};
  TensorId xi = g.add_tensor(x);
  Tensor y = x;
  y.name = "y";
  TensorId yi = g.add_tensor(y);
  g.add_op(OpCode::SOFTMAX, {xi}, {yi}, tflite::SoftmaxOptionsT{.beta = 0.5f});
  g.inputs = {xi};
  g.outputs = {yi};
  std::string d = dump_graph(g);
  EXPECT_NE(d.find("%y = SOFTMAX(%x) { beta: 0.5 } : f32[1,4]"), std::string::npos) << d;
  g.ops[0]->code = OpCode::CONCATENATION;
  g.ops[0]->options = tflite::ConcatenationOptionsT{};
  d = dump_graph(g);
  // Fields at their defaults are printed too.
  EXPECT_NE(d.find("{ axis: 0, fused_activation_function: NONE }"), std::string::npos) << d;
  g.ops[0]->options = tflite::StablehloConcatenateOptionsT{.dimension = 1};
  EXPECT_NE(dump_graph(g).find("{ dimension: 1 }"), std::string::npos) << dump_graph(g);
}

}  // namespace
}  // namespace tflc
