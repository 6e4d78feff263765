// Keras activations without a single TFLite builtin, composed from
// elementwise builtins (see activations_more.cc).
#pragma once

#include <string>

#include "frontends/keras/layer_registry.h"

namespace tflc {

// hard_sigmoid (Keras 1/2: clip(0.2x+0.5, 0, 1); Keras 3: relu6(x+3)/6 —
// chosen by keras_version, unsupported when it is ""), hard_silu/hard_swish,
// gelu (exact), selu, softplus, softsign, mish, log_sigmoid, log_softmax,
// hard_tanh, celu, tanh_shrink, squareplus, soft_shrink, hard_shrink (the
// Keras defaults of their parameters, which a name string always has).
// Other names: unsupported.
Expected<TensorId> keras_activation_extra(KerasLayerContext& ctx, TensorId x, const std::string& name,
                                          const std::string& keras_version = "");
// GELU, exact (erf) or the tanh approximation.
Expected<TensorId> keras_gelu(KerasLayerContext& ctx, TensorId x, bool approximate);

}  // namespace tflc
