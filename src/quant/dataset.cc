#include "quant/stages.h"

namespace tflc {

Expected<Dataset> read_representative_dataset(const std::string& path) {
  return unsupported("not supported yet: reading the representative dataset '" + path + "'");
}

}  // namespace tflc
