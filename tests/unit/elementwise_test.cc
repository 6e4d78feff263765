// Elementwise, activation and creation ops: shape inference and reference
// kernels of the TFLite records (hand-computed values), op versions, and the
// TF lowerings on tiny GraphDefs (folded, and run through our kernels).
#include <gtest/gtest.h>
#include <google/protobuf/text_format.h>

#include <cfloat>
#include <cmath>

#include "frontends/graphdef/import.h"
#include "frontends/graphdef/tf_op_registry.h"
#include "ops/kernels.h"

namespace tflc {
namespace {

// ------------------------------------------------------------ op harness

template <typename T>
DType dtype_of() {
  if constexpr (std::is_same_v<T, float>) return DType::kFloat32;
  if constexpr (std::is_same_v<T, int32_t>) return DType::kInt32;
  if constexpr (std::is_same_v<T, int64_t>) return DType::kInt64;
  if constexpr (std::is_same_v<T, bool>) return DType::kBool;
  if constexpr (std::is_same_v<T, uint8_t>) return DType::kUInt8;
  if constexpr (std::is_same_v<T, int8_t>) return DType::kInt8;
  return DType::kInvalid;
}

template <typename T>
TensorId add_const(Graph& g, Shape shape, std::vector<T> v) {
  if constexpr (std::is_same_v<T, bool>) {
    std::vector<bool> b(v.begin(), v.end());
    return g.add_const("c" + std::to_string(g.tensors.size()), DType::kBool, std::move(shape), to_bytes(b));
  } else {
    return g.add_const("c" + std::to_string(g.tensors.size()), dtype_of<T>(), std::move(shape), to_bytes(v));
  }
}

TensorId add_input(Graph& g, DType t, Shape shape) {
  Tensor x;
  x.name = "in" + std::to_string(g.tensors.size());
  x.dtype = t;
  x.shape = std::move(shape);
  return g.add_tensor(std::move(x));
}

// Builds op(inputs) with one output, runs shape inference and, when every
// input is constant, the reference kernel.
struct OpRun {
  Graph g;
  Op* op = nullptr;
  Status status;
  const Tensor& out() const { return g.t(op->outputs[0]); }
  template <typename T>
  std::vector<T> values() const {
    if constexpr (std::is_same_v<T, bool>) {
      std::vector<bool> r;
      for (uint8_t b : const_values<uint8_t>(out())) r.push_back(b != 0);
      return r;
    } else {
      return const_values<T>(out());
    }
  }
};

void run_op(OpRun& r, OpCode code, std::vector<TensorId> ins, OpOptions options = {}) {
  TensorId o = r.g.add_tensor({});
  r.op = &r.g.add_op(code, std::move(ins), {o}, std::move(options));
  r.status = infer_op(r.g, *r.op);
  if (!r.status.ok() || !all_inputs_const(r.g, *r.op)) return;
  const OpSchema* s = find_op(code);
  r.status = s->eval(r.g, *r.op);
}

int version_of(const Graph& g, const Op& op) { return op_version(g, op); }

void expect_near(const std::vector<float>& got, const std::vector<float>& want, float rel = 1e-6f) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(want[i])) {
      EXPECT_TRUE(std::isnan(got[i])) << "at " << i;
      continue;
    }
    EXPECT_NEAR(got[i], want[i], rel * std::max(1.f, std::fabs(want[i]))) << "at " << i;
  }
}

// ------------------------------------------------------ binary arithmetic

TEST(ElementwiseOps, AddClampsLikeTflite) {
  OpRun r;
  TensorId a = add_const<float>(r.g, {2}, {FLT_MAX, -3.f});
  TensorId b = add_const<float>(r.g, {2}, {FLT_MAX, 1.f});
  run_op(r, OpCode::ADD, {a, b});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.values<float>(), (std::vector<float>{FLT_MAX, -2.f}));  // TFLite clamps inf to FLT_MAX

  OpRun q;
  tflite::AddOptionsT relu;
  relu.fused_activation_function = Activation::RELU6;
  a = add_const<float>(q.g, {3}, {-5.f, 2.f, 9.f});
  b = add_const<float>(q.g, {}, {1.f});
  run_op(q, OpCode::ADD, {a, b}, relu);
  ASSERT_TRUE(q.status.ok());
  EXPECT_EQ(q.values<float>(), (std::vector<float>{0.f, 3.f, 6.f}));
}

TEST(ElementwiseOps, SubMulBroadcastIntegers) {
  OpRun r;
  TensorId a = add_const<int32_t>(r.g, {2, 3}, {1, 2, 3, 4, 5, 6});
  TensorId b = add_const<int32_t>(r.g, {3}, {10, 20, 30});
  run_op(r, OpCode::SUB, {a, b});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{2, 3}));
  EXPECT_EQ(r.values<int32_t>(), (std::vector<int32_t>{-9, -18, -27, -6, -15, -24}));

  OpRun m;
  a = add_const<int64_t>(m.g, {2, 1}, {3, -4});
  b = add_const<int64_t>(m.g, {1, 2}, {5, INT64_MAX});
  run_op(m, OpCode::MUL, {a, b});
  ASSERT_TRUE(m.status.ok());
  EXPECT_EQ(m.out().shape, (Shape{2, 2}));
  // Wraps like the runtime instead of invoking undefined behaviour.
  EXPECT_EQ(m.values<int64_t>(),
            (std::vector<int64_t>{15, static_cast<int64_t>(3ULL * static_cast<uint64_t>(INT64_MAX)), -20,
                                  static_cast<int64_t>(static_cast<uint64_t>(-4) * static_cast<uint64_t>(INT64_MAX))}));
}

TEST(ElementwiseOps, DivTruncatesIntegersAndClampsFloats) {
  OpRun r;
  TensorId a = add_const<int32_t>(r.g, {4}, {7, -7, 7, -7});
  TensorId b = add_const<int32_t>(r.g, {4}, {2, 2, -2, -2});
  run_op(r, OpCode::DIV, {a, b});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.values<int32_t>(), (std::vector<int32_t>{3, -3, -3, 3}));

  OpRun z;
  a = add_const<int32_t>(z.g, {1}, {1});
  b = add_const<int32_t>(z.g, {1}, {0});
  run_op(z, OpCode::DIV, {a, b});
  EXPECT_FALSE(z.status.ok());

  OpRun f;
  a = add_const<float>(f.g, {3}, {1.f, -1.f, 3.f});
  b = add_const<float>(f.g, {}, {0.f});
  TensorId c = add_const<float>(f.g, {}, {2.f});
  run_op(f, OpCode::DIV, {a, b});
  ASSERT_TRUE(f.status.ok());
  EXPECT_EQ(f.values<float>(), (std::vector<float>{FLT_MAX, -FLT_MAX, FLT_MAX}));
  OpRun h;
  a = add_const<float>(h.g, {2}, {1.f, -3.f});
  c = add_const<float>(h.g, {}, {2.f});
  run_op(h, OpCode::DIV, {a, c});
  EXPECT_EQ(h.values<float>(), (std::vector<float>{0.5f, -1.5f}));
}

TEST(ElementwiseOps, FloorDivAndFloorMod) {
  OpRun d;
  TensorId a = add_const<int32_t>(d.g, {4}, {7, -7, 7, -7});
  TensorId b = add_const<int32_t>(d.g, {4}, {2, 2, -2, -2});
  run_op(d, OpCode::FLOOR_DIV, {a, b});
  ASSERT_TRUE(d.status.ok());
  EXPECT_EQ(d.values<int32_t>(), (std::vector<int32_t>{3, -4, -4, 3}));

  OpRun m;
  a = add_const<int32_t>(m.g, {4}, {7, -7, 7, -7});
  b = add_const<int32_t>(m.g, {4}, {3, 3, -3, -3});
  run_op(m, OpCode::FLOOR_MOD, {a, b});
  ASSERT_TRUE(m.status.ok());
  EXPECT_EQ(m.values<int32_t>(), (std::vector<int32_t>{1, 2, -2, -1}));

  OpRun f;
  a = add_const<float>(f.g, {3}, {7.5f, -7.5f, 7.5f});
  b = add_const<float>(f.g, {3}, {2.f, 2.f, -2.f});
  run_op(f, OpCode::FLOOR_MOD, {a, b});
  ASSERT_TRUE(f.status.ok());
  EXPECT_EQ(f.values<float>(), (std::vector<float>{1.5f, 0.5f, -0.5f}));

  OpRun fd;
  a = add_const<float>(fd.g, {2}, {7.5f, -7.5f});
  b = add_const<float>(fd.g, {}, {2.f});
  run_op(fd, OpCode::FLOOR_DIV, {a, b});
  EXPECT_EQ(fd.values<float>(), (std::vector<float>{3.f, -4.f}));

  OpRun z;
  a = add_const<int64_t>(z.g, {1}, {5});
  b = add_const<int64_t>(z.g, {1}, {0});
  run_op(z, OpCode::FLOOR_MOD, {a, b});
  EXPECT_FALSE(z.status.ok());
}

TEST(ElementwiseOps, MaxMinSquaredDifferencePow) {
  OpRun mx;
  TensorId a = add_const<float>(mx.g, {2, 2}, {1.f, 5.f, -2.f, 0.f});
  TensorId b = add_const<float>(mx.g, {2}, {2.f, 1.f});
  run_op(mx, OpCode::MAXIMUM, {a, b});
  EXPECT_EQ(mx.values<float>(), (std::vector<float>{2.f, 5.f, 2.f, 1.f}));
  OpRun mn;
  a = add_const<int64_t>(mn.g, {3}, {1, 5, -2});
  b = add_const<int64_t>(mn.g, {}, {0});
  run_op(mn, OpCode::MINIMUM, {a, b});
  EXPECT_EQ(mn.values<int64_t>(), (std::vector<int64_t>{0, 0, -2}));

  OpRun sd;
  a = add_const<int32_t>(sd.g, {3}, {1, 5, -2});
  b = add_const<int32_t>(sd.g, {}, {3});
  run_op(sd, OpCode::SQUARED_DIFFERENCE, {a, b});
  EXPECT_EQ(sd.values<int32_t>(), (std::vector<int32_t>{4, 4, 25}));

  OpRun pi;
  a = add_const<int32_t>(pi.g, {4}, {2, -3, 5, 0});
  b = add_const<int32_t>(pi.g, {4}, {10, 3, 0, 0});
  run_op(pi, OpCode::POW, {a, b});
  ASSERT_TRUE(pi.status.ok());
  EXPECT_EQ(pi.values<int32_t>(), (std::vector<int32_t>{1024, -27, 1, 1}));
  OpRun pn;
  a = add_const<int32_t>(pn.g, {1}, {2});
  b = add_const<int32_t>(pn.g, {1}, {-1});
  run_op(pn, OpCode::POW, {a, b});
  EXPECT_FALSE(pn.status.ok());
  OpRun pf;
  a = add_const<float>(pf.g, {2}, {4.f, 2.f});
  b = add_const<float>(pf.g, {}, {0.5f});
  run_op(pf, OpCode::POW, {a, b});
  expect_near(pf.values<float>(), {2.f, std::sqrt(2.f)});
}

TEST(ElementwiseOps, SignAndAtan2) {
  OpRun s;
  TensorId a = add_const<float>(s.g, {4}, {-2.5f, 0.f, 3.f, std::nanf("")});
  run_op(s, OpCode::SIGN, {a});
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.values<float>(), (std::vector<float>{-1.f, 0.f, 1.f, 0.f}));  // NaN -> 0, as sign.cc
  OpRun si;
  a = add_const<int32_t>(si.g, {3}, {-7, 0, 9});
  run_op(si, OpCode::SIGN, {a});
  EXPECT_EQ(si.values<int32_t>(), (std::vector<int32_t>{-1, 0, 1}));
  EXPECT_EQ(version_of(si.g, *si.op), 2);

  OpRun t;
  a = add_const<float>(t.g, {2}, {1.f, -1.f});
  TensorId b = add_const<float>(t.g, {2}, {0.f, -1.f});
  run_op(t, OpCode::ATAN2, {a, b});
  ASSERT_TRUE(t.status.ok());
  expect_near(t.values<float>(), {std::atan2(1.f, 0.f), std::atan2(-1.f, -1.f)});
  // Its kernel does not broadcast.
  OpRun bad;
  a = add_const<float>(bad.g, {2}, {1.f, 2.f});
  b = add_const<float>(bad.g, {1}, {1.f});
  run_op(bad, OpCode::ATAN2, {a, b});
  EXPECT_FALSE(bad.status.ok());
}

TEST(ElementwiseOps, BitwiseXorAndRightShift) {
  OpRun x;
  TensorId a = add_const<int32_t>(x.g, {3}, {0b1100, -1, 7});
  TensorId b = add_const<int32_t>(x.g, {3}, {0b1010, 5, 7});
  run_op(x, OpCode::BITWISE_XOR, {a, b});
  ASSERT_TRUE(x.status.ok());
  EXPECT_EQ(x.values<int32_t>(), (std::vector<int32_t>{0b0110, -6, 0}));
  // Amounts are clamped to [0, 31] as right_shift.cc does.
  OpRun r;
  a = add_const<int32_t>(r.g, {4}, {-16, -16, 16, 16});
  b = add_const<int32_t>(r.g, {4}, {2, 40, -3, 40});
  run_op(r, OpCode::RIGHT_SHIFT, {a, b});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.values<int32_t>(), (std::vector<int32_t>{-4, -1, 16, 0}));
  OpRun f;
  TensorId c = add_const<float>(f.g, {1}, {1.f});
  run_op(f, OpCode::RIGHT_SHIFT, {c, c});
  EXPECT_FALSE(f.status.ok());
}

TEST(ElementwiseOps, AddN) {
  OpRun r;
  TensorId a = add_const<float>(r.g, {2}, {1.f, 2.f});
  TensorId b = add_const<float>(r.g, {2}, {10.f, 20.f});
  TensorId c = add_const<float>(r.g, {2}, {100.f, 200.f});
  run_op(r, OpCode::ADD_N, {a, b, c});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.values<float>(), (std::vector<float>{111.f, 222.f}));

  OpRun s;
  a = add_input(s.g, DType::kFloat32, {-1, 3});
  b = add_input(s.g, DType::kFloat32, {2, -1});
  run_op(s, OpCode::ADD_N, {a, b});
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.out().shape, (Shape{2, 3}));
  OpRun bad;
  a = add_input(bad.g, DType::kFloat32, {2, 3});
  b = add_input(bad.g, DType::kFloat32, {3});
  run_op(bad, OpCode::ADD_N, {a, b});
  EXPECT_FALSE(bad.status.ok());
}

// ------------------------------------------------- comparisons and logic

TEST(ElementwiseOps, ComparisonsGiveBool) {
  struct Case {
    OpCode code;
    std::vector<bool> want;
  } cases[] = {{OpCode::LESS, {true, false, false}},       {OpCode::LESS_EQUAL, {true, true, false}},
               {OpCode::GREATER, {false, false, true}},    {OpCode::GREATER_EQUAL, {false, true, true}},
               {OpCode::EQUAL, {false, true, false}},      {OpCode::NOT_EQUAL, {true, false, true}}};
  for (const auto& c : cases) {
    SCOPED_TRACE(op_name(c.code));
    OpRun r;
    TensorId a = add_const<int32_t>(r.g, {3}, {1, 2, 3});
    TensorId b = add_const<int32_t>(r.g, {}, {2});
    run_op(r, c.code, {a, b});
    ASSERT_TRUE(r.status.ok());
    EXPECT_EQ(r.out().dtype, DType::kBool);
    EXPECT_EQ(r.values<bool>(), c.want);
  }
  OpRun e;
  TensorId a = add_const<bool>(e.g, {2}, {true, false});
  TensorId b = add_const<bool>(e.g, {2}, {true, true});
  run_op(e, OpCode::EQUAL, {a, b});
  EXPECT_EQ(e.values<bool>(), (std::vector<bool>{true, false}));
}

TEST(ElementwiseOps, LogicalOps) {
  OpRun a;
  TensorId x = add_const<bool>(a.g, {2, 2}, {true, true, false, false});
  TensorId y = add_const<bool>(a.g, {2}, {true, false});
  run_op(a, OpCode::LOGICAL_AND, {x, y});
  EXPECT_EQ(a.values<bool>(), (std::vector<bool>{true, false, false, false}));
  OpRun o;
  x = add_const<bool>(o.g, {2, 2}, {true, true, false, false});
  y = add_const<bool>(o.g, {2}, {true, false});
  run_op(o, OpCode::LOGICAL_OR, {x, y});
  EXPECT_EQ(o.values<bool>(), (std::vector<bool>{true, true, true, false}));
  OpRun n;
  x = add_const<bool>(n.g, {2}, {true, false});
  run_op(n, OpCode::LOGICAL_NOT, {x});
  EXPECT_EQ(n.values<bool>(), (std::vector<bool>{false, true}));
  OpRun bad;
  x = add_const<float>(bad.g, {1}, {1.f});
  run_op(bad, OpCode::LOGICAL_AND, {x, x});
  EXPECT_FALSE(bad.status.ok());
}

TEST(ElementwiseOps, SelectForms) {
  // Same shape.
  OpRun s;
  TensorId c = add_const<bool>(s.g, {2, 2}, {true, false, false, true});
  TensorId x = add_const<float>(s.g, {2, 2}, {1, 2, 3, 4});
  TensorId y = add_const<float>(s.g, {2, 2}, {-1, -2, -3, -4});
  run_op(s, OpCode::SELECT, {c, x, y});
  ASSERT_TRUE(s.status.ok());
  EXPECT_EQ(s.values<float>(), (std::vector<float>{1, -2, -3, 4}));
  // Rank-1 condition selects rows.
  OpRun rows;
  c = add_const<bool>(rows.g, {2}, {false, true});
  x = add_const<int32_t>(rows.g, {2, 3}, {1, 2, 3, 4, 5, 6});
  y = add_const<int32_t>(rows.g, {2, 3}, {-1, -2, -3, -4, -5, -6});
  run_op(rows, OpCode::SELECT, {c, x, y});
  ASSERT_TRUE(rows.status.ok()) << rows.status.message();
  EXPECT_EQ(rows.out().shape, (Shape{2, 3}));
  EXPECT_EQ(rows.values<int32_t>(), (std::vector<int32_t>{-1, -2, -3, 4, 5, 6}));
  // Scalar condition.
  OpRun sc;
  c = add_const<bool>(sc.g, {}, {true});
  x = add_const<float>(sc.g, {2}, {1, 2});
  y = add_const<float>(sc.g, {2}, {3, 4});
  run_op(sc, OpCode::SELECT, {c, x, y});
  EXPECT_EQ(sc.values<float>(), (std::vector<float>{1, 2}));
  // SELECT_V2 broadcasts all three.
  OpRun v2;
  c = add_const<bool>(v2.g, {2, 1}, {true, false});
  x = add_const<float>(v2.g, {3}, {1, 2, 3});
  y = add_const<float>(v2.g, {}, {0});
  run_op(v2, OpCode::SELECT_V2, {c, x, y});
  ASSERT_TRUE(v2.status.ok());
  EXPECT_EQ(v2.out().shape, (Shape{2, 3}));
  EXPECT_EQ(v2.values<float>(), (std::vector<float>{1, 2, 3, 0, 0, 0}));
  // A mismatched condition is rejected.
  OpRun bad;
  c = add_input(bad.g, DType::kBool, {3});
  x = add_input(bad.g, DType::kFloat32, {2, 3});
  run_op(bad, OpCode::SELECT, {c, x, x});
  EXPECT_FALSE(bad.status.ok());
}

// ------------------------------------------------------------- unary ops

TEST(ElementwiseOps, UnaryMath) {
  auto unary = [](OpCode code, std::vector<float> in) {
    OpRun r;
    TensorId a = add_const<float>(r.g, {static_cast<int64_t>(in.size())}, in);
    run_op(r, code, {a});
    EXPECT_TRUE(r.status.ok()) << op_name(code);
    return r.values<float>();
  };
  expect_near(unary(OpCode::EXP, {0.f, 1.f}), {1.f, std::exp(1.f)});
  expect_near(unary(OpCode::LOG, {1.f, 10.f}), {0.f, std::log(10.f)});
  expect_near(unary(OpCode::SQRT, {4.f, 2.f}), {2.f, std::sqrt(2.f)});
  expect_near(unary(OpCode::RSQRT, {4.f, 0.25f}), {0.5f, 2.f});
  expect_near(unary(OpCode::SQUARE, {-3.f, 0.5f}), {9.f, 0.25f});
  expect_near(unary(OpCode::SIN, {0.f, 1.f}), {0.f, std::sin(1.f)});
  expect_near(unary(OpCode::COS, {0.f, 1.f}), {1.f, std::cos(1.f)});
  EXPECT_EQ(unary(OpCode::FLOOR, {-1.5f, 1.5f}), (std::vector<float>{-2.f, 1.f}));
  EXPECT_EQ(unary(OpCode::CEIL, {-1.5f, 1.5f}), (std::vector<float>{-1.f, 2.f}));
  // Banker's rounding, as TF Round and TFLite ROUND.
  EXPECT_EQ(unary(OpCode::ROUND, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 2.4f, -2.6f}),
            (std::vector<float>{0.f, 2.f, 2.f, -0.f, -2.f, 2.f, -3.f}));
  EXPECT_EQ(unary(OpCode::NEG, {1.f, -2.f}), (std::vector<float>{-1.f, 2.f}));
  EXPECT_TRUE(std::signbit(unary(OpCode::NEG, {0.f})[0]));
  EXPECT_EQ(unary(OpCode::ABS, {-1.f, 2.f}), (std::vector<float>{1.f, 2.f}));

  OpRun n;
  TensorId a = add_const<int32_t>(n.g, {2}, {INT32_MIN, 5});
  run_op(n, OpCode::NEG, {a});
  EXPECT_EQ(n.values<int32_t>(), (std::vector<int32_t>{INT32_MIN, -5}));
  OpRun ab;
  a = add_const<int64_t>(ab.g, {2}, {-7, 7});
  run_op(ab, OpCode::ABS, {a});
  EXPECT_EQ(ab.values<int64_t>(), (std::vector<int64_t>{7, 7}));
  // Float-only kernels do not evaluate integers.
  OpRun e;
  a = add_const<int32_t>(e.g, {1}, {1});
  run_op(e, OpCode::EXP, {a});
  EXPECT_FALSE(e.status.ok());
}

TEST(ElementwiseOps, Cast) {
  auto cast = [](DType out, auto in_vals, DType in) {
    OpRun r;
    using T = typename decltype(in_vals)::value_type;
    TensorId a = add_const<T>(r.g, {static_cast<int64_t>(in_vals.size())}, in_vals);
    tflite::CastOptionsT at;
    at.in_data_type = static_cast<tflite::TensorType>(in);
    at.out_data_type = static_cast<tflite::TensorType>(out);
    run_op(r, OpCode::CAST, {a}, at);
    EXPECT_TRUE(r.status.ok()) << r.status.message();
    return r;
  };
  OpRun r = cast(DType::kInt32, std::vector<float>{-1.7f, 2.9f, NAN, 1e20f}, DType::kFloat32);
  EXPECT_EQ(r.out().dtype, DType::kInt32);
  EXPECT_EQ(r.values<int32_t>(), (std::vector<int32_t>{-1, 2, 0, INT32_MAX}));
  EXPECT_EQ(cast(DType::kBool, std::vector<float>{0.f, -0.5f, 2.f}, DType::kFloat32).values<bool>(),
            (std::vector<bool>{false, true, true}));
  EXPECT_EQ(cast(DType::kFloat32, std::vector<bool>{true, false}, DType::kBool).values<float>(),
            (std::vector<float>{1.f, 0.f}));
  EXPECT_EQ(cast(DType::kInt64, std::vector<int32_t>{-3, 4}, DType::kInt32).values<int64_t>(),
            (std::vector<int64_t>{-3, 4}));
  EXPECT_EQ(cast(DType::kUInt8, std::vector<int32_t>{300, -1}, DType::kInt32).values<uint8_t>(),
            (std::vector<uint8_t>{44, 255}));
}

// ------------------------------------------------------------ activations

TEST(ActivationOps, Kernels) {
  auto act = [](OpCode code, std::vector<float> in, OpOptions options = {}) {
    OpRun r;
    TensorId a = add_const<float>(r.g, {static_cast<int64_t>(in.size())}, in);
    run_op(r, code, {a}, std::move(options));
    EXPECT_TRUE(r.status.ok()) << op_name(code);
    return r.values<float>();
  };
  EXPECT_EQ(act(OpCode::RELU, {-1.f, 0.f, 3.f}), (std::vector<float>{0.f, 0.f, 3.f}));
  EXPECT_EQ(act(OpCode::RELU6, {-1.f, 3.f, 7.f}), (std::vector<float>{0.f, 3.f, 6.f}));
  EXPECT_EQ(act(OpCode::RELU_N1_TO_1, {-2.f, 0.5f, 7.f}), (std::vector<float>{-1.f, 0.5f, 1.f}));
  tflite::LeakyReluOptionsT leaky;
  leaky.alpha = 0.1f;
  expect_near(act(OpCode::LEAKY_RELU, {-2.f, 3.f}, leaky), {-0.2f, 3.f});
  leaky.alpha = 2.f;  // alpha > 1 is x * alpha for negatives, not max(x, alpha x)
  expect_near(act(OpCode::LEAKY_RELU, {-2.f, 3.f}, leaky), {-4.f, 3.f});
  expect_near(act(OpCode::ELU, {-1.f, 2.f}), {std::expm1(-1.f), 2.f});
  expect_near(act(OpCode::LOGISTIC, {0.f, 2.f, -20.f, 20.f}),
              {0.5f, 1.f / (1.f + std::exp(-2.f)), std::exp(-20.f), 1.f});
  expect_near(act(OpCode::TANH, {0.f, 0.5f}), {0.f, std::tanh(0.5f)});
}

TEST(ActivationOps, SoftmaxOnLastAxis) {
  OpRun r;
  TensorId a = add_const<float>(r.g, {2, 2}, {1.f, 2.f, 0.f, 0.f});
  tflite::SoftmaxOptionsT at;
  at.beta = 1.f;
  run_op(r, OpCode::SOFTMAX, {a}, at);
  ASSERT_TRUE(r.status.ok());
  float e = std::exp(1.f);
  expect_near(r.values<float>(), {1.f / (1.f + e), e / (1.f + e), 0.5f, 0.5f});

  OpRun l;
  a = add_const<float>(l.g, {1, 3}, {1.f, 2.f, 3.f});
  run_op(l, OpCode::LOG_SOFTMAX, {a});
  ASSERT_TRUE(l.status.ok());
  float lse = std::log(std::exp(1.f) + std::exp(2.f) + std::exp(3.f));
  expect_near(l.values<float>(), {1.f - lse, 2.f - lse, 3.f - lse}, 1e-5f);

  OpRun s;
  a = add_const<float>(s.g, {}, {1.f});
  run_op(s, OpCode::SOFTMAX, {a}, at);
  EXPECT_FALSE(s.status.ok());
}

// ---------------------------------------------------------------- creation

TEST(CreationOps, Fill) {
  OpRun r;
  TensorId d = add_const<int64_t>(r.g, {2}, {2, 3});
  TensorId v = add_const<float>(r.g, {}, {1.5f});
  run_op(r, OpCode::FILL, {d, v});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{2, 3}));
  EXPECT_EQ(r.values<float>(), std::vector<float>(6, 1.5f));

  OpRun dyn;
  d = add_input(dyn.g, DType::kInt32, {3});
  v = add_input(dyn.g, DType::kBool, {});
  run_op(dyn, OpCode::FILL, {d, v});
  ASSERT_TRUE(dyn.status.ok());
  EXPECT_EQ(dyn.out().shape, (Shape{-1, -1, -1}));
  EXPECT_EQ(dyn.out().dtype, DType::kBool);
  EXPECT_EQ(version_of(dyn.g, *dyn.op), 2);

  OpRun neg;
  d = add_const<int32_t>(neg.g, {1}, {-1});
  v = add_const<float>(neg.g, {}, {0.f});
  run_op(neg, OpCode::FILL, {d, v});
  EXPECT_FALSE(neg.status.ok());
}

TEST(CreationOps, ZerosLikeAndRange) {
  OpRun z;
  TensorId a = add_const<int32_t>(z.g, {2, 2}, {1, 2, 3, 4});
  run_op(z, OpCode::ZEROS_LIKE, {a});
  EXPECT_EQ(z.out().shape, (Shape{2, 2}));
  EXPECT_EQ(z.values<int32_t>(), std::vector<int32_t>(4, 0));

  OpRun r;
  TensorId s = add_const<int32_t>(r.g, {}, {10});
  TensorId l = add_const<int32_t>(r.g, {}, {1});
  TensorId d = add_const<int32_t>(r.g, {}, {-4});
  run_op(r, OpCode::RANGE, {s, l, d});
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.out().shape, (Shape{3}));
  EXPECT_EQ(r.values<int32_t>(), (std::vector<int32_t>{10, 6, 2}));

  OpRun f;
  s = add_const<float>(f.g, {}, {0.f});
  l = add_const<float>(f.g, {}, {1.f});
  d = add_const<float>(f.g, {}, {0.3f});
  run_op(f, OpCode::RANGE, {s, l, d});
  ASSERT_TRUE(f.status.ok());
  EXPECT_EQ(f.out().shape, (Shape{4}));
  float acc = 0.f;
  std::vector<float> want;
  for (int i = 0; i < 4; ++i, acc += 0.3f) want.push_back(acc);  // accumulated, as TFLite does
  EXPECT_EQ(f.values<float>(), want);

  OpRun dyn;
  s = add_input(dyn.g, DType::kInt64, {});
  l = add_const<int64_t>(dyn.g, {}, {5});
  d = add_const<int64_t>(dyn.g, {}, {1});
  run_op(dyn, OpCode::RANGE, {s, l, d});
  ASSERT_TRUE(dyn.status.ok());
  EXPECT_EQ(dyn.out().shape, (Shape{-1}));
  EXPECT_EQ(version_of(dyn.g, *dyn.op), 2);

  OpRun bad;
  s = add_const<int32_t>(bad.g, {}, {0});
  l = add_const<int32_t>(bad.g, {}, {5});
  d = add_const<int32_t>(bad.g, {}, {-1});
  run_op(bad, OpCode::RANGE, {s, l, d});
  EXPECT_FALSE(bad.status.ok());
}

// ----------------------------------------------------------------- versions

TEST(ElementwiseOps, VersionsFollowOpVersionCc) {
  auto v = [](OpCode code, DType t, Shape a, Shape b) {
    OpRun r;
    TensorId x = add_input(r.g, t, a), y = add_input(r.g, t, b);
    run_op(r, code, {x, y});
    EXPECT_TRUE(r.status.ok()) << op_name(code) << ": " << r.status.message();
    return version_of(r.g, *r.op);
  };
  EXPECT_EQ(v(OpCode::ADD, DType::kFloat32, {2}, {2}), 1);
  EXPECT_EQ(v(OpCode::ADD, DType::kInt64, {2}, {2}), 4);
  EXPECT_EQ(v(OpCode::SUB, DType::kInt64, {2}, {2}), 4);
  EXPECT_EQ(v(OpCode::SUB, DType::kFloat32, {1, 2, 3, 4, 5}, {5}), 3);
  EXPECT_EQ(v(OpCode::SUB, DType::kFloat32, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}), 1);
  EXPECT_EQ(v(OpCode::MUL, DType::kInt64, {2}, {2}), 5);
  EXPECT_EQ(v(OpCode::MUL, DType::kInt32, {2}, {2}), 1);
  EXPECT_EQ(v(OpCode::DIV, DType::kFloat32, {1, 2, 3, 4, 5}, {1}), 2);
  EXPECT_EQ(v(OpCode::FLOOR_DIV, DType::kFloat32, {2}, {2}), 2);
  EXPECT_EQ(v(OpCode::FLOOR_DIV, DType::kInt32, {2}, {2}), 1);
  EXPECT_EQ(v(OpCode::MAXIMUM, DType::kFloat32, {1, 1, 1, 1, 2}, {2}), 3);
  EXPECT_EQ(v(OpCode::LESS, DType::kInt32, {2}, {2}), 1);

  OpRun a;
  TensorId x = add_input(a.g, DType::kInt32, {3});
  run_op(a, OpCode::ABS, {x});
  EXPECT_EQ(version_of(a.g, *a.op), 5);
  OpRun c;
  x = add_input(c.g, DType::kInt8, {3});
  tflite::CastOptionsT at;
  at.in_data_type = tflite::TensorType::INT8;
  at.out_data_type = tflite::TensorType::FLOAT32;
  run_op(c, OpCode::CAST, {x}, at);
  EXPECT_EQ(version_of(c.g, *c.op), 3);
  OpRun s;
  TensorId cond = add_input(s.g, DType::kBool, {1, 1, 1, 1, 2});
  x = add_input(s.g, DType::kFloat32, {1, 1, 1, 1, 2});
  run_op(s, OpCode::SELECT, {cond, x, x});
  EXPECT_EQ(version_of(s.g, *s.op), 3);
}

// Packs the op's options as the writer does: its record's default table when
// it has none, then the fields its record computes from the graph.
tflite::BuiltinOptions write_options(flatbuffers::FlatBufferBuilder& fbb, const Graph& g, Op op) {
  const OpSchema* s = find_op(op.code);
  EXPECT_TRUE(apply_default_options(*s, op).ok());
  if (s->finalize_options) s->finalize_options(g, op, {});
  fbb.Finish(op.options.builtin.Pack(fbb));
  return op.options.builtin.type;
}

TEST(ElementwiseOps, OptionsAreWritten) {
  OpRun r;
  TensorId x = add_input(r.g, DType::kFloat32, {2});
  run_op(r, OpCode::MUL, {x, x}, tflite::MulOptionsT{.fused_activation_function = Activation::RELU});
  flatbuffers::FlatBufferBuilder fbb;
  EXPECT_EQ(write_options(fbb, r.g, *r.op), tflite::BuiltinOptions::MulOptions);
  auto* o = flatbuffers::GetRoot<tflite::MulOptions>(fbb.GetBufferPointer());
  EXPECT_EQ(o->fused_activation_function(), tflite::ActivationFunctionType::RELU);

  OpRun l;
  x = add_input(l.g, DType::kFloat32, {2});
  run_op(l, OpCode::LEAKY_RELU, {x}, tflite::LeakyReluOptionsT{.alpha = 0.3f});
  flatbuffers::FlatBufferBuilder fbb2;
  EXPECT_EQ(write_options(fbb2, l.g, *l.op), tflite::BuiltinOptions::LeakyReluOptions);
  EXPECT_FLOAT_EQ(flatbuffers::GetRoot<tflite::LeakyReluOptions>(fbb2.GetBufferPointer())->alpha(), 0.3f);
}

// ---------------------------------------------------------- TF lowerings

Expected<Model> import_text(const std::string& pbtxt) {
  tensorflow::GraphDef gd;
  if (!google::protobuf::TextFormat::ParseFromString(pbtxt, &gd)) return invalid_input("bad pbtxt");
  return import_graphdef(gd, {});
}

std::string const_node(const std::string& name, const std::string& dtype, const std::string& shape,
                        const std::string& vals) {
  return "node { name: '" + name + "' op: 'Const' attr { key: 'dtype' value { type: " + dtype +
         " } } attr { key: 'value' value { tensor { dtype: " + dtype + " tensor_shape { " + shape + " } " + vals +
         " } } } }\n";
}

std::string placeholder(const std::string& name, const std::string& dtype, const std::string& shape) {
  return "node { name: '" + name + "' op: 'Placeholder' attr { key: 'dtype' value { type: " + dtype +
         " } } attr { key: 'shape' value { shape { " + shape + " } } } }\n";
}

std::string node(const std::string& name, const std::string& op, std::vector<std::string> inputs,
                 const std::string& attrs = "") {
  std::string s = "node { name: '" + name + "' op: '" + op + "' ";
  for (const auto& i : inputs) s += "input: '" + i + "' ";
  return s + attrs + " }\n";
}

const std::string kVec7 = "dim { size: 7 }";

// Runs an imported graph with our reference kernels, feeding `input`.
std::vector<float> run_float(Model& m, const std::vector<float>& input) {
  Graph& g = m.subgraphs[0];
  if (!g.inputs.empty()) g.t(g.inputs[0]).data = make_buffer(to_bytes(input));
  for (auto& op : g.ops) {
    if (op->dead) continue;
    const OpSchema* s = find_op(op->code);
    EXPECT_TRUE(infer_op(g, *op).ok());
    Status st = s->eval(g, *op);
    EXPECT_TRUE(st.ok()) << op_name(op->code) << ": " << st.message();
  }
  const Tensor& out = g.t(g.outputs[0]);
  return out.data ? const_values<float>(out) : std::vector<float>{};
}

std::vector<std::string> live_ops(const Model& m) {
  std::vector<std::string> r;
  for (const auto& op : m.subgraphs[0].ops)
    if (!op->dead) r.push_back(op_name(op->code));
  return r;
}

const std::vector<float> kProbe = {-20.f, -14.5f, -3.f, -0.25f, 0.f, 1.5f, 30.f};

TEST(TfLowering, BinaryOpsMapOneToOne) {
  struct Case {
    const char* tf;
    const char* tfl;
  } cases[] = {{"Sub", "SUB"},         {"Mul", "MUL"},         {"RealDiv", "DIV"},        {"Div", "DIV"},
               {"FloorDiv", "FLOOR_DIV"}, {"FloorMod", "FLOOR_MOD"}, {"Maximum", "MAXIMUM"}, {"Minimum", "MINIMUM"},
               {"SquaredDifference", "SQUARED_DIFFERENCE"}, {"Pow", "POW"}, {"Less", "LESS"},
               {"Greater", "GREATER"}, {"LessEqual", "LESS_EQUAL"}, {"GreaterEqual", "GREATER_EQUAL"},
               {"Equal", "EQUAL"},     {"NotEqual", "NOT_EQUAL"}, {"AddV2", "ADD"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.tf);
    auto m = import_text(placeholder("x", "DT_FLOAT", "dim { size: 2 } dim { size: 3 }") +
                         const_node("y", "DT_FLOAT", "dim { size: 3 }", "float_val: 1 float_val: 2 float_val: 3") +
                         node("out", c.tf, {"x", "y"}));
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(live_ops(*m), std::vector<std::string>{c.tfl});
    const Tensor& out = m->subgraphs[0].t(m->subgraphs[0].outputs[0]);
    EXPECT_EQ(out.shape, (Shape{2, 3}));
    EXPECT_EQ(out.name, "out");
  }
}

TEST(TfLowering, UnsupportedTypesAndRanksAreReported) {
  auto m = import_text(placeholder("x", "DT_INT64", "dim { size: 2 }") + placeholder("y", "DT_INT64", "dim { size: 2 }") +
                       node("out", "Div", {"x", "y"}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(m.status().message().find("Div"), std::string::npos) << m.status().message();

  // A rank-5 broadcast: with a dynamic dimension it cannot be made explicit
  // with BROADCAST_TO (op_constraints_test has the static case).
  auto c = import_text(placeholder("x", "DT_FLOAT", "dim { size: -1 } dim { size: 2 } dim { size: 1 } dim { size: 3 } "
                                                    "dim { size: 1 }") +
                       placeholder("y", "DT_FLOAT", "dim { size: 2 } dim { size: 1 } dim { size: 1 } dim { size: 1 } "
                                                    "dim { size: 4 }") +
                       node("out", "Less", {"x", "y"}));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("broadcast"), std::string::npos) << c.status().message();

  // Constant int64 division folds, so it needs no runtime kernel.
  auto f = import_text(const_node("x", "DT_INT64", "dim { size: 2 }", "int64_val: 7 int64_val: -7") +
                       const_node("y", "DT_INT64", "", "int64_val: 2") + node("out", "FloorDiv", {"x", "y"}));
  ASSERT_TRUE(f.ok()) << f.status().message();
  const Tensor& out = f->subgraphs[0].t(f->subgraphs[0].outputs[0]);
  ASSERT_TRUE(out.is_const());
  EXPECT_EQ(const_values<int64_t>(out), (std::vector<int64_t>{3, -4}));
}

TEST(TfLowering, IntegerFormsUseExactEquivalents) {
  auto relu = import_text(placeholder("x", "DT_INT32", "dim { size: 3 }") + node("out", "Relu6", {"x"}));
  ASSERT_TRUE(relu.ok()) << relu.status().message();
  EXPECT_EQ(live_ops(*relu), (std::vector<std::string>{"MAXIMUM", "MINIMUM"}));
  auto sq = import_text(placeholder("x", "DT_INT32", "dim { size: 3 }") + node("out", "Square", {"x"}));
  ASSERT_TRUE(sq.ok());
  EXPECT_EQ(live_ops(*sq), (std::vector<std::string>{"MUL"}));
  auto ab = import_text(placeholder("x", "DT_INT64", "dim { size: 3 }") + node("out", "Abs", {"x"}));
  ASSERT_TRUE(ab.ok());
  EXPECT_EQ(live_ops(*ab), (std::vector<std::string>{"NEG", "MAXIMUM"}));
  auto rd = import_text(placeholder("x", "DT_INT32", "dim { size: 3 }") + node("out", "Round", {"x"}));
  ASSERT_TRUE(rd.ok());
  // Round of an int is the input itself; an output that is an input gets a copy.
  EXPECT_EQ(live_ops(*rd), (std::vector<std::string>{"RESHAPE"}));
}

TEST(TfLowering, AddNSelectCast) {
  auto an = import_text(placeholder("a", "DT_FLOAT", "dim { size: 2 }") + placeholder("b", "DT_FLOAT", "dim { size: 2 }") +
                        node("out", "AddN", {"a", "b", "a"}));
  ASSERT_TRUE(an.ok());
  EXPECT_EQ(live_ops(*an), (std::vector<std::string>{"ADD_N"}));
  auto an64 = import_text(placeholder("a", "DT_INT64", "dim { size: 2 }") + node("out", "AddN", {"a", "a", "a"}));
  ASSERT_TRUE(an64.ok());
  EXPECT_EQ(live_ops(*an64), (std::vector<std::string>{"ADD", "ADD"}));

  std::string sel_inputs = placeholder("c", "DT_BOOL", "dim { size: 2 } dim { size: 3 }") +
                           placeholder("x", "DT_FLOAT", "dim { size: 2 } dim { size: 3 }");
  auto same = import_text(sel_inputs + node("out", "SelectV2", {"c", "x", "x"}));
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(live_ops(*same), (std::vector<std::string>{"SELECT"}));
  auto bc = import_text(sel_inputs + const_node("z", "DT_FLOAT", "", "float_val: 0") + node("out", "SelectV2", {"c", "x", "z"}));
  ASSERT_TRUE(bc.ok());
  EXPECT_EQ(live_ops(*bc), (std::vector<std::string>{"SELECT_V2"}));
  auto rows = import_text(placeholder("c", "DT_BOOL", "dim { size: 2 }") + placeholder("x", "DT_FLOAT", "dim { size: 2 } dim { size: 3 }") +
                          node("out", "Select", {"c", "x", "x"}));
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  EXPECT_EQ(live_ops(*rows), (std::vector<std::string>{"SELECT"}));

  auto cast = import_text(placeholder("x", "DT_FLOAT", "dim { size: 2 }") +
                          node("out", "Cast", {"x"}, "attr { key: 'SrcT' value { type: DT_FLOAT } } "
                                                     "attr { key: 'DstT' value { type: DT_INT32 } }"));
  ASSERT_TRUE(cast.ok());
  EXPECT_EQ(live_ops(*cast), (std::vector<std::string>{"CAST"}));
  EXPECT_EQ(cast->subgraphs[0].t(cast->subgraphs[0].outputs[0]).dtype, DType::kInt32);

  // Equal with incompatible_shape_error=false on shapes that cannot broadcast.
  auto eq = import_text(placeholder("x", "DT_FLOAT", "dim { size: 2 }") + placeholder("y", "DT_FLOAT", "dim { size: 3 }") +
                        node("out", "NotEqual", {"x", "y"}, "attr { key: 'incompatible_shape_error' value { b: false } }"));
  ASSERT_TRUE(eq.ok()) << eq.status().message();
  const Tensor& e = eq->subgraphs[0].t(eq->subgraphs[0].outputs[0]);
  ASSERT_TRUE(e.is_const());
  EXPECT_EQ(const_values<uint8_t>(e), (std::vector<uint8_t>{1}));
}

// TF's Softplus: x > 13.94 -> x; x < -13.94 -> exp(x); else log1p(exp(x)).
float tf_softplus(float x) {
  const float t = std::log(FLT_EPSILON) + 2.f;
  if (x > -t) return x;
  if (x < t) return std::exp(x);
  return std::log1p(std::exp(x));
}

TEST(TfLowering, SoftplusMatchesTfBranches) {
  auto m = import_text(placeholder("x", "DT_FLOAT", kVec7) + node("out", "Softplus", {"x"}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(live_ops(*m).size(), 10u);
  std::vector<float> want;
  for (float x : kProbe) want.push_back(tf_softplus(x));
  expect_near(run_float(*m, kProbe), want, 1e-6f);

  // The same graph folds when its input is constant.
  auto c = import_text(const_node("x", "DT_FLOAT", kVec7,
                                  "float_val: -20 float_val: -14.5 float_val: -3 float_val: -0.25 float_val: 0 "
                                  "float_val: 1.5 float_val: 30") +
                       node("out", "Softplus", {"x"}));
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(live_ops(*c).empty());
  expect_near(const_values<float>(c->subgraphs[0].t(c->subgraphs[0].outputs[0])), want, 1e-6f);
}

TEST(TfLowering, SeluAndErf) {
  auto m = import_text(placeholder("x", "DT_FLOAT", kVec7) + node("out", "Selu", {"x"}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  std::vector<float> want;
  for (float x : kProbe)
    want.push_back(x < 0 ? 1.7580993408473768599402175208123f * std::expm1(x) : 1.0507009873554804934193349852946f * x);
  expect_near(run_float(*m, kProbe), want, 1e-6f);

  auto e = import_text(placeholder("x", "DT_FLOAT", kVec7) + node("out", "Erf", {"x"}));
  ASSERT_TRUE(e.ok()) << e.status().message();
  std::vector<float> got = run_float(*e, kProbe);
  ASSERT_EQ(got.size(), kProbe.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], std::erf(kProbe[i]), 2e-7) << kProbe[i];
}

TEST(TfLowering, ActivationsAndUnary) {
  struct Case {
    const char* tf;
    const char* tfl;
  } cases[] = {{"Relu", "RELU"}, {"Relu6", "RELU6"}, {"Elu", "ELU"},   {"Sigmoid", "LOGISTIC"}, {"Tanh", "TANH"},
               {"Softmax", "SOFTMAX"}, {"LogSoftmax", "LOG_SOFTMAX"}, {"Exp", "EXP"}, {"Log", "LOG"},
               {"Sqrt", "SQRT"}, {"Rsqrt", "RSQRT"}, {"Square", "SQUARE"}, {"Neg", "NEG"}, {"Abs", "ABS"},
               {"Floor", "FLOOR"}, {"Ceil", "CEIL"}, {"Round", "ROUND"}, {"Sin", "SIN"}, {"Cos", "COS"},
               {"LeakyRelu", "LEAKY_RELU"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.tf);
    auto m = import_text(placeholder("x", "DT_FLOAT", "dim { size: 1 } dim { size: 4 }") + node("out", c.tf, {"x"}));
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(live_ops(*m), std::vector<std::string>{c.tfl});
  }
  auto lr = import_text(placeholder("x", "DT_FLOAT", "dim { size: 2 }") +
                        node("out", "LeakyRelu", {"x"}, "attr { key: 'alpha' value { f: 0.3 } }"));
  ASSERT_TRUE(lr.ok());
  EXPECT_FLOAT_EQ(opts<tflite::LeakyReluOptionsT>(*lr->subgraphs[0].ops.back()).alpha, 0.3f);
  auto lr_default = import_text(placeholder("x", "DT_FLOAT", "dim { size: 2 }") + node("out", "LeakyRelu", {"x"}));
  ASSERT_TRUE(lr_default.ok());
  EXPECT_FLOAT_EQ(opts<tflite::LeakyReluOptionsT>(*lr_default->subgraphs[0].ops.back()).alpha, 0.2f);
}

TEST(TfLowering, CreationOps) {
  auto fill = import_text(const_node("d", "DT_INT32", "dim { size: 2 }", "int_val: 2 int_val: 2") +
                          const_node("v", "DT_FLOAT", "", "float_val: 7") + node("out", "Fill", {"d", "v"}));
  ASSERT_TRUE(fill.ok());
  const Tensor& f = fill->subgraphs[0].t(fill->subgraphs[0].outputs[0]);
  ASSERT_TRUE(f.is_const());
  EXPECT_EQ(f.shape, (Shape{2, 2}));
  EXPECT_EQ(const_values<float>(f), std::vector<float>(4, 7.f));

  auto dyn = import_text(const_node("d", "DT_INT64", "dim { size: 2 }", "int64_val: 2 int64_val: 3") +
                         placeholder("v", "DT_FLOAT", "") + node("out", "Fill", {"d", "v"}));
  ASSERT_TRUE(dyn.ok()) << dyn.status().message();
  EXPECT_EQ(live_ops(*dyn), (std::vector<std::string>{"FILL"}));
  const Graph& dg = dyn->subgraphs[0];
  EXPECT_EQ(dg.t(dg.ops.back()->inputs[0]).dtype, DType::kInt32);  // int64 dims narrowed
  EXPECT_EQ(dg.t(dg.outputs[0]).shape, (Shape{2, 3}));

  auto ones = import_text(placeholder("x", "DT_FLOAT", "dim { size: 3 }") + node("out", "OnesLike", {"x"}));
  ASSERT_TRUE(ones.ok());
  EXPECT_EQ(live_ops(*ones), (std::vector<std::string>{"ZEROS_LIKE", "ADD"}));
  EXPECT_EQ(run_float(*ones, {5.f, -1.f, 2.f}), (std::vector<float>{1.f, 1.f, 1.f}));
  auto zb = import_text(placeholder("x", "DT_BOOL", "dim { size: 3 }") + node("out", "ZerosLike", {"x"}));
  ASSERT_TRUE(zb.ok());
  EXPECT_EQ(live_ops(*zb), (std::vector<std::string>{"NOT_EQUAL"}));

  auto range = import_text(const_node("s", "DT_INT32", "", "int_val: 0") + const_node("l", "DT_INT32", "", "int_val: 5") +
                           const_node("d", "DT_INT32", "", "int_val: 2") + node("out", "Range", {"s", "l", "d"}));
  ASSERT_TRUE(range.ok());
  const Tensor& r = range->subgraphs[0].t(range->subgraphs[0].outputs[0]);
  ASSERT_TRUE(r.is_const());
  EXPECT_EQ(const_values<int32_t>(r), (std::vector<int32_t>{0, 2, 4}));
  auto rdyn = import_text(placeholder("s", "DT_FLOAT", "") + const_node("l", "DT_FLOAT", "", "float_val: 5") +
                          const_node("d", "DT_FLOAT", "", "float_val: 1") + node("out", "Range", {"s", "l", "d"}));
  ASSERT_TRUE(rdyn.ok());
  EXPECT_EQ(live_ops(*rdyn), (std::vector<std::string>{"RANGE"}));
  EXPECT_EQ(rdyn->subgraphs[0].t(rdyn->subgraphs[0].outputs[0]).shape, (Shape{-1}));
}

}  // namespace
}  // namespace tflc
