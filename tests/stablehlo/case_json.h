// The JSON the StableHLO case tools (testdata_case.cc, interpret_case.cc)
// write for check_testdata.mjs / check_interpret.mjs: tensors as
// {"dtype", "shape", "data"}, NaN and infinities as strings, 64-bit
// integers as strings so JavaScript reads them exactly (BigInt).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

#include "frontends/stablehlo/stablehlo.h"
#include "ir/dtype.h"
#include "support/half.h"

namespace tflc::hlo_case {

inline std::string json_value(DType dt, const char* p) {
  char buf[64];
  auto num = [&](double v) -> std::string {
    if (std::isnan(v)) return "\"nan\"";
    if (std::isinf(v)) return v > 0 ? "\"inf\"" : "\"-inf\"";
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
  };
  switch (dt) {
    case DType::kFloat32: { float v; std::memcpy(&v, p, 4); return num(v); }
    case DType::kFloat64: { double v; std::memcpy(&v, p, 8); std::snprintf(buf, sizeof buf, "%.17g", v); return std::isfinite(v) ? buf : num(v); }
    case DType::kFloat16: { uint16_t v; std::memcpy(&v, p, 2); return num(half_to_float(v)); }
    case DType::kBFloat16: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      const uint32_t bits = uint32_t{v} << 16;
      float f;
      std::memcpy(&f, &bits, 4);
      return num(f);
    }
    case DType::kBool: return p[0] ? "1" : "0";
    case DType::kInt8: return std::to_string(static_cast<int8_t>(p[0]));
    case DType::kUInt8: return std::to_string(static_cast<uint8_t>(p[0]));
    case DType::kInt16: { int16_t v; std::memcpy(&v, p, 2); return std::to_string(v); }
    case DType::kUInt16: { uint16_t v; std::memcpy(&v, p, 2); return std::to_string(v); }
    case DType::kInt32: { int32_t v; std::memcpy(&v, p, 4); return std::to_string(v); }
    case DType::kUInt32: { uint32_t v; std::memcpy(&v, p, 4); return std::to_string(v); }
    case DType::kInt64: { int64_t v; std::memcpy(&v, p, 8); return "\"" + std::to_string(v) + "\""; }
    case DType::kUInt64: { uint64_t v; std::memcpy(&v, p, 8); return "\"" + std::to_string(v) + "\""; }
    default: return "null";
  }
}

// `extra` is inserted after the data (", \"check\": ..."), or empty.
inline std::string json_tensor(const HloConstant& c, const std::string& extra = "") {
  std::ostringstream o;
  o << "{\"dtype\": \"" << dtype_name(c.dtype) << "\", \"shape\": [";
  for (size_t k = 0; k < c.shape.size(); ++k) o << (k ? ", " : "") << c.shape[k];
  o << "], \"data\": [";
  const int es = dtype_size(c.dtype);
  for (size_t k = 0; es > 0 && k * es < c.bytes.size(); ++k) o << (k ? ", " : "") << json_value(c.dtype, c.bytes.data() + k * es);
  o << "]" << extra << "}";
  return o.str();
}

inline std::string json_string(const std::string& s) {
  std::string o = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      o += '\\';
      o += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(ch));
      o += buf;
    } else {
      o += ch;
    }
  }
  return o + "\"";
}

}  // namespace tflc::hlo_case
