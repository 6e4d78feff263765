// TF TensorList ops over lists of a fixed element shape -> plain tensors, as
// TF's lower-static-tensor-list pass does: a list of n elements of shape e
// is a tensor [n, e...] that a While carries like any loop value.
//   TensorListReserve(e, n)          -> FILL([n, e...], 0)
//   TensorListFromTensor(t, e)       -> t
//   TensorListGetItem(l, i, e)       -> GATHER(l, i)
//   TensorListSetItem(l, i, v)       -> SELECT_V2(RANGE(n) == i, v, l)
//   TensorListStack(l, e)            -> l
//   TensorListGather(l, idx, e)      -> GATHER(l, idx)
//   TensorListLength(l)              -> n
//   TensorListElementShape(l)        -> e
//   TensorListPushBack(l, v)         -> CONCATENATION(l, [v])
// SetItem keeps the list's shape (no -1 leaks into the loop); it needs a
// static length. Lists without a static element shape, and the other list
// ops, are refused by name: TFLite has no variant tensors to keep them in.
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Outs one(Expected<TensorId> t) {
  if (!t.ok()) return t.status();
  return std::vector<TensorId>{*t};
}

// The list input `i`, which an earlier TensorList op made a tensor of rank >= 1.
Expected<const Tensor*> list_input(const TfNodeContext& ctx, int i) {
  const Tensor& l = ctx.in_tensor(i);
  if (l.dtype == DType::kInvalid || l.unknown_rank || l.rank() < 1)
    return unsupported("not supported yet: " + ctx.node().op() + " on a list that no TensorListReserve or "
                       "TensorListFromTensor with a static element shape made");
  return &l;
}

Expected<int64_t> static_length(const TfNodeContext& ctx, const Tensor& l) {
  if (l.shape[0] < 0)
    return unsupported("not supported yet: " + ctx.node().op() + " on a list whose length is only known at run time");
  return l.shape[0];
}

Outs lower_reserve(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  ASSIGN_OR_RETURN(DType t, ctx.attr_type("element_dtype"));
  auto shape = const_ints(ctx.graph(), ctx.in(0));
  auto n = const_ints(ctx.graph(), ctx.in(1));
  if (!shape.ok() || !n.ok() || n->size() != 1)
    return unsupported("not supported yet: TensorListReserve node '" + ctx.name() +
                       "' without a constant element shape and length");
  // A scalar -1 element shape means "unknown rank".
  bool known = !(ctx.in_tensor(0).rank() == 0);
  for (int64_t d : *shape) known = known && d >= 0;
  if (!known)
    return unsupported("not supported yet: TensorListReserve node '" + ctx.name() + "' with element shape " +
                       shape_str(*shape) + " (a list needs a static element shape; set the model's input shapes)");
  if ((*n)[0] < 0 || (*n)[0] > INT32_MAX)
    return invalid_input("TensorListReserve node '" + ctx.name() + "' reserves " + std::to_string((*n)[0]) + " elements");
  std::vector<int32_t> dims = {static_cast<int32_t>((*n)[0])};
  for (int64_t d : *shape) {
    if (d > INT32_MAX) return invalid_input("TensorListReserve node '" + ctx.name() + "' has a dimension over int32");
    dims.push_back(static_cast<int32_t>(d));
  }
  const int size = dtype_size(t);
  if (size == 0) return unsupported("not supported yet: TensorListReserve of " + dtype_name(t) + " elements");
  TensorId zero = ctx.constant(t, {}, std::string(static_cast<size_t>(size), '\0'), "zero");
  return one(ctx.emit1(OpCode::FILL, {ctx.const_i32(dims, "shape"), zero}));
}

Outs lower_from_tensor(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  const Tensor& t = ctx.in_tensor(0);
  if (t.unknown_rank || t.rank() < 1)
    return unsupported("not supported yet: TensorListFromTensor node '" + ctx.name() + "' on a tensor of rank " +
                       (t.unknown_rank ? std::string("unknown") : std::to_string(t.rank())));
  return std::vector<TensorId>{ctx.in(0)};
}

// GetItem (a scalar index) and Gather (a vector of them).
Outs lower_get_item(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(3));
  RETURN_IF_ERROR(list_input(ctx, 0).status());
  tflite::GatherOptionsT g;
  return one(ctx.emit1(OpCode::GATHER, {ctx.in(0), ctx.in(1)}, g));
}

Outs lower_set_item(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(3));
  ASSIGN_OR_RETURN(bool resize, ctx.attr_bool("resize_if_index_out_of_bounds", false));
  if (resize) return unsupported("not supported yet: TensorListSetItem with resize_if_index_out_of_bounds");
  ASSIGN_OR_RETURN(const Tensor* l, list_input(ctx, 0));
  ASSIGN_OR_RETURN(int64_t n, static_length(ctx, *l));
  const int rank = l->rank();
  std::vector<int32_t> iota(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) iota[k] = static_cast<int32_t>(k);
  std::vector<int32_t> mask_shape(static_cast<size_t>(rank), 1);
  mask_shape[0] = static_cast<int32_t>(n);
  TensorId rows = ctx.constant(DType::kInt32, Shape(mask_shape.begin(), mask_shape.end()), to_bytes(iota), "rows");
  ASSIGN_OR_RETURN(TensorId index, ctx.cast(ctx.in(1), DType::kInt32));
  ASSIGN_OR_RETURN(TensorId hit, ctx.emit1(OpCode::EQUAL, {rows, index}));
  ASSIGN_OR_RETURN(TensorId item, ctx.emit1(OpCode::EXPAND_DIMS, {ctx.in(2), ctx.const_i32_scalar(0, "axis")}));
  return one(ctx.emit1(OpCode::SELECT_V2, {hit, item, ctx.in(0)}));
}

Outs lower_stack(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  RETURN_IF_ERROR(list_input(ctx, 0).status());
  return std::vector<TensorId>{ctx.in(0)};
}

Outs lower_length(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(const Tensor* l, list_input(ctx, 0));
  ASSIGN_OR_RETURN(int64_t n, static_length(ctx, *l));
  return std::vector<TensorId>{ctx.const_i32_scalar(static_cast<int32_t>(n), "length")};
}

Outs lower_element_shape(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(const Tensor* l, list_input(ctx, 0));
  ASSIGN_OR_RETURN(DType t, ctx.attr_type("shape_type", DType::kInt32));
  std::vector<int32_t> e(l->shape.begin() + 1, l->shape.end());
  TensorId shape = ctx.const_i32(e, "element_shape");
  return one(ctx.cast(shape, t));
}

Outs lower_push_back(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  RETURN_IF_ERROR(list_input(ctx, 0).status());
  ASSIGN_OR_RETURN(TensorId item, ctx.emit1(OpCode::EXPAND_DIMS, {ctx.in(1), ctx.const_i32_scalar(0, "axis")}));
  tflite::ConcatenationOptionsT c;
  c.axis = 0;
  return one(ctx.emit1(OpCode::CONCATENATION, {ctx.in(0), item}, c));
}

TFLC_REGISTER_TF_OP(tensor_list_reserve, {{"TensorListReserve"}, lower_reserve});
TFLC_REGISTER_TF_OP(tensor_list_from_tensor, {{"TensorListFromTensor"}, lower_from_tensor});
TFLC_REGISTER_TF_OP(tensor_list_get_item, {{"TensorListGetItem", "TensorListGather"}, lower_get_item});
TFLC_REGISTER_TF_OP(tensor_list_set_item, {{"TensorListSetItem"}, lower_set_item});
TFLC_REGISTER_TF_OP(tensor_list_stack, {{"TensorListStack"}, lower_stack});
TFLC_REGISTER_TF_OP(tensor_list_length, {{"TensorListLength"}, lower_length});
TFLC_REGISTER_TF_OP(tensor_list_element_shape, {{"TensorListElementShape"}, lower_element_shape});
TFLC_REGISTER_TF_OP(tensor_list_push_back, {{"TensorListPushBack"}, lower_push_back});

}  // namespace
}  // namespace tflc
