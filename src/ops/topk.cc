// TOPK_V2: the k largest entries of the last dimension, sorted descending;
// outputs values and int32 indices. Equal values keep the lower index first,
// as TFLite's heap (and TensorFlow's stable sort) do.
#include <algorithm>
#include <numeric>

#include "ops/kernels.h"

namespace tflc {
namespace {

// TopKV2Options has no index type: as in TFLite, it is the indices tensor's
// own type. int16 or int64 when whoever made the op set it so, else int32.
DType index_type(const Graph& g, const Op& op) {
  DType t = output(g, op, 1).dtype;
  return t == DType::kInt16 || t == DType::kInt64 ? t : DType::kInt32;
}

Status infer_topk(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  if (op.outputs.size() != 2) return invalid_input("TOPK_V2 has two outputs");
  const Tensor& x = input(g, op, 0);
  const Tensor& k = input(g, op, 1);
  if (x.unknown_rank) return unsupported("not supported yet: TOPK_V2 on a tensor of unknown rank");
  if (x.rank() < 1) return invalid_input("TOPK_V2 needs an input of rank >= 1");
  if (k.dtype != DType::kInt32 && k.dtype != DType::kInt16)
    return invalid_input("k must be int32, got " + dtype_name(k.dtype));
  if (!k.unknown_rank && num_elements(k.shape) > 1) return invalid_input("k must be a scalar");
  Shape shape = x.shape;
  shape.back() = -1;
  if (k.is_const()) {
    ASSIGN_OR_RETURN(std::vector<int64_t> kv, const_ints(g, op.inputs[1]));
    if (kv.size() != 1) return invalid_input("k must be a scalar");
    const int64_t last = x.shape.back();
    if (kv[0] < 0 || (last >= 0 && kv[0] > last))
      return invalid_input("k = " + std::to_string(kv[0]) + " is outside [0, " + std::to_string(last) + "]");
    shape.back() = kv[0];
  }
  set_output(g, op, 0, x.dtype, shape);
  set_output(g, op, 1, index_type(g, op), shape);
  return ok_status();
}

Status eval_topk(Graph& g, Op& op) {
  const Tensor& xt = input(g, op, 0);
  Tensor& vt = output(g, op, 0);
  Tensor& it = output(g, op, 1);
  const int64_t n = xt.shape.back();
  const int64_t k = vt.shape.back();
  const int64_t rows = n > 0 ? xt.num_elements() / n : 0;
  std::vector<int64_t> idx(static_cast<size_t>(rows * k));
  std::vector<int64_t> order(static_cast<size_t>(std::max<int64_t>(n, 0)));
  RETURN_IF_ERROR(dispatch_numeric(xt.dtype, [&](auto tag) {
    using T = decltype(tag);
    const T* x = xt.as<T>();
    std::vector<T> vals(static_cast<size_t>(rows * k));
    for (int64_t r = 0; r < rows; ++r) {
      const T* row = x + r * n;
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(order.begin(), order.begin() + k, order.end(), [row](int64_t a, int64_t b) {
        return row[a] > row[b] || (row[a] == row[b] && a < b);
      });
      for (int64_t j = 0; j < k; ++j) {
        idx[r * k + j] = order[j];
        vals[r * k + j] = row[order[j]];
      }
    }
    vt.data = make_buffer(to_bytes(vals));
  }));
  if (it.dtype == DType::kInt64) {
    it.data = make_buffer(to_bytes(idx));
  } else if (it.dtype == DType::kInt16) {
    it.data = make_buffer(to_bytes(std::vector<int16_t>(idx.begin(), idx.end())));
  } else {
    it.data = make_buffer(to_bytes(std::vector<int32_t>(idx.begin(), idx.end())));
  }
  return ok_status();
}

// op_version.cc: any int16 (input, k or indices) -> 3; int8 -> 2.
int version_topk(const Graph& g, const Op& op) {
  DType x = input(g, op, 0).dtype;
  if (x == DType::kInt16 || input(g, op, 1).dtype == DType::kInt16 || output(g, op, 1).dtype == DType::kInt16)
    return 3;
  if (x == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(topk_v2, {.code = OpCode::TOPK_V2,
                           .infer = infer_topk,
                           .eval = eval_topk,
                           .options = tflite::TopKV2OptionsT{},
                           .types_unchecked = kNoKernelFacts,
                           .version = version_topk,
                           .runtime_versions = {"1.7.0", "1.14.0", "2.13.0"},
                           .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
