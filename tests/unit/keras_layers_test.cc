// Keras layers of conv_more/normalization/activations_more/reshaping.cc:
// each layer is lowered on a constant input, so every op folds through the
// reference kernels, and the result is compared with values worked out by
// hand; a dynamic-batch input checks the inferred shapes of the emitted ops.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "frontends/keras/layer_registry.h"
#include "frontends/keras/layers/activations_more.h"

namespace tflc {
namespace {

using json = nlohmann::json;

KerasArray arr(Shape shape, const std::vector<float>& v) {
  return KerasArray{std::string(1, 'w'), DType::kFloat32, std::move(shape), to_bytes(v)};
}

struct Result {
  Status status = ok_status();
  Shape shape;
  std::vector<float> values;  // empty unless the output folded
};

// Lowers one layer of class `cls` on input x (constant, or a graph input when
// values are empty) and reads its first output.
Result run(const std::string& cls, const json& config, const std::vector<KerasArray>& weights, Shape shape,
           const std::vector<float>& values) {
  Graph g;
  TensorId x;
  if (values.empty()) {
    Tensor t;
    t.name = "x";
    t.shape = shape;
    x = g.add_tensor(t);
    g.inputs.push_back(x);
  } else {
    x = g.add_const("x", DType::kFloat32, shape, to_bytes(values));
  }
  KerasLowerFn fn = find_keras_layer(cls);
  Result r;
  if (!fn) {
    r.status = invalid_input("no layer " + cls);
    return r;
  }
  KerasLayerContext ctx(g, "layer", cls, config, weights, {x}, kDefaultFoldBudget);
  auto outs = fn(ctx);
  if (!outs.ok()) {
    r.status = outs.status();
    return r;
  }
  const Tensor& y = g.t((*outs)[0]);
  r.shape = y.shape;
  if (y.is_const()) {
    r.values.resize(static_cast<size_t>(y.num_elements()));
    std::memcpy(r.values.data(), y.data->data(), r.values.size() * 4);
  }
  return r;
}

void expect_values(const Result& r, const Shape& shape, const std::vector<float>& want, float tol = 1e-5f) {
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, shape);
  ASSERT_EQ(r.values.size(), want.size()) << "output did not fold";
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(r.values[i], want[i], tol) << "at " << i;
}

// ------------------------------------------------------------ conv_more ----

TEST(KerasLayers, Conv1DValidAndCausal) {
  std::vector<KerasArray> w = {arr({2, 1, 1}, {1, 10}), arr({1}, {0.5f})};
  expect_values(run("Conv1D", {{"padding", "valid"}}, w, {1, 4, 1}, {1, 2, 3, 4}), {1, 3, 1}, {21.5f, 32.5f, 43.5f});
  expect_values(run("Conv1D", {{"padding", "causal"}}, w, {1, 4, 1}, {1, 2, 3, 4}), {1, 4, 1},
                {10.5f, 21.5f, 32.5f, 43.5f});
  expect_values(run("Conv1D", {{"padding", "same"}, {"strides", 2}}, w, {1, 4, 1}, {1, 2, 3, 4}), {1, 2, 1},
                {21.5f, 43.5f});
}

TEST(KerasLayers, Conv1DChannelsAndDynamicBatch) {
  // kernel[0][i][o]: y_o = sum_i x_i w[i][o]
  std::vector<KerasArray> w = {arr({1, 2, 2}, {1, 2, 3, 4})};
  expect_values(run("Conv1D", {{"use_bias", false}}, w, {1, 1, 2}, {1, 2}), {1, 1, 2}, {7, 10});
  Result r = run("Conv1D", {{"padding", "causal"}, {"dilation_rate", 2}}, {arr({2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}),
                                                                         arr({2}, {0, 0})},
                 {-1, 5, 2}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 5, 2}));
}

TEST(KerasLayers, Conv2DTranspose) {
  // stride 2, kernel 2x2: out[2i+a][2j+b] = x[i][j] * k[a][b]
  std::vector<KerasArray> w = {arr({2, 2, 1, 1}, {1, 2, 3, 4}), arr({1}, {0})};
  expect_values(run("Conv2DTranspose", {{"strides", 2}, {"padding", "valid"}}, w, {1, 2, 2, 1}, {1, 2, 3, 4}),
                {1, 4, 4, 1}, {1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16});
  // kernel [kh, kw, out, in]: two output channels from one input, with bias.
  std::vector<KerasArray> w2 = {arr({1, 1, 2, 1}, {2, 3}), arr({2}, {1, -1})};
  expect_values(run("Conv2DTranspose", {{"padding", "same"}}, w2, {1, 1, 2, 1}, {1, 2}), {1, 1, 2, 2},
                {3, 2, 5, 5});
  Result r = run("Conv2DTranspose", {{"strides", 2}, {"padding", "same"}}, w, {-1, 3, 3, 1}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 6, 6, 1}));
  // output_padding must stay below the strides.
  r = run("Conv2DTranspose", {{"output_padding", {1, 1}}}, w, {1, 2, 2, 1}, {1, 2, 3, 4});
  EXPECT_FALSE(r.status.ok());
  // valid, stride 2, output_padding 1: (2-1)*2 + 2 + 1 = 5; the last row and
  // column get no input.
  expect_values(run("Conv2DTranspose", {{"strides", 2}, {"output_padding", {1, 0}}}, w, {1, 2, 1, 1}, {1, 2}),
                {1, 5, 2, 1}, {1, 2, 3, 4, 2, 4, 6, 8, 0, 0});
  r = run("Conv2DTranspose", {{"strides", 2}, {"dilation_rate", 2}}, w, {1, 2, 2, 1}, {1, 2, 3, 4});
  EXPECT_FALSE(r.status.ok());
}

TEST(KerasLayers, SeparableConv) {
  expect_values(run("SeparableConv2D", {}, {arr({1, 1, 2, 1}, {2, 3}), arr({1, 1, 2, 1}, {1, 10}), arr({1}, {1})},
                    {1, 1, 1, 2}, {1, 2}),
                {1, 1, 1, 1}, {63});
  expect_values(run("SeparableConv1D", {}, {arr({1, 1, 1}, {2}), arr({1, 1, 1}, {3}), arr({1}, {0.5f})}, {1, 2, 1},
                    {1, 2}),
                {1, 2, 1}, {6.5f, 12.5f});
  // depth_multiplier 2: channel c feeds depthwise outputs 2c, 2c+1.
  expect_values(run("SeparableConv2D", {{"depth_multiplier", 2}, {"use_bias", false}},
                    {arr({1, 1, 1, 2}, {2, 3}), arr({1, 1, 2, 1}, {1, 10})}, {1, 1, 1, 1}, {1}),
                {1, 1, 1, 1}, {32});
}

TEST(KerasLayers, Conv1DTransposeAndDepthwiseConv1D) {
  expect_values(run("Conv1DTranspose", {{"strides", 2}, {"use_bias", false}}, {arr({2, 1, 1}, {1, 10})}, {1, 2, 1},
                    {1, 2}),
                {1, 4, 1}, {1, 10, 2, 20});
  Result r = run("Conv1DTranspose", {{"strides", 2}, {"padding", "same"}}, {arr({3, 2, 1}, {1, 2, 3, 4, 5, 6}),
                                                                         arr({2}, {0, 0})},
                 {-1, 5, 1}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 10, 2}));
  expect_values(run("DepthwiseConv1D", {{"use_bias", false}}, {arr({2, 2, 1}, {1, 2, 3, 4})}, {1, 3, 2},
                    {1, 2, 3, 4, 5, 6}),
                {1, 2, 2}, {10, 20, 18, 32});
}

TEST(KerasLayers, Conv3D) {
  expect_values(run("Conv3D", {}, {arr({2, 1, 1, 1, 1}, {3, 4}), arr({1}, {1})}, {1, 2, 1, 1, 1}, {1, 2}),
                {1, 1, 1, 1, 1}, {12});
}

// -------------------------------------------------------- normalization ----

TEST(KerasLayers, LayerNormalization) {
  double sd = std::sqrt(1.25 + 1e-3);
  std::vector<float> want;
  float gamma[4] = {1, 1, 1, 2}, beta[4] = {0, 0, 0, 1};
  for (int i = 0; i < 4; ++i) want.push_back(static_cast<float>((i + 1 - 2.5) / sd * gamma[i] + beta[i]));
  expect_values(run("LayerNormalization", {{"axis", -1}, {"epsilon", 1e-3}},
                    {arr({4}, {1, 1, 1, 2}), arr({4}, {0, 0, 0, 1})}, {1, 4}, {1, 2, 3, 4}),
                {1, 4}, want);
  // Over two axes, no scale/center; rows of [1,2,2]: all four values together.
  expect_values(run("LayerNormalization", {{"axis", {1, 2}}, {"epsilon", 0.0}, {"scale", false}, {"center", false}},
                    {}, {1, 2, 2}, {1, 2, 3, 4}),
                {1, 2, 2}, {static_cast<float>(-1.5 / std::sqrt(1.25)), static_cast<float>(-0.5 / std::sqrt(1.25)),
                            static_cast<float>(0.5 / std::sqrt(1.25)), static_cast<float>(1.5 / std::sqrt(1.25))});
}

TEST(KerasLayers, Normalization) {
  std::vector<KerasArray> w = {arr({2}, {1, 2}), arr({2}, {4, 9}), arr({}, {5})};
  expect_values(run("Normalization", {{"axis", -1}}, w, {1, 2}, {3, 8}), {1, 2}, {1, 2});
  expect_values(run("Normalization", {{"axis", -1}, {"invert", true}}, w, {1, 2}, {1, 2}), {1, 2}, {3, 8});
  expect_values(run("Normalization", {{"mean", 1.0}, {"variance", 4.0}}, {}, {1, 2}, {3, 5}), {1, 2}, {1, 2});
}

// ------------------------------------------------------- activations ----

TEST(KerasLayers, PReLUEluThresholded) {
  expect_values(run("PReLU", {}, {arr({4}, {0.1f, 0.2f, 0.3f, 0.4f})}, {1, 4}, {-2, -1, 1, 2}), {1, 4},
                {-0.2f, -0.2f, 1, 2});
  expect_values(run("ELU", {{"alpha", 2.0}}, {}, {1, 2}, {-1, 1}), {1, 2}, {static_cast<float>(2 * (std::exp(-1.0) - 1)), 1});
  expect_values(run("ELU", {}, {}, {1, 2}, {-1, 1}), {1, 2}, {static_cast<float>(std::exp(-1.0) - 1), 1});
  expect_values(run("ThresholdedReLU", {{"theta", 1.0}}, {}, {1, 3}, {0.5f, 1, 1.5f}), {1, 3}, {0, 0, 1.5f});
}

// Applies keras_activation_extra to a constant.
Result extra(const std::string& name, const std::vector<float>& v, const std::string& version = "2.13.1") {
  Graph g;
  TensorId x = g.add_const("x", DType::kFloat32, {static_cast<int64_t>(v.size())}, to_bytes(v));
  json config = json::object();
  std::vector<KerasArray> none;
  KerasLayerContext ctx(g, "act", "Activation", config, none, {x}, kDefaultFoldBudget);
  Result r;
  auto y = keras_activation_extra(ctx, x, name, version);
  if (!y.ok()) {
    r.status = y.status();
    return r;
  }
  r.shape = g.t(*y).shape;
  r.values.resize(v.size());
  if (g.t(*y).is_const()) std::memcpy(r.values.data(), g.t(*y).data->data(), v.size() * 4);
  return r;
}

TEST(KerasLayers, ExtraActivations) {
  std::vector<float> xs = {-3, -1, -0.25f, 0, 0.5f, 2, 4};
  Shape s = {7};
  auto each = [&](double (*f)(double)) {
    std::vector<float> out;
    for (float x : xs) out.push_back(static_cast<float>(f(x)));
    return out;
  };
  expect_values(extra("gelu", xs), s, each([](double x) { return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))); }), 2e-6f);
  expect_values(extra("selu", xs), s, each([](double x) {
                  return 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (std::exp(x) - 1));
                }));
  expect_values(extra("softplus", xs), s, each([](double x) { return std::log1p(std::exp(x)); }));
  expect_values(extra("softplus", {-100, 100}), {2}, {0, 100});
  expect_values(extra("softsign", xs), s, each([](double x) { return x / (1 + std::fabs(x)); }));
  expect_values(extra("hard_sigmoid", xs, "2.13.1"), s,
                each([](double x) { return std::min(1.0, std::max(0.0, 0.2 * x + 0.5)); }));
  expect_values(extra("hard_sigmoid", xs, "3.3.3"), s,
                each([](double x) { return std::min(6.0, std::max(0.0, x + 3)) / 6; }));
  expect_values(extra("hard_silu", xs, "3.3.3"), s,
                each([](double x) { return x * std::min(6.0, std::max(0.0, x + 3)) / 6; }));
  expect_values(extra("mish", xs), s, each([](double x) { return x * std::tanh(std::log1p(std::exp(x))); }));
  expect_values(extra("log_sigmoid", xs), s, each([](double x) { return -std::log1p(std::exp(-x)); }));
  expect_values(extra("hard_tanh", xs), s, each([](double x) { return std::min(1.0, std::max(-1.0, x)); }));
  expect_values(extra("celu", xs), s, each([](double x) { return x > 0 ? x : std::exp(x) - 1; }));
  expect_values(extra("tanh_shrink", xs), s, each([](double x) { return x - std::tanh(x); }));
  expect_values(extra("squareplus", xs), s, each([](double x) { return (x + std::sqrt(x * x + 4)) / 2; }));
  expect_values(extra("soft_shrink", xs), s,
                each([](double x) { return x > 0.5 ? x - 0.5 : (x < -0.5 ? x + 0.5 : 0.0); }));
  expect_values(extra("hard_shrink", xs), s, each([](double x) { return std::fabs(x) > 0.5 ? x : 0.0; }));
  {
    Result ls = extra("log_softmax", {1, 2, 3});
    double z = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
    expect_values(ls, {3}, {static_cast<float>(1 - z), static_cast<float>(2 - z), static_cast<float>(3 - z)});
  }
  EXPECT_FALSE(extra("hard_sigmoid", xs, "").status.ok());
  EXPECT_FALSE(extra("no_such_activation", xs).status.ok());
}

TEST(KerasLayers, GeluApproximate) {
  Graph g;
  std::vector<float> v = {-2, -0.5f, 0, 1, 3};
  TensorId x = g.add_const("x", DType::kFloat32, {5}, to_bytes(v));
  json config = json::object();
  std::vector<KerasArray> none;
  KerasLayerContext ctx(g, "act", "Activation", config, none, {x}, kDefaultFoldBudget);
  auto y = keras_gelu(ctx, x, true);
  ASSERT_TRUE(y.ok());
  ASSERT_TRUE(g.t(*y).is_const());
  const float* out = g.t(*y).as<float>();
  for (size_t i = 0; i < v.size(); ++i) {
    double z = v[i];
    double want = 0.5 * z * (1 + std::tanh(std::sqrt(2 / M_PI) * (z + 0.044715 * z * z * z)));
    EXPECT_NEAR(out[i], want, 1e-5);
  }
}

// ----------------------------------------------------------- reshaping ----

TEST(KerasLayers, PermuteRepeatVector) {
  expect_values(run("Permute", {{"dims", {2, 1}}}, {}, {1, 2, 3}, {1, 2, 3, 4, 5, 6}), {1, 3, 2}, {1, 4, 2, 5, 3, 6});
  EXPECT_FALSE(run("Permute", {{"dims", {1, 1}}}, {}, {1, 2, 3}, {1, 2, 3, 4, 5, 6}).status.ok());
  expect_values(run("RepeatVector", {{"n", 3}}, {}, {1, 2}, {1, 2}), {1, 3, 2}, {1, 2, 1, 2, 1, 2});
}

TEST(KerasLayers, UpSampling) {
  expect_values(run("UpSampling1D", {{"size", 2}}, {}, {1, 2, 1}, {1, 2}), {1, 4, 1}, {1, 1, 2, 2});
  expect_values(run("UpSampling2D", {{"size", {1, 2}}}, {}, {1, 1, 2, 1}, {1, 2}), {1, 1, 4, 1}, {1, 1, 2, 2});
  expect_values(run("UpSampling2D", {{"size", 2}, {"interpolation", "bilinear"}}, {}, {1, 1, 2, 1}, {1, 2}),
                {1, 2, 4, 1}, {1, 1.25f, 1.75f, 2, 1, 1.25f, 1.75f, 2});
  Result r = run("UpSampling1D", {{"size", 3}}, {}, {-1, 2, 4}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 6, 4}));
}

TEST(KerasLayers, PaddingAndCropping) {
  expect_values(run("ZeroPadding1D", {{"padding", {1, 2}}}, {}, {1, 2, 1}, {1, 2}), {1, 5, 1}, {0, 1, 2, 0, 0});
  expect_values(run("Cropping1D", {{"cropping", {1, 0}}}, {}, {1, 3, 1}, {1, 2, 3}), {1, 2, 1}, {2, 3});
  expect_values(run("Cropping2D", {{"cropping", {{1, 0}, {0, 1}}}}, {}, {1, 2, 3, 1}, {1, 2, 3, 4, 5, 6}),
                {1, 1, 2, 1}, {4, 5});
  expect_values(run("Cropping2D", {{"cropping", 1}}, {}, {1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}), {1, 1, 1, 1},
                {5});
  Result r = run("Cropping2D", {{"cropping", {{1, 0}, {0, 1}}}}, {}, {-1, 4, 4, 3}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 3, 3, 3}));
  EXPECT_FALSE(run("Cropping1D", {{"cropping", {2, 1}}}, {}, {1, 3, 1}, {1, 2, 3}).status.ok());
}

TEST(KerasLayers, ThreeD) {
  expect_values(run("ZeroPadding3D", {{"padding", {{1, 0}, {0, 0}, {0, 1}}}}, {}, {1, 1, 1, 1, 1}, {5}),
                {1, 2, 1, 2, 1}, {0, 0, 5, 0});
  std::vector<float> v(27);
  for (int i = 0; i < 27; ++i) v[i] = static_cast<float>(i);
  expect_values(run("Cropping3D", {{"cropping", 1}}, {}, {1, 3, 3, 3, 1}, v), {1, 1, 1, 1, 1}, {13});
  expect_values(run("GlobalAveragePooling3D", {}, {}, {1, 1, 2, 1, 2}, {1, 2, 3, 4}), {1, 2}, {2, 3});
  // 2x2x2 cube 0..7 (+ a second channel of negatives): one window.
  std::vector<float> cube;
  for (int i = 0; i < 8; ++i) cube.insert(cube.end(), {static_cast<float>(i), static_cast<float>(-i)});
  expect_values(run("MaxPooling3D", {}, {}, {1, 2, 2, 2, 2}, cube), {1, 1, 1, 1, 2}, {7, 0});
  expect_values(run("AveragePooling3D", {}, {}, {1, 2, 2, 2, 2}, cube), {1, 1, 1, 1, 2}, {3.5f, -3.5f});
  // same padding, stride 1 on a 1x1x2 input: windows hold 2 then 1 elements.
  expect_values(run("AveragePooling3D", {{"strides", 1}, {"padding", "same"}}, {}, {1, 1, 1, 2, 1}, {1, 2}),
                {1, 1, 1, 2, 1}, {1.5f, 2});
  Result r = run("MaxPooling3D", {{"pool_size", {2, 3, 1}}, {"strides", {1, 3, 2}}}, {}, {-1, 4, 6, 5, 3}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 3, 2, 3, 3}));
  expect_values(run("UpSampling3D", {{"size", {2, 1, 3}}}, {}, {1, 1, 2, 1, 1}, {1, 2}), {1, 2, 2, 3, 1},
                {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2});
  r = run("UpSampling3D", {}, {}, {-1, 2, 3, 4, 5}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 4, 6, 8, 5}));
  expect_values(run("GlobalMaxPooling3D", {}, {}, {1, 1, 2, 1, 2}, {1, 2, 3, 4}), {1, 2}, {3, 4});
}

TEST(KerasLayers, Pooling1D) {
  expect_values(run("MaxPooling1D", {{"pool_size", 2}}, {}, {1, 4, 1}, {1, 3, 2, 4}), {1, 2, 1}, {3, 4});
  expect_values(run("AveragePooling1D", {{"pool_size", {2}}, {"strides", {1}}}, {}, {1, 4, 1}, {1, 3, 2, 4}),
                {1, 3, 1}, {2, 2.5f, 3});
  expect_values(run("GlobalAveragePooling1D", {}, {}, {1, 2, 2}, {1, 2, 3, 4}), {1, 2}, {2, 3});
  expect_values(run("GlobalMaxPooling1D", {{"keepdims", true}}, {}, {1, 2, 2}, {1, 2, 3, 4}), {1, 1, 2}, {3, 4});
  Result r = run("MaxPooling1D", {{"pool_size", 2}, {"padding", "same"}}, {}, {-1, 5, 3}, {});
  ASSERT_TRUE(r.status.ok()) << r.status.message();
  EXPECT_EQ(r.shape, (Shape{-1, 3, 3}));
}

TEST(KerasLayers, Keras1Forms) {
  // Keras 1: UpSampling1D(length=3); dim_ordering "th" is channels first.
  expect_values(run("UpSampling1D", {{"length", 3}}, {}, {1, 1, 1}, {7}), {1, 3, 1}, {7, 7, 7});
  Result r = run("UpSampling2D", {{"size", {2, 2}}, {"dim_ordering", "th"}}, {}, {1, 1, 2, 2}, {1, 2, 3, 4});
  EXPECT_FALSE(r.status.ok());
  EXPECT_EQ(find_keras_layer("Convolution1D"), nullptr);  // other keys and kernel layout
}

TEST(KerasLayers, LambdaIsAnError) {
  Result r = run("Lambda", {{"function", "4wEAAAAA"}}, {}, {1, 2}, {1, 2});
  ASSERT_FALSE(r.status.ok());
  EXPECT_NE(r.status.message().find("Lambda layer 'layer' holds Python bytecode"), std::string::npos);
}

}  // namespace
}  // namespace tflc
