// TF Pad -> PAD, PadV2 -> PADV2, MirrorPad -> MIRROR_PAD. All-zero paddings
// are a no-op.
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

bool zero_paddings(TfNodeContext& ctx) {
  if (!ctx.in_tensor(1).is_const()) return false;
  auto p = const_ints(ctx.graph(), ctx.in(1));
  return p.ok() && std::all_of(p->begin(), p->end(), [](int64_t v) { return v == 0; });
}

Expected<TensorId> paddings_i32(TfNodeContext& ctx) {
  if (!ctx.in_tensor(1).is_const()) return as_int32(ctx, ctx.in(1), "paddings");
  ASSIGN_OR_RETURN(std::vector<int64_t> p, const_ints(ctx.graph(), ctx.in(1)));
  return i32_const(ctx, p, "paddings", ctx.in_tensor(1).shape);
}

Expected<std::vector<TensorId>> lower_pad(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2, 3));
  TensorId x = ctx.in(0);
  if (zero_paddings(ctx) && forwardable(ctx, x)) return std::vector<TensorId>{x};
  ASSIGN_OR_RETURN(TensorId p, paddings_i32(ctx));
  if (ctx.num_inputs() == 3) return one(ctx.emit1(OpCode::PADV2, {x, p, ctx.in(2)}));
  return one(ctx.emit1(OpCode::PAD, {x, p}));
}

TFLC_REGISTER_TF_OP(pad, {{"Pad", "PadV2"}, lower_pad});

Expected<std::vector<TensorId>> lower_mirror_pad(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(2));
  TensorId x = ctx.in(0);
  ASSIGN_OR_RETURN(std::string mode, ctx.attr_string("mode"));
  tflite::MirrorPadOptionsT a;
  if (mode == "REFLECT") a.mode = MirrorMode::REFLECT;
  else if (mode == "SYMMETRIC") a.mode = MirrorMode::SYMMETRIC;
  else return invalid_input("MirrorPad node '" + ctx.name() + "' has unknown mode '" + mode + "'");
  if (zero_paddings(ctx) && forwardable(ctx, x)) return std::vector<TensorId>{x};
  ASSIGN_OR_RETURN(TensorId p, paddings_i32(ctx));
  // LiteRT: float32, int8, uint8, int16, int32, int64; bool goes through int32.
  if (ctx.in_tensor(0).dtype == DType::kBool && !ctx.in_tensor(0).is_const()) {
    ASSIGN_OR_RETURN(TensorId xi, emit_cast(ctx, x, DType::kInt32));
    ASSIGN_OR_RETURN(TensorId yi, ctx.emit1(OpCode::MIRROR_PAD, {xi, p}, a));
    return one(emit_cast(ctx, yi, DType::kBool));
  }
  return one(ctx.emit1(OpCode::MIRROR_PAD, {x, p}, a));
}

TFLC_REGISTER_TF_OP(mirror_pad, {{"MirrorPad"}, lower_mirror_pad});

}  // namespace
}  // namespace tflc
