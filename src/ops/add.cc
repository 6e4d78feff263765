// ADD: broadcast elementwise sum with a fused activation. This file is the
// pattern for op records: shape inference, reference kernel, options, version.
#include "ops/kernels.h"

namespace tflc {
namespace {

// Quantized int16 (16x8) uses general scales, as TF's converter writes it;
// pot_scale_int16 = true would demand power-of-two scales.
bool general_int16_scale(const Graph& g, const Op& op) {
  const Tensor& a = input(g, op, 0);
  return a.dtype == DType::kInt16 && a.quant && !a.quant->scale.empty();
}

WrittenOptions write_add(flatbuffers::FlatBufferBuilder& fbb, const Graph& g, const Op& op) {
  auto o = tflite::CreateAddOptions(fbb, static_cast<tflite::ActivationFunctionType>(op.attrs.activation),
                                    !general_int16_scale(g, op));
  return {tflite::BuiltinOptions::AddOptions, o.Union()};
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
                       .write_options = write_add,
                       .version = version_add,
                       .runtime_versions = {"1.5.0", "1.14.0", "2.4.0", "2.6.0", "2.13.0"},
                       .quant = {.output = QuantSpec::Output::kOwnRange, .int16 = true}});

}  // namespace
}  // namespace tflc
