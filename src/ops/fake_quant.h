// TensorFlow's FakeQuant nudging (fake_quant_ops_functor.h): the range is
// shifted so that zero is exactly representable on the integer grid.
#pragma once

namespace tflc {

struct FakeQuantRange {
  float min, max, scale;
};

FakeQuantRange nudge_fake_quant_range(float min, float max, int num_bits, bool narrow_range);
// quantize-dequantize of one value on the nudged grid
float fake_quant_value(float x, const FakeQuantRange& r);

}  // namespace tflc
