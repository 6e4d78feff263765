// QUANTIZE and DEQUANTIZE: the edges between float and quantized tensors;
// FAKE_QUANT: a quantization-aware-trained range kept in a float model.
// Kernels follow TFLite's quantize.cc / dequantize.cc (round half away from
// zero, then clamp); versions follow tools/versioning/op_version.cc.
#include <algorithm>
#include <cmath>

#include "ops/fake_quant.h"
#include "ops/kernels.h"
#include "support/half.h"

namespace tflc {

FakeQuantRange nudge_fake_quant_range(float min, float max, int num_bits, bool narrow_range) {
  const float qmin = narrow_range ? 1.0f : 0.0f, qmax = static_cast<float>((1 << num_bits) - 1);
  const float scale = (max - min) / (qmax - qmin);
  const float zp_from_min = qmin - min / scale;
  float zp = zp_from_min < qmin ? qmin : zp_from_min > qmax ? qmax : std::round(zp_from_min);
  return {(qmin - zp) * scale, (qmax - zp) * scale, scale};
}

float fake_quant_value(float x, const FakeQuantRange& r) {
  float c = std::clamp(x, r.min, r.max) - r.min;
  return std::floor(c / r.scale + 0.5f) * r.scale + r.min;
}

namespace {

using FakeQuantOptions = tflite::FakeQuantOptionsT;

bool per_channel(const Tensor& t) { return t.quant && t.quant->scale.size() > 1; }

Status infer_quantize(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  Tensor& out = output(g, op, 0);
  // The output dtype is chosen by the quantizer; keep it, copy the shape.
  out.shape = input(g, op, 0).shape;
  out.unknown_rank = input(g, op, 0).unknown_rank;
  if (out.dtype != DType::kInt8 && out.dtype != DType::kUInt8 && out.dtype != DType::kInt16)
    return invalid_input("QUANTIZE output must be int8, uint8 or int16, not " + dtype_name(out.dtype));
  if (!out.quant || out.quant->scale.empty()) return invalid_input("QUANTIZE output has no scale");
  return ok_status();
}

Status infer_dequantize(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& in = input(g, op, 0);
  if (in.dtype != DType::kFloat16 && (!in.quant || in.quant->scale.empty()))
    return invalid_input("DEQUANTIZE input has no scale");
  set_output(g, op, 0, DType::kFloat32, in.shape);
  return ok_status();
}

// Scale and zero point of element i, for per-tensor or per-axis params.
struct ElementParams {
  const QuantParams& q;
  std::vector<int64_t> strides;
  int64_t dim = 1;
  ElementParams(const Tensor& t) : q(*t.quant), strides(strides_of(t.shape)) {
    if (q.scale.size() > 1) dim = t.shape.at(q.axis);
  }
  size_t channel(int64_t i) const { return q.scale.size() > 1 ? (i / strides[q.axis]) % dim : 0; }
};

template <typename T>
std::string dequantize_values(const Tensor& in) {
  ElementParams p(in);
  int64_t n = in.num_elements();
  std::vector<float> out(n);
  const T* v = in.as<T>();
  for (int64_t i = 0; i < n; ++i) {
    size_t c = p.channel(i);
    out[i] = static_cast<float>((static_cast<int64_t>(v[i]) - p.q.zero_point.at(c)) * static_cast<double>(p.q.scale[c]));
  }
  return to_bytes(out);
}

Status eval_dequantize(Graph& g, Op& op) {
  const Tensor& in = input(g, op, 0);
  std::string bytes;
  switch (in.dtype) {
    case DType::kInt8: bytes = dequantize_values<int8_t>(in); break;
    case DType::kUInt8: bytes = dequantize_values<uint8_t>(in); break;
    case DType::kInt16: bytes = dequantize_values<int16_t>(in); break;
    case DType::kFloat16: {
      std::vector<float> out(in.num_elements());
      const uint16_t* h = in.as<uint16_t>();
      for (size_t i = 0; i < out.size(); ++i) out[i] = half_to_float(h[i]);
      bytes = to_bytes(out);
      break;
    }
    default: return unsupported("DEQUANTIZE of " + dtype_name(in.dtype));
  }
  output(g, op, 0).data = make_buffer(std::move(bytes));
  return ok_status();
}

template <typename T>
std::string quantize_values(const Tensor& in, const Tensor& out) {
  ElementParams p(out);
  int64_t n = in.num_elements();
  std::vector<T> q(n);
  const float* v = in.as<float>();
  for (int64_t i = 0; i < n; ++i) {
    size_t c = p.channel(i);
    double r = std::round(v[i] / static_cast<double>(p.q.scale[c])) + p.q.zero_point.at(c);
    q[i] = static_cast<T>(std::clamp<double>(r, std::numeric_limits<T>::min(), std::numeric_limits<T>::max()));
  }
  return to_bytes(q);
}

Status eval_quantize(Graph& g, Op& op) {
  const Tensor& in = input(g, op, 0);
  if (in.dtype != DType::kFloat32) return unsupported("folding a requantizing QUANTIZE");
  Tensor& out = output(g, op, 0);
  std::string bytes;
  switch (out.dtype) {
    case DType::kInt8: bytes = quantize_values<int8_t>(in, out); break;
    case DType::kUInt8: bytes = quantize_values<uint8_t>(in, out); break;
    case DType::kInt16: bytes = quantize_values<int16_t>(in, out); break;
    default: return unsupported("QUANTIZE to " + dtype_name(out.dtype));
  }
  out.data = make_buffer(std::move(bytes));
  return ok_status();
}

// op_version.cc: int16 or float16 input -> 3; int8 per-channel -> 5; int8 -> 2.
int version_dequantize(const Graph& g, const Op& op) {
  const Tensor& in = input(g, op, 0);
  if (in.dtype == DType::kInt16 || in.dtype == DType::kFloat16) return 3;
  if (in.dtype == DType::kInt8) return per_channel(in) ? 5 : 2;
  return 1;
}

// op_version.cc: per-channel -> 3; int16 output -> 2.
int version_quantize(const Graph& g, const Op& op) {
  const Tensor& out = output(g, op, 0);
  if (per_channel(out)) return 3;
  return out.dtype == DType::kInt16 ? 2 : 1;
}

Status infer_fake_quant(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& in = input(g, op, 0);
  if (in.dtype != DType::kFloat32) return unsupported("FAKE_QUANT of " + dtype_name(in.dtype) + " (float32 only)");
  const FakeQuantOptions& o = opts<FakeQuantOptions>(op);
  if (!(o.min <= 0.0f && 0.0f <= o.max && o.min < o.max))
    return invalid_input("fake quantization range [" + std::to_string(o.min) + ", " + std::to_string(o.max) +
                         "] must contain 0 and not be empty");
  if (o.num_bits < 2 || o.num_bits > 16) return invalid_input("fake quantization num_bits must be 2..16");
  set_output(g, op, 0, DType::kFloat32, in.shape);
  return ok_status();
}

Status eval_fake_quant(Graph& g, Op& op) {
  const Tensor& in = input(g, op, 0);
  const FakeQuantOptions& o = opts<FakeQuantOptions>(op);
  FakeQuantRange r = nudge_fake_quant_range(o.min, o.max, o.num_bits, o.narrow_range);
  std::vector<float> out(in.num_elements());
  const float* x = in.as<float>();
  for (size_t i = 0; i < out.size(); ++i) out[i] = fake_quant_value(x[i], r);
  output(g, op, 0).data = make_buffer(to_bytes(out));
  return ok_status();
}

TFLC_REGISTER_OP(fake_quant, {.code = OpCode::FAKE_QUANT,
                              .infer = infer_fake_quant,
                              .eval = eval_fake_quant,
                              .options = FakeQuantOptions{.num_bits = 8},
                              .types_unchecked = kNoKernelFacts,
                              // op_version.cc: narrow_range -> 2.
                              .version = [](const Graph&, const Op& op) {
                                return opts<FakeQuantOptions>(op).narrow_range ? 2 : 1;
                              },
                              .runtime_versions = {"1.5.0", "1.10.0"}});

TFLC_REGISTER_OP(dequantize, {.code = OpCode::DEQUANTIZE,
                              .infer = infer_dequantize,
                              .eval = eval_dequantize,
                              .types_unchecked = kNoKernelFacts,
                              .version = version_dequantize,
                              .runtime_versions = {"1.13.1", "1.14.0", "1.15.0", "2.2.0", "2.7.0"}});

TFLC_REGISTER_OP(quantize, {.code = OpCode::QUANTIZE,
                            .infer = infer_quantize,
                            .eval = eval_quantize,
                            .types_unchecked = kNoKernelFacts,
                            .version = version_quantize,
                            .runtime_versions = {"1.14.0", "1.15.0", "2.7.0"}});

}  // namespace
}  // namespace tflc
