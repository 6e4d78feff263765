// TF ResizeBilinear / ResizeNearestNeighbor -> RESIZE_BILINEAR /
// RESIZE_NEAREST_NEIGHBOR with align_corners and half_pixel_centers; size is
// an int32 [2] (new height, new width).
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

Expected<std::vector<TensorId>> lower_resize(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  const bool bilinear = ctx.node().op() == "ResizeBilinear";
  DType t = ctx.in_tensor(0).dtype;
  // TF's ResizeBilinear returns float32 for any input; TFLite keeps the type.
  bool ok = t == DType::kFloat32 ||
            (!bilinear && (t == DType::kUInt8 || t == DType::kInt8 || t == DType::kInt16));
  if (!ok) return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(t) + " images");
  const Tensor& x = ctx.in_tensor(0);
  if (!x.unknown_rank && x.rank() != 4)
    return invalid_input("images of " + ctx.node().op() + " node '" + ctx.name() + "' must have rank 4, got " +
                         shape_str(x.shape));
  if (ctx.in_tensor(1).dtype != DType::kInt32)
    return invalid_input("size of " + ctx.node().op() + " node '" + ctx.name() + "' must be int32");
  ASSIGN_OR_RETURN(bool align_corners, ctx.attr_bool("align_corners", false));
  ASSIGN_OR_RETURN(bool half_pixel_centers, ctx.attr_bool("half_pixel_centers", false));
  if (align_corners && half_pixel_centers)
    return invalid_input(ctx.node().op() + " node '" + ctx.name() +
                         "' sets both align_corners and half_pixel_centers, which TensorFlow rejects");
  OpCode code = bilinear ? OpCode::RESIZE_BILINEAR : OpCode::RESIZE_NEAREST_NEIGHBOR;
  OpOptions options;
  if (bilinear)
    options = tflite::ResizeBilinearOptionsT{.align_corners = align_corners, .half_pixel_centers = half_pixel_centers};
  else
    options = tflite::ResizeNearestNeighborOptionsT{.align_corners = align_corners,
                                                    .half_pixel_centers = half_pixel_centers};
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(code, {ctx.in(0), ctx.in(1)}, std::move(options)));
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_TF_OP(resize, {{"ResizeBilinear", "ResizeNearestNeighbor"}, lower_resize});

}  // namespace
}  // namespace tflc
