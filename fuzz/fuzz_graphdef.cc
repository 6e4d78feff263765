// GraphDef through the whole conversion, as tflite_convert --graph_def_file
// runs it. Built twice: binary (.pb) and text (.pbtxt), chosen by TFLC_FUZZ_EXT.
#include "api/converter.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tflc::ConvertOptions o;
  o.graph_def_file = tflc_fuzz::write_file(std::string("model") + TFLC_FUZZ_EXT,
                                           std::string_view(reinterpret_cast<const char*>(data), size));
  (void)tflc::convert(o);
  return 0;
}
