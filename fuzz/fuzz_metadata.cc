// TFLite Metadata (src/metadata): a .tflite's metadata buffer and packed
// files read and printed as JSON; input starting with '{' is metadata JSON
// parsed into a buffer instead (tflite_metadata write's input).
#include "fuzz_util.h"
#include "metadata/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (size > 0 && data[0] == '{') {
    auto md = tflc::metadata_from_json(bytes, "metadata.json");
    if (md.ok()) {
      (void)tflc::metadata_to_json(*md);
      (void)tflc::min_parser_version(*md);
      (void)tflc::recorded_associated_files(*md);
    }
    return 0;
  }
  auto model = tflc::ModelFile::read(std::move(bytes), "fuzz.tflite");
  if (!model.ok()) return 0;
  auto md = model->metadata();
  if (!md.ok() || !*md) return 0;
  (void)tflc::metadata_to_json(**md);
  (void)tflc::min_parser_version(**md);
  (void)tflc::recorded_associated_files(**md);
  return 0;
}
