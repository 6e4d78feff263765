// Broadcast binary builtins (arithmetic, comparisons, logical), ADD_N and
// SELECT / SELECT_V2. Kernels follow TFLite's reference kernels; versions
// follow tools/versioning/op_version.cc.
#include <algorithm>
#include <cmath>

#include "ops/kernels.h"

namespace tflc {
namespace {

DType in_type(const Graph& g, const Op& op, int i = 0) { return input(g, op, i).dtype; }

using D = DType;
using W = TypeLegalization;

// Operand types of the kernels (tensorflow/lite/kernels/*.cc), with the op
// version that brought each (op_version.cc). The uint8/int8/int16 forms of
// the arithmetic kernels are their quantized ones.
const std::vector<OperandType> kMaxMinTypes = {  // maximum_minimum.cc: no rescaling
    {D::kFloat32}, {D::kUInt8}, {D::kInt8, 2}, {D::kInt32}, {D::kInt64}, {D::kInt16, 4}};
// comparisons.cc: int16 compares plainly; uint8/int8 rescale (quantized).
const std::vector<OperandType> kOrderTypes = {
    {D::kFloat32}, {D::kInt32}, {D::kInt64}, {D::kUInt8, 1, true}, {D::kInt8, 2, true}};
const std::vector<OperandType> kOrderTypes16 = {
    {D::kFloat32}, {D::kInt32}, {D::kInt64}, {D::kUInt8, 1, true}, {D::kInt8, 2, true}, {D::kInt16, 3}};

// Checks that every element of a constant integer divisor is nonzero; TFLite
// (and TF) reject integer division by zero.
Status check_int_divisor(const Tensor& b) {
  if (!dtype_is_integer(b.dtype)) return ok_status();
  Status st = ok_status();
  RETURN_IF_ERROR(dispatch_numeric(b.dtype, [&](auto tag) {
    using T = decltype(tag);
    for (T v : const_values<T>(b))
      if (v == T(0)) st = invalid_input("integer division by zero");
  }));
  return st;
}

// Comparison kernel: f(a, b) -> bool over broadcast inputs.
template <typename F>
Status eval_compare(Graph& g, Op& op, F f) {
  return eval_broadcast<bool>(g, op, f);
}

// ---------------------------------------------------------------- SUB/MUL/DIV

// Quantized int16 (16x8) uses general scales, as TF's converter writes it;
// pot_scale_int16 = true would demand power-of-two scales.
bool general_int16_scale(const Graph& g, const Op& op) {
  const Tensor& a = input(g, op, 0);
  return a.dtype == DType::kInt16 && a.quant && !a.quant->scale.empty();
}

// pot_scale_int16 follows from the input's quantization, not the source model.
void finalize_sub(const Graph& g, Op& op, const std::vector<int>&) {
  mutable_opts<tflite::SubOptionsT>(op).pot_scale_int16 = !general_int16_scale(g, op);
}

// op_version.cc: quantized int16 with pot_scale_int16 = false -> 5 (we
// write false for it), int64 -> 4, >4D broadcast -> 3, int8 -> 2.
int version_sub(const Graph& g, const Op& op) {
  DType t = in_type(g, op);
  if (general_int16_scale(g, op) && output(g, op, 0).dtype == DType::kInt16) return 5;
  if (t == DType::kInt64) return 4;
  if (needs_broadcast(g, op) && max_input_rank(g, op) > 4) return 3;
  if (t == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(sub, {.code = OpCode::SUB,
                       .infer = infer_binary_broadcast,
                       .eval = [](Graph& g, Op& op) {
                         return eval_arith(g, op, [](auto a, auto b) { return wrap_sub(a, b); });
                       },
                       .options = tflite::SubOptionsT{},
                       .finalize_options = finalize_sub,
                       .fused_activation = fused_activation_field<tflite::SubOptionsT>(),
                       .types = {{D::kFloat32}, {D::kInt32}, {D::kInt64, 4}, {D::kUInt8, 1, true},
                                 {D::kInt8, 2, true}, {D::kInt16, 5, true}},
                       .broadcast_rank = 5,
                       .version = version_sub,
                       .runtime_versions = {"1.6.0", "1.14.0", "2.3.0", "2.4.0", "2.4.0"},
                       .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

// op_version.cc: unquantized int16 or uint32 -> 7, complex64 -> 6, int64 -> 5,
// int16 -> 4, (quantized rescale >= 1 -> 3), int8 -> 2.
int version_mul(const Graph& g, const Op& op) {
  const Tensor& a = input(g, op, 0);
  if ((a.dtype == DType::kInt16 && !a.quant) || a.dtype == DType::kUInt32) return 7;
  if (a.dtype == DType::kComplex64) return 6;
  if (a.dtype == DType::kInt64) return 5;
  if (a.dtype == DType::kInt16) return 4;
  const Tensor& b = input(g, op, 1);
  const Tensor& o = output(g, op, 0);
  if (a.quant && b.quant && o.quant && !a.quant->scale.empty() && !b.quant->scale.empty() &&
      !o.quant->scale.empty() && o.quant->scale[0] != 0 &&
      a.quant->scale[0] * b.quant->scale[0] / o.quant->scale[0] >= 1.0f)
    return 3;
  if (a.dtype == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(mul, {.code = OpCode::MUL,
                       .infer = infer_binary_broadcast,
                       .eval = [](Graph& g, Op& op) {
                         return eval_arith(g, op, [](auto a, auto b) { return wrap_mul(a, b); });
                       },
                       .options = tflite::MulOptionsT{},
                       .fused_activation = fused_activation_field<tflite::MulOptionsT>(),
                       .types = {{D::kFloat32}, {D::kInt32}, {D::kInt64, 5}, {D::kUInt8, 1, true},
                                 {D::kInt8, 2, true}, {D::kInt16, 4, true}},
                       .broadcast_rank = 6,
                       .version = version_mul,
                       .runtime_versions = {"1.5.0", "1.14.0", "1.15.0", "2.3.0", "2.6.0", "2.11.0", "2.13.0"},
                       .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

// op_version.cc: >4D broadcast -> 2.
int version_div(const Graph& g, const Op& op) {
  return needs_broadcast(g, op) && max_input_rank(g, op) > 4 ? 2 : 1;
}

// Float division by zero gives +-inf, which the activation clamp turns into
// +-FLT_MAX exactly as TFLite does; integer division truncates.
Status eval_div(Graph& g, Op& op) {
  RETURN_IF_ERROR(check_int_divisor(input(g, op, 1)));
  return eval_arith(g, op, [](auto a, auto b) { return trunc_div(a, b); });
}

TFLC_REGISTER_OP(div, {.code = OpCode::DIV,
                       .infer = infer_binary_broadcast,
                       .eval = eval_div,
                       .options = tflite::DivOptionsT{},
                       .fused_activation = fused_activation_field<tflite::DivOptionsT>(),
                       .types = {{D::kFloat32}, {D::kInt32}},
                       .broadcast_rank = 5,
                       .version = version_div,
                       .runtime_versions = {"1.6.0", "2.3.0"}});

// ---------------------------------------------------------- FLOOR_DIV / MOD

// TFLite computes floor(double(a) / double(b)) for every type.
template <typename T>
T floor_div_value(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_signed_v<T>) {
      T q = trunc_div(a, b);
      if (a % b != 0 && ((a < 0) != (b < 0))) q = static_cast<T>(q - 1);
      return q;
    } else {
      return static_cast<T>(a / b);
    }
  } else {
    return static_cast<T>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
  }
}

// reference_ops::FloorMod: truncated remainder moved to the divisor's sign.
template <typename T>
T floor_mod_value(T a, T b) {
  T r;
  if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_signed_v<T>) {
      r = b == T(-1) ? T(0) : static_cast<T>(a % b);
    } else {
      r = static_cast<T>(a % b);
    }
  } else {
    r = static_cast<T>(std::fmod(a, b));
  }
  return (r != 0) && ((b < 0) != (r < 0)) ? static_cast<T>(r + b) : r;
}

Status eval_floor_div(Graph& g, Op& op) {
  RETURN_IF_ERROR(check_int_divisor(input(g, op, 1)));
  return eval_binary(g, op, [](auto a, auto b) { return floor_div_value(a, b); });
}

Status eval_floor_mod(Graph& g, Op& op) {
  RETURN_IF_ERROR(check_int_divisor(input(g, op, 1)));
  return eval_binary(g, op, [](auto a, auto b) { return floor_mod_value(a, b); });
}

TFLC_REGISTER_OP(floor_div, {.code = OpCode::FLOOR_DIV,
                             .infer = infer_binary_broadcast,
                             .eval = eval_floor_div,
                             .options = tflite::FloorDivOptionsT{},
                             .types = {{D::kFloat32, 2}, {D::kInt32}},
                             .broadcast_rank = 4,
                             // op_version.cc: int8/int16 -> 3, float32 -> 2.
                             .version_by_type = {{D::kInt16, 3}, {D::kInt8, 3}, {D::kFloat32, 2}},
                             .runtime_versions = {"1.14.0", "1.14.0", "2.13.0"}});

TFLC_REGISTER_OP(floor_mod, {.code = OpCode::FLOOR_MOD,
                             .infer = infer_binary_broadcast,
                             .eval = eval_floor_mod,
                             .options = tflite::FloorModOptionsT{},
                             .types = {{D::kFloat32}, {D::kInt32}, {D::kInt64}},
                             .broadcast_rank = 4,
                             // op_version.cc: int8/int16 -> 2.
                             .version_by_type = {{D::kInt16, 2}, {D::kInt8, 2}},
                             .runtime_versions = {"1.13.0", "2.13.0"}});

// ------------------------------------------------------------ MAXIMUM/MINIMUM

// op_version.cc: int16 -> 4, >4D broadcast -> 3, int8 -> 2.
int version_max_min(const Graph& g, const Op& op) {
  DType t = in_type(g, op);
  if (t == DType::kInt16 && output(g, op, 0).dtype == DType::kInt16) return 4;
  if (needs_broadcast(g, op) && max_input_rank(g, op) > 4) return 3;
  if (t == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(maximum, {.code = OpCode::MAXIMUM,
                           .infer = infer_binary_broadcast,
                           .eval = [](Graph& g, Op& op) {
                             return eval_binary(g, op, [](auto a, auto b) { return a > b ? a : b; });
                           },
                           .options = tflite::MaximumMinimumOptionsT{},
                           .types = kMaxMinTypes,
                           .other_types = W::kWidenAndBack,
                           .broadcast_rank = 5,
                           .version = version_max_min,
                           .runtime_versions = {"1.14.0", "1.14.0", "2.3.0", "2.3.0"},
                           .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

TFLC_REGISTER_OP(minimum, {.code = OpCode::MINIMUM,
                           .infer = infer_binary_broadcast,
                           .eval = [](Graph& g, Op& op) {
                             return eval_binary(g, op, [](auto a, auto b) { return a < b ? a : b; });
                           },
                           .options = tflite::MaximumMinimumOptionsT{},
                           .types = kMaxMinTypes,
                           .other_types = W::kWidenAndBack,
                           .broadcast_rank = 5,
                           .version = version_max_min,
                           .runtime_versions = {"1.14.0", "1.14.0", "2.3.0", "2.3.0"},
                           .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

// --------------------------------------------------- SQUARED_DIFFERENCE, POW

TFLC_REGISTER_OP(squared_difference,
                 {.code = OpCode::SQUARED_DIFFERENCE,
                  .infer = infer_binary_broadcast,
                  .eval = [](Graph& g, Op& op) {
                    return eval_binary(g, op, [](auto a, auto b) {
                      auto d = wrap_sub(a, b);
                      return wrap_mul(d, d);
                    });
                  },
                  .options = tflite::SquaredDifferenceOptionsT{},
                  .types = {{D::kFloat32}, {D::kInt32}, {D::kInt8, 2, true}},
                  .broadcast_rank = 4,
                  // op_version.cc: int8 -> 2.
                  .version_by_type = {{D::kInt8, 2}},
                  .runtime_versions = {"1.13.1", "2.5.0"},
                  .quant = {.output = QuantSpec::Output::kOwnRange}});

// Integer power by squaring (wrapping), as TF computes it; negative
// exponents are an error in both TF and TFLite.
template <typename T>
T int_pow(T base, T exp) {
  T result = 1;
  while (exp > 0) {
    if (exp & 1) result = wrap_mul(result, base);
    base = wrap_mul(base, base);
    exp = static_cast<T>(exp >> 1);
  }
  return result;
}

Status eval_pow(Graph& g, Op& op) {
  const Tensor& b = input(g, op, 1);
  if (dtype_is_integer(b.dtype)) {
    Status st = ok_status();
    RETURN_IF_ERROR(dispatch_numeric(b.dtype, [&](auto tag) {
      using T = decltype(tag);
      for (T v : const_values<T>(b))
        if (v < T(0)) st = invalid_input("integers to negative integer powers are not allowed");
    }));
    RETURN_IF_ERROR(st);
  }
  return eval_binary(g, op, [](auto a, auto e) {
    using T = decltype(a);
    if constexpr (std::is_integral_v<T>) {
      return int_pow(a, e);
    } else {
      return static_cast<T>(std::pow(a, e));
    }
  });
}

TFLC_REGISTER_OP(pow, {.code = OpCode::POW,
                       .infer = infer_binary_broadcast,
                       .eval = eval_pow,
                       .options = tflite::PowOptionsT{},
                       .types = {{D::kFloat32}, {D::kInt32}},
                       .broadcast_rank = 4,
                       .runtime_versions = {"1.10.0"}});

// ATAN2 (atan2.cc): atan2(y, x) on float32, no broadcasting.
Status infer_atan2(Graph& g, Op& op) {
  if (op.inputs.size() != 2 || op.inputs[0] < 0 || op.inputs[1] < 0) return invalid_input("ATAN2 takes two inputs");
  const Tensor& y = input(g, op, 0);
  const Tensor& x = input(g, op, 1);
  if (y.dtype != x.dtype) return invalid_input("ATAN2 inputs differ in type");
  if (!y.unknown_rank && !x.unknown_rank && y.shape != x.shape)
    return invalid_input("ATAN2 inputs differ in shape (its kernel does not broadcast)");
  return infer_same_as_input(g, op);
}

TFLC_REGISTER_OP(atan2, {.code = OpCode::ATAN2,
                         .infer = infer_atan2,
                         .eval = [](Graph& g, Op& op) {
                           return eval_binary(g, op, [](auto y, auto x) {
                             using T = decltype(y);
                             if constexpr (std::is_floating_point_v<T>) return static_cast<T>(std::atan2(y, x));
                             else return T(0);
                           });
                         },
                         .types = {{D::kFloat32}},
                         .runtime_versions = {"2.10.0"}});

// BITWISE_XOR and RIGHT_SHIFT (bitwise_xor.cc, right_shift.cc): 8/16/32-bit
// integers, broadcasting up to 4-D. RIGHT_SHIFT clamps the amount to
// [0, bits - 1] and shifts signed values arithmetically. Neither is in
// runtime_version.cc's table, where TF finds ""; the
// empty string never raises the model's min_runtime_version.
const std::vector<OperandType> kBitwiseTypes = {{D::kInt8},  {D::kUInt8},  {D::kInt16},
                                                {D::kUInt16}, {D::kInt32}, {D::kUInt32}};

template <typename T>
T clamped_right_shift(T x, T y) {
  constexpr T kMax = static_cast<T>(sizeof(T) * 8 - 1);
  if constexpr (std::is_signed_v<T>) {
    if (y < 0) y = 0;
  }
  if (y > kMax) y = kMax;
  return static_cast<T>(x >> y);
}

TFLC_REGISTER_OP(bitwise_xor, {.code = OpCode::BITWISE_XOR,
                               .infer = infer_binary_broadcast,
                               .eval = [](Graph& g, Op& op) {
                                 if (!dtype_is_integer(input(g, op, 0).dtype))
                                   return invalid_input("BITWISE_XOR takes integer tensors");
                                 return eval_binary(g, op, [](auto a, auto b) {
                                   using T = decltype(a);
                                   if constexpr (std::is_integral_v<T>) return static_cast<T>(a ^ b);
                                   else return T(0);
                                 });
                               },
                               .types = kBitwiseTypes,
                               .broadcast_rank = 4,
                               .runtime_versions = {""}});

TFLC_REGISTER_OP(right_shift, {.code = OpCode::RIGHT_SHIFT,
                               .infer = infer_binary_broadcast,
                               .eval = [](Graph& g, Op& op) {
                                 if (!dtype_is_integer(input(g, op, 0).dtype))
                                   return invalid_input("RIGHT_SHIFT takes integer tensors");
                                 return eval_binary(g, op, [](auto a, auto b) {
                                   using T = decltype(a);
                                   if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
                                     return clamped_right_shift(a, b);
                                   else return T(0);
                                 });
                               },
                               .types = kBitwiseTypes,
                               .broadcast_rank = 4,
                               .runtime_versions = {""}});

// ---------------------------------------------------------------------- ADD_N

// All inputs have one shape (TF requires it; TFLite does not broadcast).
Status infer_add_n(Graph& g, Op& op) {
  if (op.inputs.empty()) return invalid_input("ADD_N needs at least one input");
  const Tensor& a = input(g, op, 0);
  Shape s = a.shape;
  bool unknown = a.unknown_rank;
  for (size_t i = 1; i < op.inputs.size(); ++i) {
    const Tensor& t = input(g, op, static_cast<int>(i));
    if (t.dtype != a.dtype) return invalid_input("ADD_N inputs have different types");
    if (t.unknown_rank) continue;
    if (unknown) {
      s = t.shape;
      unknown = false;
      continue;
    }
    if (t.rank() != static_cast<int>(s.size()))
      return invalid_input("ADD_N inputs have different shapes: " + shape_str(s) + " and " + shape_str(t.shape));
    if (!merge_known_dims(s, t.shape))
      return invalid_input("ADD_N inputs have different shapes: " + shape_str(s) + " and " + shape_str(t.shape));
  }
  set_output(g, op, 0, a.dtype, s);
  output(g, op, 0).unknown_rank = unknown;
  return ok_status();
}

// Sums in input order, like TFLite's AddN.
Status eval_add_n(Graph& g, Op& op) {
  Tensor& out = output(g, op, 0);
  return dispatch_numeric(out.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> acc = const_values<T>(input(g, op, 0));
    for (size_t i = 1; i < op.inputs.size(); ++i) {
      std::vector<T> v = const_values<T>(input(g, op, static_cast<int>(i)));
      for (size_t k = 0; k < acc.size() && k < v.size(); ++k) acc[k] = wrap_add(acc[k], v[k]);
    }
    out.data = make_buffer(to_bytes(acc));
  });
}

TFLC_REGISTER_OP(add_n, {.code = OpCode::ADD_N,
                         .infer = infer_add_n,
                         .eval = eval_add_n,
                         .options = tflite::AddNOptionsT{},
                         .types = {{D::kFloat32}, {D::kInt32}},
                         .runtime_versions = {"1.14.0"}});

// ---------------------------------------------------------------- comparisons

// op_version.cc for LESS and GREATER_EQUAL: int16 -> 3, int8 -> 2;
// GREATER and LESS_EQUAL: int8 -> 2.
const std::vector<std::pair<DType, int>> kCmpVersions16 = {{D::kInt16, 3}, {D::kInt8, 2}};
const std::vector<std::pair<DType, int>> kCmpVersions8 = {{D::kInt8, 2}};

TFLC_REGISTER_OP(less, {.code = OpCode::LESS,
                        .infer = infer_compare,
                        .eval = [](Graph& g, Op& op) { return eval_compare(g, op, [](auto a, auto b) { return a < b; }); },
                        .options = tflite::LessOptionsT{},
                        .types = kOrderTypes16,
                        .other_types = W::kWiden,
                        .broadcast_rank = 4,
                        .version_by_type = kCmpVersions16,
                        .runtime_versions = {"1.14.0", "1.14.0", "2.13.0"},
                        .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

TFLC_REGISTER_OP(greater_equal,
                 {.code = OpCode::GREATER_EQUAL,
                  .infer = infer_compare,
                  .eval = [](Graph& g, Op& op) { return eval_compare(g, op, [](auto a, auto b) { return a >= b; }); },
                  .options = tflite::GreaterEqualOptionsT{},
                  .types = kOrderTypes16,
                  .other_types = W::kWiden,
                  .broadcast_rank = 4,
                  .version_by_type = kCmpVersions16,
                  .runtime_versions = {"1.14.0", "1.14.0", "2.13.0"},
                  .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

TFLC_REGISTER_OP(greater, {.code = OpCode::GREATER,
                           .infer = infer_compare,
                           .eval = [](Graph& g, Op& op) {
                             return eval_compare(g, op, [](auto a, auto b) { return a > b; });
                           },
                           .options = tflite::GreaterOptionsT{},
                           .types = kOrderTypes,
                           .other_types = W::kWiden,
                           .broadcast_rank = 4,
                           .version_by_type = kCmpVersions8,
                           .runtime_versions = {"1.14.0", "1.14.0"},
                           .quant = {.output = QuantSpec::Output::kOwnRange}});

TFLC_REGISTER_OP(less_equal, {.code = OpCode::LESS_EQUAL,
                              .infer = infer_compare,
                              .eval = [](Graph& g, Op& op) {
                                return eval_compare(g, op, [](auto a, auto b) { return a <= b; });
                              },
                              .options = tflite::LessEqualOptionsT{},
                              .types = kOrderTypes,
                              .other_types = W::kWiden,
                              .broadcast_rank = 4,
                              .version_by_type = kCmpVersions8,
                              .runtime_versions = {"1.14.0", "1.14.0"},
                              .quant = {.output = QuantSpec::Output::kOwnRange}});


TFLC_REGISTER_OP(equal, {.code = OpCode::EQUAL,
                         .infer = infer_compare,
                         .eval = [](Graph& g, Op& op) {
                           return eval_compare(g, op, [](auto a, auto b) { return a == b; });
                         },
                         .options = tflite::EqualOptionsT{},
                         .types = {{D::kBool}, {D::kFloat32}, {D::kInt32}, {D::kInt64}, {D::kUInt8, 1, true},
                                   {D::kInt8, 2, true}, {D::kString, 3}, {D::kInt16, 4}},
                         .other_types = W::kWiden,
                         .broadcast_rank = 4,
                         // op_version.cc: int16 -> 4, string -> 3, int8 -> 2.
                         .version_by_type = {{D::kInt16, 4}, {D::kString, 3}, {D::kInt8, 2}},
                         .runtime_versions = {"1.14.0", "1.14.0", "2.3.0", "2.13.0"},
                         .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});


TFLC_REGISTER_OP(not_equal, {.code = OpCode::NOT_EQUAL,
                             .infer = infer_compare,
                             .eval = [](Graph& g, Op& op) {
                               return eval_compare(g, op, [](auto a, auto b) { return a != b; });
                             },
                             .options = tflite::NotEqualOptionsT{},
                             .types = {{D::kBool}, {D::kFloat32}, {D::kInt32}, {D::kInt64}, {D::kUInt8, 1, true},
                                       {D::kInt8, 2, true}, {D::kString, 3}},
                             .other_types = W::kWiden,
                             .broadcast_rank = 4,
                             // op_version.cc: string -> 3, int8 -> 2.
                             .version_by_type = {{D::kString, 3}, {D::kInt8, 2}},
                             .runtime_versions = {"1.14.0", "1.14.0", "2.3.0"},
                             .quant = {.output = QuantSpec::Output::kOwnRange}});

// -------------------------------------------------------------------- logical

Status infer_logical(Graph& g, Op& op) {
  RETURN_IF_ERROR(infer_binary_broadcast(g, op));
  if (input(g, op, 0).dtype != DType::kBool) return invalid_input("logical ops take bool tensors");
  return ok_status();
}

TFLC_REGISTER_OP(logical_and, {.code = OpCode::LOGICAL_AND,
                               .infer = infer_logical,
                               .eval = [](Graph& g, Op& op) {
                                 return eval_compare(g, op, [](auto a, auto b) { return a != 0 && b != 0; });
                               },
                               .options = tflite::LogicalAndOptionsT{},
                               .types = {{D::kBool}},
                               .broadcast_rank = 4,
                               .runtime_versions = {"1.11.0"}});

TFLC_REGISTER_OP(logical_or, {.code = OpCode::LOGICAL_OR,
                              .infer = infer_logical,
                              .eval = [](Graph& g, Op& op) {
                                return eval_compare(g, op, [](auto a, auto b) { return a != 0 || b != 0; });
                              },
                              .options = tflite::LogicalOrOptionsT{},
                              .types = {{D::kBool}},
                              .broadcast_rank = 4,
                              .runtime_versions = {"1.11.0"}});

// --------------------------------------------------------- SELECT, SELECT_V2

// SELECT (v1): condition of the same shape as x, a scalar, or a vector over
// x's first dimension (row selection); x and y have one shape.
Status infer_select(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 3, 3));
  const Tensor& c = input(g, op, 0);
  const Tensor& x = input(g, op, 1);
  const Tensor& y = input(g, op, 2);
  if (c.dtype != DType::kBool) return invalid_input("SELECT condition must be bool, got " + dtype_name(c.dtype));
  if (x.dtype != y.dtype) return invalid_input("SELECT operands have different types");
  if (x.unknown_rank || y.unknown_rank) {
    set_output(g, op, 0, x.dtype, {});
    output(g, op, 0).unknown_rank = true;
    return ok_status();
  }
  if (x.rank() != y.rank()) return invalid_input("SELECT operands have different shapes");
  ASSIGN_OR_RETURN(Shape s, broadcast_shapes(x.shape, y.shape));
  if (!c.unknown_rank && c.rank() != 0 && c.shape != s) {
    bool rows = c.rank() == 1 && s.size() >= 1 && (c.shape[0] == s[0] || c.shape[0] < 0 || s[0] < 0);
    // Otherwise the shapes must agree (up to dynamic dimensions): SELECT
    // does not broadcast.
    bool same = c.rank() == static_cast<int>(s.size());
    for (size_t d = 0; same && d < s.size(); ++d) {
      if (s[d] < 0) s[d] = c.shape[d];
      else same = c.shape[d] < 0 || c.shape[d] == s[d];
    }
    if (!rows && !same)
      return invalid_input("SELECT condition " + shape_str(c.shape) + " does not match " + shape_str(s));
  }
  set_output(g, op, 0, x.dtype, std::move(s));
  return ok_status();
}

Status eval_select(Graph& g, Op& op) {
  const Tensor& c = input(g, op, 0);
  const Tensor& x = input(g, op, 1);
  const Tensor& y = input(g, op, 2);
  Tensor& out = output(g, op, 0);
  std::vector<uint8_t> cv = const_values<uint8_t>(c);
  int64_t n = num_elements(out.shape);
  return dispatch_numeric(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> xv = const_values<T>(x), yv = const_values<T>(y);
    std::vector<T> r(static_cast<size_t>(n));
    int64_t inner = 1;
    if (c.rank() == 1 && c.shape != out.shape && !out.shape.empty() && out.shape[0] > 0) inner = n / out.shape[0];
    for (int64_t k = 0; k < n; ++k) {
      size_t ci = c.rank() == 0 ? 0 : static_cast<size_t>(k / inner);
      r[k] = cv[ci] ? xv[k] : yv[k];
    }
    out.data = make_buffer(to_bytes(r));
  });
}

// op_version.cc: uint32 input 0 -> 4, any rank-5 input -> 3, int8 input 0 -> 2.
int version_select(const Graph& g, const Op& op) {
  DType t = in_type(g, op);
  if (t == DType::kUInt32) return 4;
  for (int i = 0; i < 3; ++i)
    if (input(g, op, i).rank() == 5) return 3;
  if (t == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(select, {.code = OpCode::SELECT,
                          .infer = infer_select,
                          .eval = eval_select,
                          .options = tflite::SelectOptionsT{},
                          // The values' type (input 1); the condition is bool.
                          .types = {{D::kFloat32}, {D::kInt32}, {D::kInt64}, {D::kBool}, {D::kUInt8, 1, true},
                                    {D::kInt8, 2, true}},
                          .type_input = 1,
                          .version = version_select,
                          .runtime_versions = {"1.14.0", "1.14.0", "2.12.0", "2.12.0"},
                          .quant = {.output = QuantSpec::Output::kSameAsOutput}});

// SELECT_V2: the three inputs broadcast together.
Status infer_select_v2(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 3, 3));
  const Tensor& c = input(g, op, 0);
  const Tensor& x = input(g, op, 1);
  const Tensor& y = input(g, op, 2);
  if (c.dtype != DType::kBool) return invalid_input("SELECT_V2 condition must be bool, got " + dtype_name(c.dtype));
  if (x.dtype != y.dtype) return invalid_input("SELECT_V2 operands have different types");
  if (c.unknown_rank || x.unknown_rank || y.unknown_rank) {
    set_output(g, op, 0, x.dtype, {});
    output(g, op, 0).unknown_rank = true;
    return ok_status();
  }
  ASSIGN_OR_RETURN(Shape s, broadcast_shapes(x.shape, y.shape));
  ASSIGN_OR_RETURN(s, broadcast_shapes(c.shape, s));
  set_output(g, op, 0, x.dtype, std::move(s));
  return ok_status();
}

// Flat index into a tensor of `shape` broadcast against `out`, for index k.
std::vector<int64_t> broadcast_index_map(const Shape& shape, const Shape& out) {
  int64_t n = num_elements(out);
  std::vector<int64_t> idx(static_cast<size_t>(n));
  for_each_broadcast(shape, out, out, [&](int64_t k, int64_t ia, int64_t) { idx[k] = ia; });
  return idx;
}

Status eval_select_v2(Graph& g, Op& op) {
  const Tensor& c = input(g, op, 0);
  const Tensor& x = input(g, op, 1);
  const Tensor& y = input(g, op, 2);
  Tensor& out = output(g, op, 0);
  std::vector<uint8_t> cv = const_values<uint8_t>(c);
  std::vector<int64_t> ci = broadcast_index_map(c.shape, out.shape);
  std::vector<int64_t> xi = broadcast_index_map(x.shape, out.shape);
  std::vector<int64_t> yi = broadcast_index_map(y.shape, out.shape);
  return dispatch_numeric(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> xv = const_values<T>(x), yv = const_values<T>(y);
    std::vector<T> r(ci.size());
    for (size_t k = 0; k < r.size(); ++k) r[k] = cv[ci[k]] ? xv[xi[k]] : yv[yi[k]];
    out.data = make_buffer(to_bytes(r));
  });
}

TFLC_REGISTER_OP(select_v2, {.code = OpCode::SELECT_V2,
                             .infer = infer_select_v2,
                             .eval = eval_select_v2,
                             .options = tflite::SelectV2OptionsT{},
                             .types = {{D::kFloat32}, {D::kInt32}, {D::kInt64}, {D::kBool}, {D::kUInt8, 1, true},
                                       {D::kInt8, 1, true}},
                             .type_input = 1,
                             .broadcast_rank = 5,
                             // op_version.cc: uint32 input 0 -> 2.
                             .version_by_type = {{D::kUInt32, 2}},
                             .runtime_versions = {"2.2.0", "2.12.0"},
                             .quant = {.output = QuantSpec::Output::kSameAsOutput}});

}  // namespace
}  // namespace tflc
