// Activation builtins: RELU family, LEAKY_RELU, ELU, LOGISTIC, TANH,
// HARD_SWISH, GELU, SOFTMAX, LOG_SOFTMAX. Reference kernels are the float32 ones of TFLite's
// activations.cc; versions follow tools/versioning/op_version.cc.
#include <cmath>

#include "ops/kernels.h"

namespace tflc {
namespace {

DType in_type(const Graph& g, const Op& op) { return input(g, op, 0).dtype; }

Status infer_float_activation(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  return infer_same_as_input(g, op);
}

using D = DType;

// The kernels of activations.cc: float32, and quantized uint8/int8/int16.
const std::vector<OperandType> kTypes16 = {
    {D::kFloat32}, {D::kUInt8, 1, true}, {D::kInt8, 2, true}, {D::kInt16, 3, true}};

// op_version.cc: int16 -> 3, int8 (RELU also uint8) -> 2.
const std::vector<std::pair<DType, int>> kVersions16 = {{D::kInt16, 3}, {D::kInt8, 2}};
// LOGISTIC/TANH: int16 in and out -> 3, int8 -> 2.
int version_logistic(const Graph& g, const Op& op) {
  DType t = in_type(g, op);
  if (t == DType::kInt16 && output(g, op, 0).dtype == DType::kInt16) return 3;
  return t == DType::kInt8 ? 2 : 1;
}

TFLC_REGISTER_OP(relu, {.code = OpCode::RELU,
                        .infer = infer_float_activation,
                        .eval = [](Graph& g, Op& op) {
                          return eval_unary_float(g, op, [](float x) { return x < 0.f ? 0.f : x; });
                        },
                        .types = {{D::kFloat32}, {D::kUInt8, 2, true}, {D::kInt8, 2, true}, {D::kInt16, 3, true}},
                        .version_by_type = {{D::kInt16, 3}, {D::kInt8, 2}, {D::kUInt8, 2}},
                        .runtime_versions = {"1.5.0", "2.1.0", "2.5.0"},
                        .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

TFLC_REGISTER_OP(relu6, {.code = OpCode::RELU6,
                         .infer = infer_float_activation,
                         .eval = [](Graph& g, Op& op) {
                           return eval_unary_float(g, op, [](float x) { return clamp_to(x, 0.f, 6.f); });
                         },
                         .types = kTypes16,
                         .version_by_type = kVersions16,
                         .runtime_versions = {"1.5.0", "1.14.0", "2.5.0"},
                         .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

TFLC_REGISTER_OP(relu_n1_to_1, {.code = OpCode::RELU_N1_TO_1,
                                .infer = infer_float_activation,
                                .eval = [](Graph& g, Op& op) {
                                  return eval_unary_float(g, op, [](float x) { return clamp_to(x, -1.f, 1.f); });
                                },
                                .types = {{D::kFloat32}, {D::kUInt8, 1, true}, {D::kInt8, 1, true}},
                                .runtime_versions = {"1.5.0"},
                                .quant = {.output = QuantSpec::Output::kOwnRange}});

// TFLite: x > 0 ? x : alpha * x (also right for alpha > 1, unlike max()).
TFLC_REGISTER_OP(leaky_relu, {.code = OpCode::LEAKY_RELU,
                              .infer = infer_float_activation,
                              .eval = [](Graph& g, Op& op) {
                                float alpha = opts<tflite::LeakyReluOptionsT>(op).alpha;
                                return eval_unary_float(g, op, [alpha](float x) { return x > 0.f ? x : x * alpha; });
                              },
                              .options = tflite::LeakyReluOptionsT{},
                              .types = {{D::kFloat32}, {D::kUInt8, 1, true}, {D::kInt8, 1, true}, {D::kInt16, 2, true}},
                              // op_version.cc: int16 -> 2.
                              .version_by_type = {{D::kInt16, 2}},
                              .runtime_versions = {"1.13.1", "2.3.0"},
                              .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

TFLC_REGISTER_OP(elu, {.code = OpCode::ELU,
                       .infer = infer_float_activation,
                       .eval = [](Graph& g, Op& op) {
                         return eval_unary_float(g, op, [](float x) { return x < 0.f ? std::expm1(x) : x; });
                       },
                       .types = {{D::kFloat32}},
                       .runtime_versions = {"1.14.0"}});

// reference_ops::Logistic: saturates outside [-9, 16.619...].
float logistic(float x) {
  constexpr float kUpper = 16.619047164916992188f, kLower = -9.f;
  if (x > kUpper) return 1.f;
  if (x < kLower) return std::exp(x);
  return 1.f / (1.f + std::exp(-x));
}

TFLC_REGISTER_OP(logistic, {.code = OpCode::LOGISTIC,
                            .infer = infer_float_activation,
                            .eval = [](Graph& g, Op& op) { return eval_unary_float(g, op, logistic); },
                            .types = kTypes16,
                            .version = version_logistic,
                            .runtime_versions = {"1.14.0", "1.14.0", "2.3.0"},
                            .quant = {.output = QuantSpec::Output::kFixed, .fixed_scale_int8 = 1.0f / 256, .fixed_zero_point_int8 = -128, .fixed_scale_int16 = 1.0f / 32768, .int16 = true}});

TFLC_REGISTER_OP(tanh, {.code = OpCode::TANH,
                        .infer = infer_float_activation,
                        .eval = [](Graph& g, Op& op) { return eval_unary_float(g, op, [](float x) { return std::tanh(x); }); },
                        .types = kTypes16,
                        .version = version_logistic,
                        .runtime_versions = {"1.14.0", "1.14.0", "2.3.0"},
                        .quant = {.output = QuantSpec::Output::kFixed, .fixed_scale_int8 = 1.0f / 128, .fixed_zero_point_int8 = 0, .fixed_scale_int16 = 1.0f / 32768, .int16 = true}});

// reference_ops::HardSwish: x * relu6(x + 3) / 6. Kernels: float32, uint8,
// int8 (no int16); always version 1.
TFLC_REGISTER_OP(hard_swish, {.code = OpCode::HARD_SWISH,
                              .infer = infer_float_activation,
                              .eval = [](Graph& g, Op& op) {
                                return eval_unary_float(g, op, [](float x) { return x * clamp_to(x + 3.f, 0.f, 6.f) / 6.f; });
                              },
                              .types = {{D::kFloat32}, {D::kUInt8, 1, true}, {D::kInt8, 1, true}},
                              .runtime_versions = {"1.15.0"},
                              .quant = {.output = QuantSpec::Output::kOwnRange}});

// gelu.cc: 0.5 x (1 + erf(x / sqrt 2)), or with approximate the tanh form
// 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))). op_version.cc: int8 and
// uint8 -> 2.
float gelu(float x, bool approximate) {
  if (approximate) {
    constexpr float kSqrt2OverPi = 0.7978845608028654f;
    return 0.5f * x * (1.f + std::tanh(kSqrt2OverPi * (x + 0.044715f * x * x * x)));
  }
  return 0.5f * x * (1.f + std::erf(x * 0.7071067811865476f));
}

TFLC_REGISTER_OP(gelu, {.code = OpCode::GELU,
                        .infer = infer_float_activation,
                        .eval = [](Graph& g, Op& op) {
                          bool approximate = opts<tflite::GeluOptionsT>(op).approximate;
                          return eval_unary_float(g, op, [approximate](float x) { return gelu(x, approximate); });
                        },
                        .options = tflite::GeluOptionsT{},
                        .types = {{D::kFloat32}, {D::kUInt8, 2, true}, {D::kInt8, 2, true}},
                        .version_by_type = {{D::kInt8, 2}, {D::kUInt8, 2}},
                        .runtime_versions = {"2.9.0", "2.9.0"},
                        .quant = {.output = QuantSpec::Output::kOwnRange}});

// ------------------------------------------------------ SOFTMAX, LOG_SOFTMAX

Status infer_softmax(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& a = input(g, op, 0);
  if (!a.unknown_rank && a.rank() < 1) return invalid_input("softmax needs an input of rank >= 1");
  return infer_same_as_input(g, op);
}

// Applies f(row, out_row, depth) to every row along the last axis.
template <typename F>
Status eval_last_axis(Graph& g, Op& op, F f) {
  const Tensor& a = input(g, op, 0);
  if (a.dtype != DType::kFloat32)
    return unsupported("not supported yet: evaluating " + op_name(op.code) + " on " + dtype_name(a.dtype));
  std::vector<float> v = const_values<float>(a);
  std::vector<float> r(v.size());
  int64_t depth = a.shape.back();
  if (depth > 0)
    for (size_t off = 0; off + depth <= v.size(); off += depth) f(&v[off], &r[off], depth);
  output(g, op, 0).data = make_buffer(to_bytes(r));
  return ok_status();
}

// reference_ops::Softmax: exp((x - max) * beta) / sum.
Status eval_softmax(Graph& g, Op& op) {
  float beta = opts<tflite::SoftmaxOptionsT>(op).beta;
  return eval_last_axis(g, op, [beta](const float* x, float* y, int64_t n) {
    float mx = x[0];
    for (int64_t i = 1; i < n; ++i) mx = std::max(mx, x[i]);
    float sum = 0.f;
    for (int64_t i = 0; i < n; ++i) sum += std::exp((x[i] - mx) * beta);
    for (int64_t i = 0; i < n; ++i) y[i] = std::exp((x[i] - mx) * beta) / sum;
  });
}

// reference_ops::LogSoftmax: (x - max) - log(sum(exp(x - max))).
Status eval_log_softmax(Graph& g, Op& op) {
  return eval_last_axis(g, op, [](const float* x, float* y, int64_t n) {
    float mx = x[0];
    for (int64_t i = 1; i < n; ++i) mx = std::max(mx, x[i]);
    float sum = 0.f;
    for (int64_t i = 0; i < n; ++i) sum += std::exp(x[i] - mx);
    float log_sum = std::log(sum);
    for (int64_t i = 0; i < n; ++i) y[i] = x[i] - mx - log_sum;
  });
}

TFLC_REGISTER_OP(softmax, {.code = OpCode::SOFTMAX,
                           .infer = infer_softmax,
                           .eval = eval_softmax,
                           .options = tflite::SoftmaxOptionsT{.beta = 1.0f},
                           .types = kTypes16,
                           .version_by_type = kVersions16,
                           .runtime_versions = {"1.5.0", "1.14.0", "2.3.0"},
                           .quant = {.output = QuantSpec::Output::kFixed, .fixed_scale_int8 = 1.0f / 256, .fixed_zero_point_int8 = -128, .fixed_scale_int16 = 1.0f / 32768, .int16 = true}});

TFLC_REGISTER_OP(log_softmax, {.code = OpCode::LOG_SOFTMAX,
                               .infer = infer_softmax,
                               .eval = eval_log_softmax,
                               .options = tflite::LogSoftmaxOptionsT{},
                               .types = {{D::kFloat32}, {D::kUInt8, 1, true}, {D::kInt8, 2, true}},
                               // op_version.cc: int8 -> 2.
                               .version_by_type = {{D::kInt8, 2}},
                               .runtime_versions = {"1.14.0", "1.14.0"},
                               .quant = {.output = QuantSpec::Output::kFixed, .fixed_scale_int8 = 16.0f / 256, .fixed_zero_point_int8 = 127}});

}  // namespace
}  // namespace tflc
