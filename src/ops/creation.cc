// Tensor-creating builtins: FILL, ZEROS_LIKE, RANGE. Their outputs have a
// shape only known from constant inputs; otherwise dimensions are dynamic.
#include <cmath>

#include "ops/kernels.h"

namespace tflc {
namespace {

// ----------------------------------------------------------------------- FILL

Status infer_fill(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 2, 2));
  const Tensor& value = input(g, op, 1);
  if (!value.unknown_rank && value.rank() != 0 && num_elements(value.shape) != 1)
    return invalid_input("FILL value must be a scalar, got " + shape_str(value.shape));
  ASSIGN_OR_RETURN(ShapeOperand dims, read_shape_operand(g, op, 0, "FILL dims"));
  set_output_shape(g, op, 0, value.dtype, dims);
  return ok_status();
}

Status eval_fill(Graph& g, Op& op) {
  const Tensor& value = input(g, op, 1);
  Tensor& out = output(g, op, 0);
  int64_t n = num_elements(out.shape);
  if (n < 0) return internal_error("FILL output shape is not static");
  return dispatch_numeric(value.dtype, [&](auto tag) {
    using T = decltype(tag);
    std::vector<T> v = const_values<T>(value);
    std::vector<T> r(static_cast<size_t>(n), v.empty() ? T{} : v[0]);
    out.data = make_buffer(to_bytes(r));
  });
}

// op_version.cc (input 1 = value): float16 -> 4, int8/int16 -> 3,
// bool/string -> 2.
int version_fill(const Graph& g, const Op& op) {
  DType t = input(g, op, 1).dtype;
  if (t == DType::kFloat16) return 4;
  if (t == DType::kInt8 || t == DType::kInt16) return 3;
  if (t == DType::kBool || t == DType::kString) return 2;
  return 1;
}

TFLC_REGISTER_OP(fill, {.code = OpCode::FILL,
                        .infer = infer_fill,
                        .eval = eval_fill,
                        .options = tflite::FillOptionsT{},
                        .types = {{DType::kFloat32}, {DType::kInt32}, {DType::kInt64}, {DType::kBool, 2}},
                        .type_input = 1,  // the value
                        .version = version_fill,
                        .runtime_versions = {"1.13.0", "2.3.0", "2.5.0", "2.12.0"}});

// ----------------------------------------------------------------- ZEROS_LIKE

Status eval_zeros_like(Graph& g, Op& op) {
  const Tensor& a = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  if (dtype_size(a.dtype) == 0) return unsupported("not supported yet: ZEROS_LIKE of " + dtype_name(a.dtype));
  out.data = make_buffer(std::string(a.data->size(), '\0'));
  return ok_status();
}

TFLC_REGISTER_OP(zeros_like, {.code = OpCode::ZEROS_LIKE,
                              .infer = infer_same_as_input,
                              .eval = eval_zeros_like,
                              .options = tflite::ZerosLikeOptionsT{},
                              .types = {{DType::kFloat32}, {DType::kInt32}, {DType::kInt64}},
                              .runtime_versions = {"1.12.0"}});

// ---------------------------------------------------------------------- RANGE

// TFLite's GetSize: validates the direction and counts the elements.
template <typename T>
Expected<int64_t> range_size(T start, T limit, T delta) {
  if (delta == T(0)) return invalid_input("RANGE delta must not be zero");
  if (!((start >= limit && delta < T(0)) || (start <= limit && delta > T(0))))
    return invalid_input("RANGE start, limit and delta do not agree in direction");
  if constexpr (std::is_integral_v<T>) {
    // Computed in int64 (TFLite uses T, which can overflow for wide ranges).
    int64_t span = std::abs(static_cast<int64_t>(limit) - static_cast<int64_t>(start));
    int64_t step = std::abs(static_cast<int64_t>(delta));
    return (span + step - 1) / step;
  } else {
    T n = std::ceil(std::abs((limit - start) / delta));
    if (!(n < T(1LL << 40))) return invalid_input("RANGE is too large");
    return static_cast<int64_t>(n);
  }
}

Status infer_range(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 3, 3));
  const Tensor& s = input(g, op, 0);
  for (int i = 0; i < 3; ++i) {
    const Tensor& t = input(g, op, i);
    if (t.dtype != s.dtype) return invalid_input("RANGE inputs have different types");
    if (!t.unknown_rank && t.rank() != 0) return invalid_input("RANGE inputs must be scalars, got " + shape_str(t.shape));
  }
  if (s.dtype != DType::kFloat32 && s.dtype != DType::kInt32 && s.dtype != DType::kInt64 && s.dtype != DType::kFloat64)
    return unsupported("not supported yet: RANGE of " + dtype_name(s.dtype));
  int64_t size = -1;
  if (all_inputs_const(g, op)) {
    Status st = ok_status();
    RETURN_IF_ERROR(dispatch_numeric(s.dtype, [&](auto tag) {
      using T = decltype(tag);
      auto n = range_size<T>(const_values<T>(input(g, op, 0))[0], const_values<T>(input(g, op, 1))[0],
                             const_values<T>(input(g, op, 2))[0]);
      if (n.ok()) size = *n;
      else st = n.status();
    }));
    RETURN_IF_ERROR(st);
  }
  set_output(g, op, 0, s.dtype, {size});
  return ok_status();
}

// Accumulates start + delta + delta ..., as TFLite (and TF) do.
Status eval_range(Graph& g, Op& op) {
  Tensor& out = output(g, op, 0);
  int64_t n = num_elements(out.shape);
  if (n < 0) return internal_error("RANGE size unknown while folding");
  return dispatch_numeric(out.dtype, [&](auto tag) {
    using T = decltype(tag);
    T value = const_values<T>(input(g, op, 0))[0];
    T delta = const_values<T>(input(g, op, 2))[0];
    std::vector<T> r(static_cast<size_t>(n));
    for (auto& x : r) {
      x = value;
      value = wrap_add(value, delta);
    }
    out.data = make_buffer(to_bytes(r));
  });
}

TFLC_REGISTER_OP(range, {.code = OpCode::RANGE,
                         .infer = infer_range,
                         .eval = eval_range,
                         .options = tflite::RangeOptionsT{},
                         .types = {{DType::kFloat32}, {DType::kInt32}, {DType::kInt64, 2}},
                         // op_version.cc: int64 -> 2.
                         .version_by_type = {{DType::kInt64, 2}},
                         .runtime_versions = {"1.13.0", "2.14.0"}});

}  // namespace
}  // namespace tflc
