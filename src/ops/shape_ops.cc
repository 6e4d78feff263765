// SHAPE (the input's dims as int32/int64) and RANK (an int32 scalar). Their
// eval reads only the input's static shape, never its data.
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

Status infer_shape(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  const Tensor& x = input(g, op, 0);
  DType t = static_cast<DType>(opts<tflite::ShapeOptionsT>(op).out_type);
  if (t != DType::kInt32 && t != DType::kInt64)
    return invalid_input("SHAPE out_type must be int32 or int64, got " + dtype_name(t));
  set_output(g, op, 0, t, {x.unknown_rank ? -1 : static_cast<int64_t>(x.rank())});
  return ok_status();
}

Status eval_shape(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  if (!x.has_static_shape()) return internal_error("SHAPE folded on a dynamic shape");
  Tensor& out = output(g, op, 0);
  if (out.dtype == DType::kInt64) out.data = make_buffer(to_bytes(x.shape));
  else {
    ASSIGN_OR_RETURN(std::vector<int32_t> v, to_int32(x.shape, "a SHAPE dim"));
    out.data = make_buffer(to_bytes(v));
  }
  return ok_status();
}

// out_type is written as the output's type, whatever a pass made of it.
void finalize_shape(const Graph& g, Op& op, const std::vector<int>&) {
  mutable_opts<tflite::ShapeOptionsT>(op).out_type = static_cast<tflite::TensorType>(output(g, op, 0).dtype);
}

TFLC_REGISTER_OP(shape, {.code = OpCode::SHAPE,
                         .infer = infer_shape,
                         .eval = eval_shape,
                         // Without options: int32 dims (the old default).
                         .options = tflite::ShapeOptionsT{.out_type = tflite::TensorType::INT32},
                         .finalize_options = finalize_shape,
                         .types_unchecked = kNoKernelFacts,
                         .runtime_versions = {"1.10.0"},
                         .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

Status infer_rank(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 1, 1));
  set_output(g, op, 0, DType::kInt32, {});
  return ok_status();
}

Status eval_rank(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return internal_error("RANK folded on an unknown rank");
  set_output_data(g, op, 0, std::vector<int32_t>{x.rank()});
  return ok_status();
}

// Official converter: tfl.rank has no options.
TFLC_REGISTER_OP(rank, {.code = OpCode::RANK,
                        .infer = infer_rank,
                        .eval = eval_rank,
                        .types_unchecked = kNoKernelFacts,
                        .runtime_versions = {"1.14.0"},
                        .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

}  // namespace
}  // namespace tflc
