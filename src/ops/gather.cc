// GATHER (slices of params along its axis, with batch_dims) and GATHER_ND
// (slices addressed by the last dim of indices). Out-of-range indices are an
// error, as in TFLite's kernels.
#include <cstring>

#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

using Options = tflite::GatherOptionsT;

struct GatherDims {
  int axis = 0, batch_dims = 0;
};

Expected<GatherDims> gather_dims(const Tensor& params, const Tensor& indices, const Options& a) {
  GatherDims d;
  int ir = indices.rank(), pr = params.rank();
  d.batch_dims = a.batch_dims < 0 ? a.batch_dims + ir : a.batch_dims;
  if (d.batch_dims < 0 || d.batch_dims > ir)
    return invalid_input("GATHER batch_dims " + std::to_string(a.batch_dims) + " is out of range for indices " +
                         shape_str(indices.shape));
  ASSIGN_OR_RETURN(d.axis, normalize_axis(a.axis, pr));
  if (d.batch_dims > d.axis)
    return invalid_input("GATHER batch_dims " + std::to_string(d.batch_dims) + " exceeds axis " +
                         std::to_string(d.axis));
  return d;
}

Status infer_gather(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& params = input(g, op, 0);
  const Tensor& indices = input(g, op, 1);
  if (params.unknown_rank || indices.unknown_rank)
    return unsupported("not supported yet: GATHER with an unknown-rank operand");
  if (params.rank() == 0) return invalid_input("GATHER params must have rank 1 or more");
  if (indices.dtype != DType::kInt32 && indices.dtype != DType::kInt64 && indices.dtype != DType::kInt16)
    return invalid_input("GATHER indices must be int16, int32 or int64, got " + dtype_name(indices.dtype));
  ASSIGN_OR_RETURN(GatherDims d, gather_dims(params, indices, opts<Options>(op)));
  for (int i = 0; i < d.batch_dims; ++i)
    if (params.shape[i] >= 0 && indices.shape[i] >= 0 && params.shape[i] != indices.shape[i])
      return invalid_input("GATHER batch dims of params " + shape_str(params.shape) + " and indices " +
                           shape_str(indices.shape) + " differ");
  Shape out(params.shape.begin(), params.shape.begin() + d.axis);
  out.insert(out.end(), indices.shape.begin() + d.batch_dims, indices.shape.end());
  out.insert(out.end(), params.shape.begin() + d.axis + 1, params.shape.end());
  set_output(g, op, 0, params.dtype, out);
  return ok_status();
}

Status eval_gather(Graph& g, Op& op) {
  const Tensor& params = input(g, op, 0);
  const Tensor& indices = input(g, op, 1);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(params.dtype));
  ASSIGN_OR_RETURN(GatherDims d, gather_dims(params, indices, opts<Options>(op)));
  ASSIGN_OR_RETURN(std::vector<int64_t> idx, const_ints(g, op.inputs[1]));
  int64_t batch = 1, outer = 1, inner = elem, n_idx = 1, limit = params.shape[d.axis];
  for (int i = 0; i < d.batch_dims; ++i) batch *= params.shape[i];
  for (int i = d.batch_dims; i < d.axis; ++i) outer *= params.shape[i];
  for (int i = d.axis + 1; i < params.rank(); ++i) inner *= params.shape[i];
  for (int i = d.batch_dims; i < indices.rank(); ++i) n_idx *= indices.shape[i];
  std::string bytes(static_cast<size_t>(num_elements(out.shape)) * elem, '\0');
  char* dst = bytes.data();
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < n_idx; ++i) {
        int64_t k = idx[b * n_idx + i];
        if (k < 0 || k >= limit)
          return invalid_input("GATHER index " + std::to_string(k) + " is out of range [0, " +
                               std::to_string(limit) + ")");
        std::memcpy(dst, params.data->data() + ((b * outer + o) * limit + k) * inner, inner);
        dst += inner;
      }
  out.data = make_buffer(std::move(bytes));
  return ok_status();
}

// op_version.cc: int4 params -> 7, int16 indices -> 6, batch_dims -> 5,
// int16 params -> 4, bool -> 3, int8 -> 2.
int version_gather(const Graph& g, const Op& op) {
  DType p = input(g, op, 0).dtype;
  if (p == DType::kInt4) return 7;
  if (input(g, op, 1).dtype == DType::kInt16) return 6;
  if (opts<Options>(op).batch_dims != 0) return 5;
  if (p == DType::kInt16) return 4;
  if (p == DType::kBool) return 3;
  if (p == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(gather, {.code = OpCode::GATHER,
                          .infer = infer_gather,
                          .eval = eval_gather,
                          .options = Options{},
                          .types_unchecked = kNoKernelFacts,
                          .version = version_gather,
                          .runtime_versions = {"1.6.0", "1.14.0", "1.15.0", "2.4.0", "2.5.0", "2.13.0", "2.15.0"},
                          // Dynamic range: constant params (Keras Embedding) weight-only, as TF.
                          .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true, .extra_weight_inputs = {0}}});

Status infer_gather_nd(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& params = input(g, op, 0);
  const Tensor& indices = input(g, op, 1);
  if (params.unknown_rank || indices.unknown_rank)
    return unsupported("not supported yet: GATHER_ND with an unknown-rank operand");
  if (indices.rank() == 0) return invalid_input("GATHER_ND indices must have rank 1 or more");
  if (indices.dtype != DType::kInt32 && indices.dtype != DType::kInt64 && indices.dtype != DType::kInt16)
    return invalid_input("GATHER_ND indices must be int16, int32 or int64, got " + dtype_name(indices.dtype));
  int64_t k = indices.shape.back();
  if (k < 0) return unsupported("not supported yet: GATHER_ND with an unknown index depth");
  if (k > params.rank())
    return invalid_input("GATHER_ND index depth " + std::to_string(k) + " exceeds the params rank " +
                         std::to_string(params.rank()));
  Shape out(indices.shape.begin(), indices.shape.end() - 1);
  out.insert(out.end(), params.shape.begin() + k, params.shape.end());
  set_output(g, op, 0, params.dtype, out);
  return ok_status();
}

Status eval_gather_nd(Graph& g, Op& op) {
  const Tensor& params = input(g, op, 0);
  const Tensor& indices = input(g, op, 1);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(params.dtype));
  ASSIGN_OR_RETURN(std::vector<int64_t> idx, const_ints(g, op.inputs[1]));
  int k = static_cast<int>(indices.shape.back());
  int64_t n = num_elements(Shape(indices.shape.begin(), indices.shape.end() - 1));
  int64_t inner = elem;
  for (int i = k; i < params.rank(); ++i) inner *= params.shape[i];
  std::vector<int64_t> pst = strides_of(params.shape);
  std::string bytes(static_cast<size_t>(num_elements(out.shape)) * elem, '\0');
  for (int64_t i = 0; i < n; ++i) {
    int64_t off = 0;
    for (int j = 0; j < k; ++j) {
      int64_t v = idx[i * k + j];
      if (v < 0 || v >= params.shape[j])
        return invalid_input("GATHER_ND index " + std::to_string(v) + " is out of range for dim " +
                             std::to_string(j) + " of " + shape_str(params.shape));
      off += v * pst[j];
    }
    std::memcpy(bytes.data() + i * inner, params.data->data() + off * elem, inner);
  }
  out.data = make_buffer(std::move(bytes));
  return ok_status();
}

// op_version.cc: bool -> 5, int16 indices -> 4, int16 params -> 3, string -> 2.
int version_gather_nd(const Graph& g, const Op& op) {
  DType p = input(g, op, 0).dtype;
  if (p == DType::kBool) return 5;
  if (input(g, op, 1).dtype == DType::kInt16) return 4;
  if (p == DType::kInt16) return 3;
  if (p == DType::kString) return 2;
  return 1;
}

// Official converter: tfl.gather_nd has no options.
TFLC_REGISTER_OP(gather_nd, {.code = OpCode::GATHER_ND,
                             .infer = infer_gather_nd,
                             .eval = eval_gather_nd,
                             .types_unchecked = kNoKernelFacts,
                             .version = version_gather_nd,
                             .runtime_versions = {"1.14.0", "2.3.0", "2.5.0", "2.13.0", "2.16.0"},
                             .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
