// The .npy reader behind read_representative_dataset (stages.h), exposed for
// unit tests.
#pragma once

#include <string>
#include <string_view>

#include "quant/stages.h"

namespace tflc {

// Parses one .npy file (format versions 1.0, 2.0 and 3.0; little-endian
// C-order arrays of the dtypes a dataset can hold). `what` names the file
// in error messages.
Expected<NdArray> parse_npy(std::string_view bytes, const std::string& what);

}  // namespace tflc
