// erf(x) for float32 from builtins: TFLite has no Erf. Both the TF frontend
// (Erf) and the StableHLO one (chlo.erf) emit it.
#pragma once

#include "ops/ir_builder.h"

namespace tflc {

// TF's CPU kernel evaluates Eigen's generic_fast_erf_float: clamp x to
// [-4, 4], then x * P(x^2) / Q(x^2) with an odd degree-13 numerator and an
// even degree-8 denominator. This builds that same rational function from
// MINIMUM/MAXIMUM/MUL/ADD/DIV, so the result is what TF computes (to float
// rounding), not a further approximation.
Expected<TensorId> emit_erf(IrBuilder& b, TensorId x);

}  // namespace tflc
