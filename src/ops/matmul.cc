// Matrix products: FULLY_CONNECTED (weights [out,in], optional bias) and
// BATCH_MATMUL (broadcast batch dimensions, adj_x/adj_y).
#include <algorithm>

#include "ops/kernels.h"

namespace tflc {
namespace {

using FullyConnected = tflite::FullyConnectedOptionsT;
using BatchMatMul = tflite::BatchMatMulOptionsT;

// --------------------------------------------------------- FULLY_CONNECTED
// Inputs: input [..., in] (flattened to [N/in, in] unless keep_num_dims),
// weights [out, in], optional bias [out] (kNoTensor when absent).

Status infer_fully_connected(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 3));
  const Tensor& x = input(g, op, 0);
  const Tensor& w = input(g, op, 1);
  RETURN_IF_ERROR(expect_rank(w, 2, "weights"));
  if (x.unknown_rank) return unsupported("not supported yet: FULLY_CONNECTED input of unknown rank");
  if (x.rank() < 1) return invalid_input("FULLY_CONNECTED input must have rank >= 1");
  const int64_t units = w.shape[0], depth = w.shape[1];
  if (has_input(op, 2)) {
    const Tensor& b = input(g, op, 2);
    if (!b.unknown_rank && (b.rank() != 1 || (units >= 0 && b.shape[0] >= 0 && b.shape[0] != units)))
      return invalid_input("bias " + shape_str(b.shape) + " does not match " + std::to_string(units) + " units");
  }
  Shape out;
  if (opts<FullyConnected>(op).keep_num_dims) {
    int64_t last = x.shape.back();
    if (last >= 0 && depth >= 0 && last != depth)
      return invalid_input("input depth " + std::to_string(last) + " differs from weights " + shape_str(w.shape));
    out = x.shape;
    out.back() = units;
  } else {
    int64_t n = num_elements(x.shape);
    int64_t batch = -1;
    if (n >= 0 && depth > 0) {
      if (n % depth != 0)
        return invalid_input("input " + shape_str(x.shape) + " does not flatten into rows of " + std::to_string(depth));
      batch = n / depth;
    } else if (depth > 0 && x.shape.back() == depth) {
      // Only the leading dims may be dynamic: the batch is their product.
      int64_t lead = num_elements(Shape(x.shape.begin(), x.shape.end() - 1));
      batch = lead;
    }
    out = {batch, units};
  }
  set_output(g, op, 0, x.dtype, std::move(out));
  return ok_status();
}

Status eval_fully_connected(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  const Tensor& wt = input(g, op, 1);
  Tensor& ot = output(g, op, 0);
  if (xt.dtype != DType::kFloat32 || wt.dtype != DType::kFloat32 ||
      (has_input(op, 2) && input(g, op, 2).dtype != DType::kFloat32))
    return unsupported("not supported yet: evaluating FULLY_CONNECTED on " + dtype_name(xt.dtype) + " x " +
                       dtype_name(wt.dtype));
  const int64_t units = wt.shape[0], depth = wt.shape[1];
  if (depth <= 0) return invalid_input("weights have no inputs");
  const int64_t rows = xt.num_elements() / depth;
  const float* x = xt.as<float>();
  const float* w = wt.as<float>();
  std::vector<float> bias = has_input(op, 2) ? const_values<float>(input(g, op, 2))
                                             : std::vector<float>(static_cast<size_t>(units), 0.0f);
  std::vector<float> r(static_cast<size_t>(rows * units));
  const Activation act = opts<FullyConnected>(op).fused_activation_function;
  for (int64_t b = 0; b < rows; ++b) {
    const float* xr = x + b * depth;
    for (int64_t u = 0; u < units; ++u) {
      const float* wr = w + u * depth;
      float total = 0.0f;
      for (int64_t k = 0; k < depth; ++k) total += xr[k] * wr[k];
      float v = total + bias[u];
      if (act != Activation::NONE) v = static_cast<float>(apply_activation(act, v));
      r[b * units + u] = v;
    }
  }
  ot.data = make_buffer(to_bytes(r));
  return ok_status();
}

// Float activations with int8 weights: TF 2.x always asks hybrid kernels to
// quantize the inputs asymmetrically.
bool is_hybrid(const Graph& g, const Op& op) {
  return input(g, op, 0).dtype == DType::kFloat32 && input(g, op, 1).dtype == DType::kInt8;
}

// asymmetric_quantize_inputs follows from the operand types.
void finalize_fully_connected(const Graph& g, Op& op, const std::vector<int>&) {
  mutable_opts<FullyConnected>(op).asymmetric_quantize_inputs = is_hybrid(g, op);
}

// op_version.cc, in its order. An omitted bias written as -1 still counts
// as an input, so only a two-input op gets version 6.
int version_fully_connected(const Graph& g, const Op& op) {
  DType x = input(g, op, 0).dtype;
  const Tensor& wt = input(g, op, 1);
  DType w = wt.dtype;
  DType out = output(g, op, 0).dtype;
  if (x == DType::kInt16 && w == DType::kInt4 && out == DType::kInt16) return 13;
  bool per_channel = wt.quant && !wt.quant->scale.empty() && wt.rank() > 0 &&
                     static_cast<int64_t>(wt.quant->scale.size()) == wt.shape[0];
  if (x == DType::kFloat32 && w == DType::kInt8 && out == DType::kFloat32 && per_channel) return 12;
  if (x == DType::kInt16 && w == DType::kInt16 && out == DType::kInt16) return 7;
  if (op.inputs.size() == 2) return 6;
  if (opts<FullyConnected>(op).keep_num_dims) return 5;
  if (x == DType::kInt8 && w == DType::kInt8 && out == DType::kInt8) return 4;
  if (x == DType::kInt8 && w == DType::kInt4 && out == DType::kInt8) return 10;
  if (x == DType::kFloat32 && w == DType::kInt8 && out == DType::kFloat32) return 9;  // asymmetric inputs
  return 1;
}

TFLC_REGISTER_OP(fully_connected, {.code = OpCode::FULLY_CONNECTED,
                                   .infer = infer_fully_connected,
                                   .eval = eval_fully_connected,
                                   .options = FullyConnected{},
                                   .finalize_options = finalize_fully_connected,
                                   .fused_activation = fused_activation_field<FullyConnected>(),
                                   .types_unchecked = kNoKernelFacts,
                                   .weights = {.weight_input = 1, .channel_axis = 0, .bias_input = 2},  // [O, I]
                                   .version = version_fully_connected,
                                   .runtime_versions = {"1.5.0", "1.10.0", "1.14.0", "1.14.0", "2.0.0", "2.1.0",
                                                        "2.3.0", "2.3.0", "2.3.0", "2.11.0", "2.15.0", "2.17.0",
                                                        "2.18.0"},
                                   .quant = {.output = QuantSpec::Output::kOwnRange, .weights = QuantSpec::Weights::kPerTensor, .int16 = true, .hybrid = true}});

// ------------------------------------------------------------ BATCH_MATMUL

struct MatmulDims {
  int64_t m, k, n;
  Shape batch_x, batch_y;
};

Expected<MatmulDims> matmul_dims(const Tensor& x, const Tensor& y, const BatchMatMul& a) {
  if (x.unknown_rank || y.unknown_rank) return unsupported("not supported yet: BATCH_MATMUL operand of unknown rank");
  if (x.rank() < 2 || y.rank() < 2) return invalid_input("BATCH_MATMUL operands must have rank >= 2");
  if (x.rank() > 5 || y.rank() > 5) return invalid_input("BATCH_MATMUL operands must have rank <= 5");
  int rx = x.rank(), ry = y.rank();
  MatmulDims d;
  d.m = a.adj_x ? x.shape[rx - 1] : x.shape[rx - 2];
  int64_t kx = a.adj_x ? x.shape[rx - 2] : x.shape[rx - 1];
  int64_t ky = a.adj_y ? y.shape[ry - 1] : y.shape[ry - 2];
  d.n = a.adj_y ? y.shape[ry - 2] : y.shape[ry - 1];
  if (kx >= 0 && ky >= 0 && kx != ky)
    return invalid_input("inner dimensions differ: " + shape_str(x.shape) + " and " + shape_str(y.shape));
  d.k = kx >= 0 ? kx : ky;
  d.batch_x.assign(x.shape.begin(), x.shape.end() - 2);
  d.batch_y.assign(y.shape.begin(), y.shape.end() - 2);
  return d;
}

Status infer_batch_matmul(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  const Tensor& y = input(g, op, 1);
  ASSIGN_OR_RETURN(MatmulDims d, matmul_dims(x, y, opts<BatchMatMul>(op)));
  ASSIGN_OR_RETURN(Shape out, broadcast_shapes(d.batch_x, d.batch_y));
  out.push_back(d.m);
  out.push_back(d.n);
  set_output(g, op, 0, x.dtype, std::move(out));
  return ok_status();
}

Status eval_batch_matmul(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  const Tensor& yt = input(g, op, 1);
  Tensor& ot = output(g, op, 0);
  if (xt.dtype != DType::kFloat32 || yt.dtype != DType::kFloat32)
    return unsupported("not supported yet: evaluating BATCH_MATMUL on " + dtype_name(xt.dtype) + " x " +
                       dtype_name(yt.dtype));
  ASSIGN_OR_RETURN(MatmulDims d, matmul_dims(xt, yt, opts<BatchMatMul>(op)));
  Shape batch(ot.shape.begin(), ot.shape.end() - 2);
  const int64_t m = d.m, k = d.k, n = d.n;
  const float* x = xt.as<float>();
  const float* y = yt.as<float>();
  std::vector<float> r(static_cast<size_t>(num_elements(ot.shape)));
  // Per batch, lay out lhs as [m,k] and rhs as [n,k] so the dot is contiguous.
  std::vector<float> lhs(static_cast<size_t>(m * k)), rhs(static_cast<size_t>(n * k));
  const bool adj_x = opts<BatchMatMul>(op).adj_x, adj_y = opts<BatchMatMul>(op).adj_y;
  for_each_broadcast(d.batch_x, d.batch_y, batch, [&](int64_t bo, int64_t bx, int64_t by) {
    const float* xb = x + bx * m * k;
    const float* yb = y + by * k * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < k; ++j) lhs[i * k + j] = adj_x ? xb[j * m + i] : xb[i * k + j];
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < k; ++j) rhs[i * k + j] = adj_y ? yb[i * k + j] : yb[j * n + i];
    float* ob = r.data() + bo * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        const float* lp = lhs.data() + i * k;
        const float* rp = rhs.data() + j * k;
        float total = 0.0f;
        for (int64_t t = 0; t < k; ++t) total += lp[t] * rp[t];
        ob[i * n + j] = total;
      }
  });
  ot.data = make_buffer(to_bytes(r));
  return ok_status();
}

// asymmetric_quantize_inputs follows from the operand types.
void finalize_batch_matmul(const Graph& g, Op& op, const std::vector<int>&) {
  mutable_opts<BatchMatMul>(op).asymmetric_quantize_inputs = is_hybrid(g, op);
}

// op_version.cc: int16 -> 3; int8 -> 2; hybrid with asymmetric inputs -> 4.
int version_batch_matmul(const Graph& g, const Op& op) {
  DType x = input(g, op, 0).dtype;
  if (x == DType::kInt16) return 3;
  if (x == DType::kInt8) return 2;
  if (is_hybrid(g, op) && output(g, op, 0).dtype == DType::kFloat32) return 4;
  return 1;
}

TFLC_REGISTER_OP(batch_matmul, {.code = OpCode::BATCH_MATMUL,
                                .infer = infer_batch_matmul,
                                .eval = eval_batch_matmul,
                                .options = BatchMatMul{},
                                .finalize_options = finalize_batch_matmul,
                                .types_unchecked = kNoKernelFacts,
                                .weights = {.weight_input = 1},
                                .version = version_batch_matmul,
                                .runtime_versions = {"2.3.0", "2.3.0", "2.4.0", "2.5.0"},
                                .quant = {.output = QuantSpec::Output::kOwnRange, .weights = QuantSpec::Weights::kPerTensor, .int16 = true, .hybrid = true}});

}  // namespace
}  // namespace tflc
