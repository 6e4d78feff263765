// Shape-manipulation and gather ops: shape inference and byte kernels of the
// TFLite records against hand-computed values, op versions and options, and
// the TF lowerings on tiny GraphDefs (folded when the input is constant, and
// run through our kernels when it is a placeholder).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>

#include "frontends/graphdef/import.h"
#include "frontends/graphdef/tf_op_registry.h"
#include "ops/shape_ops_util.h"
#include "tensorflow/core/framework/types.pb.h"

namespace tflc {
namespace {

// ------------------------------------------------------------ op harness

template <typename T>
DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return DType::kFloat32;
  if constexpr (std::is_same_v<T, int32_t>) return DType::kInt32;
  if constexpr (std::is_same_v<T, int64_t>) return DType::kInt64;
  if constexpr (std::is_same_v<T, bool>) return DType::kBool;
  if constexpr (std::is_same_v<T, int8_t>) return DType::kInt8;
  if constexpr (std::is_same_v<T, int16_t>) return DType::kInt16;
  return DType::kInvalid;
}

template <typename T>
std::string bytes_of(const std::vector<T>& v) {
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<bool> b(v.begin(), v.end());
    return to_bytes(b);
  } else {
    return to_bytes(v);
  }
}

template <typename T>
TensorId cst(Graph& g, Shape shape, std::vector<T> v) {
  return g.add_const("c" + std::to_string(g.tensors.size()), dtype_of<T>(), std::move(shape), bytes_of(v));
}

TensorId ci32(Graph& g, std::vector<int32_t> v) { return cst<int32_t>(g, {static_cast<int64_t>(v.size())}, v); }
TensorId ci32s(Graph& g, int32_t v) { return cst<int32_t>(g, {}, {v}); }

TensorId var(Graph& g, DType t, Shape shape) {
  Tensor x;
  x.name = "in" + std::to_string(g.tensors.size());
  x.dtype = t;
  x.shape = std::move(shape);
  return g.add_tensor(std::move(x));
}

std::vector<float> iota_f(int n, float start = 0) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = start + static_cast<float>(i);
  return v;
}

template <typename T>
std::vector<T> iota_t(int n) {
  std::vector<T> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<T>(i);
  return v;
}

struct OpRun {
  Graph g;
  Op* op = nullptr;
  Status status;
  const Tensor& out(int i = 0) const { return g.t(op->outputs[i]); }
  template <typename T>
  std::vector<T> values(int i = 0) const {
    if constexpr (std::is_same_v<T, bool>) {
      std::vector<bool> r;
      for (uint8_t b : const_values<uint8_t>(out(i))) r.push_back(b != 0);
      return r;
    } else {
      return const_values<T>(out(i));
    }
  }
};

// Builds op(inputs), runs shape inference and, when every input is constant,
// the reference kernel.
void run_op(OpRun& r, OpCode code, std::vector<TensorId> ins, OpOptions options = {}, int num_outputs = 1) {
  std::vector<TensorId> outs;
  for (int i = 0; i < num_outputs; ++i) outs.push_back(r.g.add_tensor({}));
  r.op = &r.g.add_op(code, std::move(ins), outs, std::move(options));
  r.status = infer_op(r.g, *r.op);
  if (!r.status.ok() || !all_inputs_const(r.g, *r.op)) return;
  r.status = find_op(code)->eval(r.g, *r.op);
}

int version_of(const Graph& g, const Op& op) {
  const OpSchema* s = find_op(op.code);
  return s && s->version ? s->version(g, op) : 1;
}

// The options table the writer gives the op: its own, or its record's default.
tflite::BuiltinOptions options_of(const Graph&, const Op& op) {
  Op o = op;
  if (!apply_default_options(*find_op(op.code), o).ok()) return tflite::BuiltinOptions::NONE;
  return o.options.builtin.type;
}

// ------------------------------------------------------------ copy_view

// Naive transpose for checking the tiled kernel.
template <typename T>
std::vector<T> naive_transpose(const std::vector<T>& in, const Shape& shape, const std::vector<int>& perm) {
  int r = static_cast<int>(shape.size());
  Shape out_shape(r);
  for (int i = 0; i < r; ++i) out_shape[i] = shape[perm[i]];
  std::vector<int64_t> ist = strides_of(shape);
  std::vector<T> out(in.size());
  std::vector<int64_t> idx(r, 0);
  for (size_t k = 0; k < out.size(); ++k) {
    int64_t off = 0;
    for (int d = 0; d < r; ++d) off += idx[d] * ist[perm[d]];
    out[k] = in[off];
    for (int d = r - 1; d >= 0; --d) {
      if (++idx[d] < out_shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

TEST(ShapeOpsKernels, TransposeMatchesNaiveForManyShapes) {
  std::mt19937 rng(7);
  std::vector<std::pair<Shape, std::vector<int>>> cases = {
      {{3, 3, 64, 40}, {3, 0, 1, 2}}, {{2, 3, 4}, {2, 0, 1}}, {{17, 33}, {1, 0}},  {{1, 5, 1, 7}, {3, 2, 1, 0}},
      {{40, 3, 50}, {2, 1, 0}},       {{4, 5, 6, 7, 2}, {4, 2, 0, 3, 1}},        {{64, 64}, {1, 0}},
      {{2, 2, 2, 2, 2, 2}, {5, 4, 3, 2, 1, 0}}};
  for (auto& [shape, perm] : cases) {
    int n = static_cast<int>(num_elements(shape));
    std::vector<int64_t> v(n);
    for (auto& x : v) x = static_cast<int64_t>(rng());
    OpRun r;
    TensorId x = cst<int64_t>(r.g, shape, v);
    run_op(r, OpCode::TRANSPOSE, {x, ci32(r.g, std::vector<int32_t>(perm.begin(), perm.end()))});
    ASSERT_TRUE(r.status.ok()) << r.status.message();
    EXPECT_EQ(r.values<int64_t>(), naive_transpose(v, shape, perm)) << shape_str(shape);
    // One-byte elements take the same path.
    std::vector<int8_t> b(n);
    for (auto& x : b) x = static_cast<int8_t>(rng());
    OpRun rb;
    TensorId xb = cst<int8_t>(rb.g, shape, b);
    run_op(rb, OpCode::TRANSPOSE, {xb, ci32(rb.g, std::vector<int32_t>(perm.begin(), perm.end()))});
    ASSERT_TRUE(rb.status.ok());
    EXPECT_EQ(rb.values<int8_t>(), naive_transpose(b, shape, perm));
  }
}

TEST(ShapeOpsKernels, TransposeOf10MBFilterIsFast) {
  // HWIO [3,3,512,576] -> OHWI: 10.6 MB of float32.
  Shape shape = {3, 3, 512, 576};
  int n = static_cast<int>(num_elements(shape));
  std::vector<float> v = iota_f(n);
  OpRun r;
  TensorId x = cst<float>(r.g, shape, v);
  TensorId perm = ci32(r.g, {3, 0, 1, 2});
  TensorId o = r.g.add_tensor({});
  Op& op = r.g.add_op(OpCode::TRANSPOSE, {x, perm}, {o});
  ASSERT_TRUE(infer_op(r.g, op).ok());
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(find_op(OpCode::TRANSPOSE)->eval(r.g, op).ok());
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 100.0);
  std::vector<float> out = const_values<float>(r.g.t(o));
  EXPECT_EQ(out, naive_transpose(v, shape, {3, 0, 1, 2}));
  RecordProperty("transpose_ms", std::to_string(ms));
}

// ------------------------------------------------------------ RESHAPE & co

TEST(ShapeOpsReshape, ResolvesMinusOneAndSharesData) {
  OpRun r;
  TensorId x = cst<float>(r.g, {2, 3, 4}, iota_f(24));
  run_op(r, OpCode::RESHAPE, {x, ci32(r.g, {-1, 4})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{6, 4}));
  EXPECT_EQ(r.values<float>(), iota_f(24));
  EXPECT_EQ(r.out().data, r.g.t(x).data);  // no copy
  EXPECT_EQ(options_of(r.g, *r.op), tflite::BuiltinOptions::NONE);
}

TEST(ShapeOpsReshape, RejectsBadShapes) {
  OpRun a;
  run_op(a, OpCode::RESHAPE, {cst<float>(a.g, {2, 3}, iota_f(6)), ci32(a.g, {4, -1})});
  EXPECT_FALSE(a.status.ok());
  OpRun b;
  run_op(b, OpCode::RESHAPE, {cst<float>(b.g, {2, 3}, iota_f(6)), ci32(b.g, {-1, -1})});
  EXPECT_FALSE(b.status.ok());
  OpRun c;
  run_op(c, OpCode::RESHAPE, {cst<float>(c.g, {2, 3}, iota_f(6)), ci32(c.g, {5})});
  EXPECT_FALSE(c.status.ok());
}

TEST(ShapeOpsReshape, DynamicInputAndShape) {
  OpRun r;
  TensorId x = var(r.g, DType::kFloat32, {-1, 3, 4});
  run_op(r, OpCode::RESHAPE, {x, ci32(r.g, {-1, 12})});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{-1, 12}));
  OpRun s;
  TensorId y = var(s.g, DType::kFloat32, {2, 3});
  run_op(s, OpCode::RESHAPE, {y, var(s.g, DType::kInt32, {3})});
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.out().shape, (Shape{-1, -1, -1}));
  OpRun t;
  run_op(t, OpCode::RESHAPE, {cst<int32_t>(t.g, {1}, {5}), ci32(t.g, {})});
  ASSERT_TRUE(t.status.ok());
  EXPECT_EQ(t.out().shape, Shape{});
}

TEST(ShapeOpsSqueeze, DimsAndAll) {
  OpRun r;
  tflite::SqueezeOptionsT a;
  a.squeeze_dims = {-2};
  run_op(r, OpCode::SQUEEZE, {cst<int64_t>(r.g, {1, 3, 1, 1}, {7, 8, 9})}, a);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{1, 3, 1}));
  EXPECT_EQ(r.values<int64_t>(), (std::vector<int64_t>{7, 8, 9}));
  EXPECT_EQ(options_of(r.g, *r.op), tflite::BuiltinOptions::SqueezeOptions);
  OpRun all;
  run_op(all, OpCode::SQUEEZE, {cst<bool>(all.g, {1, 2, 1}, {true, false})});
  ASSERT_TRUE(all.status.ok());
  EXPECT_EQ(all.out().shape, (Shape{2}));
  EXPECT_EQ(all.values<bool>(), (std::vector<bool>{true, false}));
  OpRun bad;
  a.squeeze_dims = {1};
  run_op(bad, OpCode::SQUEEZE, {cst<float>(bad.g, {1, 3}, iota_f(3))}, a);
  EXPECT_FALSE(bad.status.ok());
  OpRun dyn;
  run_op(dyn, OpCode::SQUEEZE, {var(dyn.g, DType::kFloat32, {-1, 1, 4})});
  ASSERT_TRUE(dyn.status.ok());
  EXPECT_TRUE(dyn.out().unknown_rank);
}

TEST(ShapeOpsExpandDims, NegativeAxis) {
  OpRun r;
  run_op(r, OpCode::EXPAND_DIMS, {cst<float>(r.g, {2, 3}, iota_f(6)), ci32s(r.g, -1)});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{2, 3, 1}));
  EXPECT_EQ(r.values<float>(), iota_f(6));
  OpRun s;
  run_op(s, OpCode::EXPAND_DIMS, {var(s.g, DType::kFloat32, {-1, 3}), cst<int64_t>(s.g, {1}, {0})});
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.out().shape, (Shape{1, -1, 3}));
  OpRun bad;
  run_op(bad, OpCode::EXPAND_DIMS, {var(bad.g, DType::kFloat32, {2}), ci32s(bad.g, 3)});
  EXPECT_FALSE(bad.status.ok());
}

// ------------------------------------------------------------ TRANSPOSE

TEST(ShapeOpsTranspose, ValuesVersionsOptions) {
  OpRun r;
  run_op(r, OpCode::TRANSPOSE, {cst<float>(r.g, {2, 3}, iota_f(6)), ci32(r.g, {1, 0})});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{3, 2}));
  EXPECT_EQ(r.values<float>(), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(version_of(r.g, *r.op), 1);
  EXPECT_EQ(options_of(r.g, *r.op), tflite::BuiltinOptions::NONE);
  OpRun b;
  run_op(b, OpCode::TRANSPOSE, {cst<bool>(b.g, {2, 1, 1, 1, 1}, {true, false}), ci32(b.g, {4, 3, 2, 1, 0})});
  ASSERT_TRUE(b.status.ok());
  EXPECT_EQ(b.values<bool>(), (std::vector<bool>{true, false}));
  EXPECT_EQ(version_of(b.g, *b.op), 4);  // rank 5
  OpRun bad;
  run_op(bad, OpCode::TRANSPOSE, {cst<float>(bad.g, {2, 3}, iota_f(6)), ci32(bad.g, {0, 0})});
  EXPECT_FALSE(bad.status.ok());
}

// ------------------------------------------------------------ CONCATENATION

TEST(ShapeOpsConcat, AxisOneAndNegative) {
  OpRun r;
  tflite::ConcatenationOptionsT a;
  a.axis = -1;
  TensorId x = cst<int32_t>(r.g, {2, 2}, {1, 2, 3, 4});
  TensorId y = cst<int32_t>(r.g, {2, 1}, {5, 6});
  run_op(r, OpCode::CONCATENATION, {x, y}, a);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{2, 3}));
  EXPECT_EQ(r.values<int32_t>(), (std::vector<int32_t>{1, 2, 5, 3, 4, 6}));
  EXPECT_EQ(options_of(r.g, *r.op), tflite::BuiltinOptions::ConcatenationOptions);
  OpRun z;
  a.axis = 0;
  run_op(z, OpCode::CONCATENATION, {cst<bool>(z.g, {1}, {true}), cst<bool>(z.g, {2}, {false, true})}, a);
  ASSERT_TRUE(z.status.ok());
  EXPECT_EQ(z.values<bool>(), (std::vector<bool>{true, false, true}));
  OpRun bad;
  a.axis = 0;
  run_op(bad, OpCode::CONCATENATION, {cst<float>(bad.g, {1, 2}, iota_f(2)), cst<float>(bad.g, {1, 3}, iota_f(3))}, a);
  EXPECT_FALSE(bad.status.ok());
  OpRun dyn;
  a.axis = 1;
  run_op(dyn, OpCode::CONCATENATION, {var(dyn.g, DType::kFloat32, {-1, 2}), var(dyn.g, DType::kFloat32, {3, 4})},
         a);
  ASSERT_TRUE(dyn.status.ok());
  EXPECT_EQ(dyn.out().shape, (Shape{3, 6}));
}

// ------------------------------------------------------------ PACK / UNPACK

TEST(ShapeOpsPack, AxisOne) {
  OpRun r;
  tflite::PackOptionsT a;
  a.axis = 1;
  a.values_count = 2;
  run_op(r, OpCode::PACK, {cst<int64_t>(r.g, {2}, {1, 2}), cst<int64_t>(r.g, {2}, {3, 4})}, a);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{2, 2}));
  EXPECT_EQ(r.values<int64_t>(), (std::vector<int64_t>{1, 3, 2, 4}));
  OpRun s;
  a.axis = 0;
  a.values_count = 1;
  run_op(s, OpCode::PACK, {ci32s(s.g, 9)}, a);
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.out().shape, (Shape{1}));
}

TEST(ShapeOpsUnpack, AxisOne) {
  OpRun r;
  tflite::UnpackOptionsT a;
  a.axis = 1;
  a.num = 3;
  run_op(r, OpCode::UNPACK, {cst<float>(r.g, {2, 3}, iota_f(6))}, a, 3);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out(0).shape, (Shape{2}));
  EXPECT_EQ(r.values<float>(0), (std::vector<float>{0, 3}));
  EXPECT_EQ(r.values<float>(2), (std::vector<float>{2, 5}));
  EXPECT_EQ(version_of(r.g, *r.op), 1);
  OpRun bad;
  a.num = 2;
  run_op(bad, OpCode::UNPACK, {cst<float>(bad.g, {2, 3}, iota_f(6))}, a, 2);
  EXPECT_FALSE(bad.status.ok());
}

// ------------------------------------------------------------ SPLIT / SPLIT_V

TEST(ShapeOpsSplit, EqualParts) {
  OpRun r;
  tflite::SplitOptionsT a;
  a.num_splits = 2;
  run_op(r, OpCode::SPLIT, {ci32s(r.g, -1), cst<int32_t>(r.g, {2, 4}, iota_t<int32_t>(8))}, a, 2);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out(1).shape, (Shape{2, 2}));
  EXPECT_EQ(r.values<int32_t>(0), (std::vector<int32_t>{0, 1, 4, 5}));
  EXPECT_EQ(r.values<int32_t>(1), (std::vector<int32_t>{2, 3, 6, 7}));
  EXPECT_EQ(version_of(r.g, *r.op), 3);  // int32 value
  OpRun bad;
  a.num_splits = 3;
  run_op(bad, OpCode::SPLIT, {ci32s(bad.g, 1), cst<int32_t>(bad.g, {2, 4}, iota_t<int32_t>(8))}, a, 3);
  EXPECT_FALSE(bad.status.ok());
}

TEST(ShapeOpsSplitV, MinusOneSize) {
  OpRun r;
  tflite::SplitVOptionsT a;
  a.num_splits = 3;
  run_op(r, OpCode::SPLIT_V, {cst<float>(r.g, {6}, iota_f(6)), ci32(r.g, {1, -1, 2}), ci32s(r.g, 0)}, a, 3);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out(1).shape, (Shape{3}));
  EXPECT_EQ(r.values<float>(0), (std::vector<float>{0}));
  EXPECT_EQ(r.values<float>(1), (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(r.values<float>(2), (std::vector<float>{4, 5}));
}

// ------------------------------------------------------------ SLICE

TEST(ShapeOpsSlice, SizeMinusOne) {
  OpRun r;
  run_op(r, OpCode::SLICE, {cst<float>(r.g, {3, 4}, iota_f(12)), ci32(r.g, {1, 1}), ci32(r.g, {-1, 2})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{2, 2}));
  EXPECT_EQ(r.values<float>(), (std::vector<float>{5, 6, 9, 10}));
  OpRun bad;
  run_op(bad, OpCode::SLICE, {cst<float>(bad.g, {3, 4}, iota_f(12)), ci32(bad.g, {2, 0}), ci32(bad.g, {2, 1})});
  EXPECT_FALSE(bad.status.ok());
}

// ------------------------------------------------------------ STRIDED_SLICE

// x = iota over [3,5,6] (as in the e2e cases).
struct SS {
  int begin_mask = 0, end_mask = 0, ellipsis = 0, new_axis = 0, shrink = 0;
};

OpRun strided(const Shape& shape, std::vector<int32_t> b, std::vector<int32_t> e, std::vector<int32_t> s, SS m) {
  OpRun r;
  TensorId x = cst<float>(r.g, shape, iota_f(static_cast<int>(num_elements(shape))));
  tflite::StridedSliceOptionsT a;
  a.begin_mask = m.begin_mask;
  a.end_mask = m.end_mask;
  a.ellipsis_mask = m.ellipsis;
  a.new_axis_mask = m.new_axis;
  a.shrink_axis_mask = m.shrink;
  run_op(r, OpCode::STRIDED_SLICE, {x, ci32(r.g, b), ci32(r.g, e), ci32(r.g, s)}, a);
  return r;
}

TEST(ShapeOpsStridedSlice, BasicAndStrides) {
  auto r = strided({3, 5, 6}, {0, 1, 0}, {3, 5, 5}, {1, 2, 1}, {});  // x[:, 1:5:2, :5]
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{3, 2, 5}));
  std::vector<float> v = r.values<float>();
  EXPECT_EQ(v[0], 6);   // x[0,1,0]
  EXPECT_EQ(v[5], 18);  // x[0,3,0]
  EXPECT_EQ(v[10], 36); // x[1,1,0]
  EXPECT_EQ(version_of(r.g, *r.op), 1);
}

TEST(ShapeOpsStridedSlice, ShrinkAndNegativeIndex) {
  // x[1, :, 2] with begin/end masks on dim 1.
  auto r = strided({3, 5, 6}, {1, 0, 2}, {2, 6, 3}, {1, 1, 1}, {.begin_mask = 2, .end_mask = 2, .shrink = 5});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{5}));
  EXPECT_EQ(r.values<float>(), (std::vector<float>{32, 38, 44, 50, 56}));
  // x[-1] -> row 2.
  auto n = strided({3, 2}, {-1}, {0}, {1}, {.shrink = 1});
  ASSERT_TRUE(n.status.ok());
  EXPECT_EQ(n.values<float>(), (std::vector<float>{4, 5}));
  auto oob = strided({3, 2}, {3}, {4}, {1}, {.shrink = 1});
  EXPECT_FALSE(oob.status.ok());
  auto neg_stride_shrink = strided({3, 2}, {1}, {0}, {-1}, {.shrink = 1});
  EXPECT_FALSE(neg_stride_shrink.status.ok());
}

TEST(ShapeOpsStridedSlice, NegativeStrides) {
  // x[::-1] on [5]; x[3:0:-2].
  auto r = strided({5}, {0}, {0}, {-1}, {.begin_mask = 1, .end_mask = 1});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.values<float>(), (std::vector<float>{4, 3, 2, 1, 0}));
  auto s = strided({5}, {3}, {0}, {-2}, {});
  EXPECT_EQ(s.values<float>(), (std::vector<float>{3, 1}));
  auto t = strided({5}, {-1}, {-6}, {-1}, {});  // 4..0
  EXPECT_EQ(t.values<float>(), (std::vector<float>{4, 3, 2, 1, 0}));
  auto empty = strided({5}, {1}, {3}, {-1}, {});
  ASSERT_TRUE(empty.status.ok());
  EXPECT_EQ(empty.out().shape, (Shape{0}));
}

TEST(ShapeOpsStridedSlice, EllipsisAndNewAxis) {
  // x[..., 1:3] on [2,3,4] -> [2,3,2]
  auto r = strided({2, 3, 4}, {0, 1}, {0, 3}, {1, 1}, {.ellipsis = 1});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{2, 3, 2}));
  EXPECT_EQ(r.values<float>()[0], 1);
  EXPECT_EQ(r.values<float>()[2], 5);
  EXPECT_EQ(version_of(r.g, *r.op), 6);
  // x[:, tf.newaxis, ..., 0] on [2,3,4] -> [2,1,3]
  auto n = strided({2, 3, 4}, {0, 0, 0, 0}, {0, 0, 0, 1}, {1, 1, 1, 1},
                   {.begin_mask = 1, .end_mask = 1, .ellipsis = 4, .new_axis = 2, .shrink = 8});
  ASSERT_TRUE(n.status.ok()) << n.status.message();
  EXPECT_EQ(n.out().shape, (Shape{2, 1, 3}));
  EXPECT_EQ(n.values<float>(), (std::vector<float>{0, 4, 8, 12, 16, 20}));
  // Fewer entries than dims: trailing dims are kept whole.
  auto t = strided({2, 3}, {1}, {2}, {1}, {});
  EXPECT_EQ(t.out().shape, (Shape{1, 3}));
  EXPECT_EQ(t.values<float>(), (std::vector<float>{3, 4, 5}));
}

TEST(ShapeOpsStridedSlice, OffsetMode) {
  OpRun r;
  TensorId x = cst<float>(r.g, {6}, iota_f(6));
  tflite::StridedSliceOptionsT a;
  a.offset = true;
  run_op(r, OpCode::STRIDED_SLICE, {x, ci32(r.g, {2}), ci32(r.g, {3}), ci32(r.g, {1})}, a);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.values<float>(), (std::vector<float>{2, 3, 4}));
  EXPECT_EQ(version_of(r.g, *r.op), 8);
}

TEST(ShapeOpsStridedSlice, DynamicIndicesGiveRank) {
  OpRun r;
  TensorId x = var(r.g, DType::kFloat32, {4, 5});
  tflite::StridedSliceOptionsT a;
  a.shrink_axis_mask = 1;
  a.new_axis_mask = 2;
  run_op(r, OpCode::STRIDED_SLICE,
         {x, var(r.g, DType::kInt32, {3}), var(r.g, DType::kInt32, {3}), var(r.g, DType::kInt32, {3})}, a);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{1, -1}));
}

// ------------------------------------------------------------ PAD family

TEST(ShapeOpsPad, ConstantAndV2) {
  OpRun r;
  run_op(r, OpCode::PAD, {cst<int32_t>(r.g, {2}, {1, 2}), cst<int32_t>(r.g, {1, 2}, {1, 2})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.values<int32_t>(), (std::vector<int32_t>{0, 1, 2, 0, 0}));
  EXPECT_EQ(options_of(r.g, *r.op), tflite::BuiltinOptions::PadOptions);
  OpRun v;
  run_op(v, OpCode::PADV2,
         {cst<float>(v.g, {1, 2}, {1, 2}), cst<int64_t>(v.g, {2, 2}, {1, 0, 0, 1}), cst<float>(v.g, {}, {-5})});
  ASSERT_TRUE(v.status.ok()) << v.status.message();
  EXPECT_EQ(v.out().shape, (Shape{2, 3}));
  EXPECT_EQ(v.values<float>(), (std::vector<float>{-5, -5, -5, 1, 2, -5}));
  OpRun b;
  run_op(b, OpCode::PAD, {cst<bool>(b.g, {1}, {true}), cst<int32_t>(b.g, {1, 2}, {1, 0})});
  ASSERT_TRUE(b.status.ok());
  EXPECT_EQ(b.values<bool>(), (std::vector<bool>{false, true}));
  EXPECT_EQ(version_of(b.g, *b.op), 5);
}

TEST(ShapeOpsMirrorPad, ReflectAndSymmetric) {
  tflite::MirrorPadOptionsT a;
  a.mode = MirrorMode::REFLECT;
  OpRun r;
  run_op(r, OpCode::MIRROR_PAD, {cst<float>(r.g, {3}, {1, 2, 3}), cst<int32_t>(r.g, {1, 2}, {2, 2})}, a);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.values<float>(), (std::vector<float>{3, 2, 1, 2, 3, 2, 1}));
  a.mode = MirrorMode::SYMMETRIC;
  OpRun s;
  run_op(s, OpCode::MIRROR_PAD, {cst<float>(s.g, {3}, {1, 2, 3}), cst<int32_t>(s.g, {1, 2}, {3, 2})}, a);
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.values<float>(), (std::vector<float>{3, 2, 1, 1, 2, 3, 3, 2}));
  // 2-D reflect: [[1,2],[3,4]] padded by 1 on both dims.
  a.mode = MirrorMode::REFLECT;
  OpRun m;
  run_op(m, OpCode::MIRROR_PAD, {cst<int64_t>(m.g, {2, 2}, {1, 2, 3, 4}), cst<int32_t>(m.g, {2, 2}, {1, 0, 0, 1})},
         a);
  ASSERT_TRUE(m.status.ok());
  EXPECT_EQ(m.values<int64_t>(), (std::vector<int64_t>{3, 4, 3, 1, 2, 1, 3, 4, 3}));
  OpRun bad;
  run_op(bad, OpCode::MIRROR_PAD, {cst<float>(bad.g, {3}, {1, 2, 3}), cst<int32_t>(bad.g, {1, 2}, {3, 0})}, a);
  EXPECT_FALSE(bad.status.ok());
}

// ------------------------------------------------------------ TILE

TEST(ShapeOpsTile, TwoDims) {
  OpRun r;
  run_op(r, OpCode::TILE, {cst<int32_t>(r.g, {2, 2}, {1, 2, 3, 4}), ci32(r.g, {2, 3})});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{4, 6}));
  EXPECT_EQ(r.values<int32_t>(), (std::vector<int32_t>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,
                                                       1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}));
  OpRun b;
  run_op(b, OpCode::TILE, {cst<bool>(b.g, {1, 2}, {true, false}), cst<int64_t>(b.g, {2}, {2, 1})});
  ASSERT_TRUE(b.status.ok());
  EXPECT_EQ(b.values<bool>(), (std::vector<bool>{true, false, true, false}));
}

// ------------------------------------------------------------ depth/batch

TEST(ShapeOpsSpaceToDepth, RoundTrip) {
  tflite::SpaceToDepthOptionsT a;
  a.block_size = 2;
  OpRun r;
  TensorId x = cst<float>(r.g, {1, 2, 4, 1}, iota_f(8));
  run_op(r, OpCode::SPACE_TO_DEPTH, {x}, a);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{1, 1, 2, 4}));
  // out[0,0,w,(i*2+j)] = in[0,i,w*2+j]
  EXPECT_EQ(r.values<float>(), (std::vector<float>{0, 1, 4, 5, 2, 3, 6, 7}));
  TensorId y = r.op->outputs[0];
  TensorId o = r.g.add_tensor({});
  Op& back = r.g.add_op(OpCode::DEPTH_TO_SPACE, {y}, {o}, tflite::DepthToSpaceOptionsT{.block_size = a.block_size});
  ASSERT_TRUE(infer_op(r.g, back).ok());
  ASSERT_TRUE(find_op(OpCode::DEPTH_TO_SPACE)->eval(r.g, back).ok());
  EXPECT_EQ(r.g.t(o).shape, (Shape{1, 2, 4, 1}));
  EXPECT_EQ(const_values<float>(r.g.t(o)), iota_f(8));
}

TEST(ShapeOpsDepthToSpace, DcrOrder) {
  tflite::DepthToSpaceOptionsT a;
  a.block_size = 2;
  OpRun r;
  run_op(r, OpCode::DEPTH_TO_SPACE, {cst<float>(r.g, {1, 1, 1, 8}, iota_f(8))}, a);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{1, 2, 2, 2}));
  // out[0,i,j,c] = in[0,0,0,(i*2+j)*2+c]
  EXPECT_EQ(r.values<float>(), iota_f(8));
  OpRun bad;
  a.block_size = 3;
  run_op(bad, OpCode::DEPTH_TO_SPACE, {cst<float>(bad.g, {1, 1, 1, 8}, iota_f(8))}, a);
  EXPECT_FALSE(bad.status.ok());
}

TEST(ShapeOpsSpaceToBatch, PaddedAndBack) {
  // TF docs example 3 style: x [1,2,4,1] (values 0..7), block [2,2], paddings [[0,0],[0,0]].
  OpRun r;
  TensorId x = cst<float>(r.g, {1, 2, 4, 1}, iota_f(8));
  run_op(r, OpCode::SPACE_TO_BATCH_ND, {x, ci32(r.g, {2, 2}), cst<int32_t>(r.g, {2, 2}, {0, 0, 0, 0})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{4, 1, 2, 1}));
  // batch (i,j): x[0, i::2, j::2]
  EXPECT_EQ(r.values<float>(), (std::vector<float>{0, 2, 1, 3, 4, 6, 5, 7}));
  TensorId o = r.g.add_tensor({});
  Op& back = r.g.add_op(OpCode::BATCH_TO_SPACE_ND, {r.op->outputs[0], ci32(r.g, {2, 2}),
                                                   cst<int32_t>(r.g, {2, 2}, {0, 0, 0, 0})},
                        {o});
  ASSERT_TRUE(infer_op(r.g, back).ok());
  ASSERT_TRUE(find_op(OpCode::BATCH_TO_SPACE_ND)->eval(r.g, back).ok());
  EXPECT_EQ(const_values<float>(r.g.t(o)), iota_f(8));

  // Padding: x [1,2,2,1] = 1..4, block [2,2], paddings [[1,1],[1,1]] ->
  // [4,2,2,1]; batch (1,1) holds the original top-left corner at [0,0].
  OpRun p;
  TensorId y = cst<float>(p.g, {1, 2, 2, 1}, {1, 2, 3, 4});
  run_op(p, OpCode::SPACE_TO_BATCH_ND, {y, ci32(p.g, {2, 2}), cst<int32_t>(p.g, {2, 2}, {1, 1, 1, 1})});
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(p.out().shape, (Shape{4, 2, 2, 1}));
  EXPECT_EQ(p.values<float>(), (std::vector<float>{0, 0, 0, 4, 0, 0, 3, 0, 0, 2, 0, 0, 1, 0, 0, 0}));
  // Crop it back.
  TensorId o2 = p.g.add_tensor({});
  Op& crop = p.g.add_op(OpCode::BATCH_TO_SPACE_ND, {p.op->outputs[0], ci32(p.g, {2, 2}),
                                                   cst<int32_t>(p.g, {2, 2}, {1, 1, 1, 1})},
                        {o2});
  ASSERT_TRUE(infer_op(p.g, crop).ok());
  ASSERT_TRUE(find_op(OpCode::BATCH_TO_SPACE_ND)->eval(p.g, crop).ok());
  EXPECT_EQ(p.g.t(o2).shape, (Shape{1, 2, 2, 1}));
  EXPECT_EQ(const_values<float>(p.g.t(o2)), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(version_of(p.g, *p.op), 1);
}

// ------------------------------------------------------------ GATHER

TEST(ShapeOpsGather, AxisAndBatchDims) {
  OpRun r;
  tflite::GatherOptionsT a;
  a.axis = 1;
  run_op(r, OpCode::GATHER, {cst<float>(r.g, {2, 3}, iota_f(6)), cst<int64_t>(r.g, {2, 1}, {2, 0})}, a);
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{2, 2, 1}));
  EXPECT_EQ(r.values<float>(), (std::vector<float>{2, 0, 5, 3}));
  EXPECT_EQ(options_of(r.g, *r.op), tflite::BuiltinOptions::GatherOptions);
  OpRun b;
  a.axis = 1;
  a.batch_dims = 1;
  run_op(b, OpCode::GATHER, {cst<int32_t>(b.g, {2, 3}, {10, 11, 12, 20, 21, 22}), cst<int32_t>(b.g, {2, 2}, {2, 1, 0, 0})},
         a);
  ASSERT_TRUE(b.status.ok()) << b.status.message();
  EXPECT_EQ(b.out().shape, (Shape{2, 2}));
  EXPECT_EQ(b.values<int32_t>(), (std::vector<int32_t>{12, 11, 20, 20}));
  EXPECT_EQ(version_of(b.g, *b.op), 5);
  OpRun bad;
  a = {};
  run_op(bad, OpCode::GATHER, {cst<float>(bad.g, {3}, iota_f(3)), cst<int32_t>(bad.g, {1}, {3})}, a);
  EXPECT_FALSE(bad.status.ok());
}

TEST(ShapeOpsGatherNd, PointsAndRows) {
  OpRun r;
  run_op(r, OpCode::GATHER_ND, {cst<float>(r.g, {2, 3}, iota_f(6)), cst<int32_t>(r.g, {2, 2}, {1, 2, 0, 1})});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.out().shape, (Shape{2}));
  EXPECT_EQ(r.values<float>(), (std::vector<float>{5, 1}));
  OpRun rows;
  run_op(rows, OpCode::GATHER_ND, {cst<bool>(rows.g, {2, 2}, {true, false, false, true}),
                                   cst<int32_t>(rows.g, {1, 1}, {1})});
  ASSERT_TRUE(rows.status.ok());
  EXPECT_EQ(rows.out().shape, (Shape{1, 2}));
  EXPECT_EQ(rows.values<bool>(), (std::vector<bool>{false, true}));
  EXPECT_EQ(version_of(rows.g, *rows.op), 5);
}

// ------------------------------------------------------------ SHAPE / RANK

TEST(ShapeOpsShapeRank, Values) {
  OpRun r;
  tflite::ShapeOptionsT a;
  a.out_type = tflite::TensorType::INT64;
  run_op(r, OpCode::SHAPE, {cst<float>(r.g, {2, 3}, iota_f(6))}, a);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.values<int64_t>(), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(options_of(r.g, *r.op), tflite::BuiltinOptions::ShapeOptions);
  OpRun k;
  run_op(k, OpCode::RANK, {cst<float>(k.g, {2, 3}, iota_f(6))});
  ASSERT_TRUE(k.status.ok());
  EXPECT_EQ(k.out().shape, Shape{});
  EXPECT_EQ(k.values<int32_t>(), (std::vector<int32_t>{2}));
  OpRun d;
  run_op(d, OpCode::SHAPE, {var(d.g, DType::kFloat32, {-1, 4, 4})});
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.out().shape, (Shape{3}));
  EXPECT_EQ(d.out().dtype, DType::kInt32);
}

// ============================================================ TF lowerings

using tensorflow::NodeDef;

struct GraphBuilder {
  tensorflow::GraphDef gd;

  NodeDef& node(const std::string& name, const std::string& op, std::vector<std::string> inputs = {}) {
    NodeDef* n = gd.add_node();
    n->set_name(name);
    n->set_op(op);
    for (auto& i : inputs) n->add_input(i);
    return *n;
  }
  static void set_type(NodeDef& n, const std::string& key, tensorflow::DataType t) {
    (*n.mutable_attr())[key].set_type(t);
  }
  static void set_int(NodeDef& n, const std::string& key, int64_t v) { (*n.mutable_attr())[key].set_i(v); }
  static void set_ints(NodeDef& n, const std::string& key, std::vector<int64_t> v) {
    auto* l = (*n.mutable_attr())[key].mutable_list();
    for (int64_t x : v) l->add_i(x);
  }
  static void set_str(NodeDef& n, const std::string& key, const std::string& v) {
    (*n.mutable_attr())[key].set_s(v);
  }
  void placeholder(const std::string& name, tensorflow::DataType t, Shape shape) {
    NodeDef& n = node(name, "Placeholder");
    set_type(n, "dtype", t);
    auto* s = (*n.mutable_attr())["shape"].mutable_shape();
    for (int64_t d : shape) s->add_dim()->set_size(d);
  }
  tensorflow::TensorProto& const_node(const std::string& name, tensorflow::DataType t, Shape shape) {
    NodeDef& n = node(name, "Const");
    set_type(n, "dtype", t);
    auto* tp = (*n.mutable_attr())["value"].mutable_tensor();
    tp->set_dtype(t);
    for (int64_t d : shape) tp->mutable_tensor_shape()->add_dim()->set_size(d);
    return *tp;
  }
  void ci32(const std::string& name, std::vector<int32_t> v, Shape shape = {-2}) {
    if (shape == Shape{-2}) shape = {static_cast<int64_t>(v.size())};
    auto& t = const_node(name, tensorflow::DT_INT32, shape);
    for (int32_t x : v) t.add_int_val(x);
  }
  void ci64(const std::string& name, std::vector<int64_t> v, Shape shape = {-2}) {
    if (shape == Shape{-2}) shape = {static_cast<int64_t>(v.size())};
    auto& t = const_node(name, tensorflow::DT_INT64, shape);
    for (int64_t x : v) t.add_int64_val(x);
  }
  void cf32(const std::string& name, std::vector<float> v, Shape shape) {
    auto& t = const_node(name, tensorflow::DT_FLOAT, shape);
    for (float x : v) t.add_float_val(x);
  }
  void cbool(const std::string& name, std::vector<bool> v, Shape shape) {
    auto& t = const_node(name, tensorflow::DT_BOOL, shape);
    for (bool x : v) t.add_bool_val(x);
  }
};

struct Imported {
  Status status;
  Model model;
  Graph& g() { return model.subgraphs[0]; }
  std::vector<const Op*> live_ops() {
    std::vector<const Op*> v;
    for (auto& op : g().ops)
      if (!op->dead) v.push_back(op.get());
    return v;
  }
  const Tensor& out(int i = 0) { return g().t(g().outputs[i]); }
};

Imported import(GraphBuilder& b, std::vector<std::string> outputs) {
  GraphDefImportOptions opt;
  opt.output_arrays = std::move(outputs);
  Imported r;
  auto m = import_graphdef(b.gd, opt);
  r.status = m.status();
  if (m.ok()) r.model = std::move(m).value();
  return r;
}

// Runs the live ops of an imported graph with our kernels, inputs fed with
// the given bytes (what a runtime would compute).
Status run_graph(Graph& g, const std::vector<std::string>& feeds) {
  for (size_t i = 0; i < g.inputs.size(); ++i) g.t(g.inputs[i]).data = make_buffer(feeds.at(i));
  for (auto& op : g.ops) {
    if (op->dead) continue;
    const OpSchema* s = find_op(op->code);
    if (!s || !s->eval) return internal_error("no kernel for " + op_name(op->code));
    RETURN_IF_ERROR(infer_op(g, *op));
    RETURN_IF_ERROR(s->eval(g, *op));
  }
  return ok_status();
}

template <typename T>
std::vector<T> vals(const Tensor& t) {
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<bool> r;
    for (uint8_t b : const_values<uint8_t>(t)) r.push_back(b != 0);
    return r;
  } else {
    return const_values<T>(t);
  }
}

TEST(ShapeOpsTf, ReshapeResolvesMinusOneAndInt64Shape) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {2, 3, 4});
  b.ci64("shape", {-1, 4});
  auto& n = b.node("r", "Reshape", {"x", "shape"});
  GraphBuilder::set_type(n, "T", tensorflow::DT_FLOAT);
  GraphBuilder::set_type(n, "Tshape", tensorflow::DT_INT64);
  Imported im = import(b, {"r"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0]->code, OpCode::RESHAPE);
  const Tensor& s = im.g().t(ops[0]->inputs[1]);
  EXPECT_EQ(s.dtype, DType::kInt32);
  EXPECT_EQ(vals<int32_t>(s), (std::vector<int32_t>{6, 4}));
  EXPECT_EQ(im.out().shape, (Shape{6, 4}));
}

TEST(ShapeOpsTf, SqueezeAndExpandDimsBecomeReshape) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {1, 3, 1});
  auto& sq = b.node("sq", "Squeeze", {"x"});
  GraphBuilder::set_ints(sq, "squeeze_dims", {0});
  b.ci32("axis", {-1}, {});
  b.node("ex", "ExpandDims", {"sq", "axis"});
  b.placeholder("d", tensorflow::DT_FLOAT, {-1, 3});
  b.ci32("axis0", {0}, {});
  b.node("exd", "ExpandDims", {"d", "axis0"});
  Imported im = import(b, {"ex", "exd"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0]->code, OpCode::RESHAPE);
  EXPECT_EQ(ops[1]->code, OpCode::RESHAPE);
  EXPECT_EQ(ops[2]->code, OpCode::EXPAND_DIMS);
  EXPECT_EQ(im.out(0).shape, (Shape{3, 1, 1}));
  EXPECT_EQ(im.out(1).shape, (Shape{1, -1, 3}));
}

TEST(ShapeOpsTf, TransposeOfConstantFolds) {
  GraphBuilder b;
  b.cf32("w", iota_f(6), {2, 3});
  b.ci32("perm", {1, 0});
  b.node("t", "Transpose", {"w", "perm"});
  Imported im = import(b, {"t"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  EXPECT_TRUE(im.live_ops().empty());
  EXPECT_EQ(vals<float>(im.out()), (std::vector<float>{0, 3, 1, 4, 2, 5}));
  EXPECT_EQ(im.out().name, "t");
}

TEST(ShapeOpsTf, ConcatPackUnpack) {
  GraphBuilder b;
  b.placeholder("a", tensorflow::DT_FLOAT, {2, 2});
  b.ci32("axis", {-1}, {});
  b.node("c", "ConcatV2", {"a", "a", "axis"});
  auto& p = b.node("p", "Pack", {"a", "a", "a"});
  GraphBuilder::set_int(p, "axis", -1);
  auto& u = b.node("u", "Unpack", {"a"});
  GraphBuilder::set_int(u, "num", 2);
  GraphBuilder::set_int(u, "axis", 1);
  Imported im = import(b, {"c", "p", "u:1"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_EQ(ops.size(), 3u);
  EXPECT_EQ(ops[0]->code, OpCode::CONCATENATION);
  EXPECT_EQ(opts<tflite::ConcatenationOptionsT>(*ops[0]).axis, 1);
  EXPECT_EQ(ops[1]->code, OpCode::PACK);
  EXPECT_EQ(opts<tflite::PackOptionsT>(*ops[1]).axis, 2);
  EXPECT_EQ(ops[2]->code, OpCode::UNPACK);
  ASSERT_TRUE(run_graph(im.g(), {to_bytes(std::vector<float>{1, 2, 3, 4})}).ok());
  EXPECT_EQ(vals<float>(im.out(0)), (std::vector<float>{1, 2, 1, 2, 3, 4, 3, 4}));
  EXPECT_EQ(im.out(1).shape, (Shape{2, 2, 3}));
  EXPECT_EQ(vals<float>(im.out(2)), (std::vector<float>{2, 4}));
  EXPECT_EQ(im.out(2).name, "u:1");
}

TEST(ShapeOpsTf, PackBoolAndUnpackInt64TakeKernelSafeRoutes) {
  GraphBuilder b;
  b.placeholder("a", tensorflow::DT_BOOL, {2});
  b.node("p", "Pack", {"a", "a"});
  b.placeholder("i", tensorflow::DT_INT64, {2, 3});
  auto& u = b.node("u", "Unpack", {"i"});
  GraphBuilder::set_int(u, "num", 2);
  Imported im = import(b, {"p", "u", "u:1"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  for (const Op* op : im.live_ops()) {
    EXPECT_NE(op->code, OpCode::PACK);
    EXPECT_NE(op->code, OpCode::UNPACK);
  }
  ASSERT_TRUE(run_graph(im.g(), {bytes_of<bool>({true, false}), to_bytes(std::vector<int64_t>{1, 2, 3, 4, 5, 6})})
                  .ok());
  EXPECT_EQ(im.out(0).shape, (Shape{2, 2}));
  EXPECT_EQ(vals<bool>(im.out(0)), (std::vector<bool>{true, false, true, false}));
  EXPECT_EQ(vals<int64_t>(im.out(1)), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(vals<int64_t>(im.out(2)), (std::vector<int64_t>{4, 5, 6}));
  EXPECT_EQ(im.out(2).shape, (Shape{3}));
}

TEST(ShapeOpsTf, SplitAxisIsInputZeroAndSplitV) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {2, 6});
  b.ci32("dim", {1}, {});
  auto& s = b.node("s", "Split", {"dim", "x"});
  GraphBuilder::set_int(s, "num_split", 3);
  b.ci32("sizes", {1, -1});
  b.ci32("dim2", {-1}, {});
  auto& v = b.node("v", "SplitV", {"x", "sizes", "dim2"});
  GraphBuilder::set_int(v, "num_split", 2);
  b.placeholder("bx", tensorflow::DT_BOOL, {4});
  b.ci32("dim0", {0}, {});
  auto& bs = b.node("bs", "Split", {"dim0", "bx"});
  GraphBuilder::set_int(bs, "num_split", 2);
  Imported im = import(b, {"s:2", "v:1", "bs:1"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_GE(ops.size(), 3u);
  EXPECT_EQ(ops[0]->code, OpCode::SPLIT);
  EXPECT_EQ(ops[1]->code, OpCode::SPLIT_V);
  EXPECT_EQ(im.g().t(ops[1]->inputs[1]).dtype, DType::kInt32);
  EXPECT_EQ(vals<int32_t>(im.g().t(ops[1]->inputs[1])), (std::vector<int32_t>{1, 5}));
  EXPECT_EQ(ops[2]->code, OpCode::SLICE);  // bool: SPLIT lacks it
  ASSERT_TRUE(run_graph(im.g(), {to_bytes(iota_f(12)), bytes_of<bool>({true, false, false, true})}).ok());
  EXPECT_EQ(vals<float>(im.out(0)), (std::vector<float>{4, 5, 10, 11}));
  EXPECT_EQ(vals<float>(im.out(1)), (std::vector<float>{1, 2, 3, 4, 5, 7, 8, 9, 10, 11}));
  EXPECT_EQ(vals<bool>(im.out(2)), (std::vector<bool>{false, true}));
}

TEST(ShapeOpsTf, SliceIdentityOnGraphInputIsKept) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {2, 3});
  b.ci32("b", {0, 0});
  b.ci32("s", {-1, 3});
  b.node("sl", "Slice", {"x", "b", "s"});
  Imported im = import(b, {"sl"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  // The input is a graph input, so an identity Slice is still emitted.
  ASSERT_EQ(im.live_ops().size(), 1u);
  EXPECT_EQ(im.live_ops()[0]->code, OpCode::SLICE);
}

// Runs StridedSlice both folded (constant x: our kernel on TF's spec) and
// lowered (placeholder x: canonical STRIDED_SLICE [+ RESHAPE] run through our
// kernels) and compares.
struct SsCase {
  Shape shape;
  std::vector<int32_t> b, e, s;
  SS m;
};

void check_strided(const SsCase& c) {
  int n = static_cast<int>(num_elements(c.shape));
  auto build = [&](bool constant) {
    GraphBuilder b;
    if (constant) b.cf32("x", iota_f(n), c.shape);
    else b.placeholder("x", tensorflow::DT_FLOAT, c.shape);
    b.ci32("b", c.b);
    b.ci32("e", c.e);
    b.ci32("s", c.s);
    auto& ss = b.node("ss", "StridedSlice", {"x", "b", "e", "s"});
    GraphBuilder::set_int(ss, "begin_mask", c.m.begin_mask);
    GraphBuilder::set_int(ss, "end_mask", c.m.end_mask);
    GraphBuilder::set_int(ss, "ellipsis_mask", c.m.ellipsis);
    GraphBuilder::set_int(ss, "new_axis_mask", c.m.new_axis);
    GraphBuilder::set_int(ss, "shrink_axis_mask", c.m.shrink);
    return b;
  };
  GraphBuilder fb = build(true), lb = build(false);
  Imported folded = import(fb, {"ss"});
  ASSERT_TRUE(folded.status.ok()) << folded.status.message();
  Imported lowered = import(lb, {"ss"});
  ASSERT_TRUE(lowered.status.ok()) << lowered.status.message();
  for (const Op* op : lowered.live_ops()) {
    if (op->code != OpCode::STRIDED_SLICE) continue;
    EXPECT_EQ(opts<tflite::StridedSliceOptionsT>(*op).ellipsis_mask, 0);
    EXPECT_EQ(opts<tflite::StridedSliceOptionsT>(*op).new_axis_mask, 0);
    EXPECT_EQ(lowered.g().t(op->inputs[1]).num_elements(), static_cast<int64_t>(c.shape.size()));
  }
  ASSERT_TRUE(run_graph(lowered.g(), {to_bytes(iota_f(n))}).ok());
  EXPECT_EQ(lowered.out().shape, folded.out().shape);
  EXPECT_EQ(vals<float>(lowered.out()), vals<float>(folded.out()));
}

TEST(ShapeOpsTf, StridedSliceCanonicalFormMatchesTfSpec) {
  std::vector<SsCase> cases = {
      {{3, 5, 6}, {0, 1, 0}, {3, 5, 5}, {1, 2, 1}, {}},
      {{3, 5, 6}, {1, 2, 0}, {0, 0, 3}, {1, 1, 1}, {.begin_mask = 4, .end_mask = 3}},
      {{3, 5, 6}, {0, 1}, {0, 3}, {1, 1}, {.ellipsis = 1}},
      {{3, 5, 6}, {0, 0, 0}, {0, 0, 0}, {1, 1, 1}, {.begin_mask = 7, .end_mask = 7, .new_axis = 2}},
      {{3, 5, 6}, {1, 0, 2}, {2, 6, 3}, {1, 1, 1}, {.begin_mask = 2, .end_mask = 2, .shrink = 5}},
      {{3, 5, 6}, {0, 1, 0}, {0, 5, 0}, {-1, 2, -2}, {.begin_mask = 5, .end_mask = 5}},
      {{3, 5, 6}, {2, -1, 3}, {0, 0, 0}, {-1, 1, 1}, {.end_mask = 4, .shrink = 2}},
      {{3, 5, 6}, {-2, -4}, {0, -1}, {1, 1}, {.end_mask = 1}},
      {{3, 5, 6}, {0, 0, 1, 0}, {0, 0, 2, 0}, {1, 1, 1, 1}, {.ellipsis = 1, .new_axis = 2 | 8, .shrink = 4}},
      {{3, 5, 6}, {1, 0, 0}, {2, 0, 0}, {1, 1, 1}, {.ellipsis = 2, .new_axis = 4, .shrink = 1}},
      {{3, 5, 6}, {-1, 0}, {0, 0}, {1, 1}, {.new_axis = 2, .shrink = 1}},
      {{3, 5, 6}, {0}, {100}, {1}, {}},
      {{4}, {0}, {0}, {1}, {.begin_mask = 1, .end_mask = 1, .new_axis = 1}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i));
    check_strided(cases[i]);
  }
}

TEST(ShapeOpsTf, StridedSliceIdentityOfProducedTensorIsDropped) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {2, 3});
  b.ci32("perm", {1, 0});
  b.node("t", "Transpose", {"x", "perm"});
  b.ci32("b", {0});
  b.ci32("e", {0});
  b.ci32("s", {1});
  auto& ss = b.node("ss", "StridedSlice", {"t", "b", "e", "s"});
  GraphBuilder::set_int(ss, "begin_mask", 1);
  GraphBuilder::set_int(ss, "end_mask", 1);
  Imported im = import(b, {"ss"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  ASSERT_EQ(im.live_ops().size(), 1u);
  EXPECT_EQ(im.live_ops()[0]->code, OpCode::TRANSPOSE);
}

TEST(ShapeOpsTf, StridedSliceBadSpecIsAnError) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {2, 3});
  b.ci32("b", {5});
  b.ci32("e", {6});
  b.ci32("s", {1});
  auto& ss = b.node("ss", "StridedSlice", {"x", "b", "e", "s"});
  GraphBuilder::set_int(ss, "shrink_axis_mask", 1);
  Imported im = import(b, {"ss"});
  EXPECT_FALSE(im.status.ok());
  EXPECT_EQ(im.status.kind(), ErrorKind::kInvalidInput);
}

TEST(ShapeOpsTf, PadFamilyAndTile) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {1, 3});
  b.ci64("p", {0, 0, 1, 2}, {2, 2});
  b.node("pad", "Pad", {"x", "p"});
  b.cf32("cv", {7}, {});
  b.node("pad2", "PadV2", {"x", "p", "cv"});
  auto& mp = b.node("mp", "MirrorPad", {"x", "p"});
  GraphBuilder::set_str(mp, "mode", "REFLECT");
  b.ci32("m", {2, 1});
  b.node("tile", "Tile", {"x", "m"});
  Imported im = import(b, {"pad", "pad2", "mp", "tile"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0]->code, OpCode::PAD);
  EXPECT_EQ(im.g().t(ops[0]->inputs[1]).dtype, DType::kInt32);
  EXPECT_EQ(im.g().t(ops[0]->inputs[1]).shape, (Shape{2, 2}));
  EXPECT_EQ(ops[1]->code, OpCode::PADV2);
  EXPECT_EQ(ops[2]->code, OpCode::MIRROR_PAD);
  EXPECT_EQ(ops[3]->code, OpCode::TILE);
  ASSERT_TRUE(run_graph(im.g(), {to_bytes(std::vector<float>{1, 2, 3})}).ok());
  EXPECT_EQ(vals<float>(im.out(0)), (std::vector<float>{0, 1, 2, 3, 0, 0}));
  EXPECT_EQ(vals<float>(im.out(1)), (std::vector<float>{7, 1, 2, 3, 7, 7}));
  EXPECT_EQ(vals<float>(im.out(2)), (std::vector<float>{2, 1, 2, 3, 2, 1}));
  EXPECT_EQ(vals<float>(im.out(3)), (std::vector<float>{1, 2, 3, 1, 2, 3}));
}

TEST(ShapeOpsTf, DepthAndBatchOps) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {1, 2, 4, 1});
  auto& s2d = b.node("s2d", "SpaceToDepth", {"x"});
  GraphBuilder::set_int(s2d, "block_size", 2);
  auto& d2s = b.node("d2s", "DepthToSpace", {"s2d"});
  GraphBuilder::set_int(d2s, "block_size", 2);
  b.ci32("block", {2});
  b.ci32("pads", {0, 0}, {1, 2});
  b.node("s2b", "SpaceToBatchND", {"x", "block", "pads"});
  b.node("b2s", "BatchToSpaceND", {"s2b", "block", "pads"});
  auto& nchw = b.node("bad", "SpaceToDepth", {"x"});
  GraphBuilder::set_int(nchw, "block_size", 2);
  GraphBuilder::set_str(nchw, "data_format", "NCHW");
  Imported im = import(b, {"d2s", "b2s"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[2]->code, OpCode::SPACE_TO_BATCH_ND);
  // One block dim on a 4-D input gets a trailing block of 1 for TFLite.
  EXPECT_EQ(vals<int32_t>(im.g().t(ops[2]->inputs[1])), (std::vector<int32_t>{2, 1}));
  EXPECT_EQ(im.g().t(ops[2]->inputs[2]).shape, (Shape{2, 2}));
  ASSERT_TRUE(run_graph(im.g(), {to_bytes(iota_f(8))}).ok());
  EXPECT_EQ(vals<float>(im.out(0)), iota_f(8));
  EXPECT_EQ(vals<float>(im.out(1)), iota_f(8));
  Imported bad = import(b, {"bad"});
  EXPECT_FALSE(bad.status.ok());
}

TEST(ShapeOpsTf, GatherV2AndGatherNd) {
  GraphBuilder b;
  b.placeholder("p", tensorflow::DT_FLOAT, {2, 3});
  b.ci64("idx", {2, 0});
  b.ci32("axis", {-1}, {});
  b.node("g", "GatherV2", {"p", "idx", "axis"});
  b.ci32("nd", {1, 1, 0, 2}, {2, 2});
  b.node("gnd", "GatherNd", {"p", "nd"});
  Imported im = import(b, {"g", "gnd"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_EQ(ops.size(), 2u);
  EXPECT_EQ(ops[0]->code, OpCode::GATHER);
  EXPECT_EQ(opts<tflite::GatherOptionsT>(*ops[0]).axis, 1);
  EXPECT_EQ(ops[1]->code, OpCode::GATHER_ND);
  ASSERT_TRUE(run_graph(im.g(), {to_bytes(iota_f(6))}).ok());
  EXPECT_EQ(vals<float>(im.out(0)), (std::vector<float>{2, 0, 5, 3}));
  EXPECT_EQ(vals<float>(im.out(1)), (std::vector<float>{4, 2}));
}

TEST(ShapeOpsTf, ShapeSizeRankFoldWhenStatic) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {2, 3, 4});
  auto& s = b.node("s", "Shape", {"x"});
  GraphBuilder::set_type(s, "out_type", tensorflow::DT_INT64);
  b.node("n", "Size", {"x"});
  b.node("r", "Rank", {"x"});
  b.placeholder("d", tensorflow::DT_FLOAT, {-1, 3});
  b.node("ds", "Shape", {"d"});
  Imported im = import(b, {"s", "n", "r", "ds"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0]->code, OpCode::SHAPE);
  EXPECT_EQ(vals<int64_t>(im.out(0)), (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(im.out(1).dtype, DType::kInt32);
  EXPECT_EQ(im.out(1).shape, Shape{});
  EXPECT_EQ(vals<int32_t>(im.out(1)), (std::vector<int32_t>{24}));
  EXPECT_EQ(vals<int32_t>(im.out(2)), (std::vector<int32_t>{3}));
  EXPECT_EQ(im.out(3).shape, (Shape{2}));
}

TEST(ShapeOpsTf, KerasFlattenFoldsWithStaticBatch) {
  // Shape -> StridedSlice(shrink) -> Pack -> Reshape, as Keras Flatten emits.
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {2, 3, 2});
  b.node("shape", "Shape", {"x"});
  b.ci32("b", {0});
  b.ci32("e", {1});
  b.ci32("s", {1});
  auto& ss = b.node("ss", "StridedSlice", {"shape", "b", "e", "s"});
  GraphBuilder::set_int(ss, "shrink_axis_mask", 1);
  b.ci32("six", {6}, {});
  auto& p = b.node("pack", "Pack", {"ss", "six"});
  GraphBuilder::set_int(p, "axis", 0);
  b.node("flat", "Reshape", {"x", "pack"});
  Imported im = import(b, {"flat"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  auto ops = im.live_ops();
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0]->code, OpCode::RESHAPE);
  EXPECT_EQ(im.out().shape, (Shape{2, 6}));
}

TEST(ShapeOpsTf, DynamicShapesEmitRuntimeOps) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_FLOAT, {-1, 3, 2});
  auto& sh = b.node("shape", "Shape", {"x"});
  GraphBuilder::set_type(sh, "out_type", tensorflow::DT_INT64);
  b.node("r", "Reshape", {"x", "shape"});  // run-time int64 shape -> CAST
  b.node("n", "Size", {"x"});
  b.ci32("b", {0});
  b.ci32("e", {1});
  b.ci32("s", {1});
  auto& ss = b.node("ss", "StridedSlice", {"shape", "b", "e", "s"});
  GraphBuilder::set_int(ss, "shrink_axis_mask", 1);
  b.ci64("six", {6}, {});
  b.node("pack", "Pack", {"ss", "six"});
  b.node("flat", "Reshape", {"x", "pack"});
  Imported im = import(b, {"r", "n", "flat"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  std::vector<OpCode> codes;
  for (const Op* op : im.live_ops()) codes.push_back(op->code);
  EXPECT_NE(std::find(codes.begin(), codes.end(), OpCode::CAST), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), OpCode::REDUCE_PROD), codes.end());
  EXPECT_EQ(im.out(0).shape, (Shape{-1, -1, -1}));
  EXPECT_EQ(im.out(1).shape, Shape{});
  EXPECT_EQ(im.out(1).dtype, DType::kInt32);
  // The constant part of a packed shape is known.
  EXPECT_EQ(im.out(2).shape, (Shape{-1, 6}));
}

TEST(ShapeOpsTf, BoolGoesThroughInt32WhereKernelsLackIt) {
  GraphBuilder b;
  b.placeholder("x", tensorflow::DT_BOOL, {1, 1, 1, 4});
  auto& d2s = b.node("d2s", "DepthToSpace", {"x"});
  GraphBuilder::set_int(d2s, "block_size", 2);
  b.ci32("p", {0, 0, 0, 0, 0, 0, 1, 1}, {4, 2});
  auto& mp = b.node("mp", "MirrorPad", {"x", "p"});
  GraphBuilder::set_str(mp, "mode", "REFLECT");
  Imported im = import(b, {"d2s", "mp"});
  ASSERT_TRUE(im.status.ok()) << im.status.message();
  std::vector<OpCode> codes;
  for (const Op* op : im.live_ops()) codes.push_back(op->code);
  EXPECT_EQ(codes, (std::vector<OpCode>{OpCode::CAST, OpCode::DEPTH_TO_SPACE, OpCode::CAST, OpCode::CAST,
                                        OpCode::MIRROR_PAD, OpCode::CAST}));
  EXPECT_EQ(im.out(0).dtype, DType::kBool);
  EXPECT_EQ(im.out(1).shape, (Shape{1, 1, 1, 6}));
  ASSERT_TRUE(run_graph(im.g(), {bytes_of<bool>({true, false, false, true})}).ok());
  EXPECT_EQ(vals<bool>(im.out(0)), (std::vector<bool>{true, false, false, true}));
  EXPECT_EQ(vals<bool>(im.out(1)), (std::vector<bool>{false, true, false, false, true, false}));
}

}  // namespace
}  // namespace tflc
