// Element types. Values equal TFLite's TensorType so the writer casts directly.
#pragma once

#include <cstdint>
#include <string>

namespace tflc {

enum class DType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUInt64 = 12,
  kResource = 13,
  kVariant = 14,
  kUInt32 = 15,
  kUInt16 = 16,
  kInt4 = 17,
  kBFloat16 = 18,
  kInvalid = 127,
};

// Bytes per element; 0 for types without a fixed size (string, resource...).
int dtype_size(DType t);
std::string dtype_name(DType t);  // "float32", "int32", ...
bool dtype_is_float(DType t);
bool dtype_is_integer(DType t);

}  // namespace tflc
