// A SavedModel directory through the whole conversion: the input is split
// (fuzz_util.h) into saved_model.pb, variables/variables.index and
// variables/variables.data-00000-of-00001.
#include <filesystem>

#include "api/converter.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = tflc_fuzz::split_parts(data, size, 3);
  std::string pb = tflc_fuzz::write_file("sm/saved_model.pb", parts[0]);
  tflc_fuzz::write_file("sm/variables/variables.index", parts[1]);
  tflc_fuzz::write_file("sm/variables/variables.data-00000-of-00001", parts[2]);
  tflc::ConvertOptions o;
  o.saved_model_dir = std::filesystem::path(pb).parent_path().string();
  (void)tflc::convert(o);
  return 0;
}
