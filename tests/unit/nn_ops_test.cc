// Neural-network ops: shape inference and reference kernels of CONV_2D,
// DEPTHWISE_CONV_2D, TRANSPOSE_CONV, CONV_3D, FULLY_CONNECTED, BATCH_MATMUL,
// pooling, reductions, ARG_MAX/MIN, TOPK_V2 and resizing against
// hand-computed values; versions and options; and the TF lowerings on tiny
// GraphDefs, checked against naive TensorFlow-semantics loops written here.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <random>

#include "frontends/graphdef/import.h"
#include "frontends/graphdef/tf_op_registry.h"
#include "ops/conv_padding.h"
#include "ops/op_util.h"
#include "tensorflow/core/framework/types.pb.h"

namespace tflc {
namespace {

// ------------------------------------------------------------ op harness

TensorId cf(Graph& g, Shape shape, std::vector<float> v) {
  return g.add_const("f" + std::to_string(g.tensors.size()), DType::kFloat32, std::move(shape), to_bytes(v));
}
TensorId ci(Graph& g, Shape shape, std::vector<int32_t> v) {
  return g.add_const("i" + std::to_string(g.tensors.size()), DType::kInt32, std::move(shape), to_bytes(v));
}
TensorId ci64(Graph& g, Shape shape, std::vector<int64_t> v) {
  return g.add_const("l" + std::to_string(g.tensors.size()), DType::kInt64, std::move(shape), to_bytes(v));
}
TensorId var(Graph& g, DType t, Shape shape) {
  Tensor x;
  x.name = "v" + std::to_string(g.tensors.size());
  x.dtype = t;
  x.shape = std::move(shape);
  return g.add_tensor(std::move(x));
}

std::vector<float> iota(int n, float start = 1) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = start + static_cast<float>(i);
  return v;
}

std::vector<float> random_floats(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

// Adds an op, infers its outputs and (when `eval`) runs its kernel.
Op& make_op(Graph& g, OpCode code, std::vector<TensorId> ins, OpOptions a = {}, int nout = 1) {
  std::vector<TensorId> outs;
  for (int i = 0; i < nout; ++i) outs.push_back(g.add_tensor({}));
  return g.add_op(code, std::move(ins), outs, std::move(a));
}

Status infer(Graph& g, Op& op) { return infer_op(g, op); }

Status infer_eval(Graph& g, Op& op) {
  RETURN_IF_ERROR(infer_op(g, op));
  return find_op(op.code)->eval(g, op);
}

std::vector<float> fout(const Graph& g, const Op& op, int i = 0) { return const_values<float>(g.t(op.outputs[i])); }
const Shape& oshape(const Graph& g, const Op& op, int i = 0) { return g.t(op.outputs[i]).shape; }

void expect_near(const std::vector<float>& got, const std::vector<float>& want, float tol = 1e-5f) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol * std::max(1.0f, std::fabs(want[i]))) << "at " << i;
}

int version(const Graph& g, const Op& op) { return op_version(g, op); }

// The options table the writer gives the op: its own, or its record's default.
tflite::BuiltinOptions options_type(const Graph&, const Op& op) {
  Op o = op;
  if (!apply_default_options(*find_op(op.code), o).ok()) return tflite::BuiltinOptions::NONE;
  return o.options.builtin.type;
}

// ============================================================ CONV_2D

TEST(NnConv2d, SameStride1MatchesHandValues) {
  Graph g;
  TensorId x = cf(g, {1, 3, 3, 1}, iota(9));
  TensorId f = cf(g, {1, 3, 3, 1}, std::vector<float>(9, 1.0f));
  TensorId b = cf(g, {1}, {-20.0f});
  tflite::Conv2DOptionsT a;
  a.stride_w = a.stride_h = 1;
  a.fused_activation_function = Activation::RELU;
  Op& op = make_op(g, OpCode::CONV_2D, {x, f, b}, a);
  ASSERT_TRUE(infer_eval(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{1, 3, 3, 1}));
  // Neighbourhood sums 12 21 16 / 27 45 33 / 24 39 28, minus 20, relu.
  expect_near(fout(g, op), {0, 1, 0, 7, 25, 13, 4, 19, 8});
  EXPECT_EQ(version(g, op), 1);
  EXPECT_EQ(options_type(g, op), tflite::BuiltinOptions::Conv2DOptions);
}

TEST(NnConv2d, SamePutsOddPaddingAtTheEnd) {
  Graph g;
  TensorId x = cf(g, {1, 1, 4, 1}, {1, 2, 3, 4});
  TensorId f = cf(g, {1, 1, 2, 1}, {1, 10});
  Op& op = make_op(g, OpCode::CONV_2D, {x, f, cf(g, {1}, {0})});
  ASSERT_TRUE(infer_eval(g, op).ok());
  expect_near(fout(g, op), {21, 32, 43, 4});
}

TEST(NnConv2d, OutputShapesForStridesAndDilations) {
  struct Case {
    Padding p;
    int stride, dilation;
    int64_t in, k, want;
  } cases[] = {{Padding::SAME, 2, 1, 5, 3, 3},  {Padding::VALID, 2, 1, 5, 3, 2}, {Padding::VALID, 1, 2, 5, 3, 1},
               {Padding::SAME, 1, 2, 5, 3, 5},  {Padding::VALID, 3, 1, 7, 2, 2}, {Padding::SAME, 3, 1, 7, 2, 3},
               {Padding::VALID, 1, 1, 2, 3, 0}};
  for (const Case& c : cases) {
    Graph g;
    TensorId x = var(g, DType::kFloat32, {2, c.in, c.in, 3});
    TensorId f = cf(g, {4, c.k, c.k, 3}, std::vector<float>(c.k * c.k * 12, 0.5f));
    tflite::Conv2DOptionsT a;
    a.padding = c.p;
    a.stride_h = a.stride_w = c.stride;
    a.dilation_h_factor = a.dilation_w_factor = c.dilation;
    Op& op = make_op(g, OpCode::CONV_2D, {x, f, cf(g, {4}, {0, 0, 0, 0})}, a);
    ASSERT_TRUE(infer(g, op).ok());
    EXPECT_EQ(oshape(g, op), (Shape{2, c.want, c.want, 4})) << c.in << " k" << c.k << " s" << c.stride;
  }
}

TEST(NnConv2d, DynamicDimsAndErrors) {
  Graph g;
  TensorId x = var(g, DType::kFloat32, {-1, -1, 8, 3});
  TensorId f = cf(g, {4, 3, 3, 3}, std::vector<float>(108, 1));
  tflite::Conv2DOptionsT a;
  a.stride_h = a.stride_w = 2;
  Op& op = make_op(g, OpCode::CONV_2D, {x, f, cf(g, {4}, {0, 0, 0, 0})}, a);
  ASSERT_TRUE(infer(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{-1, -1, 4, 4}));
  Op& bad = make_op(g, OpCode::CONV_2D, {var(g, DType::kFloat32, {1, 4, 4, 5}), f});
  EXPECT_EQ(infer(g, bad).kind(), ErrorKind::kInvalidInput);
  Op& bad_bias = make_op(g, OpCode::CONV_2D, {x, f, cf(g, {3}, {0, 0, 0})});
  EXPECT_EQ(infer(g, bad_bias).kind(), ErrorKind::kInvalidInput);
}

TEST(NnConv2d, GroupedConvolutionAndVersion) {
  Graph g;
  // Two groups of one channel: output channel k reads input channel k.
  TensorId x = cf(g, {1, 1, 2, 2}, {1, 2, 3, 4});
  TensorId f = cf(g, {2, 1, 1, 1}, {10, 100});
  Op& op = make_op(g, OpCode::CONV_2D, {x, f, cf(g, {2}, {0, 0})});
  ASSERT_TRUE(infer_eval(g, op).ok());
  expect_near(fout(g, op), {10, 200, 30, 400});
  EXPECT_EQ(version(g, op), 6);
}

TEST(NnConv2d, ThreeByThreeFilterWithOneMegabyteFoldsFast) {
  Graph g;
  // 3x3x128x256 float filter (1.1 MB) over a 14x14x256 input.
  TensorId x = cf(g, {1, 14, 14, 256}, random_floats(14 * 14 * 256, 1));
  TensorId f = cf(g, {128, 3, 3, 256}, random_floats(128 * 9 * 256, 2));
  Op& op = make_op(g, OpCode::CONV_2D, {x, f, cf(g, {128}, std::vector<float>(128, 0))});
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(infer_eval(g, op).ok());
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 1.0);
  EXPECT_EQ(oshape(g, op), (Shape{1, 14, 14, 128}));
}

// ==================================================== DEPTHWISE_CONV_2D

TEST(NnDepthwise, MultiplierTwo) {
  Graph g;
  TensorId x = cf(g, {1, 1, 1, 2}, {2, 3});
  TensorId f = cf(g, {1, 1, 1, 4}, {1, 10, 100, 1000});
  tflite::DepthwiseConv2DOptionsT a;
  a.stride_w = a.stride_h = 1;
  a.depth_multiplier = 2;
  Op& op = make_op(g, OpCode::DEPTHWISE_CONV_2D, {x, f, cf(g, {4}, {1, 1, 1, 1})}, a);
  ASSERT_TRUE(infer_eval(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{1, 1, 1, 4}));
  expect_near(fout(g, op), {3, 21, 301, 3001});
  EXPECT_EQ(version(g, op), 1);
  mutable_opts<tflite::DepthwiseConv2DOptionsT>(op).dilation_h_factor = 2;
  EXPECT_EQ(version(g, op), 2);
  EXPECT_EQ(options_type(g, op), tflite::BuiltinOptions::DepthwiseConv2DOptions);
}

TEST(NnDepthwise, SpatialWindowPerChannel) {
  Graph g;
  // Channel 0 = 1..4, channel 1 = 10..40 on a 2x2 image; 2x2 VALID window.
  TensorId x = cf(g, {1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40});
  TensorId f = cf(g, {1, 2, 2, 2}, {1, 0, 1, 0, 1, 0, 0, 1});
  tflite::DepthwiseConv2DOptionsT a;
  a.padding = Padding::VALID;
  a.stride_w = a.stride_h = 1;
  a.depth_multiplier = 1;
  Op& op = make_op(g, OpCode::DEPTHWISE_CONV_2D, {x, f, cf(g, {2}, {0, 0})}, a);
  ASSERT_TRUE(infer_eval(g, op).ok());
  expect_near(fout(g, op), {1 + 2 + 3, 40});
}

// ======================================================= TRANSPOSE_CONV

TEST(NnTransposeConv, Stride2ValidSpreadsBlocks) {
  Graph g;
  TensorId os = ci(g, {4}, {1, 4, 4, 1});
  TensorId w = cf(g, {1, 2, 2, 1}, {1, 2, 3, 4});
  TensorId x = cf(g, {1, 2, 2, 1}, {1, 10, 100, 1000});
  tflite::TransposeConvOptionsT a;
  a.padding = Padding::VALID;
  a.stride_h = a.stride_w = 2;
  Op& op = make_op(g, OpCode::TRANSPOSE_CONV, {os, w, x, kNoTensor}, a);
  ASSERT_TRUE(infer_eval(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{1, 4, 4, 1}));
  expect_near(fout(g, op), {1,   2,   10,   20,   3,   4,   30,   40,  //
                            100, 200, 1000, 2000, 300, 400, 3000, 4000});
  EXPECT_EQ(version(g, op), 1);
  EXPECT_EQ(options_type(g, op), tflite::BuiltinOptions::TransposeConvOptions);
}

TEST(NnTransposeConv, SameStride1WithBiasAndVersions) {
  Graph g;
  TensorId os = ci(g, {4}, {1, 3, 3, 1});
  TensorId w = cf(g, {1, 3, 3, 1}, std::vector<float>(9, 1));
  TensorId x = cf(g, {1, 3, 3, 1}, iota(9));
  Op& op = make_op(g, OpCode::TRANSPOSE_CONV, {os, w, x, cf(g, {1}, {1})});
  ASSERT_TRUE(infer_eval(g, op).ok());
  expect_near(fout(g, op), {13, 22, 17, 28, 46, 34, 25, 40, 29});
  EXPECT_EQ(version(g, op), 3);
  mutable_opts<tflite::TransposeConvOptionsT>(op).fused_activation_function = Activation::RELU;
  EXPECT_EQ(version(g, op), 4);
}

TEST(NnTransposeConv, DynamicOutputShape) {
  Graph g;
  Op& op = make_op(g, OpCode::TRANSPOSE_CONV,
                   {var(g, DType::kInt32, {4}), cf(g, {5, 3, 3, 2}, std::vector<float>(90, 1)),
                    var(g, DType::kFloat32, {-1, 4, 4, 2})});
  ASSERT_TRUE(infer(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{-1, -1, -1, 5}));
}

// ============================================================== CONV_3D

TEST(NnConv3d, ValidCubeSumAndSame) {
  Graph g;
  TensorId x = cf(g, {1, 2, 2, 2, 1}, iota(8));
  TensorId f = cf(g, {2, 2, 2, 1, 2}, [] {
    std::vector<float> v(16);
    for (int i = 0; i < 8; ++i) v[2 * i] = 1, v[2 * i + 1] = -1;
    return v;
  }());
  tflite::Conv3DOptionsT a;
  a.padding = Padding::VALID;
  a.stride_d = a.stride_h = a.stride_w = 1;
  Op& op = make_op(g, OpCode::CONV_3D, {x, f, cf(g, {2}, {0.5f, 0})}, a);
  ASSERT_TRUE(infer_eval(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{1, 1, 1, 1, 2}));
  expect_near(fout(g, op), {36.5f, -36});
  tflite::Conv3DOptionsT s;
  s.stride_d = s.stride_h = s.stride_w = 2;
  Op& same = make_op(g, OpCode::CONV_3D, {var(g, DType::kFloat32, {1, 5, 6, 7, 1}), f}, s);
  ASSERT_TRUE(infer(g, same).ok());
  EXPECT_EQ(oshape(g, same), (Shape{1, 3, 3, 4, 2}));
  EXPECT_EQ(version(g, op), 1);
  EXPECT_EQ(options_type(g, op), tflite::BuiltinOptions::Conv3DOptions);
}

// ====================================================== FULLY_CONNECTED

TEST(NnFullyConnected, FlattensAndKeepsDims) {
  Graph g;
  TensorId x = cf(g, {1, 2, 3}, iota(6));
  TensorId w = cf(g, {2, 3}, {1, 0, 0, 0, 1, 1});
  Op& op = make_op(g, OpCode::FULLY_CONNECTED, {x, w, kNoTensor});
  ASSERT_TRUE(infer_eval(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{2, 2}));
  expect_near(fout(g, op), {1, 5, 4, 11});
  EXPECT_EQ(version(g, op), 1);  // -1 bias still counts as an input

  tflite::FullyConnectedOptionsT a;
  a.keep_num_dims = true;
  a.fused_activation_function = Activation::RELU6;
  Op& keep = make_op(g, OpCode::FULLY_CONNECTED, {x, w, cf(g, {2}, {0, -2})}, a);
  ASSERT_TRUE(infer_eval(g, keep).ok());
  EXPECT_EQ(oshape(g, keep), (Shape{1, 2, 2}));
  expect_near(fout(g, keep), {1, 3, 4, 6});
  EXPECT_EQ(version(g, keep), 5);

  Op& two = make_op(g, OpCode::FULLY_CONNECTED, {x, w});
  ASSERT_TRUE(infer(g, two).ok());
  EXPECT_EQ(version(g, two), 6);
  EXPECT_EQ(options_type(g, two), tflite::BuiltinOptions::FullyConnectedOptions);
}

TEST(NnFullyConnected, DynamicBatchAndBadShapes) {
  Graph g;
  TensorId w = cf(g, {4, 3}, std::vector<float>(12, 1));
  Op& op = make_op(g, OpCode::FULLY_CONNECTED, {var(g, DType::kFloat32, {-1, 3}), w, kNoTensor});
  ASSERT_TRUE(infer(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{-1, 4}));
  Op& bad = make_op(g, OpCode::FULLY_CONNECTED, {var(g, DType::kFloat32, {2, 5}), w, kNoTensor});
  EXPECT_EQ(infer(g, bad).kind(), ErrorKind::kInvalidInput);
}

// ========================================================= BATCH_MATMUL

TEST(NnBatchMatmul, BroadcastAndAdjoints) {
  Graph g;
  TensorId x = cf(g, {2, 1, 2}, {1, 2, 3, 4});  // two 1x2 matrices
  TensorId y = cf(g, {2, 2}, {1, 10, 100, 1000});
  Op& op = make_op(g, OpCode::BATCH_MATMUL, {x, y});
  ASSERT_TRUE(infer_eval(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{2, 1, 2}));
  expect_near(fout(g, op), {201, 2010, 403, 4030});

  tflite::BatchMatMulOptionsT a;
  a.adj_x = true;
  a.adj_y = true;
  // x^T: [[1],[2]] (2x1) from [1,2] stored as 1x2 -> adj_x of a 1x2 is 2x1.
  TensorId xa = cf(g, {1, 2}, {1, 2});
  TensorId ya = cf(g, {3, 1}, {1, 2, 3});
  Op& adj = make_op(g, OpCode::BATCH_MATMUL, {xa, ya}, a);
  ASSERT_TRUE(infer_eval(g, adj).ok());
  EXPECT_EQ(oshape(g, adj), (Shape{2, 3}));
  expect_near(fout(g, adj), {1, 2, 3, 2, 4, 6});
  EXPECT_EQ(version(g, adj), 1);
  EXPECT_EQ(options_type(g, adj), tflite::BuiltinOptions::BatchMatMulOptions);

  Op& bad = make_op(g, OpCode::BATCH_MATMUL, {x, cf(g, {3, 2}, std::vector<float>(6, 0))});
  EXPECT_EQ(infer(g, bad).kind(), ErrorKind::kInvalidInput);
  Op& dyn = make_op(g, OpCode::BATCH_MATMUL,
                    {var(g, DType::kFloat32, {-1, 4, 1, 5, 3}), var(g, DType::kFloat32, {3, 3, 7})});
  ASSERT_TRUE(infer(g, dyn).ok());
  EXPECT_EQ(oshape(g, dyn), (Shape{-1, 4, 3, 5, 7}));
}

// =============================================================== pooling

TEST(NnPool, MaxAndAverageSameCountOnlyInBounds) {
  Graph g;
  TensorId x = cf(g, {1, 3, 3, 1}, iota(9));
  tflite::Pool2DOptionsT a;
  a.filter_height = a.filter_width = 2;
  a.stride_h = a.stride_w = 2;
  Op& mx = make_op(g, OpCode::MAX_POOL_2D, {x}, a);
  Op& av = make_op(g, OpCode::AVERAGE_POOL_2D, {x}, a);
  ASSERT_TRUE(infer_eval(g, mx).ok());
  ASSERT_TRUE(infer_eval(g, av).ok());
  EXPECT_EQ(oshape(g, mx), (Shape{1, 2, 2, 1}));
  expect_near(fout(g, mx), {5, 6, 8, 9});
  expect_near(fout(g, av), {3, 4.5f, 7.5f, 9});
  EXPECT_EQ(version(g, mx), 1);
  EXPECT_EQ(options_type(g, av), tflite::BuiltinOptions::Pool2DOptions);
}

TEST(NnPool, SameThreeByThreeCentredWindowAndActivation) {
  Graph g;
  TensorId x = cf(g, {1, 3, 3, 1}, iota(9, -4));  // -4..4
  tflite::Pool2DOptionsT a;
  a.filter_height = a.filter_width = 3;
  a.stride_h = a.stride_w = 1;
  a.fused_activation_function = Activation::RELU;
  Op& av = make_op(g, OpCode::AVERAGE_POOL_2D, {x}, a);
  ASSERT_TRUE(infer_eval(g, av).ok());
  // Corner (-4,-3,-1,0)/4 = -2 -> relu 0; centre 0; last corner (0+1+3+4)/4 = 2.
  std::vector<float> r = fout(g, av);
  EXPECT_FLOAT_EQ(r[0], 0);
  EXPECT_FLOAT_EQ(r[4], 0);
  EXPECT_FLOAT_EQ(r[8], 2);
  EXPECT_FLOAT_EQ(r[5], 0.5f);  // (-3 - 2 + 0 + 1 + 3 + 4) / 6
}

// ============================================================ reductions

TEST(NnReduce, MeanSumMaxMinProd) {
  Graph g;
  TensorId x = cf(g, {2, 3}, {1, 2, 3, 4, 5, 6});
  tflite::ReducerOptionsT keep;
  keep.keep_dims = true;
  Op& mean = make_op(g, OpCode::MEAN, {x, ci(g, {1}, {1})}, keep);
  Op& sum = make_op(g, OpCode::SUM, {x, ci(g, {1}, {-2})});
  Op& mx = make_op(g, OpCode::REDUCE_MAX, {x, ci(g, {2}, {0, 1})});
  Op& mn = make_op(g, OpCode::REDUCE_MIN, {x, ci(g, {3}, {1, -1, 1})});
  Op& prod = make_op(g, OpCode::REDUCE_PROD, {x, ci(g, {}, {0})}, keep);
  for (Op* op : {&mean, &sum, &mx, &mn, &prod}) ASSERT_TRUE(infer_eval(g, *op).ok()) << op_name(op->code);
  EXPECT_EQ(oshape(g, mean), (Shape{2, 1}));
  expect_near(fout(g, mean), {2, 5});
  EXPECT_EQ(oshape(g, sum), (Shape{3}));
  expect_near(fout(g, sum), {5, 7, 9});
  EXPECT_EQ(oshape(g, mx), (Shape{}));
  expect_near(fout(g, mx), {6});
  expect_near(fout(g, mn), {1, 4});
  EXPECT_EQ(oshape(g, prod), (Shape{1, 3}));
  expect_near(fout(g, prod), {4, 10, 18});
  EXPECT_EQ(version(g, mean), 1);
  EXPECT_EQ(options_type(g, sum), tflite::BuiltinOptions::ReducerOptions);
}

TEST(NnReduce, IntegerMeanTruncatesAndInt64Axes) {
  Graph g;
  TensorId x = g.add_const("x", DType::kInt32, {4}, to_bytes(std::vector<int32_t>{1, 2, 2, 2}));
  Op& mean = make_op(g, OpCode::MEAN, {x, ci(g, {1}, {0})});
  ASSERT_TRUE(infer_eval(g, mean).ok());
  EXPECT_EQ(const_values<int32_t>(g.t(mean.outputs[0])), std::vector<int32_t>{1});
  Op& sum = make_op(g, OpCode::SUM, {x, ci64(g, {1}, {0})});
  ASSERT_TRUE(infer_eval(g, sum).ok());
  EXPECT_EQ(const_values<int32_t>(g.t(sum.outputs[0])), std::vector<int32_t>{7});
  Op& bad = make_op(g, OpCode::SUM, {x, ci(g, {1}, {1})});
  EXPECT_EQ(infer(g, bad).kind(), ErrorKind::kInvalidInput);
}

TEST(NnReduce, MeanOverSpatialDims) {
  Graph g;
  TensorId x = cf(g, {1, 2, 2, 2}, {1, 10, 2, 20, 3, 30, 4, 40});
  Op& op = make_op(g, OpCode::MEAN, {x, ci(g, {2}, {1, 2})});
  ASSERT_TRUE(infer_eval(g, op).ok());
  EXPECT_EQ(oshape(g, op), (Shape{1, 2}));
  expect_near(fout(g, op), {2.5f, 25});
}

TEST(NnArg, MaxMinTiesAndOutputTypes) {
  Graph g;
  TensorId x = cf(g, {2, 3}, {1, 5, 5, 7, 0, 0});
  tflite::ArgMaxOptionsT a;
  a.output_type = tflite::TensorType::INT32;
  Op& amax = make_op(g, OpCode::ARG_MAX, {x, ci(g, {}, {1})}, a);
  ASSERT_TRUE(infer_eval(g, amax).ok());
  EXPECT_EQ(oshape(g, amax), (Shape{2}));
  EXPECT_EQ(g.t(amax.outputs[0]).dtype, DType::kInt32);
  EXPECT_EQ(const_values<int32_t>(g.t(amax.outputs[0])), (std::vector<int32_t>{1, 0}));
  tflite::ArgMinOptionsT b;
  b.output_type = tflite::TensorType::INT64;
  Op& amin = make_op(g, OpCode::ARG_MIN, {x, ci(g, {1}, {-1})}, b);
  ASSERT_TRUE(infer_eval(g, amin).ok());
  EXPECT_EQ(const_values<int64_t>(g.t(amin.outputs[0])), (std::vector<int64_t>{0, 1}));
  Op& amin0 = make_op(g, OpCode::ARG_MIN, {x, ci(g, {}, {0})}, b);
  ASSERT_TRUE(infer_eval(g, amin0).ok());
  EXPECT_EQ(const_values<int64_t>(g.t(amin0.outputs[0])), (std::vector<int64_t>{0, 1, 1}));
  EXPECT_EQ(version(g, amax), 1);
  EXPECT_EQ(options_type(g, amax), tflite::BuiltinOptions::ArgMaxOptions);
  EXPECT_EQ(options_type(g, amin), tflite::BuiltinOptions::ArgMinOptions);
}

// ================================================================= TOPK_V2

TEST(NnTopK, SortedWithLowerIndexFirstOnTies) {
  Graph g;
  TensorId x = cf(g, {2, 4}, {3, 1, 3, 2, -1, 4, 0, 4});
  Op& op = make_op(g, OpCode::TOPK_V2, {x, ci(g, {}, {3})}, {}, 2);
  ASSERT_TRUE(infer_eval(g, op).ok());
  EXPECT_EQ(oshape(g, op, 0), (Shape{2, 3}));
  EXPECT_EQ(g.t(op.outputs[1]).dtype, DType::kInt32);
  expect_near(fout(g, op, 0), {3, 3, 2, 4, 4, 0});
  EXPECT_EQ(const_values<int32_t>(g.t(op.outputs[1])), (std::vector<int32_t>{0, 2, 3, 1, 3, 2}));
  Op& bad = make_op(g, OpCode::TOPK_V2, {x, ci(g, {}, {5})}, {}, 2);
  EXPECT_EQ(infer(g, bad).kind(), ErrorKind::kInvalidInput);
  EXPECT_EQ(version(g, op), 1);
}

// ================================================================ resizing

TEST(NnResize, BilinearVariants) {
  Graph g;
  TensorId x = cf(g, {1, 1, 2, 1}, {0, 1});
  Op& legacy = make_op(g, OpCode::RESIZE_BILINEAR, {x, ci(g, {2}, {1, 4})});
  tflite::ResizeBilinearOptionsT ac;
  ac.align_corners = true;
  Op& align = make_op(g, OpCode::RESIZE_BILINEAR, {x, ci(g, {2}, {1, 3})}, ac);
  tflite::ResizeBilinearOptionsT hp;
  hp.half_pixel_centers = true;
  Op& half = make_op(g, OpCode::RESIZE_BILINEAR, {x, ci(g, {2}, {1, 4})}, hp);
  for (Op* op : {&legacy, &align, &half}) ASSERT_TRUE(infer_eval(g, *op).ok());
  EXPECT_EQ(oshape(g, legacy), (Shape{1, 1, 4, 1}));
  expect_near(fout(g, legacy), {0, 0.5f, 1, 1});
  expect_near(fout(g, align), {0, 0.5f, 1});
  expect_near(fout(g, half), {0, 0.25f, 0.75f, 1});
  EXPECT_EQ(version(g, legacy), 1);
  EXPECT_EQ(version(g, half), 3);
  EXPECT_EQ(options_type(g, half), tflite::BuiltinOptions::ResizeBilinearOptions);
}

TEST(NnResize, Bilinear2dMixesRowsAndColumns) {
  Graph g;
  TensorId x = cf(g, {1, 2, 2, 1}, {0, 1, 2, 3});
  Op& op = make_op(g, OpCode::RESIZE_BILINEAR, {x, ci(g, {2}, {3, 3})});
  ASSERT_TRUE(infer_eval(g, op).ok());
  // scale 2/3: positions 0, 2/3, 4/3 (clamped to row/col 1).
  const float t = 2.0f / 3.0f;
  expect_near(fout(g, op), {0, t, 1, 2 * t, 3 * t, 2 * t + 1, 2, 2 + t, 3});
}

TEST(NnResize, NearestVariants) {
  Graph g;
  TensorId x = cf(g, {1, 1, 3, 1}, {10, 20, 30});
  Op& legacy = make_op(g, OpCode::RESIZE_NEAREST_NEIGHBOR, {x, ci(g, {2}, {1, 5})});
  tflite::ResizeNearestNeighborOptionsT ac;
  ac.align_corners = true;
  Op& align = make_op(g, OpCode::RESIZE_NEAREST_NEIGHBOR, {x, ci(g, {2}, {1, 5})}, ac);
  tflite::ResizeNearestNeighborOptionsT hp;
  hp.half_pixel_centers = true;
  Op& half = make_op(g, OpCode::RESIZE_NEAREST_NEIGHBOR, {x, ci(g, {2}, {1, 5})}, hp);
  for (Op* op : {&legacy, &align, &half}) ASSERT_TRUE(infer_eval(g, *op).ok());
  expect_near(fout(g, legacy), {10, 10, 20, 20, 30});
  expect_near(fout(g, align), {10, 20, 20, 30, 30});
  expect_near(fout(g, half), {10, 10, 20, 30, 30});
  EXPECT_EQ(version(g, legacy), 1);
  EXPECT_EQ(version(g, align), 3);
  // Integer images are copied as they are.
  TensorId xi = g.add_const("xi", DType::kInt8, {1, 1, 2, 1}, std::string("\x05\xfb", 2));
  Op& i8 = make_op(g, OpCode::RESIZE_NEAREST_NEIGHBOR, {xi, ci(g, {2}, {1, 4})});
  ASSERT_TRUE(infer_eval(g, i8).ok());
  EXPECT_EQ(const_values<int8_t>(g.t(i8.outputs[0])), (std::vector<int8_t>{5, 5, -5, -5}));
  EXPECT_EQ(version(g, i8), 2);
}

// ============================================================ TF lowerings

using tensorflow::NodeDef;

struct TfGraph {
  tensorflow::GraphDef gd;

  NodeDef& node(const std::string& name, const std::string& op, std::vector<std::string> inputs = {}) {
    NodeDef* n = gd.add_node();
    n->set_name(name);
    n->set_op(op);
    for (auto& i : inputs) n->add_input(i);
    (*n->mutable_attr())["T"].set_type(tensorflow::DT_FLOAT);
    return *n;
  }
  static void ints(NodeDef& n, const std::string& key, std::vector<int64_t> v) {
    auto* l = (*n.mutable_attr())[key].mutable_list();
    for (int64_t x : v) l->add_i(x);
  }
  static void str(NodeDef& n, const std::string& key, const std::string& v) { (*n.mutable_attr())[key].set_s(v); }
  static void flag(NodeDef& n, const std::string& key, bool v) { (*n.mutable_attr())[key].set_b(v); }
  static void type(NodeDef& n, const std::string& key, tensorflow::DataType t) { (*n.mutable_attr())[key].set_type(t); }

  void placeholder(const std::string& name, Shape shape, tensorflow::DataType t = tensorflow::DT_FLOAT) {
    NodeDef& n = node(name, "Placeholder");
    type(n, "dtype", t);
    auto* s = (*n.mutable_attr())["shape"].mutable_shape();
    for (int64_t d : shape) s->add_dim()->set_size(d);
  }
  tensorflow::TensorProto& constant(const std::string& name, tensorflow::DataType t, Shape shape) {
    NodeDef& n = node(name, "Const");
    type(n, "dtype", t);
    auto* tp = (*n.mutable_attr())["value"].mutable_tensor();
    tp->set_dtype(t);
    for (int64_t d : shape) tp->mutable_tensor_shape()->add_dim()->set_size(d);
    return *tp;
  }
  void f32(const std::string& name, const std::vector<float>& v, Shape shape) {
    auto& t = constant(name, tensorflow::DT_FLOAT, shape);
    for (float x : v) t.add_float_val(x);
  }
  void i32(const std::string& name, const std::vector<int32_t>& v, Shape shape) {
    auto& t = constant(name, tensorflow::DT_INT32, shape);
    for (int32_t x : v) t.add_int_val(x);
  }
  void i64(const std::string& name, const std::vector<int64_t>& v, Shape shape) {
    auto& t = constant(name, tensorflow::DT_INT64, shape);
    for (int64_t x : v) t.add_int64_val(x);
  }
};

struct Imported {
  Status status;
  Model model;
  Graph& g() { return model.subgraphs.at(0); }
  std::vector<const Op*> live() {
    std::vector<const Op*> v;
    for (auto& op : g().ops)
      if (!op->dead) v.push_back(op.get());
    return v;
  }
  const Tensor& out(int i = 0) { return g().t(g().outputs.at(i)); }
};

Imported import(TfGraph& b, std::vector<std::string> outputs) {
  GraphDefImportOptions opt;
  opt.output_arrays = std::move(outputs);
  Imported r;
  auto m = import_graphdef(b.gd, opt);
  r.status = m.status();
  if (m.ok()) r.model = std::move(m).value();
  return r;
}

// Feeds the graph inputs and runs the live ops with our kernels.
Status run(Graph& g, const std::vector<std::vector<float>>& feeds) {
  for (size_t i = 0; i < g.inputs.size(); ++i) g.t(g.inputs[i]).data = make_buffer(to_bytes(feeds.at(i)));
  for (auto& op : g.ops) {
    if (op->dead) continue;
    const OpSchema* s = find_op(op->code);
    if (!s || !s->eval) return internal_error("no kernel for " + op_name(op->code));
    RETURN_IF_ERROR(infer_op(g, *op));
    RETURN_IF_ERROR(s->eval(g, *op).with_context(op_name(op->code)));
  }
  return ok_status();
}

std::vector<OpCode> codes(Imported& m) {
  std::vector<OpCode> v;
  for (const Op* op : m.live()) v.push_back(op->code);
  return v;
}

// Naive TensorFlow-semantics conv: NHWC input, HWIO filter, explicit pads.
std::vector<float> tf_conv2d(const std::vector<float>& x, Shape xs, const std::vector<float>& f, Shape fs, int sh,
                             int sw, int dh, int dw, int pt, int pb, int pl, int pr, Shape* out_shape) {
  int64_t n = xs[0], h = xs[1], w = xs[2], c = xs[3], kh = fs[0], kw = fs[1], o = fs[3];
  int64_t oh = (h + pt + pb - ((kh - 1) * dh + 1)) / sh + 1;
  int64_t ow = (w + pl + pr - ((kw - 1) * dw + 1)) / sw + 1;
  *out_shape = {n, oh, ow, o};
  std::vector<float> r(n * oh * ow * o, 0.0f);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xx = 0; xx < ow; ++xx)
        for (int64_t oc = 0; oc < o; ++oc) {
          double s = 0;
          for (int64_t i = 0; i < kh; ++i)
            for (int64_t j = 0; j < kw; ++j)
              for (int64_t ic = 0; ic < c; ++ic) {
                int64_t iy = y * sh - pt + i * dh, ix = xx * sw - pl + j * dw;
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                s += x[((b * h + iy) * w + ix) * c + ic] * f[((i * kw + j) * c + ic) * o + oc];
              }
          r[((b * oh + y) * ow + xx) * o + oc] = static_cast<float>(s);
        }
  return r;
}

// TF's SAME padding split: (before, after).
std::pair<int, int> same_pads(int64_t in, int64_t k, int s, int d) {
  int64_t out = (in + s - 1) / s;
  int64_t total = std::max<int64_t>(0, (out - 1) * s + (k - 1) * d + 1 - in);
  return {static_cast<int>(total / 2), static_cast<int>(total - total / 2)};
}

TEST(NnTfConv2d, PlaceholderInputMatchesNaiveTf) {
  struct Case {
    std::string padding;
    int sh, sw, dh, dw;
  } cases[] = {{"SAME", 1, 1, 1, 1}, {"SAME", 2, 2, 1, 1}, {"VALID", 2, 1, 1, 1}, {"SAME", 1, 1, 2, 2},
               {"VALID", 1, 1, 2, 1}, {"SAME", 3, 2, 1, 1}};
  for (const Case& c : cases) {
    TfGraph b;
    Shape xs = {2, 7, 6, 3}, fs = {3, 2, 3, 4};
    std::vector<float> xv = random_floats(2 * 7 * 6 * 3, 3), fv = random_floats(3 * 2 * 3 * 4, 4);
    b.placeholder("x", xs);
    b.f32("w", fv, fs);
    NodeDef& n = b.node("conv", "Conv2D", {"x", "w"});
    TfGraph::ints(n, "strides", {1, c.sh, c.sw, 1});
    TfGraph::ints(n, "dilations", {1, c.dh, c.dw, 1});
    TfGraph::str(n, "padding", c.padding);
    TfGraph::str(n, "data_format", "NHWC");
    Imported m = import(b, {"conv"});
    ASSERT_TRUE(m.status.ok()) << m.status.message();
    ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::CONV_2D});
    const Op* op = m.live()[0];
    EXPECT_TRUE(m.g().t(op->inputs[1]).is_const());
    EXPECT_EQ(m.g().t(op->inputs[1]).shape, (Shape{4, 3, 2, 3}));
    ASSERT_TRUE(run(m.g(), {xv}).ok());
    int pt = 0, pb = 0, pl = 0, pr = 0;
    if (c.padding == "SAME") {
      std::tie(pt, pb) = same_pads(7, 3, c.sh, c.dh);
      std::tie(pl, pr) = same_pads(6, 2, c.sw, c.dw);
    }
    Shape want_shape;
    std::vector<float> want = tf_conv2d(xv, xs, fv, fs, c.sh, c.sw, c.dh, c.dw, pt, pb, pl, pr, &want_shape);
    EXPECT_EQ(m.out().shape, want_shape);
    expect_near(const_values<float>(m.out()), want, 1e-4f);
  }
}

TEST(NnTfConv2d, ExplicitPaddingEmitsPad) {
  TfGraph b;
  Shape xs = {1, 4, 5, 2}, fs = {2, 2, 2, 3};
  std::vector<float> xv = random_floats(40, 5), fv = random_floats(24, 6);
  b.placeholder("x", xs);
  b.f32("w", fv, fs);
  NodeDef& n = b.node("conv", "Conv2D", {"x", "w"});
  TfGraph::ints(n, "strides", {1, 1, 2, 1});
  TfGraph::str(n, "padding", "EXPLICIT");
  TfGraph::ints(n, "explicit_paddings", {0, 0, 1, 2, 0, 1, 0, 0});
  Imported m = import(b, {"conv"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), (std::vector<OpCode>{OpCode::PAD, OpCode::CONV_2D}));
  EXPECT_EQ(opts<tflite::Conv2DOptionsT>(*m.live()[1]).padding, Padding::VALID);
  ASSERT_TRUE(run(m.g(), {xv}).ok());
  Shape want_shape;
  std::vector<float> want = tf_conv2d(xv, xs, fv, fs, 1, 2, 1, 1, 1, 2, 0, 1, &want_shape);
  EXPECT_EQ(m.out().shape, want_shape);
  expect_near(const_values<float>(m.out()), want, 1e-4f);
}

TEST(NnTfConv2d, UnsupportedForms) {
  auto try_conv = [](const std::string& fmt, std::vector<int64_t> strides) {
    TfGraph b;
    b.placeholder("x", {1, 4, 4, 2});
    b.f32("w", std::vector<float>(8, 1), {1, 1, 2, 4});
    NodeDef& n = b.node("conv", "Conv2D", {"x", "w"});
    TfGraph::ints(n, "strides", strides);
    TfGraph::str(n, "padding", "SAME");
    TfGraph::str(n, "data_format", fmt);
    return import(b, {"conv"}).status;
  };
  // NCHW runs between transposes around our NHWC lowering (lower_channels_last).
  EXPECT_TRUE(try_conv("NCHW", {1, 1, 1, 1}).ok());
  EXPECT_EQ(try_conv("NHWC", {2, 1, 1, 1}).kind(), ErrorKind::kUnsupported);
  EXPECT_TRUE(try_conv("NHWC", {1, 2, 2, 1}).ok());

  TfGraph b;
  b.placeholder("x", {1, 1, 3, 3, 3});
  b.f32("w", std::vector<float>(8, 1), {2, 2, 2, 1, 1});
  NodeDef& n = b.node("c3", "Conv3D", {"x", "w"});
  TfGraph::ints(n, "strides", {1, 1, 1, 1, 1});
  TfGraph::str(n, "padding", "VALID");
  TfGraph::str(n, "data_format", "NCDHW");
  Imported c3 = import(b, {"c3"});
  ASSERT_TRUE(c3.status.ok()) << c3.status.message();
  EXPECT_EQ(codes(c3), (std::vector<OpCode>{OpCode::TRANSPOSE, OpCode::CONV_3D, OpCode::TRANSPOSE}));
}

TEST(NnTfDepthwise, MultiplierMatchesNaiveTf) {
  TfGraph b;
  Shape xs = {1, 5, 4, 3}, fs = {3, 3, 3, 2};
  std::vector<float> xv = random_floats(60, 7), fv = random_floats(54, 8);
  b.placeholder("x", xs);
  b.f32("w", fv, fs);
  NodeDef& n = b.node("dw", "DepthwiseConv2dNative", {"x", "w"});
  TfGraph::ints(n, "strides", {1, 2, 1, 1});
  TfGraph::str(n, "padding", "SAME");
  Imported m = import(b, {"dw"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::DEPTHWISE_CONV_2D});
  const Op* op = m.live()[0];
  EXPECT_EQ(opts<tflite::DepthwiseConv2DOptionsT>(*op).depth_multiplier, 2);
  EXPECT_EQ(m.g().t(op->inputs[1]).shape, (Shape{1, 3, 3, 6}));
  ASSERT_TRUE(run(m.g(), {xv}).ok());
  // Naive TF depthwise: out channel c*M+k reads input channel c.
  auto [pt, pb] = same_pads(5, 3, 2, 1);
  auto [pl, pr] = same_pads(4, 3, 1, 1);
  (void)pb, (void)pr;
  int64_t oh = 3, ow = 4;
  std::vector<float> want(oh * ow * 6, 0.0f);
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x)
      for (int64_t c = 0; c < 3; ++c)
        for (int64_t k = 0; k < 2; ++k) {
          double s = 0;
          for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j) {
              int64_t iy = y * 2 - pt + i, ix = x - pl + j;
              if (iy < 0 || iy >= 5 || ix < 0 || ix >= 4) continue;
              s += xv[(iy * 4 + ix) * 3 + c] * fv[((i * 3 + j) * 3 + c) * 2 + k];
            }
          want[(y * ow + x) * 6 + c * 2 + k] = static_cast<float>(s);
        }
  EXPECT_EQ(m.out().shape, (Shape{1, 3, 4, 6}));
  expect_near(const_values<float>(m.out()), want, 1e-4f);
}

// Naive Conv2DBackpropInput: the input gradient of a forward conv.
std::vector<float> tf_conv2d_backprop_input(const std::vector<float>& dy, Shape dys, const std::vector<float>& f,
                                            Shape fs, Shape in, int s, int pt, int pl) {
  int64_t kh = fs[0], kw = fs[1], ci = fs[2], co = fs[3];
  std::vector<float> r(in[0] * in[1] * in[2] * in[3], 0.0f);
  for (int64_t b = 0; b < dys[0]; ++b)
    for (int64_t y = 0; y < dys[1]; ++y)
      for (int64_t x = 0; x < dys[2]; ++x)
        for (int64_t i = 0; i < kh; ++i)
          for (int64_t j = 0; j < kw; ++j) {
            int64_t iy = y * s - pt + i, ix = x * s - pl + j;
            if (iy < 0 || iy >= in[1] || ix < 0 || ix >= in[2]) continue;
            for (int64_t c = 0; c < ci; ++c)
              for (int64_t o = 0; o < co; ++o)
                r[((b * in[1] + iy) * in[2] + ix) * ci + c] +=
                    dy[((b * dys[1] + y) * dys[2] + x) * co + o] * f[((i * kw + j) * ci + c) * co + o];
          }
  return r;
}

TEST(NnTfConv2dBackpropInput, SameAndValidMatchNaiveTf) {
  for (std::string padding : {"SAME", "VALID"}) {
    TfGraph b;
    // Forward conv: [1,7,6,2] -> [1,4,3,5] with a 3x2 filter, stride 2.
    Shape in = {1, 7, 6, 2}, fs = {3, 2, 2, 5};
    int64_t oh = padding == "SAME" ? 4 : 3, ow = padding == "SAME" ? 3 : 3;
    Shape dys = {1, oh, ow, 5};
    std::vector<float> dy = random_floats(oh * ow * 5, 9), fv = random_floats(60, 10);
    b.placeholder("dy", dys);
    b.f32("w", fv, fs);
    b.i64("sizes", {1, 7, 6, 2}, {4});
    NodeDef& n = b.node("up", "Conv2DBackpropInput", {"sizes", "w", "dy"});
    TfGraph::ints(n, "strides", {1, 2, 2, 1});
    TfGraph::str(n, "padding", padding);
    Imported m = import(b, {"up"});
    ASSERT_TRUE(m.status.ok()) << m.status.message();
    ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::TRANSPOSE_CONV});
    const Op* op = m.live()[0];
    ASSERT_EQ(op->inputs.size(), 4u);
    EXPECT_EQ(op->inputs[3], kNoTensor);
    EXPECT_EQ(m.g().t(op->inputs[0]).dtype, DType::kInt32);
    EXPECT_EQ(m.g().t(op->inputs[1]).shape, (Shape{2, 3, 2, 5}));
    ASSERT_TRUE(run(m.g(), {dy}).ok());
    int pt = 0, pl = 0;
    if (padding == "SAME") {
      pt = same_pads(7, 3, 2, 1).first;
      pl = same_pads(6, 2, 2, 1).first;
    }
    EXPECT_EQ(m.out().shape, in);
    expect_near(const_values<float>(m.out()), tf_conv2d_backprop_input(dy, dys, fv, fs, in, 2, pt, pl), 1e-4f);
  }
}

TEST(NnTfConv3d, ZeroBiasAndValues) {
  TfGraph b;
  b.placeholder("x", {1, 3, 3, 3, 1});
  b.f32("w", std::vector<float>(8 * 2, 1.0f), {2, 2, 2, 1, 2});
  NodeDef& n = b.node("c3", "Conv3D", {"x", "w"});
  TfGraph::ints(n, "strides", {1, 1, 1, 1, 1});
  TfGraph::str(n, "padding", "VALID");
  TfGraph::str(n, "data_format", "NDHWC");
  Imported m = import(b, {"c3"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::CONV_3D});
  EXPECT_EQ(m.g().t(m.live()[0]->inputs[2]).shape, (Shape{2}));
  ASSERT_TRUE(run(m.g(), {std::vector<float>(27, 1.0f)}).ok());
  EXPECT_EQ(m.out().shape, (Shape{1, 2, 2, 2, 2}));
  expect_near(const_values<float>(m.out()), std::vector<float>(16, 8.0f));
}

TEST(NnTfMatMul, ConstantWeightsBecomeFullyConnected) {
  for (bool tb : {false, true}) {
    TfGraph b;
    b.placeholder("x", {2, 3});
    // Logical B is [[1,2],[3,4],[5,6]] (3x2); stored transposed when tb.
    std::vector<float> bv = tb ? std::vector<float>{1, 3, 5, 2, 4, 6} : std::vector<float>{1, 2, 3, 4, 5, 6};
    b.f32("w", bv, tb ? Shape{2, 3} : Shape{3, 2});
    NodeDef& n = b.node("mm", "MatMul", {"x", "w"});
    TfGraph::flag(n, "transpose_a", false);
    TfGraph::flag(n, "transpose_b", tb);
    Imported m = import(b, {"mm"});
    ASSERT_TRUE(m.status.ok()) << m.status.message();
    ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::FULLY_CONNECTED});
    const Op* op = m.live()[0];
    EXPECT_EQ(op->inputs.size(), 3u);
    EXPECT_EQ(op->inputs[2], kNoTensor);
    EXPECT_FALSE(opts<tflite::FullyConnectedOptionsT>(*op).keep_num_dims);
    EXPECT_EQ(const_values<float>(m.g().t(op->inputs[1])), (std::vector<float>{1, 3, 5, 2, 4, 6}));
    ASSERT_TRUE(run(m.g(), {{1, 0, 0, 1, 1, 1}}).ok());
    EXPECT_EQ(m.out().shape, (Shape{2, 2}));
    expect_near(const_values<float>(m.out()), {1, 2, 9, 12});
  }
}

TEST(NnTfMatMul, TransposeAAndDynamicB) {
  TfGraph b;
  b.placeholder("a", {3, 2});
  b.placeholder("b", {3, 4});
  NodeDef& n = b.node("mm", "MatMul", {"a", "b"});
  TfGraph::flag(n, "transpose_a", true);
  Imported m = import(b, {"mm"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::BATCH_MATMUL});
  EXPECT_TRUE(opts<tflite::BatchMatMulOptionsT>(*m.live()[0]).adj_x);
  EXPECT_EQ(m.out().shape, (Shape{2, 4}));

  TfGraph c;
  c.placeholder("a", {3, 2});
  c.f32("w", iota(12), {3, 4});
  NodeDef& k = c.node("mm", "MatMul", {"a", "w"});
  TfGraph::flag(k, "transpose_a", true);
  Imported fc = import(c, {"mm"});
  ASSERT_TRUE(fc.status.ok()) << fc.status.message();
  ASSERT_EQ(codes(fc), (std::vector<OpCode>{OpCode::TRANSPOSE, OpCode::FULLY_CONNECTED}));
  ASSERT_TRUE(run(fc.g(), {{1, 0, 0, 1, 1, 1}}).ok());
  // A^T = [[1,0,1],[0,1,1]]; rows of W: 1..4, 5..8, 9..12.
  expect_near(const_values<float>(fc.out()), {10, 12, 14, 16, 14, 16, 18, 20});
}

TEST(NnTfBatchMatMul, VersionsAndAdjoints) {
  for (std::string op : {"BatchMatMul", "BatchMatMulV2", "BatchMatMulV3"}) {
    TfGraph b;
    b.placeholder("x", {2, 3, 4});
    b.placeholder("y", {2, 5, 4});
    NodeDef& n = b.node("bmm", op, {"x", "y"});
    TfGraph::flag(n, "adj_y", true);
    if (op == "BatchMatMulV3") {
      TfGraph::type(n, "Ta", tensorflow::DT_FLOAT);
      TfGraph::type(n, "Tb", tensorflow::DT_FLOAT);
      TfGraph::type(n, "Tout", tensorflow::DT_FLOAT);
    }
    Imported m = import(b, {"bmm"});
    ASSERT_TRUE(m.status.ok()) << op << ": " << m.status.message();
    ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::BATCH_MATMUL});
    EXPECT_TRUE(opts<tflite::BatchMatMulOptionsT>(*m.live()[0]).adj_y);
    EXPECT_EQ(m.out().shape, (Shape{2, 3, 5}));
  }
  TfGraph b;
  b.placeholder("x", {2, 3});
  b.placeholder("y", {3, 2});
  NodeDef& n = b.node("bmm", "BatchMatMulV3", {"x", "y"});
  TfGraph::type(n, "Ta", tensorflow::DT_FLOAT);
  TfGraph::type(n, "Tb", tensorflow::DT_FLOAT);
  TfGraph::type(n, "Tout", tensorflow::DT_INT32);
  EXPECT_EQ(import(b, {"bmm"}).status.kind(), ErrorKind::kUnsupported);
}

TEST(NnTfBiasAdd, BecomesAdd) {
  TfGraph b;
  b.placeholder("x", {1, 2, 2, 3});
  b.f32("bias", {1, 2, 3}, {3});
  b.node("ba", "BiasAdd", {"x", "bias"});
  Imported m = import(b, {"ba"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::ADD});
  EXPECT_EQ(m.out().shape, (Shape{1, 2, 2, 3}));
  TfGraph c;
  c.placeholder("x", {1, 3, 2, 2});
  c.f32("bias", {1, 2, 3}, {3});
  NodeDef& n = c.node("ba", "BiasAdd", {"x", "bias"});
  TfGraph::str(n, "data_format", "NCHW");
  Imported nchw = import(c, {"ba"});
  ASSERT_TRUE(nchw.status.ok()) << nchw.status.message();
  EXPECT_EQ(nchw.out().shape, (Shape{1, 3, 2, 2}));
}

TEST(NnTfPool, MaxAndAvg) {
  TfGraph b;
  b.placeholder("x", {1, 3, 3, 1});
  for (std::string op : {"MaxPool", "AvgPool"}) {
    NodeDef& n = b.node(op, op, {"x"});
    TfGraph::ints(n, "ksize", {1, 2, 2, 1});
    TfGraph::ints(n, "strides", {1, 2, 2, 1});
    TfGraph::str(n, "padding", "SAME");
  }
  Imported m = import(b, {"MaxPool", "AvgPool"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), (std::vector<OpCode>{OpCode::MAX_POOL_2D, OpCode::AVERAGE_POOL_2D}));
  EXPECT_EQ(opts<tflite::Pool2DOptionsT>(*m.live()[0]).filter_height, 2);
  ASSERT_TRUE(run(m.g(), {iota(9)}).ok());
  expect_near(const_values<float>(m.out(0)), {5, 6, 8, 9});
  expect_near(const_values<float>(m.out(1)), {3, 4.5f, 7.5f, 9});

  TfGraph c;
  c.placeholder("x", {1, 3, 3, 2});
  NodeDef& n = c.node("p", "MaxPool", {"x"});
  TfGraph::ints(n, "ksize", {1, 2, 2, 2});
  TfGraph::ints(n, "strides", {1, 2, 2, 1});
  TfGraph::str(n, "padding", "SAME");
  EXPECT_EQ(import(c, {"p"}).status.kind(), ErrorKind::kUnsupported);
}

TEST(NnTfBatchNorm, InferenceMatchesFormulaAndFolds) {
  for (std::string op : {"FusedBatchNorm", "FusedBatchNormV3"}) {
    TfGraph b;
    b.placeholder("x", {1, 1, 2, 2});
    b.f32("scale", {2, 0.5f}, {2});
    b.f32("offset", {1, -1}, {2});
    b.f32("mean", {0.5f, 2}, {2});
    b.f32("var", {4, 0.25f}, {2});
    NodeDef& n = b.node("bn", op, {"x", "scale", "offset", "mean", "var"});
    TfGraph::flag(n, "is_training", false);
    (*n.mutable_attr())["epsilon"].set_f(0.001f);
    b.node("id", "Identity", {"bn:2"});
    Imported m = import(b, {"bn", "id"});
    ASSERT_TRUE(m.status.ok()) << m.status.message();
    // The parameter arithmetic folds: one MUL and one ADD remain.
    ASSERT_EQ(codes(m), (std::vector<OpCode>{OpCode::MUL, OpCode::ADD}));
    EXPECT_EQ(const_values<float>(m.out(1)), (std::vector<float>{4, 0.25f}));
    ASSERT_TRUE(run(m.g(), {{1, 3, -1, 2}}).ok());
    auto bn = [](float x, float s, float o, float mu, float v) { return s * (x - mu) / std::sqrt(v + 0.001f) + o; };
    expect_near(const_values<float>(m.out(0)),
                {bn(1, 2, 1, 0.5f, 4), bn(3, 0.5f, -1, 2, 0.25f), bn(-1, 2, 1, 0.5f, 4), bn(2, 0.5f, -1, 2, 0.25f)},
                1e-5f);
  }
  TfGraph t;
  t.placeholder("x", {1, 1, 1, 1});
  for (const char* p : {"s", "o", "m", "v"}) t.f32(p, {1}, {1});
  t.node("bn", "FusedBatchNormV3", {"x", "s", "o", "m", "v"});  // is_training defaults to true
  Imported train = import(t, {"bn"});
  ASSERT_TRUE(train.status.ok()) << train.status.message();
  // Batch statistics: MEAN of x, then MEAN of the squared deviation.
  int means = 0;
  for (OpCode c : codes(train)) means += c == OpCode::MEAN;
  EXPECT_EQ(means, 2);
}

TEST(NnTfReduce, AxesKeepDimsAndInt64) {
  TfGraph b;
  b.placeholder("x", {2, 3, 4});
  b.i64("ax", {-1, 0}, {2});
  b.i32("ax1", {1}, {});
  const char* ops[] = {"Mean", "Sum", "Max", "Min", "Prod"};
  for (const char* op : ops) {
    NodeDef& n = b.node(op, op, {"x", std::string(op) == "Sum" ? "ax1" : "ax"});
    TfGraph::flag(n, "keep_dims", std::string(op) == "Max");
  }
  Imported m = import(b, {"Mean", "Sum", "Max", "Min", "Prod"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), (std::vector<OpCode>{OpCode::MEAN, OpCode::SUM, OpCode::REDUCE_MAX, OpCode::REDUCE_MIN,
                                           OpCode::REDUCE_PROD}));
  for (const Op* op : m.live()) EXPECT_EQ(m.g().t(op->inputs[1]).dtype, DType::kInt32);
  EXPECT_EQ(m.out(0).shape, (Shape{3}));
  EXPECT_EQ(m.out(1).shape, (Shape{2, 4}));
  EXPECT_EQ(m.out(2).shape, (Shape{1, 3, 1}));
  std::vector<float> xv = random_floats(24, 11);
  ASSERT_TRUE(run(m.g(), {xv}).ok());
  // Mean over axes 0 and 2 of the first middle row.
  double s = 0;
  for (int a = 0; a < 2; ++a)
    for (int c = 0; c < 4; ++c) s += xv[a * 12 + c];
  EXPECT_NEAR(const_values<float>(m.out(0))[0], s / 8, 1e-5);
}

TEST(NnTfArg, DefaultOutputIsInt64) {
  TfGraph b;
  b.placeholder("x", {2, 3});
  b.i64("dim", {1}, {});
  b.node("am", "ArgMax", {"x", "dim"});
  NodeDef& n = b.node("an", "ArgMin", {"x", "dim"});
  TfGraph::type(n, "output_type", tensorflow::DT_INT32);
  Imported m = import(b, {"am", "an"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), (std::vector<OpCode>{OpCode::ARG_MAX, OpCode::ARG_MIN}));
  EXPECT_EQ(m.out(0).dtype, DType::kInt64);
  EXPECT_EQ(m.out(1).dtype, DType::kInt32);
  EXPECT_EQ(m.g().t(m.live()[0]->inputs[1]).dtype, DType::kInt32);
  ASSERT_TRUE(run(m.g(), {{1, 9, 3, 7, 2, 0}}).ok());
  EXPECT_EQ(const_values<int64_t>(m.out(0)), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(const_values<int32_t>(m.out(1)), (std::vector<int32_t>{0, 2}));
}

TEST(NnTfTopK, TwoOutputs) {
  TfGraph b;
  b.placeholder("x", {2, 4});
  b.i32("k", {2}, {});
  b.node("topk", "TopKV2", {"x", "k"});
  b.node("idx", "Identity", {"topk:1"});
  Imported m = import(b, {"topk", "idx"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), std::vector<OpCode>{OpCode::TOPK_V2});
  EXPECT_EQ(m.out(0).shape, (Shape{2, 2}));
  EXPECT_EQ(m.out(1).dtype, DType::kInt32);
  EXPECT_EQ(m.out(0).name, "topk");
  EXPECT_EQ(m.out(1).name, "idx");  // graph outputs take the requested names
  ASSERT_TRUE(run(m.g(), {{1, 4, 2, 3, 8, 8, 1, 9}}).ok());
  expect_near(const_values<float>(m.out(0)), {4, 3, 9, 8});
  EXPECT_EQ(const_values<int32_t>(m.out(1)), (std::vector<int32_t>{1, 3, 3, 0}));
}

TEST(NnTfResize, AttributesAndShapes) {
  TfGraph b;
  b.placeholder("x", {1, 2, 3, 2});
  b.i32("size", {4, 6}, {2});
  NodeDef& r1 = b.node("bl", "ResizeBilinear", {"x", "size"});
  TfGraph::flag(r1, "half_pixel_centers", true);
  NodeDef& r2 = b.node("nn", "ResizeNearestNeighbor", {"x", "size"});
  TfGraph::flag(r2, "align_corners", true);
  Imported m = import(b, {"bl", "nn"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), (std::vector<OpCode>{OpCode::RESIZE_BILINEAR, OpCode::RESIZE_NEAREST_NEIGHBOR}));
  EXPECT_TRUE(opts<tflite::ResizeBilinearOptionsT>(*m.live()[0]).half_pixel_centers);
  EXPECT_TRUE(opts<tflite::ResizeNearestNeighborOptionsT>(*m.live()[1]).align_corners);
  EXPECT_EQ(m.out(0).shape, (Shape{1, 4, 6, 2}));
  EXPECT_EQ(m.out(1).shape, (Shape{1, 4, 6, 2}));
}

TEST(NnTfFolding, ConstantConvFoldsToValues) {
  TfGraph b;
  b.f32("x", iota(9), {1, 3, 3, 1});
  b.f32("w", std::vector<float>(9, 1.0f), {3, 3, 1, 1});
  NodeDef& n = b.node("conv", "Conv2D", {"x", "w"});
  TfGraph::ints(n, "strides", {1, 1, 1, 1});
  TfGraph::str(n, "padding", "SAME");
  Imported m = import(b, {"conv"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  EXPECT_TRUE(m.live().empty());
  ASSERT_TRUE(m.out().is_const());
  expect_near(const_values<float>(m.out()), {12, 21, 16, 27, 45, 33, 24, 39, 28});
}

TEST(NnTfMisc, MaxPoolV2TopKV1AndDynamicAxes) {
  TfGraph b;
  b.placeholder("x", {1, 4, 4, 1});
  b.i32("ksize", {1, 2, 2, 1}, {4});
  b.i32("strides", {1, 2, 2, 1}, {4});
  NodeDef& p = b.node("pool", "MaxPoolV2", {"x", "ksize", "strides"});
  TfGraph::str(p, "padding", "VALID");
  b.placeholder("y", {3, 5});
  NodeDef& t = b.node("top", "TopK", {"y"});
  (*t.mutable_attr())["k"].set_i(2);
  Imported m = import(b, {"pool", "top"});
  ASSERT_TRUE(m.status.ok()) << m.status.message();
  ASSERT_EQ(codes(m), (std::vector<OpCode>{OpCode::MAX_POOL_2D, OpCode::TOPK_V2}));
  EXPECT_EQ(m.out(0).shape, (Shape{1, 2, 2, 1}));
  EXPECT_EQ(m.out(1).shape, (Shape{3, 2}));

  TfGraph c;
  c.placeholder("x", {2, 3});
  c.placeholder("axes", {1}, tensorflow::DT_INT32);
  c.node("sum", "Sum", {"x", "axes"});
  Status st = import(c, {"sum"}).status;
  EXPECT_EQ(st.kind(), ErrorKind::kUnsupported);
  EXPECT_NE(st.message().find("not supported yet"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace tflc
