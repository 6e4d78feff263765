// A Keras file through the whole conversion, as tflite_convert
// --keras_model_file runs it: .h5 (HDF5) or .keras (zip with config.json and
// model.weights.h5), chosen by TFLC_FUZZ_EXT. The format is detected from the
// content, so either target also reaches the other reader.
#include "api/converter.h"
#include "frontends/keras/keras_file.h"
#include "fuzz_util.h"

// In this process, not the forked child read_keras_model_file normally uses:
// a crash must reach libFuzzer as a crash.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  tflc::set_keras_reader_isolation(false);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tflc::ConvertOptions o;
  o.keras_model_file = tflc_fuzz::write_file(std::string("model") + TFLC_FUZZ_EXT,
                                             std::string_view(reinterpret_cast<const char*>(data), size));
  (void)tflc::convert(o);
  return 0;
}
