#include "quant/stages.h"

namespace tflc {

Status quantize_integer(Model&, const IntegerQuantOptions&) {
  return unsupported("not supported yet: full integer quantization");
}

}  // namespace tflc
