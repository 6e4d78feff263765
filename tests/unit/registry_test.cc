// Walks every op record: each TFLite builtin has shape inference, a
// reference kernel (or a stated reason), and runtime versions; every TF op
// that the converter promises has a lowering.
#include <gtest/gtest.h>

#include <set>

#include "frontends/graphdef/tf_op_registry.h"
#include "ops/registry.h"

namespace tflc {

TEST(Registry, EveryBuiltinIsComplete) {
  auto ops = all_ops();
  EXPECT_GT(ops.size(), 0u);
  for (const OpSchema* s : ops) {
    SCOPED_TRACE(op_name(s->code));
    EXPECT_NE(s->infer, nullptr);
    EXPECT_TRUE(s->eval != nullptr || s->no_eval_reason != nullptr);
    EXPECT_FALSE(s->runtime_versions.empty());
  }
}

TEST(Registry, PromisedTfOpsHaveLowerings) {
  const char* promised[] = {
      "Conv2D", "DepthwiseConv2dNative", "Conv2DBackpropInput", "Conv3D", "MatMul", "BatchMatMul", "BatchMatMulV2",
      "BatchMatMulV3", "BiasAdd", "Add", "AddV2", "AddN", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod",
      "Maximum", "Minimum", "SquaredDifference", "Pow", "Relu", "Relu6", "LeakyRelu", "Elu", "Selu", "Sigmoid",
      "Tanh", "Softmax", "LogSoftmax", "Softplus", "Exp", "Log", "Sqrt", "Rsqrt", "Square", "Neg", "Abs", "Floor",
      "Ceil", "Round", "Sin", "Cos", "Erf", "MaxPool", "AvgPool", "Mean", "Sum", "Max", "Min", "Prod", "ArgMax",
      "ArgMin", "Reshape", "Squeeze", "ExpandDims", "Transpose", "ConcatV2", "Pack", "Unpack", "Split", "SplitV",
      "Slice", "StridedSlice", "Pad", "PadV2", "MirrorPad", "Tile", "SpaceToDepth", "DepthToSpace",
      "SpaceToBatchND", "BatchToSpaceND", "Cast", "Fill", "ZerosLike", "OnesLike", "Range", "GatherV2", "GatherNd",
      "Shape", "Size", "Rank", "ResizeBilinear", "ResizeNearestNeighbor", "FusedBatchNorm", "FusedBatchNormV2",
      "FusedBatchNormV3", "Less", "Greater", "Equal", "NotEqual", "LessEqual", "GreaterEqual", "LogicalAnd",
      "LogicalOr", "LogicalNot", "Select", "SelectV2", "TopKV2"};
  std::set<std::string> missing;
  for (const char* op : promised)
    if (!find_tf_op(op)) missing.insert(op);
  std::string list;
  for (const auto& m : missing) list += m + " ";
  EXPECT_TRUE(missing.empty()) << "no lowering for: " << list;
}

}  // namespace tflc
