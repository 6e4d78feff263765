// CUMSUM: running sums along one axis (a constant int32 scalar), optionally
// exclusive (each sum stops before its own element) and/or reversed.
// Keras RNN loops over an unknown length use it for a step ramp 0..T-1.
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

Status infer_cumsum(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& x = input(g, op, 0);
  const Tensor& axis = input(g, op, 1);
  if (axis.dtype != DType::kInt32 || (!axis.unknown_rank && axis.num_elements() != 1))
    return invalid_input("CUMSUM axis must be one int32 value");
  if (x.unknown_rank) return unsupported("not supported yet: CUMSUM of a tensor with unknown rank");
  if (axis.is_const()) {
    ASSIGN_OR_RETURN(int a, normalize_axis(const_values<int32_t>(axis).at(0), x.rank()));
    (void)a;
  }
  set_output(g, op, 0, x.dtype, x.shape);
  return ok_status();
}

Status eval_cumsum(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  if (!x.has_static_shape()) return unsupported("not supported yet: evaluating CUMSUM of dynamic shape");
  ASSIGN_OR_RETURN(int axis, normalize_axis(const_values<int32_t>(input(g, op, 1)).at(0), x.rank()));
  const auto& o = opts<tflite::CumsumOptionsT>(op);
  int64_t outer = 1, inner = 1, n = x.shape[axis];
  for (int d = 0; d < axis; ++d) outer *= x.shape[d];
  for (int d = axis + 1; d < x.rank(); ++d) inner *= x.shape[d];
  Status st = ok_status();
  RETURN_IF_ERROR(dispatch_numeric(x.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> in = const_values<T>(x), out(in.size());
    for (int64_t a = 0; a < outer; ++a)
      for (int64_t b = 0; b < inner; ++b) {
        T acc = T(0);
        for (int64_t k = 0; k < n; ++k) {
          int64_t j = o.reverse ? n - 1 - k : k;
          size_t at = static_cast<size_t>((a * n + j) * inner + b);
          if (o.exclusive) {
            out[at] = acc;
            acc += in[at];
          } else {
            acc += in[at];
            out[at] = acc;
          }
        }
      }
    set_output_data(g, op, 0, out);
  }));
  return st;
}

TFLC_REGISTER_OP(cumsum, {.code = OpCode::CUMSUM,
                          .infer = infer_cumsum,
                          .eval = eval_cumsum,
                          .options = tflite::CumsumOptionsT{},
                          // LiteRT's cumsum kernel: float32, int32, int64.
                          .types = {{DType::kFloat32}, {DType::kInt32}, {DType::kInt64}},
                          .runtime_versions = {"2.4.0"}});

}  // namespace
}  // namespace tflc
