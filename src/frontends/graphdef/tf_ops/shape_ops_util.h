// Helpers shared by the TF shape/gather lowerings (tf_ops/reshape.cc,
// slice.cc, pad.cc...). Header-only: each lowering file includes it.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "frontends/graphdef/tf_op_registry.h"
#include "ops/shape_ops_util.h"

namespace tflc {
namespace tf_shape {

// Constant integer input `i` of the node (int32 or int64).
inline Expected<std::vector<int64_t>> const_input(TfNodeContext& ctx, int i, const char* what) {
  if (!ctx.in_tensor(i).is_const())
    return unsupported(std::string("not supported yet: ") + ctx.node().op() + " with a non-constant " + what);
  return const_ints(ctx.graph(), ctx.in(i));
}

// An int32 constant holding `v` (shape `shape`, or [n] when empty).
inline Expected<TensorId> i32_const(TfNodeContext& ctx, const std::vector<int64_t>& v, const std::string& suffix,
                                    Shape shape = {}, bool scalar = false) {
  ASSIGN_OR_RETURN(std::vector<int32_t> w, to_int32(v, suffix.c_str()));
  if (!scalar && shape.empty()) shape = {static_cast<int64_t>(v.size())};
  return ctx.constant(DType::kInt32, shape, to_bytes(w), suffix);
}

// Input `id` as an int32 tensor: constants are converted, int64 run-time
// values go through CAST (TFLite wants int32 shapes and indices).
inline Expected<TensorId> as_int32(TfNodeContext& ctx, TensorId id, const std::string& suffix) {
  const Tensor& t = ctx.graph().t(id);
  if (t.dtype == DType::kInt32) return id;
  if (t.dtype != DType::kInt64)
    return invalid_input(ctx.node().op() + " node '" + ctx.name() + "': " + suffix + " must be int32 or int64, got " +
                         dtype_name(t.dtype));
  if (t.is_const()) {
    ASSIGN_OR_RETURN(std::vector<int64_t> v, const_ints(ctx.graph(), id));
    bool scalar = t.rank() == 0;
    return i32_const(ctx, v, suffix, t.shape, scalar);
  }
  if (!find_op(OpCode::CAST))
    return unsupported("not supported yet: " + ctx.node().op() + " with a run-time int64 " + suffix);
  tflite::CastOptionsT a;
  a.in_data_type = tflite::TensorType::INT64;
  a.out_data_type = tflite::TensorType::INT32;
  return ctx.emit1(OpCode::CAST, {id}, a);
}

// A no-op lowering may return its input unchanged, except a graph input:
// a model whose output is its own input tensor confuses runtimes.
inline bool forwardable(TfNodeContext& ctx, TensorId id) {
  const auto& ins = ctx.graph().inputs;
  return std::find(ins.begin(), ins.end(), id) == ins.end();
}

inline Expected<std::vector<TensorId>> one(Expected<TensorId> r) {
  if (!r.ok()) return r.status();
  return std::vector<TensorId>{*r};
}

// RESHAPE to a fully or partly (one -1) known shape.
inline Expected<TensorId> emit_reshape(TfNodeContext& ctx, TensorId x, const Shape& shape,
                                       const std::string& suffix = "shape") {
  ASSIGN_OR_RETURN(TensorId s, i32_const(ctx, shape, suffix));
  return ctx.emit1(OpCode::RESHAPE, {x, s});
}

// Inserts a size-1 dim at `axis` (already normalized): a RESHAPE when the
// input shape is static (what the official converter ends up with), else
// EXPAND_DIMS.
inline Expected<TensorId> emit_expand(TfNodeContext& ctx, TensorId x, int axis, const std::string& suffix) {
  const Tensor& t = ctx.graph().t(x);
  if (t.has_static_shape()) {
    Shape s = t.shape;
    s.insert(s.begin() + axis, 1);
    return emit_reshape(ctx, x, s, suffix);
  }
  ASSIGN_OR_RETURN(TensorId a, i32_const(ctx, {axis}, suffix, {}, true));
  return ctx.emit1(OpCode::EXPAND_DIMS, {x, a});
}

// CAST to `to`; bool tensors visit int32 this way around kernels that lack
// bool (CAST maps nonzero back to true, so the round trip is exact).
inline Expected<TensorId> emit_cast(TfNodeContext& ctx, TensorId id, DType to) {
  if (!find_op(OpCode::CAST))
    return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(ctx.graph().t(id).dtype));
  tflite::CastOptionsT a;
  a.in_data_type = static_cast<tflite::TensorType>(ctx.graph().t(id).dtype);
  a.out_data_type = static_cast<tflite::TensorType>(to);
  return ctx.emit1(OpCode::CAST, {id}, a);
}

// Element types each TFLite kernel accepts (LiteRT's Prepare checks).
inline bool dtype_in(DType t, std::initializer_list<DType> list) {
  return std::find(list.begin(), list.end(), t) != list.end();
}

}  // namespace tf_shape
}  // namespace tflc
