// ADD: broadcast elementwise sum with a fused activation. This file is the
// pattern for op records: shape inference, reference kernel, options, version.
#include "ops/kernels.h"

namespace tflc {
namespace {

WrittenOptions write_add(flatbuffers::FlatBufferBuilder& fbb, const Graph& g, const Op& op) {
  auto o = tflite::CreateAddOptions(fbb, static_cast<tflite::ActivationFunctionType>(op.attrs.activation));
  return {tflite::BuiltinOptions::AddOptions, o.Union()};
}

// op_version.cc: int8/uint8 -> 2, int16 -> 3 (or 5 without pot scale), int64 -> 4.
int version_add(const Graph& g, const Op& op) {
  switch (input(g, op, 0).dtype) {
    case DType::kInt8: case DType::kUInt8: return 2;
    case DType::kInt16: return 3;
    case DType::kInt64: return 4;
    default: return 1;
  }
}

TFLC_REGISTER_OP(add, {.code = OpCode::ADD,
                       .infer = infer_binary_broadcast,
                       .eval = [](Graph& g, Op& op) {
                         return eval_binary(g, op, [](auto a, auto b) { return a + b; });
                       },
                       .write_options = write_add,
                       .version = version_add,
                       .runtime_versions = {"1.5.0", "1.14.0", "2.4.0", "2.6.0", "2.10.0"}});

}  // namespace
}  // namespace tflc
