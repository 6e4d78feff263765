// Embedding: GATHER rows of the embeddings matrix by integer ids. With
// mask_zero=True the mask ids != 0 goes to the layers that read it.
// Masking: zeroes the time steps whose features all equal mask_value, and
// masks them.
#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Outs lower_embedding(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  ASSIGN_OR_RETURN(bool mask_zero, ctx.get_bool("mask_zero", false));
  std::vector<int64_t> shape;
  ASSIGN_OR_RETURN(std::vector<float> table, ctx.weight_values(0, &shape));
  if (shape.size() != 2) return invalid_input("Embedding layer '" + ctx.scope() + "' has a weight of shape " + shape_str(shape));
  TensorId params = ctx.constant(DType::kFloat32, shape, to_bytes(table), "embeddings");
  TensorId ids = ctx.in(0);
  DType t = ctx.in_tensor(0).dtype;
  if (t == DType::kFloat32 || t == DType::kUInt8 || t == DType::kInt8 || t == DType::kInt16 || t == DType::kUInt16) {
    // Keras 2 Sequential inputs default to float32; Keras casts ids to int32
    // (truncating), as CAST does; narrower int ids widen the same way.
    ASSIGN_OR_RETURN(ids, ctx.cast(ids, DType::kInt32));
  } else if (t != DType::kInt32 && t != DType::kInt64) {
    return unsupported("not supported yet: Embedding of " + dtype_name(t) + " ids");
  }
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::GATHER, {params, ids}, tflite::GatherOptionsT{.axis = 0}));
  if (mask_zero) {
    DType it = ctx.graph().t(ids).dtype;
    TensorId zero = ctx.constant(it, {}, std::string(dtype_size(it), '\0'), "zero_id");
    ASSIGN_OR_RETURN(TensorId mask, ctx.emit1(OpCode::NOT_EQUAL, {ids, zero}));
    ctx.set_output_mask(mask);
  }
  return std::vector<TensorId>{y};
}

Outs lower_masking(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const Tensor& x = ctx.in_tensor(0);
  if (x.dtype != DType::kFloat32) return unsupported("not supported yet: Masking of " + dtype_name(x.dtype));
  if (x.unknown_rank || x.rank() != 3)
    return unsupported("not supported yet: Masking of a " + (x.unknown_rank ? std::string("unranked") : shape_str(x.shape)) +
                       " input (only [batch, time, features])");
  float value = 0.f;
  const auto& c = ctx.config();
  if (c.contains("mask_value")) {
    if (!c["mask_value"].is_number())
      return invalid_input("Masking layer '" + ctx.scope() + "': mask_value is " + c["mask_value"].dump() + ", not a number");
    value = c["mask_value"].get<float>();
  }
  ASSIGN_OR_RETURN(TensorId ne, ctx.emit1(OpCode::NOT_EQUAL, {ctx.in(0), ctx.const_f32_scalar(value, "mask_value")}));
  ASSIGN_OR_RETURN(TensorId mask, ctx.emit1(OpCode::REDUCE_ANY, {ne, ctx.const_i32({-1}, "feature_axis")},
                                            tflite::ReducerOptionsT{.keep_dims = false}));
  ASSIGN_OR_RETURN(TensorId keep, ctx.emit1(OpCode::EXPAND_DIMS, {mask, ctx.const_i32_scalar(-1, "feature_axis")}));
  ASSIGN_OR_RETURN(keep, ctx.cast(keep, DType::kFloat32));
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::MUL, {ctx.in(0), keep}));
  ctx.set_output_mask(mask);
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_KERAS_LAYER(embedding, {{"Embedding"}, lower_embedding});
TFLC_REGISTER_KERAS_LAYER(masking, {{"Masking"}, lower_masking});

}  // namespace
}  // namespace tflc
