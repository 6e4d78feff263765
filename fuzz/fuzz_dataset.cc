// Representative datasets: .npy bytes (parse_npy) and .npz archives
// (read_representative_dataset, through libzip).
#include "fuzz_util.h"
#include "quant/dataset.h"
#include "quant/stages.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)tflc::parse_npy(bytes, "x.npy");
  (void)tflc::read_representative_dataset(tflc_fuzz::write_file("data.npz", bytes));
  return 0;
}
