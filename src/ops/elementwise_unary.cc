// Elementwise unary builtins: math functions, NEG/ABS, rounding, LOGICAL_NOT
// and CAST. Kernels follow TFLite's (elementwise.cc, neg.cc, round.cc, ...);
// versions follow tools/versioning/op_version.cc.
#include <cmath>

#include "ops/kernels.h"

namespace tflc {
namespace {

DType in_type(const Graph& g, const Op& op) { return input(g, op, 0).dtype; }

using D = DType;

// The float kernels; EXP, LOG and RSQRT also have quantized int8/int16 ones
// (op_version.cc).
const std::vector<OperandType> kFloatOnly = {{D::kFloat32}};
const std::vector<OperandType> kFloatOrQuantized = {{D::kFloat32}, {D::kInt8, 2, true}, {D::kInt16, 2, true}};

// op_version.cc for EXP and LOG: int8/int16 -> 2.
const std::vector<std::pair<DType, int>> kExpLogVersions = {{D::kInt8, 2}, {D::kInt16, 2}};

TFLC_REGISTER_OP(exp, {.code = OpCode::EXP,
                       .infer = infer_same_as_input,
                       .eval = [](Graph& g, Op& op) { return eval_unary_float(g, op, [](float x) { return std::exp(x); }); },
                       .options = tflite::ExpOptionsT{},
                       .types = kFloatOrQuantized,
                       .version_by_type = kExpLogVersions,
                       .runtime_versions = {"1.7.0", "2.12.0"}});

TFLC_REGISTER_OP(log, {.code = OpCode::LOG,
                       .infer = infer_same_as_input,
                       .eval = [](Graph& g, Op& op) { return eval_unary_float(g, op, [](float x) { return std::log(x); }); },
                       .types = kFloatOrQuantized,
                       .version_by_type = kExpLogVersions,
                       .runtime_versions = {"1.14.0", "2.15.0"}});

TFLC_REGISTER_OP(sqrt, {.code = OpCode::SQRT,
                        .infer = infer_same_as_input,
                        .eval = [](Graph& g, Op& op) {
                          return eval_unary_float(g, op, [](float x) { return std::sqrt(x); });
                        },
                        .types = kFloatOnly,
                        .runtime_versions = {"1.10.0"}});

TFLC_REGISTER_OP(rsqrt, {.code = OpCode::RSQRT,
                         .infer = infer_same_as_input,
                         .eval = [](Graph& g, Op& op) {
                           return eval_unary_float(g, op, [](float x) { return 1.f / std::sqrt(x); });
                         },
                         .types = {{D::kFloat32}, {D::kInt8, 2, true}, {D::kInt16, 3, true}},
                         // op_version.cc: int16 -> 3, int8 -> 2.
                         .version_by_type = {{D::kInt16, 3}, {D::kInt8, 2}},
                         .runtime_versions = {"1.10.0", "2.5.0", "2.15.0"}});

TFLC_REGISTER_OP(square, {.code = OpCode::SQUARE,
                          .infer = infer_same_as_input,
                          .eval = [](Graph& g, Op& op) { return eval_unary_float(g, op, [](float x) { return x * x; }); },
                          .options = tflite::SquareOptionsT{},
                          .types = kFloatOnly,
                          .runtime_versions = {"1.12.0"}});

TFLC_REGISTER_OP(sin, {.code = OpCode::SIN,
                       .infer = infer_same_as_input,
                       .eval = [](Graph& g, Op& op) { return eval_unary_float(g, op, [](float x) { return std::sin(x); }); },
                       .types = kFloatOnly,
                       .runtime_versions = {"1.9.0"}});

TFLC_REGISTER_OP(cos, {.code = OpCode::COS,
                       .infer = infer_same_as_input,
                       .eval = [](Graph& g, Op& op) { return eval_unary_float(g, op, [](float x) { return std::cos(x); }); },
                       .options = tflite::CosOptionsT{},
                       .types = kFloatOnly,
                       .runtime_versions = {"1.14.0"}});

TFLC_REGISTER_OP(floor, {.code = OpCode::FLOOR,
                         .infer = infer_same_as_input,
                         .eval = [](Graph& g, Op& op) {
                           return eval_unary_float(g, op, [](float x) { return std::floor(x); });
                         },
                         .types = kFloatOnly,
                         .runtime_versions = {"1.9.0"}});

TFLC_REGISTER_OP(ceil, {.code = OpCode::CEIL,
                        .infer = infer_same_as_input,
                        .eval = [](Graph& g, Op& op) { return eval_unary_float(g, op, [](float x) { return std::ceil(x); }); },
                        .types = kFloatOnly,
                        .runtime_versions = {"1.14.0"}});

// TFLite's RoundToNearest is round-half-to-even, which nearbyint gives in
// the default rounding mode (TF's Round is also banker's rounding).
TFLC_REGISTER_OP(round, {.code = OpCode::ROUND,
                         .infer = infer_same_as_input,
                         .eval = [](Graph& g, Op& op) {
                           return eval_unary_float(g, op, [](float x) { return std::nearbyint(x); });
                         },
                         .types = kFloatOnly,
                         .runtime_versions = {"1.14.0"}});

// NEG: float32, int32, int64 in TFLite; integers wrap at the minimum.
TFLC_REGISTER_OP(neg, {.code = OpCode::NEG,
                       .infer = infer_same_as_input,
                       .eval = [](Graph& g, Op& op) {
                         if (in_type(g, op) == DType::kBool) return invalid_input("NEG of a bool tensor");
                         return eval_unary(g, op, [](auto x) { return wrap_neg(x); });
                       },
                       .options = tflite::NegOptionsT{},
                       .types = {{D::kFloat32}, {D::kInt32}, {D::kInt64}},
                       .runtime_versions = {"1.9.0"}});

// op_version.cc: int32 -> 5, int16 -> 4 (3 when quantized), int8/uint8 -> 2.
int version_abs(const Graph& g, const Op& op) {
  const Tensor& a = input(g, op, 0);
  switch (a.dtype) {
    case DType::kInt32: return 5;
    case DType::kInt16: return a.quant ? 3 : 4;
    case DType::kInt8: case DType::kUInt8: return 2;
    default: return 1;
  }
}

TFLC_REGISTER_OP(abs, {.code = OpCode::ABS,
                       .infer = infer_same_as_input,
                       .eval = [](Graph& g, Op& op) {
                         if (in_type(g, op) == DType::kBool) return invalid_input("ABS of a bool tensor");
                         return eval_unary(g, op, [](auto x) {
                           using T = decltype(x);
                           if constexpr (std::is_floating_point_v<T>) return std::fabs(x);
                           else return x < 0 ? wrap_neg(x) : x;
                         });
                       },
                       .options = tflite::AbsOptionsT{},
                       .types = {{D::kFloat32}, {D::kInt32, 5}, {D::kUInt8, 2, true}, {D::kInt8, 2, true},
                                 {D::kInt16, 3, true}},
                       .version = version_abs,
                       .runtime_versions = {"1.13.0", "2.4.0", "2.5.0", "2.6.0", "2.12.0"}});

// SIGN (sign.cc): float32 and int32; NaN gives 0. op_version.cc: int32 -> 2.
TFLC_REGISTER_OP(sign, {.code = OpCode::SIGN,
                        .infer = infer_same_as_input,
                        .eval = [](Graph& g, Op& op) {
                          if (in_type(g, op) == DType::kBool) return invalid_input("SIGN of a bool tensor");
                          return eval_unary(g, op, [](auto x) {
                            using T = decltype(x);
                            return x > T(0) ? T(1) : x < T(0) ? T(-1) : T(0);
                          });
                        },
                        .types = {{D::kFloat32}, {D::kInt32, 2}},
                        .version_by_type = {{D::kInt32, 2}},
                        .runtime_versions = {"2.11.0", "2.12.0"}});

Status infer_logical_not(Graph& g, Op& op) {
  if (input(g, op, 0).dtype != DType::kBool) return invalid_input("LOGICAL_NOT takes a bool tensor");
  return infer_same_as_input(g, op);
}

TFLC_REGISTER_OP(logical_not, {.code = OpCode::LOGICAL_NOT,
                               .infer = infer_logical_not,
                               .eval = [](Graph& g, Op& op) {
                                 return eval_unary(g, op, [](auto x) { return x ? 0 : 1; });
                               },
                               .options = tflite::LogicalNotOptionsT{},
                               .types = {{D::kBool}},
                               .runtime_versions = {"1.11.0"}});

// ----------------------------------------------------------------------- CAST

// Float -> integer conversion saturates and maps NaN to 0 (WebAssembly's
// non-trapping conversion; C++ leaves out-of-range values undefined). Types
// narrower than 32 bits convert through int32 and keep the low bits, as
// static_cast does after the 32-bit conversion.
template <typename Out, typename In>
Out cast_value(In v) {
  if constexpr (std::is_floating_point_v<In> && std::is_integral_v<Out>) {
    using Wide = std::conditional_t<(sizeof(Out) > 4), std::conditional_t<std::is_signed_v<Out>, int64_t, uint64_t>,
                                    std::conditional_t<std::is_signed_v<Out> || sizeof(Out) < 4, int32_t, uint32_t>>;
    if (std::isnan(v)) return Out(0);
    double d = static_cast<double>(v);
    if (d <= static_cast<double>(std::numeric_limits<Wide>::lowest())) return static_cast<Out>(std::numeric_limits<Wide>::lowest());
    if (d >= static_cast<double>(std::numeric_limits<Wide>::max())) return static_cast<Out>(std::numeric_limits<Wide>::max());
    return static_cast<Out>(static_cast<Wide>(v));
  } else {
    return static_cast<Out>(v);
  }
}

// CAST's record default has no output type, which is an error; the input
// type is the input tensor's (the writer records both, see finalize_cast).
constexpr tflite::TensorType kNoType = static_cast<tflite::TensorType>(DType::kInvalid);

Status infer_cast(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& a = input(g, op, 0);
  const tflite::CastOptionsT& o = opts<tflite::CastOptionsT>(op);
  if (o.out_data_type == kNoType) return invalid_input("CAST has no output type");
  DType out_type = static_cast<DType>(o.out_data_type);
  bool unknown = a.unknown_rank;
  set_output(g, op, 0, out_type, a.shape);
  output(g, op, 0).unknown_rank = unknown;
  return ok_status();
}

Status eval_cast(Graph& g, Op& op) {
  const Tensor& a = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  bool in_bool = a.dtype == DType::kBool, out_bool = out.dtype == DType::kBool;
  Status inner = ok_status();
  Status outer = dispatch_numeric(a.dtype, [&](auto in_tag) {
    using In = decltype(in_tag);
    std::vector<In> v = const_values<In>(a);
    inner = dispatch_numeric(out.dtype, [&](auto out_tag) {
      using Out = decltype(out_tag);
      std::vector<Out> r(v.size());
      for (size_t i = 0; i < v.size(); ++i) {
        In x = in_bool ? static_cast<In>(v[i] != 0) : v[i];
        r[i] = out_bool ? static_cast<Out>(x != In(0)) : cast_value<Out>(x);
      }
      out.data = make_buffer(to_bytes(r));
    });
  });
  RETURN_IF_ERROR(outer);
  return inner;
}

// The written types are the tensors' at writing time (a pass such as the
// quantizer may have retyped them since the op was made).
void finalize_cast(const Graph& g, Op& op, const std::vector<int>&) {
  auto& o = mutable_opts<tflite::CastOptionsT>(op);
  o.in_data_type = static_cast<tflite::TensorType>(input(g, op, 0).dtype);
  o.out_data_type = static_cast<tflite::TensorType>(output(g, op, 0).dtype);
}

// op_version.cc: bfloat16 -> 7, int4 -> float32 -> 6, float64/float16 -> 5,
// uint16 -> 4, int8 -> 3, uint32 -> 2 (on either side).
int version_cast(const Graph& g, const Op& op) {
  DType i = in_type(g, op), o = output(g, op, 0).dtype;
  auto either = [&](DType t) { return i == t || o == t; };
  if (either(DType::kBFloat16)) return 7;
  if (i == DType::kInt4 && o == DType::kFloat32) return 6;
  if (either(DType::kFloat64) || either(DType::kFloat16)) return 5;
  if (either(DType::kUInt16)) return 4;
  if (either(DType::kInt8)) return 3;
  if (either(DType::kUInt32)) return 2;
  return 1;
}

TFLC_REGISTER_OP(cast, {.code = OpCode::CAST,
                        .infer = infer_cast,
                        .eval = eval_cast,
                        .options = tflite::CastOptionsT{.out_data_type = kNoType},
                        .finalize_options = finalize_cast,
                        // cast.cc switches on the input and on the output type.
                        .types = {{D::kFloat32}, {D::kInt32}, {D::kInt64}, {D::kBool}, {D::kUInt8}, {D::kInt16},
                                  {D::kUInt32, 2}, {D::kInt8, 3}, {D::kUInt16, 4}, {D::kFloat64, 5},
                                  {D::kFloat16, 5}},
                        .output_typed = true,
                        .version = version_cast,
                        .runtime_versions = {"1.5.0", "2.7.0", "2.8.0", "2.9.0", "2.12.0", "2.15.0", "2.17.0"}});

// -------------------------------------------------------------------- BITCAST

// bitcast.cc: the bytes as they are, read as the output tensor's type
// (BitcastOptions is empty: TFLite keeps the target type on the tensor, so
// whoever makes the op types its output first, and infer keeps that type).
// A larger input element adds a last dim of the size ratio; a smaller one
// needs a last dim of the ratio and drops it. Every type (memcpy); op
// version 1, and not in runtime_version.cc's table ("").
Status infer_bitcast(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& x = input(g, op, 0);
  const DType to = output(g, op, 0).dtype;
  const int64_t in_size = dtype_size(x.dtype), out_size = dtype_size(to);
  if (in_size <= 0 || out_size <= 0) return invalid_input("BITCAST between " + dtype_name(x.dtype) + " and " + dtype_name(to));
  if (x.unknown_rank) return unsupported("not supported yet: BITCAST of a tensor of unknown rank");
  Shape out = x.shape;
  if (in_size > out_size) {
    out.push_back(in_size / out_size);
  } else if (in_size < out_size) {
    if (out.empty() || out.back() != out_size / in_size)
      return invalid_input("BITCAST from " + dtype_name(x.dtype) + " to " + dtype_name(to) + " needs a last dimension of " +
                           std::to_string(out_size / in_size) + ", not " + shape_str(x.shape));
    out.pop_back();
  }
  set_output(g, op, 0, to, out);
  return ok_status();
}

Status eval_bitcast(Graph& g, Op& op) {
  Tensor& out = output(g, op, 0);
  out.data = input(g, op, 0).data;  // the same bytes
  return ok_status();
}

TFLC_REGISTER_OP(bitcast, {.code = OpCode::BITCAST,
                           .infer = infer_bitcast,
                           .eval = eval_bitcast,
                           .options = tflite::BitcastOptionsT{},
                           .types_unchecked = "bitcast.cc copies bytes of any type",
                           .runtime_versions = {""}});

}  // namespace
}  // namespace tflc
