// ADD: broadcast elementwise sum with a fused activation. This file is the
// pattern for op records: shape inference, reference kernel, options, the
// kernels' operand types and broadcast rank, version.
#include "ops/kernels.h"

namespace tflc {
namespace {

// Quantized int16 (16x8) uses general scales, as TF's converter writes it;
// pot_scale_int16 = true would demand power-of-two scales.
bool general_int16_scale(const Graph& g, const Op& op) {
  const Tensor& a = input(g, op, 0);
  return a.dtype == DType::kInt16 && a.quant && !a.quant->scale.empty();
}

using Options = tflite::AddOptionsT;

// pot_scale_int16 follows from the input's quantization, not the source model.
void finalize_add(const Graph& g, Op& op, const std::vector<int>&) {
  mutable_opts<Options>(op).pot_scale_int16 = !general_int16_scale(g, op);
}

// op_version.cc: int16 without quantization -> 5, int64 -> 4, quantized
// int16 without pot scale -> 3 (we write pot_scale_int16 = false for it),
// int8 -> 2. uint8 stays 1.
int version_add(const Graph& g, const Op& op) {
  const Tensor& a = input(g, op, 0);
  switch (a.dtype) {
    case DType::kInt16: return general_int16_scale(g, op) ? 3 : 5;
    case DType::kInt64: return 4;
    case DType::kInt8: return 2;
    default: return 1;
  }
}

TFLC_REGISTER_OP(add, {.code = OpCode::ADD,
                       .infer = infer_binary_broadcast,
                       .eval = [](Graph& g, Op& op) {
                         return eval_arith(g, op, [](auto a, auto b) { return wrap_add(a, b); });
                       },
                       .options = Options{},
                       .finalize_options = finalize_add,
                       .fused_activation = fused_activation_field<Options>(),
                       // add.cc: the uint8/int8/int16 forms are the quantized kernels.
                       .types = {{DType::kFloat32}, {DType::kInt32}, {DType::kInt64, 4}, {DType::kUInt8, 1, true},
                                 {DType::kInt8, 2, true}, {DType::kInt16, 3, true}},
                       .broadcast_rank = 6,
                       .version = version_add,
                       .runtime_versions = {"1.5.0", "1.14.0", "2.4.0", "2.6.0", "2.13.0"},
                       .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

}  // namespace
}  // namespace tflc
