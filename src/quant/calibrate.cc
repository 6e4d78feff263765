#include "quant/stages.h"

namespace tflc {

Status calibrate(Model&, const Dataset&, const CalibrateOptions&) {
  return unsupported("not supported yet: calibration");
}

}  // namespace tflc
