// SPLIT (inputs: axis, value; equal parts) and SPLIT_V (inputs: value,
// size_splits, axis; one size may be -1).
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

// Writes each output as the next `sizes[i]` rows of `axis`.
Status eval_split_parts(Graph& g, Op& op, const Tensor& x, int axis) {
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  AxisRows rows = axis_rows(x.shape, axis, elem);
  std::vector<int64_t> part_rows;
  for (TensorId id : op.outputs) part_rows.push_back(g.t(id).shape[axis] * rows.inner);
  std::vector<std::string> parts = split_rows(x.data->data(), rows.outer, x.shape[axis] * rows.inner, part_rows);
  for (size_t i = 0; i < parts.size(); ++i) output(g, op, static_cast<int>(i)).data = make_buffer(std::move(parts[i]));
  return ok_status();
}

// Checks SPLIT and SPLIT_V share: the input count, a value (input `value`)
// of known rank, and num_splits (returned) matching the outputs.
template <class Options>
Expected<int> num_splits(const Graph& g, const Op& op, int inputs, int value) {
  RETURN_IF_ERROR(expect_inputs(op, inputs, inputs));
  const std::string name = op_name(op.code);
  if (input(g, op, value).unknown_rank)
    return unsupported("not supported yet: " + name + " of a tensor with unknown rank");
  int n = opts<Options>(op).num_splits;
  if (n <= 0 || static_cast<int>(op.outputs.size()) != n)
    return invalid_input(name + " num_splits " + std::to_string(n) + " does not match its " +
                         std::to_string(op.outputs.size()) + " outputs");
  return n;
}

Status infer_split(Graph& g, Op& op) {
  ASSIGN_OR_RETURN(int n, num_splits<tflite::SplitOptionsT>(g, op, 2, 1));
  const Tensor& x = input(g, op, 1);
  if (!input(g, op, 0).is_const()) {
    for (int i = 0; i < n; ++i) set_output(g, op, i, x.dtype, Shape(x.rank(), -1));
    return ok_status();
  }
  ASSIGN_OR_RETURN(int64_t a, const_scalar_int(g, op.inputs[0], "the SPLIT axis"));
  ASSIGN_OR_RETURN(int axis, normalize_axis(a, x.rank()));
  Shape s = x.shape;
  if (s[axis] >= 0) {
    if (s[axis] % n != 0)
      return invalid_input("SPLIT cannot divide dim " + std::to_string(axis) + " of " + shape_str(x.shape) +
                           " into " + std::to_string(n) + " equal parts");
    s[axis] /= n;
  }
  for (int i = 0; i < n; ++i) set_output(g, op, i, x.dtype, s);
  return ok_status();
}

Status eval_split(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 1);
  ASSIGN_OR_RETURN(int64_t a, const_scalar_int(g, op.inputs[0], "the SPLIT axis"));
  ASSIGN_OR_RETURN(int axis, normalize_axis(a, x.rank()));
  return eval_split_parts(g, op, x, axis);
}

// op_version.cc (value is input 1): int16 -> 4, int32 -> 3, int8 -> 2.
int version_split(const Graph& g, const Op& op) {
  switch (input(g, op, 1).dtype) {
    case DType::kInt16: return 4;
    case DType::kInt32: return 3;
    case DType::kInt8: return 2;
    default: return 1;
  }
}

TFLC_REGISTER_OP(split, {.code = OpCode::SPLIT,
                         .infer = infer_split,
                         .eval = eval_split,
                         .options = tflite::SplitOptionsT{},
                         .types_unchecked = kNoKernelFacts,
                         .version = version_split,
                         .runtime_versions = {"1.5.0", "1.14.0", "1.14.0", "2.3.0"},
                         .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

Status infer_split_v(Graph& g, Op& op) {
  ASSIGN_OR_RETURN(int n, num_splits<tflite::SplitVOptionsT>(g, op, 3, 0));
  const Tensor& x = input(g, op, 0);
  if (!input(g, op, 1).is_const() || !input(g, op, 2).is_const()) {
    for (int i = 0; i < n; ++i) set_output(g, op, i, x.dtype, Shape(x.rank(), -1));
    return ok_status();
  }
  ASSIGN_OR_RETURN(int64_t a, const_scalar_int(g, op.inputs[2], "the SPLIT_V axis"));
  ASSIGN_OR_RETURN(int axis, normalize_axis(a, x.rank()));
  ASSIGN_OR_RETURN(std::vector<int64_t> sizes, const_ints(g, op.inputs[1]));
  if (static_cast<int>(sizes.size()) != n)
    return invalid_input("SPLIT_V has " + std::to_string(sizes.size()) + " sizes for " + std::to_string(n) +
                         " outputs");
  int unknown = -1;
  int64_t total = 0;
  for (int i = 0; i < n; ++i) {
    if (sizes[i] == -1) {
      if (unknown >= 0) return invalid_input("SPLIT_V sizes have more than one -1");
      unknown = i;
    } else if (sizes[i] < 0) {
      return invalid_input("SPLIT_V size " + std::to_string(sizes[i]) + " is negative");
    } else {
      total += sizes[i];
    }
  }
  int64_t dim = x.shape[axis];
  if (dim >= 0) {
    if (unknown >= 0) {
      if (total > dim) return invalid_input("SPLIT_V sizes exceed dim " + std::to_string(dim));
      sizes[unknown] = dim - total;
    } else if (total != dim) {
      return invalid_input("SPLIT_V sizes sum to " + std::to_string(total) + ", not to dim " +
                           std::to_string(dim));
    }
  }
  for (int i = 0; i < n; ++i) {
    Shape s = x.shape;
    s[axis] = sizes[i];
    set_output(g, op, i, x.dtype, s);
  }
  return ok_status();
}

Status eval_split_v(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  ASSIGN_OR_RETURN(int64_t a, const_scalar_int(g, op.inputs[2], "the SPLIT_V axis"));
  ASSIGN_OR_RETURN(int axis, normalize_axis(a, x.rank()));
  return eval_split_parts(g, op, x, axis);
}

TFLC_REGISTER_OP(split_v, {.code = OpCode::SPLIT_V,
                           .infer = infer_split_v,
                           .eval = eval_split_v,
                           .options = tflite::SplitVOptionsT{},
                           .types_unchecked = kNoKernelFacts,
                           // op_version.cc: int8 -> 2.
                           .version_by_type = {{DType::kInt8, 2}},
                           .runtime_versions = {"1.13.1", "2.3.0"},
                           .quant = {.output = QuantSpec::Output::kSameAsInput}});

}  // namespace
}  // namespace tflc
