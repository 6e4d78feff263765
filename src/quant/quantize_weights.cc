#include "quant/stages.h"

namespace tflc {

Status quantize_weights_dynamic_range(Model&) { return unsupported("not supported yet: dynamic range quantization"); }
Status quantize_weights_float16(Model&) { return unsupported("not supported yet: float16 quantization"); }

}  // namespace tflc
