// StableHLO MLIR text through the whole conversion, as tflite_convert
// --stablehlo_file runs it (parser, importer, legalization, writer).
#include "api/converter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tflc::ConvertOptions o;
  o.stablehlo_content.assign(reinterpret_cast<const char*>(data), size);
  if (o.stablehlo_content.empty()) o.stablehlo_content = " ";
  (void)tflc::convert(o);
  return 0;
}
