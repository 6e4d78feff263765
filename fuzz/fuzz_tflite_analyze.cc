// The .tflite reader behind tflite_analyze.
#include "fuzz_util.h"
#include "tflite/analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tflc::AnalyzeOptions o;
  o.name = "fuzz.tflite";
  (void)tflc::analyze_tflite(std::string_view(reinterpret_cast<const char*>(data), size), o);
  return 0;
}
