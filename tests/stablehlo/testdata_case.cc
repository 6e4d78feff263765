// Turns one of StableHLO's testdata files (stablehlo/testdata/*.mlir: a
// @main that calls @inputs and @expected and checks with check.expect_*)
// into a test case: OUTDIR/model.tflite converts the function under test
// with the @inputs values as the graph's inputs, and OUTDIR/case.json holds
// those inputs, the expected outputs and the check. check_testdata.mjs runs
// the case in LiteRT.js.
//   stablehlo_testdata_case FILE.mlir OUTDIR
// Exit 0 with the case written, 1 with one line when it does not convert.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "frontends/stablehlo/stablehlo.h"
#include "ops/op_util.h"
#include "passes/passes.h"
#include "support/file.h"
#include "support/half.h"
#include "tflite/writer.h"

namespace {

std::string json_value(tflc::DType dt, const char* p) {
  char buf[64];
  auto num = [&](double v) -> std::string {
    if (std::isnan(v)) return "\"nan\"";
    if (std::isinf(v)) return v > 0 ? "\"inf\"" : "\"-inf\"";
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
  };
  switch (dt) {
    case tflc::DType::kFloat32: { float v; std::memcpy(&v, p, 4); return num(v); }
    case tflc::DType::kFloat64: { double v; std::memcpy(&v, p, 8); std::snprintf(buf, sizeof buf, "%.17g", v); return std::isfinite(v) ? buf : num(v); }
    case tflc::DType::kFloat16: { uint16_t v; std::memcpy(&v, p, 2); return num(tflc::half_to_float(v)); }
    case tflc::DType::kBool: return p[0] ? "1" : "0";
    case tflc::DType::kInt8: return std::to_string(static_cast<int8_t>(p[0]));
    case tflc::DType::kUInt8: return std::to_string(static_cast<uint8_t>(p[0]));
    case tflc::DType::kInt16: { int16_t v; std::memcpy(&v, p, 2); return std::to_string(v); }
    case tflc::DType::kUInt16: { uint16_t v; std::memcpy(&v, p, 2); return std::to_string(v); }
    case tflc::DType::kInt32: { int32_t v; std::memcpy(&v, p, 4); return std::to_string(v); }
    case tflc::DType::kUInt32: { uint32_t v; std::memcpy(&v, p, 4); return std::to_string(v); }
    // 64-bit values as strings, so JavaScript reads them exactly (BigInt).
    case tflc::DType::kInt64: { int64_t v; std::memcpy(&v, p, 8); return "\"" + std::to_string(v) + "\""; }
    case tflc::DType::kUInt64: { uint64_t v; std::memcpy(&v, p, 8); return "\"" + std::to_string(v) + "\""; }
    default: return "null";
  }
}

std::string json_tensor(const tflc::HloConstant& c) {
  std::ostringstream o;
  o << "{\"dtype\": \"" << tflc::dtype_name(c.dtype) << "\", \"shape\": [";
  for (size_t k = 0; k < c.shape.size(); ++k) o << (k ? ", " : "") << c.shape[k];
  o << "], \"data\": [";
  const int es = tflc::dtype_size(c.dtype);
  for (size_t k = 0; es > 0 && k * es < c.bytes.size(); ++k) o << (k ? ", " : "") << json_value(c.dtype, c.bytes.data() + k * es);
  o << "]}";
  return o.str();
}

int fail(const tflc::Status& s) {
  std::fprintf(stderr, "%s\n", s.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: stablehlo_testdata_case FILE.mlir OUTDIR\n");
    return 2;
  }
  const std::string file = argv[1], out = argv[2];
  auto text = tflc::read_file_bytes(file, "StableHLO testdata file");
  if (!text.ok()) return fail(text.status());
  auto td = tflc::read_stablehlo_testdata(*text, file);
  if (!td.ok()) return fail(td.status());
  tflc::StablehloImportOptions o;
  o.path = file;
  o.content = *text;
  o.testdata_inputs = true;
  auto model = tflc::import_stablehlo(o);
  if (!model.ok()) return fail(model.status());
  tflc::PipelineOptions popt;
  if (tflc::Status s = tflc::run_pipeline(*model, popt); !s.ok()) return fail(s);
  auto bytes = tflc::write_tflite(*model);
  if (!bytes.ok()) return fail(bytes.status());
  if (tflc::Status s = tflc::write_file_atomic(out + "/model.tflite", *bytes); !s.ok()) return fail(s);
  std::ostringstream j;
  j << "{\"check\": \"" << td->check << "\", \"tolerance\": " << td->tolerance << ", \"max_ulp\": " << td->max_ulp
    << ",\n \"inputs\": [";
  for (size_t k = 0; k < td->inputs.size(); ++k) j << (k ? ",\n  " : "") << json_tensor(td->inputs[k]);
  j << "],\n \"expected\": [";
  for (size_t k = 0; k < td->expected.size(); ++k) j << (k ? ",\n  " : "") << json_tensor(td->expected[k]);
  j << "]}\n";
  if (tflc::Status s = tflc::write_file_atomic(out + "/case.json", j.str()); !s.ok()) return fail(s);
  return 0;
}
