// ConvLSTM2D pieces shared with the Bidirectional wrapper of recurrent.cc.
#pragma once

#include "frontends/keras/layer_registry.h"

namespace tflc {

// Bidirectional(ConvLSTM2D): Keras' semantics (forward copy's outputs as
// produced, the backward copy's sequence reversed, merged on axis -1).
// Weights: the forward layer's kernel, recurrent_kernel, bias, then the
// backward layer's.
Expected<std::vector<TensorId>> lower_conv_lstm_bidirectional(KerasLayerContext& ctx);

}  // namespace tflc
