// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR on NHWC tensors; inputs are
// the images and an int32 [2] size. Source coordinates are computed in
// float exactly as TFLite's reference kernels do, including the
// align_corners and half_pixel_centers variants.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "ops/kernels.h"

namespace tflc {
namespace {

// align_corners and half_pixel_centers, which both ops' tables carry.
struct ResizeFlags {
  bool align_corners, half_pixel_centers;
};

ResizeFlags resize_flags(const Op& op) {
  if (op.code == OpCode::RESIZE_BILINEAR) {
    const auto& o = opts<tflite::ResizeBilinearOptionsT>(op);
    return {o.align_corners, o.half_pixel_centers};
  }
  const auto& o = opts<tflite::ResizeNearestNeighborOptionsT>(op);
  return {o.align_corners, o.half_pixel_centers};
}

Status infer_resize(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  const Tensor& size = input(g, op, 1);
  RETURN_IF_ERROR(expect_rank(x, 4, "images"));
  if (size.dtype != DType::kInt32) return invalid_input("size must be int32, got " + dtype_name(size.dtype));
  if (!size.unknown_rank && (size.rank() != 1 || (size.shape[0] >= 0 && size.shape[0] != 2)))
    return invalid_input("size must have shape [2], got " + shape_str(size.shape));
  const ResizeFlags f = resize_flags(op);
  if (f.align_corners && f.half_pixel_centers)
    return invalid_input("align_corners and half_pixel_centers cannot both be set");
  Shape out = {x.shape[0], -1, -1, x.shape[3]};
  if (size.is_const()) {
    ASSIGN_OR_RETURN(std::vector<int64_t> v, const_ints(g, op.inputs[1]));
    if (v.size() != 2) return invalid_input("size must have 2 elements");
    if (v[0] <= 0 || v[1] <= 0) return invalid_input("size must be positive, got " + shape_str(v));
    out[1] = v[0];
    out[2] = v[1];
  }
  set_output(g, op, 0, x.dtype, std::move(out));
  return ok_status();
}

float resize_scale(int64_t in, int64_t out, bool align_corners) {
  if (align_corners && out > 1) return static_cast<float>(in - 1) / static_cast<float>(out - 1);
  return static_cast<float>(in) / static_cast<float>(out);
}

struct Interp {
  float pos;
  int64_t lo, hi;
};

// TFLite's ComputeInterpolationValues.
Interp interpolation(int64_t value, float scale, bool half_pixel, int64_t in_size) {
  Interp r;
  r.pos = half_pixel ? (static_cast<float>(value) + 0.5f) * scale - 0.5f : static_cast<float>(value) * scale;
  r.lo = std::max<int64_t>(static_cast<int64_t>(std::floor(r.pos)), 0);
  r.hi = std::min<int64_t>(static_cast<int64_t>(std::ceil(r.pos)), in_size - 1);
  return r;
}

Status eval_bilinear(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  Tensor& ot = output(g, op, 0);
  if (xt.dtype != DType::kFloat32)
    return unsupported("not supported yet: evaluating RESIZE_BILINEAR on " + dtype_name(xt.dtype));
  const int64_t n = xt.shape[0], h = xt.shape[1], w = xt.shape[2], c = xt.shape[3];
  const int64_t oh = ot.shape[1], ow = ot.shape[2];
  const ResizeFlags f = resize_flags(op);
  const bool hp = f.half_pixel_centers;
  const float sy = resize_scale(h, oh, f.align_corners);
  const float sx = resize_scale(w, ow, f.align_corners);
  std::vector<Interp> xs(static_cast<size_t>(ow));
  for (int64_t ox = 0; ox < ow; ++ox) xs[ox] = interpolation(ox, sx, hp, w);
  const float* x = xt.as<float>();
  std::vector<float> r(static_cast<size_t>(n * oh * ow * c));
  float* out = r.data();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oy = 0; oy < oh; ++oy) {
      const Interp iy = interpolation(oy, sy, hp, h);
      const float dy = iy.pos - static_cast<float>(iy.lo);
      for (int64_t ox = 0; ox < ow; ++ox) {
        const Interp& ix = xs[ox];
        const float dx = ix.pos - static_cast<float>(ix.lo);
        const float* p00 = x + ((b * h + iy.lo) * w + ix.lo) * c;
        const float* p10 = x + ((b * h + iy.hi) * w + ix.lo) * c;
        const float* p01 = x + ((b * h + iy.lo) * w + ix.hi) * c;
        const float* p11 = x + ((b * h + iy.hi) * w + ix.hi) * c;
        for (int64_t ch = 0; ch < c; ++ch)
          *out++ = p00[ch] * (1 - dy) * (1 - dx) + p10[ch] * dy * (1 - dx) + p01[ch] * (1 - dy) * dx +
                   p11[ch] * dy * dx;
      }
    }
  ot.data = make_buffer(to_bytes(r));
  return ok_status();
}

// TFLite's GetNearestNeighbor.
int64_t nearest(int64_t value, int64_t in_size, int64_t out_size, bool align_corners, bool half_pixel) {
  const float scale = resize_scale(in_size, out_size, align_corners);
  const float offset = half_pixel ? 0.5f : 0.0f;
  const float pos = (static_cast<float>(value) + offset) * scale;
  int64_t v = std::min<int64_t>(align_corners ? static_cast<int64_t>(std::round(pos)) : static_cast<int64_t>(std::floor(pos)),
                                in_size - 1);
  if (half_pixel) v = std::max<int64_t>(0, v);
  return v;
}

Status eval_nearest(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  Tensor& ot = output(g, op, 0);
  const size_t esize = static_cast<size_t>(dtype_size(xt.dtype));
  if (esize == 0) return unsupported("not supported yet: evaluating RESIZE_NEAREST_NEIGHBOR on " + dtype_name(xt.dtype));
  const int64_t n = xt.shape[0], h = xt.shape[1], w = xt.shape[2], c = xt.shape[3];
  const int64_t oh = ot.shape[1], ow = ot.shape[2];
  const ResizeFlags f = resize_flags(op);
  const bool ac = f.align_corners, hp = f.half_pixel_centers;
  std::vector<int64_t> xs(static_cast<size_t>(ow));
  for (int64_t ox = 0; ox < ow; ++ox) xs[ox] = nearest(ox, w, ow, ac, hp);
  const char* x = xt.data->data();
  std::string r(static_cast<size_t>(n * oh * ow * c) * esize, '\0');
  char* out = r.data();
  const size_t pixel = static_cast<size_t>(c) * esize;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oy = 0; oy < oh; ++oy) {
      const int64_t iy = nearest(oy, h, oh, ac, hp);
      for (int64_t ox = 0; ox < ow; ++ox) {
        std::memcpy(out, x + static_cast<size_t>((b * h + iy) * w + xs[ox]) * pixel, pixel);
        out += pixel;
      }
    }
  ot.data = make_buffer(std::move(r));
  return ok_status();
}

// op_version.cc: int16 -> 4; half_pixel_centers -> 3; int8 -> 2.
int version_bilinear(const Graph& g, const Op& op) {
  DType x = input(g, op, 0).dtype;
  if (x == DType::kInt16) return 4;
  if (resize_flags(op).half_pixel_centers) return 3;
  if (x == DType::kInt8) return 2;
  return 1;
}

// op_version.cc: int16 -> 4; half_pixel_centers or align_corners -> 3; int8 -> 2.
int version_nearest(const Graph& g, const Op& op) {
  DType x = input(g, op, 0).dtype;
  if (x == DType::kInt16) return 4;
  const ResizeFlags f = resize_flags(op);
  if (f.half_pixel_centers || f.align_corners) return 3;
  if (x == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(resize_bilinear, {.code = OpCode::RESIZE_BILINEAR,
                                   .infer = infer_resize,
                                   .eval = eval_bilinear,
                                   .options = tflite::ResizeBilinearOptionsT{},
                                   .types_unchecked = kNoKernelFacts,
                                   .version = version_bilinear,
                                   .runtime_versions = {"1.7.0", "1.14.0", "2.2.0", "2.5.0"},
                                   .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});
TFLC_REGISTER_OP(resize_nearest_neighbor, {.code = OpCode::RESIZE_NEAREST_NEIGHBOR,
                                           .infer = infer_resize,
                                           .eval = eval_nearest,
                                           .options = tflite::ResizeNearestNeighborOptionsT{},
                                           .types_unchecked = kNoKernelFacts,
                                           .version = version_nearest,
                                           .runtime_versions = {"1.13.1", "1.14.0", "2.3.0", "2.4.0"},
                                           .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

}  // namespace
}  // namespace tflc
