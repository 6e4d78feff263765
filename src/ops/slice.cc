// SLICE (begin, size with -1 = to the end), DYNAMIC_UPDATE_SLICE and STRIDED_SLICE (TF's full mask
// semantics: begin/end/ellipsis/new_axis/shrink_axis, negative strides, plus
// TFLite's `offset` mode where end is a size).
#include "ops/shape_ops_util.h"

namespace tflc {
namespace {

Status infer_slice(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 3, 3));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: SLICE of a tensor with unknown rank");
  int r = x.rank();
  Shape out(r, -1);
  std::vector<int64_t> begin, size;
  bool have_begin = input(g, op, 1).is_const(), have_size = input(g, op, 2).is_const();
  if (have_begin) {
    ASSIGN_OR_RETURN(begin, const_ints(g, op.inputs[1]));
    if (static_cast<int>(begin.size()) != r)
      return invalid_input("SLICE begin has " + std::to_string(begin.size()) + " entries for rank " +
                           std::to_string(r));
  }
  if (have_size) {
    ASSIGN_OR_RETURN(size, const_ints(g, op.inputs[2]));
    if (static_cast<int>(size.size()) != r)
      return invalid_input("SLICE size has " + std::to_string(size.size()) + " entries for rank " +
                           std::to_string(r));
  }
  for (int i = 0; i < r; ++i) {
    int64_t dim = x.shape[i];
    if (have_begin && begin[i] < 0) return invalid_input("SLICE begin " + std::to_string(begin[i]) + " is negative");
    if (have_size && size[i] < -1) return invalid_input("SLICE size " + std::to_string(size[i]) + " is below -1");
    if (have_size && size[i] >= 0) out[i] = size[i];
    else if (have_size && have_begin && dim >= 0) out[i] = dim - begin[i];
    if (have_begin && dim >= 0 && (begin[i] > dim || (out[i] >= 0 && begin[i] + out[i] > dim)))
      return invalid_input("SLICE begin " + std::to_string(begin[i]) + " with size " +
                           std::to_string(have_size ? size[i] : -1) + " is out of bounds of dim " +
                           std::to_string(i) + " of " + shape_str(x.shape));
  }
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status eval_slice(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  ASSIGN_OR_RETURN(std::vector<int64_t> begin, const_ints(g, op.inputs[1]));
  std::vector<int64_t> st = strides_of(x.shape);
  int64_t base = 0;
  for (size_t i = 0; i < begin.size(); ++i) base += begin[i] * st[i];
  out.data = make_buffer(view_bytes(x.data->data(), elem, out.shape, st, base));
  return ok_status();
}

// op_version.cc: uint32 -> 6, rank > 4 -> 5, int16 -> 4, string -> 3, int8 -> 2.
int version_slice(const Graph& g, const Op& op) {
  const Tensor& x = input(g, op, 0);
  if (x.dtype == DType::kUInt32) return 6;
  if (x.rank() > 4) return 5;
  if (x.dtype == DType::kInt16) return 4;
  if (x.dtype == DType::kString) return 3;
  if (x.dtype == DType::kInt8) return 2;
  return 1;
}

// Official converter: tfl.slice has no options.
TFLC_REGISTER_OP(slice, {.code = OpCode::SLICE,
                         .infer = infer_slice,
                         .eval = eval_slice,
                         .types_unchecked = kNoKernelFacts,
                         .version = version_slice,
                         .runtime_versions = {"1.14.0", "1.14.0", "1.14.0", "2.4.0", "2.5.0", "2.14.0"},
                         .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

using StridedSliceOptions = tflite::StridedSliceOptionsT;

Expected<StridedSlicePlan> plan_for(const Graph& g, const Op& op, const Shape& input_shape) {
  ASSIGN_OR_RETURN(std::vector<int64_t> begin, const_ints(g, op.inputs[1]));
  ASSIGN_OR_RETURN(std::vector<int64_t> end, const_ints(g, op.inputs[2]));
  ASSIGN_OR_RETURN(std::vector<int64_t> strides, const_ints(g, op.inputs[3]));
  const StridedSliceOptions& a = opts<StridedSliceOptions>(op);
  return plan_strided_slice(input_shape, begin, end, strides, a.begin_mask, a.end_mask, a.ellipsis_mask,
                            a.new_axis_mask, a.shrink_axis_mask, a.offset);
}

Status infer_strided_slice(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 4, 4));
  const Tensor& x = input(g, op, 0);
  if (x.unknown_rank) return unsupported("not supported yet: STRIDED_SLICE of a tensor with unknown rank");
  bool all_const = input(g, op, 1).is_const() && input(g, op, 2).is_const() && input(g, op, 3).is_const();
  if (all_const) {
    ASSIGN_OR_RETURN(StridedSlicePlan plan, plan_for(g, op, x.shape));
    set_output(g, op, 0, x.dtype, plan.output_shape());
    return ok_status();
  }
  // Unknown indices: the masks alone fix the output rank.
  const Tensor& b = input(g, op, 1);
  if (b.unknown_rank || b.rank() != 1 || b.shape[0] < 0) {
    Tensor& t = output(g, op, 0);
    t.dtype = x.dtype;
    t.shape.clear();
    t.unknown_rank = true;
    return ok_status();
  }
  std::vector<int64_t> zeros(b.shape[0], 0), ones(b.shape[0], 1);
  const StridedSliceOptions& a = opts<StridedSliceOptions>(op);
  ASSIGN_OR_RETURN(StridedSlicePlan plan,
                   plan_strided_slice(Shape(x.rank(), -1), zeros, zeros, ones, a.begin_mask, a.end_mask,
                                      a.ellipsis_mask, a.new_axis_mask, a.shrink_axis_mask, a.offset));
  Shape out = plan.output_shape();
  for (size_t i = 0; i < out.size(); ++i)
    if (plan.final_dims[i] >= 0) out[i] = -1;
  set_output(g, op, 0, x.dtype, out);
  return ok_status();
}

Status eval_strided_slice(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  Tensor& out = output(g, op, 0);
  ASSIGN_OR_RETURN(int elem, eval_elem_size(x.dtype));
  ASSIGN_OR_RETURN(StridedSlicePlan plan, plan_for(g, op, x.shape));
  std::vector<int64_t> in_st = strides_of(x.shape);
  int64_t base = 0;
  for (size_t d = 0; d < plan.dims.size(); ++d) base += plan.dims[d].start * in_st[d];
  Shape shape;
  std::vector<int64_t> st;
  for (int i : plan.final_dims) {
    shape.push_back(i < 0 ? 1 : plan.dims[i].count);
    st.push_back(i < 0 ? 0 : in_st[i] * plan.dims[i].stride);
  }
  out.data = make_buffer(view_bytes(x.data->data(), elem, shape, st, base));
  return ok_status();
}

// op_version.cc: offset -> 8, uint32 -> 7, ellipsis/new_axis -> 6,
// string -> 5, rank > 4 -> 4, bool -> 3, int8 -> 2.
int version_strided_slice(const Graph& g, const Op& op) {
  const Tensor& x = input(g, op, 0);
  const StridedSliceOptions& a = opts<StridedSliceOptions>(op);
  if (a.offset) return 8;
  if (x.dtype == DType::kUInt32) return 7;
  if (a.ellipsis_mask != 0 || a.new_axis_mask != 0) return 6;
  if (x.dtype == DType::kString) return 5;
  if (x.rank() > 4) return 4;
  if (x.dtype == DType::kBool) return 3;
  if (x.dtype == DType::kInt8) return 2;
  return 1;
}

TFLC_REGISTER_OP(strided_slice, {.code = OpCode::STRIDED_SLICE,
                                 .infer = infer_strided_slice,
                                 .eval = eval_strided_slice,
                                 .options = StridedSliceOptions{},
                                 .types_unchecked = kNoKernelFacts,
                                 .version = version_strided_slice,
                                 .runtime_versions = {"1.6.0", "1.14.0", "2.1.0", "2.2.0", "2.5.0", "2.6.0",
                                                      "2.14.0", "2.14.0"},
                                 .quant = {.output = QuantSpec::Output::kSameAsInput, .int16 = true}});

// ------------------------------------------------------- DYNAMIC_UPDATE_SLICE

// dynamic_update_slice.cc: operand, update (same type and rank, no larger),
// rank-1 int32/int64 start indices, each clamped to [0, dim - update dim].
// The kernel copies bytes; LiteRT.js's build takes 1/8/32/64-bit integers
// and float (it refuses uint32). op_version.cc: int64 indices -> 2;
// runtime_version.cc has version 1 at 2.9.0 and no version 2 ("").
Status infer_dynamic_update_slice(Graph& g, Op& op) {
  RETURN_IF_ERROR(expect_inputs(op, 3, 3));
  const Tensor& x = input(g, op, 0);
  const Tensor& u = input(g, op, 1);
  const Tensor& i = input(g, op, 2);
  if (x.dtype != u.dtype) return invalid_input("DYNAMIC_UPDATE_SLICE update type differs from the operand's");
  if (i.dtype != DType::kInt32 && i.dtype != DType::kInt64)
    return invalid_input("DYNAMIC_UPDATE_SLICE start indices must be int32 or int64");
  if (!x.unknown_rank && !u.unknown_rank) {
    if (x.rank() != u.rank()) return invalid_input("DYNAMIC_UPDATE_SLICE update rank differs from the operand's");
    for (int d = 0; d < x.rank(); ++d)
      if (x.shape[d] >= 0 && u.shape[d] > x.shape[d]) return invalid_input("DYNAMIC_UPDATE_SLICE update is larger than the operand");
  }
  Tensor& o = output(g, op, 0);
  o.dtype = x.dtype;
  o.shape = x.shape;
  o.unknown_rank = x.unknown_rank;
  return ok_status();
}

Status eval_dynamic_update_slice(Graph& g, Op& op) {
  const Tensor& x = input(g, op, 0);
  const Tensor& u = input(g, op, 1);
  if (!x.has_static_shape() || !u.has_static_shape()) return unsupported("not supported yet: folding a dynamic DYNAMIC_UPDATE_SLICE");
  ASSIGN_OR_RETURN(std::vector<int64_t> start, const_ints(g, op.inputs[2]));
  const int r = x.rank();
  if (static_cast<int>(start.size()) != r) return invalid_input("DYNAMIC_UPDATE_SLICE needs one start index per dimension");
  for (int d = 0; d < r; ++d) start[d] = std::min(std::max<int64_t>(0, start[d]), x.shape[d] - u.shape[d]);
  const int64_t es = dtype_size(x.dtype);
  if (es <= 0) return unsupported("not supported yet: folding DYNAMIC_UPDATE_SLICE on " + dtype_name(x.dtype));
  std::string out = *x.data;
  const Shape xs = strides_of(x.shape), us = strides_of(u.shape);
  const int64_t n = u.num_elements();
  for (int64_t k = 0; k < n; ++k) {
    int64_t dst = 0;
    for (int d = 0; d < r; ++d) dst += ((k / us[d]) % u.shape[d] + start[d]) * xs[d];
    out.replace(static_cast<size_t>(dst * es), static_cast<size_t>(es), *u.data, static_cast<size_t>(k * es), static_cast<size_t>(es));
  }
  output(g, op, 0).data = make_buffer(std::move(out));
  return ok_status();
}

TFLC_REGISTER_OP(dynamic_update_slice, {.code = OpCode::DYNAMIC_UPDATE_SLICE,
                                        .infer = infer_dynamic_update_slice,
                                        .eval = eval_dynamic_update_slice,
                                        // Which element sizes a runtime's build takes varies (LiteRT.js's:
                                        // bool, 8/32/64-bit; not uint32): frontends pick the type.
                                        .types_unchecked = "the kernel copies bytes; its builds differ in the types they take",
                                        .version = [](const Graph& g, const Op& op) {
                                          return input(g, op, 2).dtype == DType::kInt64 ? 2 : 1;
                                        },
                                        .runtime_versions = {"2.9.0", ""}});

}  // namespace
}  // namespace tflc
