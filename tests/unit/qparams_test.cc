// Quantization parameter math against hand-computed values.
#include <gtest/gtest.h>

#include <limits>

#include "quant/qparams.h"

namespace tflc {
namespace {

TEST(QParams, Int8ActivationZeroToOne) {
  ScaleZp p = int8_activation_params(0.0, 1.0);
  EXPECT_FLOAT_EQ(p.scale, 1.0f / 255);
  EXPECT_EQ(p.zero_point, -128);
}

TEST(QParams, Int8ActivationSymmetricRangeNudgesZeroPoint) {
  // zero point -0.5 from either end; the max end has less error; rounds half away.
  ScaleZp p = int8_activation_params(-1.0, 1.0);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255);
  EXPECT_EQ(p.zero_point, -1);
}

TEST(QParams, Int8ActivationRangeWidenedToZero) {
  ScaleZp pos = int8_activation_params(0.5, 2.0);
  EXPECT_FLOAT_EQ(pos.scale, 2.0f / 255);
  EXPECT_EQ(pos.zero_point, -128);
  ScaleZp neg = int8_activation_params(-3.0, -1.0);
  EXPECT_FLOAT_EQ(neg.scale, 3.0f / 255);
  EXPECT_EQ(neg.zero_point, 127);
}

TEST(QParams, Int8ActivationAsymmetric) {
  // [-1, 3]: scale 4/255, zero point -128 + 63.75 = -64.25 -> -64.
  ScaleZp p = int8_activation_params(-1.0, 3.0);
  EXPECT_FLOAT_EQ(p.scale, 4.0f / 255);
  EXPECT_EQ(p.zero_point, -64);
}

TEST(QParams, AllZeroRange) {
  ScaleZp p = int8_activation_params(0.0, 0.0);
  EXPECT_FLOAT_EQ(p.scale, 1.0f);
  EXPECT_EQ(p.zero_point, -128);
}

TEST(QParams, Int16ActivationSymmetric) {
  ScaleZp p = int16_activation_params(-2.0, 1.0);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 32767);
  EXPECT_EQ(p.zero_point, 0);
}

TEST(QParams, WeightsPerChannelAxis0) {
  auto q = quantize_weights_symmetric({1, -2, 0.5f, 0, 0, 0}, {2, 3}, 0);
  ASSERT_TRUE(q.ok()) << q.status().message();
  ASSERT_EQ(q->scale.size(), 2u);
  EXPECT_FLOAT_EQ(q->scale[0], 2.0f / 127);
  EXPECT_FLOAT_EQ(q->scale[1], 1.0f);  // all-zero channel
  EXPECT_EQ(q->values, (std::vector<int8_t>{64, -127, 32, 0, 0, 0}));
}

TEST(QParams, WeightsPerTensor) {
  auto q = quantize_weights_symmetric({1, -2, 0.5f, 0.25f, 0, 4}, {2, 3}, -1);
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->scale.size(), 1u);
  EXPECT_FLOAT_EQ(q->scale[0], 4.0f / 127);
  EXPECT_EQ(q->values, (std::vector<int8_t>{32, -64, 16, 8, 0, 127}));
}

TEST(QParams, WeightsPerChannelLastAxis) {
  // Depthwise [1,1,2,2], axis 3: channel = index % 2.
  auto q = quantize_weights_symmetric({1, 2, -3, 4}, {1, 1, 2, 2}, 3);
  ASSERT_TRUE(q.ok());
  EXPECT_FLOAT_EQ(q->scale[0], 3.0f / 127);
  EXPECT_FLOAT_EQ(q->scale[1], 4.0f / 127);
  EXPECT_EQ(q->values, (std::vector<int8_t>{42, 64, -127, 127}));
}

TEST(QParams, WeightsRejectBadInput) {
  EXPECT_FALSE(quantize_weights_symmetric({1, 2, 3}, {2, 2}, 0).ok());
  EXPECT_FALSE(quantize_weights_symmetric({1, std::numeric_limits<float>::infinity()}, {2}, 0).ok());
  EXPECT_FALSE(quantize_weights_symmetric({1, 2}, {2}, 1).ok());
}

TEST(QParams, BiasInt32) {
  std::vector<float> s = bias_scales(0.5f, {0.1f, 0.2f});
  EXPECT_FLOAT_EQ(s[0], 0.05f);
  EXPECT_FLOAT_EQ(s[1], 0.1f);
  auto b = quantize_bias_int32({1.0f, -0.26f}, s);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (std::vector<int32_t>{20, -3}));
  auto sat = quantize_bias_int32({1e10f, -1e10f}, {1e-3f});
  ASSERT_TRUE(sat.ok());
  EXPECT_EQ((*sat)[0], std::numeric_limits<int32_t>::max());
  EXPECT_EQ((*sat)[1], std::numeric_limits<int32_t>::min());
  EXPECT_FALSE(quantize_bias_int32({1, 2, 3}, {0.1f, 0.2f}).ok());
}

TEST(QParams, BiasInt64) {
  // Beyond int32: 1e10 / 0.5.
  auto b = quantize_bias_int64({1e10f}, {0.5f});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)[0], 20000000000LL);
}

TEST(QParams, QuantizeValuesRoundsHalfAwayAndClamps) {
  auto q = quantize_values({0.5f, -0.5f, 1000.0f, -1000.0f}, {1.0f, 0}, -128, 127);
  EXPECT_EQ(q, (std::vector<int64_t>{1, -1, 127, -128}));
}

}  // namespace
}  // namespace tflc
