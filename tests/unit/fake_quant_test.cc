// FakeQuant nudging and kernel against hand-computed values, and the stage
// that turns FAKE_QUANT ops into recorded ranges.
#include <gtest/gtest.h>

#include "ops/fake_quant.h"
#include "ops/op_util.h"
#include "quant/quantize.h"
#include "quant/stages.h"

namespace tflc {
namespace {

TEST(FakeQuant, NudgesZeroOntoTheGrid) {
  // [-1, 1] on 0..255: scale 2/255; the zero point 1/scale is 127.4999 in
  // float32 (as in TF's kernel), so it rounds to 127.
  FakeQuantRange r = nudge_fake_quant_range(-1.0f, 1.0f, 8, false);
  EXPECT_NEAR(r.scale, 2.0 / 255, 1e-7);
  EXPECT_NEAR(r.min, -127 * 2.0 / 255, 1e-6);
  EXPECT_NEAR(r.max, 128 * 2.0 / 255, 1e-6);
  // 0.5: (0.5 + 0.996078) / scale = 190.75 -> 191 steps above min.
  EXPECT_NEAR(fake_quant_value(0.5f, r), 191 * 2.0 / 255 + r.min, 1e-6);
  EXPECT_FLOAT_EQ(fake_quant_value(0.0f, r), 0.0f);
  EXPECT_NEAR(fake_quant_value(5.0f, r), r.max, 1e-6);  // clamped

  FakeQuantRange relu = nudge_fake_quant_range(0.0f, 6.0f, 8, false);
  EXPECT_FLOAT_EQ(relu.min, 0.0f);
  EXPECT_NEAR(relu.max, 6.0f, 1e-6);
  EXPECT_FLOAT_EQ(fake_quant_value(-1.0f, relu), 0.0f);

  // narrow range: 1..255, symmetric [-1, 1] keeps zero point 128 exactly.
  FakeQuantRange n = nudge_fake_quant_range(-1.0f, 1.0f, 8, true);
  EXPECT_NEAR(n.scale, 2.0 / 254, 1e-7);
  EXPECT_NEAR(n.min, -1.0f, 1e-6);
}

TensorId act(Graph& g, const std::string& name, Shape shape) {
  Tensor t;
  t.name = name;
  t.shape = std::move(shape);
  return g.add_tensor(std::move(t));
}

TEST(FakeQuant, AbsorbedIntoRecordedRanges) {
  Model m;
  m.subgraphs.emplace_back();
  Graph& g = m.subgraphs[0];
  TensorId x = act(g, "x", {1, 4}), xq = act(g, "xq", {1, 4}), s = act(g, "s", {1, 4}), y = act(g, "y", {1, 4});
  TensorId c = g.add_const("c", DType::kFloat32, {1, 4}, to_bytes(std::vector<float>{1, 2, 3, 4}));
  tflite::FakeQuantOptionsT in_range;
  in_range.min = -1, in_range.max = 1, in_range.num_bits = 8;
  tflite::FakeQuantOptionsT out_range;
  out_range.min = 0, out_range.max = 6, out_range.num_bits = 8;
  g.add_op(OpCode::FAKE_QUANT, {x}, {xq}, in_range);
  g.add_op(OpCode::ADD, {xq, c}, {s});
  g.add_op(OpCode::FAKE_QUANT, {s}, {y}, out_range);
  g.inputs = {x};
  g.outputs = {y};
  ASSERT_TRUE(has_recorded_ranges(m));
  ASSERT_TRUE(absorb_fake_quant(m).ok());

  ASSERT_EQ(g.ops.size(), 1u);  // only ADD is left, reading x and writing y
  EXPECT_EQ(g.ops[0]->code, OpCode::ADD);
  EXPECT_EQ(g.ops[0]->inputs[0], x);
  EXPECT_EQ(g.ops[0]->outputs[0], y);
  ASSERT_TRUE(g.t(x).quant);
  EXPECT_NEAR(g.t(x).quant->min[0], -127 * 2.0 / 255, 1e-6);
  ASSERT_TRUE(g.t(y).quant);
  EXPECT_NEAR(g.t(y).quant->max[0], 6.0f, 1e-6);
  EXPECT_TRUE(g.t(y).quant->scale.empty());  // a range, not yet parameters
}

TEST(QuantMode, FollowsTfConverterRules) {
  QuantizeOptions o;
  EXPECT_EQ(*choose_quant_mode(o, false), QuantMode::kNone);
  o.optimize = true;
  EXPECT_EQ(*choose_quant_mode(o, false), QuantMode::kDynamicRange);
  EXPECT_EQ(*choose_quant_mode(o, true), QuantMode::kInt8AllowFloat);
  o.supported_types = {"float16"};
  EXPECT_EQ(*choose_quant_mode(o, false), QuantMode::kFloat16);
  o.supported_types = {};
  o.supported_ops = {"TFLITE_BUILTINS_INT8"};
  auto no_data = choose_quant_mode(o, false);
  ASSERT_FALSE(no_data.ok());
  EXPECT_EQ(no_data.status().message(), "For full integer quantization, a `representative_dataset` must be specified.");
  o.representative_dataset = "d.npz";
  EXPECT_EQ(*choose_quant_mode(o, false), QuantMode::kInt8Only);
  o.supported_ops = {"EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8"};
  EXPECT_EQ(*choose_quant_mode(o, false), QuantMode::kInt16x8Only);
  o.supported_ops = {"EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8", "TFLITE_BUILTINS"};
  EXPECT_EQ(*choose_quant_mode(o, false), QuantMode::kInt16x8AllowFloat);
  o.inference_input_type = DType::kInt8;
  EXPECT_FALSE(choose_quant_mode(o, false).ok());  // 16x8 I/O is float32 or int16
  o.supported_ops = {"TFLITE_BUILTINS"};
  EXPECT_EQ(*choose_quant_mode(o, false), QuantMode::kInt8AllowFloat);
  o.optimize = false;
  EXPECT_FALSE(choose_quant_mode(o, false).ok());  // a dataset needs --optimizations
  o.supported_ops = {"NOT_AN_OP_SET"};
  EXPECT_FALSE(choose_quant_mode(o, false).ok());
}

}  // namespace
}  // namespace tflc
