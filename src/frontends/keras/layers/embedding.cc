// Embedding: GATHER rows of the embeddings matrix by integer ids.
#include "frontends/keras/layer_registry.h"

namespace tflc {
namespace {

using Outs = Expected<std::vector<TensorId>>;

Outs lower_embedding(KerasLayerContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  // A mask would change what mask-aware layers downstream compute.
  ASSIGN_OR_RETURN(bool mask_zero, ctx.get_bool("mask_zero", false));
  if (mask_zero) return unsupported("not supported yet: Embedding with mask_zero=True (masks are not carried)");
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
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_KERAS_LAYER(embedding, {{"Embedding"}, lower_embedding});

}  // namespace
}  // namespace tflc
