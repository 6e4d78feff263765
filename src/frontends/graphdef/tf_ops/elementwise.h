// Helpers shared by the elementwise, activation and creation lowerings.
#pragma once

#include <string>
#include <vector>

#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {

// A scalar constant of `dtype` (float, integer or bool) holding v.
TensorId scalar_const(TfNodeContext& ctx, DType dtype, double v, const std::string& suffix);

}  // namespace tflc
