// HDF5 through the library's file-image API (how .keras weights are opened):
// every group walked, string attributes and datasets read under a budget.
#include <functional>

#include "frontends/keras/h5_file.h"
#include "fuzz_util.h"

namespace {
void walk(int64_t group, int depth, tflc::H5ReadBudget& budget) {
  if (depth > 8) return;
  for (const char* attr : {"model_config", "keras_version", "backend", "name", "class_name"})
    (void)tflc::h5_string_attr(group, attr);
  (void)tflc::h5_string_list_attr(group, "weight_names");
  (void)tflc::h5_string_list_attr(group, "layer_names");
  auto children = tflc::h5_list_children(group);
  if (!children.ok()) return;
  for (const tflc::H5Child& c : *children) {
    if (c.kind == tflc::H5ChildKind::kDataset) {
      (void)tflc::h5_read_array(group, c.name, c.name, budget);
    } else if (c.kind == tflc::H5ChildKind::kGroup) {
      auto g = tflc::h5_open_group(group, c.name);
      if (g.ok()) walk(g->get(), depth + 1, budget);
    }
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string image(reinterpret_cast<const char*>(data), size);
  auto file = tflc::H5File::open_image(image, "fuzz.h5");
  if (!file.ok()) return 0;
  tflc::H5ReadBudget budget{uint64_t{64} << 20, "raise the budget"};
  walk(file->id(), 0, budget);
  return 0;
}
