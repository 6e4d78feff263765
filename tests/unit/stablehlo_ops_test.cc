// StableHLO lowerings (src/frontends/stablehlo/ops.cc) of the bit ops,
// bitcast_convert, argmax/argmin reductions, variadic reductions,
// reduce_window without a pool builtin and integer dot_general, and the
// interpreter-test import mode. Values come from constant folding (our
// reference kernels) and are checked against hand-computed results; the
// op choice is checked on graphs whose operands are arguments.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "frontends/stablehlo/stablehlo.h"
#include "ops/registry.h"

namespace tflc {
namespace {

Expected<Model> import_text(const std::string& text, bool check_outputs = false, bool constants_as_inputs = false) {
  StablehloImportOptions o;
  o.path = "test.mlir";
  o.content = text;
  o.check_outputs = check_outputs;
  o.constants_as_inputs = constants_as_inputs;
  return import_stablehlo(o);
}

// Output k of a model whose outputs folded to constants.
template <typename T>
std::vector<T> folded(const Model& m, int k = 0) {
  const Graph& g = m.subgraphs[0];
  const Tensor& t = g.t(g.outputs.at(k));
  EXPECT_TRUE(t.is_const()) << t.name << " did not fold";
  if (!t.is_const()) return {};
  std::vector<T> v(t.data->size() / sizeof(T));
  std::memcpy(v.data(), t.data->data(), v.size() * sizeof(T));
  return v;
}

int count_ops(const Model& m, OpCode code) {
  int n = 0;
  for (const auto& op : m.subgraphs[0].ops) n += !op->dead && op->code == code;
  return n;
}

TEST(StablehloOps, ShiftLeftZeroesOutOfRangeAmounts) {
  auto m = import_text(R"(func.func @main() -> tensor<4xi32> {
    %x = stablehlo.constant dense<[1, -1, 3, 5]> : tensor<4xi32>
    %y = stablehlo.constant dense<[1, 31, 32, -1]> : tensor<4xi32>
    %r = stablehlo.shift_left %x, %y : tensor<4xi32>
    return %r : tensor<4xi32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int32_t>(*m), (std::vector<int32_t>{2, std::numeric_limits<int32_t>::min(), 0, 0}));
  auto u = import_text(R"(func.func @main() -> tensor<3xui8> {
    %x = stablehlo.constant dense<[255, 1, 3]> : tensor<3xui8>
    %y = stablehlo.constant dense<[1, 7, 8]> : tensor<3xui8>
    %r = stablehlo.shift_left %x, %y : tensor<3xui8>
    return %r : tensor<3xui8>
  })");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(folded<uint8_t>(*u), (std::vector<uint8_t>{254, 128, 0}));
}

TEST(StablehloOps, ShiftRightLogicalOnSignedValues) {
  auto m = import_text(R"(func.func @main() -> tensor<4xi8> {
    %x = stablehlo.constant dense<[-1, -16, 8, 8]> : tensor<4xi8>
    %y = stablehlo.constant dense<[4, 2, 40, -1]> : tensor<4xi8>
    %r = stablehlo.shift_right_logical %x, %y : tensor<4xi8>
    return %r : tensor<4xi8>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int8_t>(*m), (std::vector<int8_t>{15, 60, 0, 0}));
  auto b = import_text(R"(func.func @main(%x: tensor<2xi16>, %y: tensor<2xi16>) -> tensor<2xi16> {
    %r = stablehlo.shift_right_logical %x, %y : tensor<2xi16>
    return %r : tensor<2xi16>
  })");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(count_ops(*b, OpCode::RIGHT_SHIFT), 2);
  auto wide = import_text(R"(func.func @main(%x: tensor<2xi64>) -> tensor<2xi64> {
    %r = stablehlo.shift_right_logical %x, %x : tensor<2xi64>
    return %r : tensor<2xi64>
  })");
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.status().message().find("stablehlo.shift_right_logical"), std::string::npos);
}

TEST(StablehloOps, PopcntCountsTheBitPattern) {
  auto m = import_text(R"(func.func @main() -> tensor<3xi8> {
    %x = stablehlo.constant dense<[-1, 0, 7]> : tensor<3xi8>
    %r = stablehlo.popcnt %x : tensor<3xi8>
    return %r : tensor<3xi8>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int8_t>(*m), (std::vector<int8_t>{8, 0, 3}));
  // 64-bit values as two uint32 halves (BITCAST), which do not fold.
  auto w = import_text(R"(func.func @main(%x: tensor<3xi64>) -> tensor<3xi64> {
    %r = stablehlo.popcnt %x : tensor<3xi64>
    return %r : tensor<3xi64>
  })");
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(count_ops(*w, OpCode::BITCAST), 1);
  EXPECT_EQ(count_ops(*w, OpCode::RIGHT_SHIFT), 1);
}

TEST(StablehloOps, BitcastConvertKeepsTheBytes) {
  auto m = import_text(R"(func.func @main() -> tensor<2xi32> {
    %x = stablehlo.constant dense<[1.0, -2.0]> : tensor<2xf32>
    %r = stablehlo.bitcast_convert %x : (tensor<2xf32>) -> tensor<2xi32>
    return %r : tensor<2xi32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int32_t>(*m), (std::vector<int32_t>{0x3f800000, static_cast<int32_t>(0xc0000000u)}));
  // A larger element adds a last dimension.
  auto s = import_text(R"(func.func @main(%x: tensor<3xi64>) -> tensor<3x2xi32> {
    %r = stablehlo.bitcast_convert %x : (tensor<3xi64>) -> tensor<3x2xi32>
    return %r : tensor<3x2xi32>
  })");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(count_ops(*s, OpCode::BITCAST), 1);
}

// The body JAX emits for argmax (argmin: LT).
std::string arg_text(const std::string& dir, const std::string& t, const std::string& values, const std::string& init) {
  return R"(func.func @main() -> tensor<i32> {
    %x = stablehlo.constant dense<)" + values + R"(> : tensor<4x)" + t + R"(>
    %i = stablehlo.iota dim = 0 : tensor<4xi32>
    %v0 = stablehlo.constant dense<)" + init + R"(> : tensor<)" + t + R"(>
    %i0 = stablehlo.constant dense<0> : tensor<i32>
    %r:2 = stablehlo.reduce(%x init: %v0), (%i init: %i0) across dimensions = [0] : (tensor<4x)" + t + R"(>, tensor<4xi32>, tensor<)" + t + R"(>, tensor<i32>) -> (tensor<)" + t + R"(>, tensor<i32>)
     reducer(%a: tensor<)" + t + R"(>, %b: tensor<)" + t + R"(>) (%ia: tensor<i32>, %ib: tensor<i32>)  {
      %2 = stablehlo.compare  )" + dir + R"(, %a, %b,  FLOAT : (tensor<)" + t + R"(>, tensor<)" + t + R"(>) -> tensor<i1>
      %3 = stablehlo.compare  NE, %a, %a,  FLOAT : (tensor<)" + t + R"(>, tensor<)" + t + R"(>) -> tensor<i1>
      %4 = stablehlo.or %2, %3 : tensor<i1>
      %5 = stablehlo.compare  EQ, %a, %b,  FLOAT : (tensor<)" + t + R"(>, tensor<)" + t + R"(>) -> tensor<i1>
      %6 = stablehlo.compare  LT, %ia, %ib,  SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      %7 = stablehlo.and %5, %6 : tensor<i1>
      %8 = stablehlo.or %4, %7 : tensor<i1>
      %9 = stablehlo.select %4, %a, %b : tensor<i1>, tensor<)" + t + R"(>
      %10 = stablehlo.select %8, %ia, %ib : tensor<i1>, tensor<i32>
      stablehlo.return %9, %10 : tensor<)" + t + R"(>, tensor<i32>
    }
    return %r#1 : tensor<i32>
  })";
}

TEST(StablehloOps, ArgmaxFormBecomesArgMax) {
  auto first = import_text(arg_text("GT", "f32", "[1.0, 3.0, 3.0, 2.0]", "0xFF800000"));
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(folded<int32_t>(*first), (std::vector<int32_t>{1}));  // the first of equal maxima
  auto nan = import_text(arg_text("GT", "f32", "[1.0, 0x7FC00000, 3.0, 0x7FC00000]", "0xFF800000"));
  ASSERT_TRUE(nan.ok()) << nan.status().message();
  EXPECT_EQ(folded<int32_t>(*nan), (std::vector<int32_t>{1}));  // a NaN wins, the first one
  auto amin = import_text(arg_text("LT", "i8", "[4, -2, 7, -2]", "127"));
  ASSERT_TRUE(amin.ok()) << amin.status().message();
  EXPECT_EQ(folded<int32_t>(*amin), (std::vector<int32_t>{1}));
  // Any other init is not the argmax form.
  auto bad = import_text(arg_text("GT", "f32", "[1.0, 3.0, 3.0, 2.0]", "0.0"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("stablehlo.reduce"), std::string::npos);
}

TEST(StablehloOps, ReduceOfIndependentValues) {
  auto m = import_text(R"(func.func @main() -> (tensor<2xi1>, tensor<2xi32>) {
    %b = stablehlo.constant dense<[[false, true], [false, false]]> : tensor<2x2xi1>
    %n = stablehlo.constant dense<[[5, -3], [2, 9]]> : tensor<2x2xi32>
    %f = stablehlo.constant dense<false> : tensor<i1>
    %big = stablehlo.constant dense<2147483647> : tensor<i32>
    %r:2 = stablehlo.reduce(%b init: %f), (%n init: %big) across dimensions = [0] : (tensor<2x2xi1>, tensor<2x2xi32>, tensor<i1>, tensor<i32>) -> (tensor<2xi1>, tensor<2xi32>)
     reducer(%a0: tensor<i1>, %a1: tensor<i1>) (%c0: tensor<i32>, %c1: tensor<i32>)  {
      %3 = stablehlo.maximum %a0, %a1 : tensor<i1>
      %4 = stablehlo.minimum %c0, %c1 : tensor<i32>
      stablehlo.return %3, %4 : tensor<i1>, tensor<i32>
    }
    return %r#0, %r#1 : tensor<2xi1>, tensor<2xi32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<uint8_t>(*m, 0), (std::vector<uint8_t>{0, 1}));
  EXPECT_EQ(folded<int32_t>(*m, 1), (std::vector<int32_t>{2, -3}));
}

TEST(StablehloOps, ReduceWindowWithoutAPoolBuiltin) {
  // A cumulative max (JAX's cummax): window 4, padding 3 before.
  auto m = import_text(R"(func.func @main() -> tensor<4xi32> {
    %x = stablehlo.constant dense<[1, 3, 2, 5]> : tensor<4xi32>
    %init = stablehlo.constant dense<-2147483648> : tensor<i32>
    %r = "stablehlo.reduce_window"(%x, %init) <{padding = dense<[[3, 0]]> : tensor<1x2xi64>, window_dimensions = array<i64: 4>}> ({
    ^bb0(%a: tensor<i32>, %b: tensor<i32>):
      %m = stablehlo.maximum %a, %b : tensor<i32>
      stablehlo.return %m : tensor<i32>
    }) : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
    return %r : tensor<4xi32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int32_t>(*m), (std::vector<int32_t>{1, 3, 3, 5}));
  // A strided float min: windows [0, 1], [2, 3].
  auto f = import_text(R"(func.func @main(%x: tensor<5xf32>) -> tensor<2xf32> {
    %init = stablehlo.constant dense<0x7F800000> : tensor<f32>
    %r = "stablehlo.reduce_window"(%x, %init) <{window_dimensions = array<i64: 2>, window_strides = array<i64: 2>}> ({
    ^bb0(%a: tensor<f32>, %b: tensor<f32>):
      %m = stablehlo.minimum %a, %b : tensor<f32>
      stablehlo.return %m : tensor<f32>
    }) : (tensor<5xf32>, tensor<f32>) -> tensor<2xf32>
    return %r : tensor<2xf32>
  })");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(count_ops(*f, OpCode::STRIDED_SLICE), 2);
  EXPECT_EQ(count_ops(*f, OpCode::MINIMUM), 1);
}

TEST(StablehloOps, ScatterWithConstantIndices) {
  // x.at[[1, 1, 5]].add([10, 20, 30]) on 4 elements: index 1 twice, 5 out of
  // bounds (skipped).
  auto body = [](const std::string& op) {
    return R"(func.func @main() -> tensor<4xi32> {
    %x = stablehlo.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
    %i = stablehlo.constant dense<[[1], [1], [5]]> : tensor<3x1xi32>
    %u = stablehlo.constant dense<[10, 20, 30]> : tensor<3xi32>
    %r = "stablehlo.scatter"(%x, %i, %u) <{scatter_dimension_numbers = #stablehlo.scatter<inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
    ^bb0(%a: tensor<i32>, %b: tensor<i32>):
      )" + op + R"(
    }) : (tensor<4xi32>, tensor<3x1xi32>, tensor<3xi32>) -> tensor<4xi32>
    return %r : tensor<4xi32>
  })";
  };
  auto add = import_text(body("%s = stablehlo.add %a, %b : tensor<i32>\n      stablehlo.return %s : tensor<i32>"));
  ASSERT_TRUE(add.ok()) << add.status().message();
  EXPECT_EQ(folded<int32_t>(*add), (std::vector<int32_t>{1, 32, 3, 4}));
  // set: the later update wins, as the updates are applied in order.
  auto set = import_text(body("stablehlo.return %b : tensor<i32>"));
  ASSERT_TRUE(set.ok()) << set.status().message();
  EXPECT_EQ(folded<int32_t>(*set), (std::vector<int32_t>{1, 20, 3, 4}));
  // Indices known only at run time are refused by name.
  auto dyn = import_text(R"(func.func @main(%i: tensor<1x1xi32>) -> tensor<4xi32> {
    %x = stablehlo.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
    %u = stablehlo.constant dense<[10]> : tensor<1xi32>
    %r = "stablehlo.scatter"(%x, %i, %u) <{scatter_dimension_numbers = #stablehlo.scatter<inserted_window_dims = [0], scatter_dims_to_operand_dims = [0], index_vector_dim = 1>}> ({
    ^bb0(%a: tensor<i32>, %b: tensor<i32>):
      stablehlo.return %b : tensor<i32>
    }) : (tensor<4xi32>, tensor<1x1xi32>, tensor<1xi32>) -> tensor<4xi32>
    return %r : tensor<4xi32>
  })");
  ASSERT_FALSE(dyn.ok());
  EXPECT_NE(dyn.status().message().find("stablehlo.scatter"), std::string::npos);
}

TEST(StablehloOps, DynamicUpdateSliceClampsTheStart) {
  // Start 3 of a 2-element update into 4 elements is clamped to 2.
  auto m = import_text(R"(func.func @main() -> tensor<4xi32> {
    %x = stablehlo.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
    %u = stablehlo.constant dense<[8, 9]> : tensor<2xi32>
    %i = stablehlo.constant dense<3> : tensor<i64>
    %r = stablehlo.dynamic_update_slice %x, %u, %i : (tensor<4xi32>, tensor<2xi32>, tensor<i64>) -> tensor<4xi32>
    return %r : tensor<4xi32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int32_t>(*m), (std::vector<int32_t>{1, 2, 8, 9}));
  // uint32, which LiteRT's kernel lacks, goes through int64.
  auto u = import_text(R"(func.func @main(%x: tensor<4xui32>, %u: tensor<1xui32>, %i: tensor<i32>) -> tensor<4xui32> {
    %r = stablehlo.dynamic_update_slice %x, %u, %i : (tensor<4xui32>, tensor<1xui32>, tensor<i32>) -> tensor<4xui32>
    return %r : tensor<4xui32>
  })");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_EQ(count_ops(*u, OpCode::DYNAMIC_UPDATE_SLICE), 1);
  for (const auto& op : u->subgraphs[0].ops)
    if (!op->dead && op->code == OpCode::DYNAMIC_UPDATE_SLICE) {
      EXPECT_EQ(u->subgraphs[0].t(op->inputs[0]).dtype, DType::kInt64);
    }
}

TEST(StablehloOps, Uint64AsInt64Bits) {
  // Unsigned order: 2^63 + 1 is larger than 1.
  auto m = import_text(R"(func.func @main() -> (tensor<2xi1>, tensor<2xui64>, tensor<2xui64>) {
    %a = stablehlo.constant dense<[1, 9223372036854775809]> : tensor<2xui64>
    %b = stablehlo.constant dense<[9223372036854775808, 1]> : tensor<2xui64>
    %lt = stablehlo.compare LT, %a, %b : (tensor<2xui64>, tensor<2xui64>) -> tensor<2xi1>
    %mx = stablehlo.maximum %a, %b : tensor<2xui64>
    %s = stablehlo.add %a, %b : tensor<2xui64>
    return %lt, %mx, %s : tensor<2xi1>, tensor<2xui64>, tensor<2xui64>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<uint8_t>(*m, 0), (std::vector<uint8_t>{1, 0}));
  EXPECT_EQ(folded<uint64_t>(*m, 1), (std::vector<uint64_t>{9223372036854775808ull, 9223372036854775809ull}));
  EXPECT_EQ(folded<uint64_t>(*m, 2), (std::vector<uint64_t>{9223372036854775809ull, 9223372036854775810ull}));
  // A reduce_max over uint64 flips the top bit around REDUCE_MAX.
  auto r = import_text(R"(func.func @main() -> tensor<ui64> {
    %a = stablehlo.constant dense<[5, 18446744073709551615, 7]> : tensor<3xui64>
    %z = stablehlo.constant dense<0> : tensor<ui64>
    %r = stablehlo.reduce(%a init: %z) applies stablehlo.maximum across dimensions = [0] : (tensor<3xui64>, tensor<ui64>) -> tensor<ui64>
    return %r : tensor<ui64>
  })");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(folded<uint64_t>(*r), (std::vector<uint64_t>{18446744073709551615ull}));
}

TEST(StablehloOps, BitwiseAndOrNotOnIntegers) {
  auto m = import_text(R"(func.func @main() -> (tensor<3xi8>, tensor<3xi8>, tensor<3xi8>) {
    %a = stablehlo.constant dense<[12, -1, -128]> : tensor<3xi8>
    %b = stablehlo.constant dense<[10, 85, 1]> : tensor<3xi8>
    %x = stablehlo.and %a, %b : tensor<3xi8>
    %y = stablehlo.or %a, %b : tensor<3xi8>
    %z = stablehlo.not %a : tensor<3xi8>
    return %x, %y, %z : tensor<3xi8>, tensor<3xi8>, tensor<3xi8>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int8_t>(*m, 0), (std::vector<int8_t>{8, 85, 0}));
  EXPECT_EQ(folded<int8_t>(*m, 1), (std::vector<int8_t>{14, -1, -127}));
  EXPECT_EQ(folded<int8_t>(*m, 2), (std::vector<int8_t>{-13, 0, 127}));
  // 64-bit: two uint32 halves (which do not fold); not as -1 - x.
  auto w = import_text(R"(func.func @main(%a: tensor<2xi64>, %b: tensor<2xi64>) -> (tensor<2xi64>, tensor<2xi64>) {
    %x = stablehlo.and %a, %b : tensor<2xi64>
    %z = stablehlo.not %a : tensor<2xi64>
    return %x, %z : tensor<2xi64>, tensor<2xi64>
  })");
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(count_ops(*w, OpCode::BITCAST), 3);
  EXPECT_EQ(count_ops(*w, OpCode::SUB), 1);
}

TEST(StablehloOps, PadWithInteriorPadding) {
  // Interior first, then the edges (a negative one cuts).
  auto m = import_text(R"(func.func @main() -> tensor<2x5xi32> {
    %x = stablehlo.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
    %v = stablehlo.constant dense<0> : tensor<i32>
    %r = stablehlo.pad %x, %v, low = [0, 1], high = [0, -1], interior = [0, 1] : (tensor<2x3xi32>, tensor<i32>) -> tensor<2x5xi32>
    return %r : tensor<2x5xi32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int32_t>(*m), (std::vector<int32_t>{0, 1, 0, 2, 0, 0, 4, 0, 5, 0}));
}

TEST(StablehloOps, SortOfIntegersIsTopK) {
  auto text = [](const std::string& dir) {
    return R"(func.func @main() -> tensor<2x3xi32> {
    %x = stablehlo.constant dense<[[3, -1, 2], [0, 7, 7]]> : tensor<2x3xi32>
    %r = "stablehlo.sort"(%x) <{dimension = 1 : i64}> ({
    ^bb0(%a: tensor<i32>, %b: tensor<i32>):
      %c = stablehlo.compare  )" + dir + R"(, %a, %b,  SIGNED : (tensor<i32>, tensor<i32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    }) : (tensor<2x3xi32>) -> tensor<2x3xi32>
    return %r : tensor<2x3xi32>
  })";
  };
  auto up = import_text(text("LT"));
  ASSERT_TRUE(up.ok()) << up.status().message();
  EXPECT_EQ(folded<int32_t>(*up), (std::vector<int32_t>{-1, 2, 3, 0, 7, 7}));
  auto down = import_text(text("GT"));
  ASSERT_TRUE(down.ok()) << down.status().message();
  EXPECT_EQ(folded<int32_t>(*down), (std::vector<int32_t>{3, 2, -1, 7, 7, 0}));
  // Any other comparator is refused by name.
  auto eq = import_text(text("EQ"));
  ASSERT_FALSE(eq.ok());
  EXPECT_NE(eq.status().message().find("stablehlo.sort"), std::string::npos);
}

TEST(StablehloOps, SortOfFloatsAsJnpSortEmitsIt) {
  // NaN sorts last, -0 and 0 are equal.
  auto m = import_text(R"(func.func @main() -> tensor<5xf32> {
    %x = stablehlo.constant dense<[3.0, 0x7FC00000, -1.0, 0xFF800000, 2.0]> : tensor<5xf32>
    %zero = stablehlo.constant dense<0.0> : tensor<f32>
    %nan = stablehlo.constant dense<0x7FC00000> : tensor<f32>
    %r = "stablehlo.sort"(%x) <{dimension = 0 : i64}> ({
    ^bb0(%a: tensor<f32>, %b: tensor<f32>):
      %3 = stablehlo.compare  EQ, %a, %zero,  FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      %4 = stablehlo.select %3, %zero, %a : tensor<i1>, tensor<f32>
      %5 = stablehlo.compare  NE, %a, %a,  FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      %6 = stablehlo.select %5, %nan, %4 : tensor<i1>, tensor<f32>
      %7 = stablehlo.compare  EQ, %b, %zero,  FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      %8 = stablehlo.select %7, %zero, %b : tensor<i1>, tensor<f32>
      %9 = stablehlo.compare  NE, %b, %b,  FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      %10 = stablehlo.select %9, %nan, %8 : tensor<i1>, tensor<f32>
      %11 = stablehlo.compare  LT, %6, %10,  TOTALORDER : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %11 : tensor<i1>
    }) : (tensor<5xf32>) -> tensor<5xf32>
    return %r : tensor<5xf32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  std::vector<float> v = folded<float>(*m);
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[0], -std::numeric_limits<float>::infinity());
  EXPECT_EQ(v[1], -1.0f);
  EXPECT_EQ(v[2], 2.0f);
  EXPECT_EQ(v[3], 3.0f);
  EXPECT_TRUE(std::isnan(v[4]));
  // A plain float comparator (no NaN order) is refused.
  auto plain = import_text(R"(func.func @main(%x: tensor<3xf32>) -> tensor<3xf32> {
    %r = "stablehlo.sort"(%x) <{dimension = 0 : i64}> ({
    ^bb0(%a: tensor<f32>, %b: tensor<f32>):
      %c = stablehlo.compare  LT, %a, %b,  FLOAT : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %c : tensor<i1>
    }) : (tensor<3xf32>) -> tensor<3xf32>
    return %r : tensor<3xf32>
  })");
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.status().message().find("stablehlo.sort"), std::string::npos);
}

TEST(StablehloOps, CountLeadingZerosMulhiAndWideShifts) {
  auto m = import_text(R"(func.func @main() -> (tensor<4xi8>, tensor<3xi16>, tensor<3xi64>) {
    %x = stablehlo.constant dense<[0, 1, 16, -1]> : tensor<4xi8>
    %c = stablehlo.count_leading_zeros %x : tensor<4xi8>
    %a = stablehlo.constant dense<[16384, -16384, 300]> : tensor<3xi16>
    %b = stablehlo.constant dense<[4, 4, 300]> : tensor<3xi16>
    %h = "chlo.mulhi"(%a, %b) : (tensor<3xi16>, tensor<3xi16>) -> tensor<3xi16>
    %w = stablehlo.constant dense<[1, 3, 1]> : tensor<3xi64>
    %s = stablehlo.constant dense<[63, 62, 64]> : tensor<3xi64>
    %l = stablehlo.shift_left %w, %s : tensor<3xi64>
    return %c, %h, %l : tensor<4xi8>, tensor<3xi16>, tensor<3xi64>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int8_t>(*m, 0), (std::vector<int8_t>{8, 7, 3, 0}));
  EXPECT_EQ(folded<int16_t>(*m, 1), (std::vector<int16_t>{1, -1, 1}));  // 90000 >> 16 = 1
  EXPECT_EQ(folded<int64_t>(*m, 2),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::min(), -4611686018427387904LL, 0}));  // 3 << 62 wraps
}

TEST(StablehloOps, ReduceWindowWithBaseDilation) {
  // Base dilation 2 puts the init between elements: [1, 0, 2, 0, 3], then
  // windows of 2, stride 2 (add): [1, 2].
  auto m = import_text(R"(func.func @main() -> tensor<2xi32> {
    %x = stablehlo.constant dense<[1, 2, 3]> : tensor<3xi32>
    %init = stablehlo.constant dense<0> : tensor<i32>
    %r = "stablehlo.reduce_window"(%x, %init) <{base_dilations = array<i64: 2>, window_dimensions = array<i64: 2>, window_strides = array<i64: 2>}> ({
    ^bb0(%a: tensor<i32>, %b: tensor<i32>):
      %s = stablehlo.add %a, %b : tensor<i32>
      stablehlo.return %s : tensor<i32>
    }) : (tensor<3xi32>, tensor<i32>) -> tensor<2xi32>
    return %r : tensor<2xi32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int32_t>(*m), (std::vector<int32_t>{1, 2}));
}

TEST(StablehloOps, ShiftRightArithmeticOnUnsignedBits) {
  // 0x80 >> 1 fills with its top bit: 0xC0; amounts of 8 or more fill all.
  auto m = import_text(R"(func.func @main() -> tensor<3xui8> {
    %x = stablehlo.constant dense<[128, 128, 64]> : tensor<3xui8>
    %y = stablehlo.constant dense<[1, 200, 1]> : tensor<3xui8>
    %r = stablehlo.shift_right_arithmetic %x, %y : tensor<3xui8>
    return %r : tensor<3xui8>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<uint8_t>(*m), (std::vector<uint8_t>{192, 255, 32}));
}

TEST(StablehloOps, IntegerDotGeneralIsMulAndSum) {
  auto m = import_text(R"(func.func @main() -> tensor<2x2xi32> {
    %a = stablehlo.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
    %b = stablehlo.constant dense<[[5, 6], [7, 8]]> : tensor<2x2xi32>
    %r = stablehlo.dot_general %a, %b, contracting_dims = [1] x [0] : (tensor<2x2xi32>, tensor<2x2xi32>) -> tensor<2x2xi32>
    return %r : tensor<2x2xi32>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(folded<int32_t>(*m), (std::vector<int32_t>{19, 22, 43, 50}));
  // A result type other than the operands' is refused, by name.
  auto f64 = import_text(R"(func.func @main(%a: tensor<2x2xf32>) -> tensor<2x2xf64> {
    %r = stablehlo.dot_general %a, %a, contracting_dims = [1] x [0] : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf64>
    return %r : tensor<2x2xf64>
  })");
  ASSERT_FALSE(f64.ok());
  EXPECT_EQ(f64.status().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(f64.status().message().find("stablehlo.dot_general"), std::string::npos);
}

TEST(StablehloOps, BooleanArithmeticAndSelectTypes) {
  auto m = import_text(R"(func.func @main(%a: tensor<2xi1>, %b: tensor<2xi1>, %x: tensor<2xi16>) -> (tensor<2xi1>, tensor<2xi16>) {
    %s = stablehlo.add %a, %b : tensor<2xi1>
    %p = stablehlo.multiply %a, %b : tensor<2xi1>
    %t = stablehlo.select %p, %x, %x : tensor<2xi1>, tensor<2xi16>
    return %s, %t : tensor<2xi1>, tensor<2xi16>
  })");
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(count_ops(*m, OpCode::LOGICAL_OR), 1);
  EXPECT_EQ(count_ops(*m, OpCode::LOGICAL_AND), 1);
  EXPECT_EQ(m->subgraphs[0].t(m->subgraphs[0].outputs[1]).dtype, DType::kInt16);
}

TEST(StablehloOps, InterpreterTestsCheckedValuesBecomeOutputs) {
  const std::string text = R"(func.func @shift_test() {
    %x = stablehlo.constant dense<[1, 2]> : tensor<2xi32>
    %y = stablehlo.constant dense<[3, 40]> : tensor<2xi32>
    %r = stablehlo.shift_left %x, %y : tensor<2xi32>
    check.expect_eq_const %r, dense<[8, 0]> : tensor<2xi32>
    func.return
  })";
  StablehloImportOptions o;
  o.content = text;
  o.entry_function = "shift_test";
  o.check_outputs = true;
  o.constants_as_inputs = true;
  auto m = import_stablehlo(o);
  ASSERT_TRUE(m.ok()) << m.status().message();
  const Graph& g = m->subgraphs[0];
  ASSERT_EQ(g.inputs.size(), 2u);
  EXPECT_EQ(g.t(g.inputs[0]).name, "x");
  EXPECT_EQ(g.t(g.inputs[1]).name, "y");
  ASSERT_EQ(g.outputs.size(), 1u);
  EXPECT_FALSE(g.t(g.outputs[0]).is_const());  // computed at run time
  EXPECT_EQ(count_ops(*m, OpCode::GATHER), 1);
  auto tests = read_stablehlo_interpret_tests(text, "t.mlir");
  ASSERT_TRUE(tests.ok()) << tests.status().message();
  ASSERT_EQ(tests->size(), 1u);
  const HloInterpretTest& t = (*tests)[0];
  EXPECT_EQ(t.func, "shift_test");
  EXPECT_EQ(t.constant_names, (std::vector<std::string>{"%x", "%y"}));
  ASSERT_EQ(t.checks.size(), 1u);
  EXPECT_EQ(t.checks[0].kind, "expect_eq");
  EXPECT_EQ(t.checks[0].value, "%r");
  std::vector<int32_t> want(2);
  std::memcpy(want.data(), t.checks[0].expected.bytes.data(), 8);
  EXPECT_EQ(want, (std::vector<int32_t>{8, 0}));
  // Without check_outputs the checks are dropped.
  StablehloImportOptions plain;
  plain.content = text;
  plain.entry_function = "shift_test";
  auto p = import_stablehlo(plain);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(p->subgraphs[0].outputs.empty());
}

}  // namespace
}  // namespace tflc
