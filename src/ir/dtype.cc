#include "ir/dtype.h"

namespace tflc {

int dtype_size(DType t) {
  switch (t) {
    case DType::kFloat32: case DType::kInt32: case DType::kUInt32: return 4;
    case DType::kFloat16: case DType::kInt16: case DType::kUInt16: case DType::kBFloat16: return 2;
    case DType::kUInt8: case DType::kInt8: case DType::kBool: return 1;
    case DType::kInt64: case DType::kUInt64: case DType::kFloat64: case DType::kComplex64: return 8;
    case DType::kComplex128: return 16;
    default: return 0;
  }
}

std::string dtype_name(DType t) {
  switch (t) {
    case DType::kFloat32: return "float32";
    case DType::kFloat16: return "float16";
    case DType::kInt32: return "int32";
    case DType::kUInt8: return "uint8";
    case DType::kInt64: return "int64";
    case DType::kString: return "string";
    case DType::kBool: return "bool";
    case DType::kInt16: return "int16";
    case DType::kComplex64: return "complex64";
    case DType::kInt8: return "int8";
    case DType::kFloat64: return "float64";
    case DType::kComplex128: return "complex128";
    case DType::kUInt64: return "uint64";
    case DType::kResource: return "resource";
    case DType::kVariant: return "variant";
    case DType::kUInt32: return "uint32";
    case DType::kUInt16: return "uint16";
    case DType::kInt4: return "int4";
    case DType::kBFloat16: return "bfloat16";
    default: return "invalid";
  }
}

bool dtype_is_float(DType t) {
  return t == DType::kFloat32 || t == DType::kFloat16 || t == DType::kFloat64 || t == DType::kBFloat16;
}

bool dtype_is_integer(DType t) {
  switch (t) {
    case DType::kInt32: case DType::kUInt8: case DType::kInt64: case DType::kInt16:
    case DType::kInt8: case DType::kUInt64: case DType::kUInt32: case DType::kUInt16: case DType::kInt4:
      return true;
    default: return false;
  }
}

}  // namespace tflc
