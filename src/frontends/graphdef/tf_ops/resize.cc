// TF ResizeBilinear / ResizeNearestNeighbor -> RESIZE_BILINEAR /
// RESIZE_NEAREST_NEIGHBOR with align_corners and half_pixel_centers; size is
// an int32 [2] (new height, new width).
// TF's ResizeBilinear computes in float and returns float32 for any input
// type, so other inputs are CAST first. Nearest keeps the input type: the
// kernel's types run directly, float16 round-trips through float32 (exact),
// and other types (int32, int64, bool) become two GATHERs of the source
// rows and columns TF's kernel picks, computed here for a constant size.
#include <algorithm>
#include <cmath>

#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

struct ResizeAttrs {
  bool align_corners = false, half_pixel_centers = false;
};

// Source index of each output index along one axis, as TF's nearest kernel
// (resize_nearest_neighbor_op.cc: scale, then floor or round, clamped).
std::vector<int32_t> nearest_indices(int64_t in, int64_t out, const ResizeAttrs& a) {
  const float scale = (a.align_corners && out > 1) ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                                                   : static_cast<float>(in) / static_cast<float>(out);
  std::vector<int32_t> idx;
  for (int64_t o = 0; o < out; ++o) {
    const float x = a.half_pixel_centers ? (static_cast<float>(o) + 0.5f) * scale : static_cast<float>(o) * scale;
    int64_t i = a.align_corners ? static_cast<int64_t>(std::round(x)) : static_cast<int64_t>(std::floor(x));
    idx.push_back(static_cast<int32_t>(std::clamp<int64_t>(i, 0, in - 1)));
  }
  return idx;
}

Expected<TensorId> nearest_by_gather(TfNodeContext& ctx, const ResizeAttrs& a) {
  const Tensor& x = ctx.in_tensor(0);
  auto size = const_ints(ctx.graph(), ctx.in(1));
  if (x.unknown_rank || x.shape[1] < 1 || x.shape[2] < 1 || !size.ok() || size->size() != 2 || (*size)[0] < 1 ||
      (*size)[1] < 1 || (*size)[0] > (1 << 24) || (*size)[1] > (1 << 24))
    return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(x.dtype) +
                       " images without a constant size and static height and width");
  TensorId y = ctx.in(0);
  for (int axis : {1, 2}) {
    tflite::GatherOptionsT g;
    g.axis = axis;
    std::vector<int32_t> idx = nearest_indices(x.shape[axis], (*size)[axis - 1], a);
    ASSIGN_OR_RETURN(y, ctx.emit1(OpCode::GATHER, {y, ctx.const_i32(idx, axis == 1 ? "rows" : "cols")}, g));
  }
  return y;
}

Expected<std::vector<TensorId>> lower_resize(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  const bool bilinear = ctx.node().op() == "ResizeBilinear";
  const Tensor& x = ctx.in_tensor(0);
  const DType t = x.dtype;
  if (!x.unknown_rank && x.rank() != 4)
    return invalid_input("images of " + ctx.node().op() + " node '" + ctx.name() + "' must have rank 4, got " +
                         shape_str(x.shape));
  if (ctx.in_tensor(1).dtype != DType::kInt32)
    return invalid_input("size of " + ctx.node().op() + " node '" + ctx.name() + "' must be int32");
  ResizeAttrs a;
  ASSIGN_OR_RETURN(a.align_corners, ctx.attr_bool("align_corners", false));
  ASSIGN_OR_RETURN(a.half_pixel_centers, ctx.attr_bool("half_pixel_centers", false));
  if (a.align_corners && a.half_pixel_centers)
    return invalid_input(ctx.node().op() + " node '" + ctx.name() +
                         "' sets both align_corners and half_pixel_centers, which TensorFlow rejects");
  if (bilinear) {
    if (t == DType::kString || t == DType::kBool || t == DType::kComplex64)
      return unsupported("not supported yet: ResizeBilinear on " + dtype_name(t) + " images");
    ASSIGN_OR_RETURN(TensorId in, ctx.cast(ctx.in(0), DType::kFloat32));
    tflite::ResizeBilinearOptionsT o{.align_corners = a.align_corners, .half_pixel_centers = a.half_pixel_centers};
    ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::RESIZE_BILINEAR, {in, ctx.in(1)}, o));
    return std::vector<TensorId>{y};
  }
  const bool kernel_type = t == DType::kFloat32 || t == DType::kUInt8 || t == DType::kInt8 || t == DType::kInt16;
  if (!kernel_type && t != DType::kFloat16) {
    ASSIGN_OR_RETURN(TensorId y, nearest_by_gather(ctx, a));
    return std::vector<TensorId>{y};
  }
  ASSIGN_OR_RETURN(TensorId in, ctx.cast(ctx.in(0), kernel_type ? t : DType::kFloat32));
  tflite::ResizeNearestNeighborOptionsT o{.align_corners = a.align_corners,
                                          .half_pixel_centers = a.half_pixel_centers};
  ASSIGN_OR_RETURN(TensorId y, ctx.emit1(OpCode::RESIZE_NEAREST_NEIGHBOR, {in, ctx.in(1)}, o));
  ASSIGN_OR_RETURN(y, ctx.cast(y, t));
  return std::vector<TensorId>{y};
}

TFLC_REGISTER_TF_OP(resize, {{"ResizeBilinear", "ResizeNearestNeighbor"}, lower_resize});

}  // namespace
}  // namespace tflc
