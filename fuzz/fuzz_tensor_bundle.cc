// The checkpoint reader on its own: SSTable index + one data shard (split by
// fuzz_util.h), every variable's info and bytes read.
#include "frontends/saved_model/sstable.h"
#include "frontends/saved_model/tensor_bundle.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parts = tflc_fuzz::split_parts(data, size, 2);
  (void)tflc::SsTable::parse(parts[0], "index");
  std::string index = tflc_fuzz::write_file("ckpt/v.index", parts[0]);
  tflc_fuzz::write_file("ckpt/v.data-00000-of-00001", parts[1]);
  auto bundle = tflc::TensorBundle::open(index.substr(0, index.size() - 6));
  if (!bundle.ok()) return 0;
  for (const std::string& key : bundle->keys()) {
    (void)bundle->info(key);
    (void)bundle->read(key);
  }
  return 0;
}
