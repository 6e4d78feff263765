// MAX_POOL_2D and AVERAGE_POOL_2D on NHWC tensors. Windows only cover
// in-bounds elements: the average divides by their count, as TFLite does.
#include <algorithm>
#include <limits>

#include "ops/conv_padding.h"
#include "ops/kernels.h"

namespace tflc {
namespace {

using Options = tflite::Pool2DOptionsT;

Status infer_pool(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& x = input(g, op, 0);
  RETURN_IF_ERROR(expect_rank(x, 4, "input"));
  const Options& a = opts<Options>(op);
  if (a.stride_h <= 0 || a.stride_w <= 0) return invalid_input("strides must be positive");
  if (a.filter_height <= 0 || a.filter_width <= 0) return invalid_input("the pooling window must be positive");
  set_output(g, op, 0, x.dtype,
             {x.shape[0], window_out_size(a.padding, x.shape[1], a.filter_height, a.stride_h),
              window_out_size(a.padding, x.shape[2], a.filter_width, a.stride_w), x.shape[3]});
  return ok_status();
}

template <bool kMax>
Status eval_pool(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  Tensor& ot = output(g, op, 0);
  if (xt.dtype != DType::kFloat32)
    return unsupported("not supported yet: evaluating " + op_name(op.code) + " on " + dtype_name(xt.dtype));
  const int64_t n = xt.shape[0], h = xt.shape[1], w = xt.shape[2], c = xt.shape[3];
  const int64_t oh = ot.shape[1], ow = ot.shape[2];
  const Options& a = opts<Options>(op);
  const int64_t pad_h = window_pad_before(a.stride_h, 1, h, a.filter_height, oh);
  const int64_t pad_w = window_pad_before(a.stride_w, 1, w, a.filter_width, ow);
  const float* x = xt.as<float>();
  std::vector<float> r(static_cast<size_t>(n * oh * ow * c));
  std::vector<float> acc(static_cast<size_t>(c));
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox) {
        const int64_t y0 = oy * a.stride_h - pad_h, x0 = ox * a.stride_w - pad_w;
        const int64_t fy_begin = std::max<int64_t>(0, -y0), fy_end = std::min<int64_t>(a.filter_height, h - y0);
        const int64_t fx_begin = std::max<int64_t>(0, -x0), fx_end = std::min<int64_t>(a.filter_width, w - x0);
        std::fill(acc.begin(), acc.end(), kMax ? std::numeric_limits<float>::lowest() : 0.0f);
        for (int64_t fy = fy_begin; fy < fy_end; ++fy)
          for (int64_t fx = fx_begin; fx < fx_end; ++fx) {
            const float* xp = x + ((b * h + y0 + fy) * w + x0 + fx) * c;
            for (int64_t ch = 0; ch < c; ++ch) acc[ch] = kMax ? std::max(acc[ch], xp[ch]) : acc[ch] + xp[ch];
          }
        const float count = static_cast<float>(std::max<int64_t>(0, fy_end - fy_begin) *
                                               std::max<int64_t>(0, fx_end - fx_begin));
        float* out = r.data() + ((b * oh + oy) * ow + ox) * c;
        for (int64_t ch = 0; ch < c; ++ch) {
          float v = kMax ? acc[ch] : acc[ch] / count;
          if (a.fused_activation_function != Activation::NONE)
            v = static_cast<float>(apply_activation(a.fused_activation_function, v));
          out[ch] = v;
        }
      }
  ot.data = make_buffer(to_bytes(r));
  return ok_status();
}

// op_version.cc: int16 in and out -> 3; int8 -> 2.
int version_pool(const Graph& g, const Op& op) {
  DType x = input(g, op, 0).dtype;
  if (x == DType::kInt16 && output(g, op, 0).dtype == DType::kInt16) return 3;
  if (x == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(max_pool_2d, {.code = OpCode::MAX_POOL_2D,
                               .infer = infer_pool,
                               .eval = eval_pool<true>,
                               .options = Options{.stride_w = 1, .stride_h = 1, .filter_width = 1, .filter_height = 1},
                               .fused_activation = fused_activation_field<Options>(),
                               .types_unchecked = kNoKernelFacts,
                               .version = version_pool,
                               .runtime_versions = {"1.5.0", "1.14.0", "2.3.0"},
                               .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

TFLC_REGISTER_OP(average_pool_2d, {.code = OpCode::AVERAGE_POOL_2D,
                                   .infer = infer_pool,
                                   .eval = eval_pool<false>,
                                   .options =
                                       Options{.stride_w = 1, .stride_h = 1, .filter_width = 1, .filter_height = 1},
                                   .fused_activation = fused_activation_field<Options>(),
                                   .types_unchecked = kNoKernelFacts,
                                   .version = version_pool,
                                   .runtime_versions = {"1.5.0", "1.14.0", "2.3.0"},
                                   .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

}  // namespace
}  // namespace tflc
