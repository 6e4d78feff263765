// TF Pack -> PACK, Unpack -> UNPACK. Element types the TFLite kernels lack
// (bool for PACK, int64 for UNPACK...) take an equivalent route instead:
// EXPAND + CONCATENATION, or one STRIDED_SLICE per output.
#include "frontends/graphdef/tf_ops/shape_ops_util.h"

namespace tflc {
namespace {

using namespace tf_shape;

Expected<std::vector<TensorId>> lower_pack(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1, 1 << 20));
  const Tensor& x0 = ctx.in_tensor(0);
  if (x0.unknown_rank) return unsupported("not supported yet: Pack of tensors with unknown rank");
  ASSIGN_OR_RETURN(int64_t axis, ctx.attr_int("axis", 0));
  ASSIGN_OR_RETURN(int a, normalize_axis(axis, x0.rank() + 1));
  // LiteRT's PACK: float32, int8/16/32/64, uint8/16/32.
  if (!dtype_in(x0.dtype, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32, DType::kInt64,
                           DType::kUInt8, DType::kUInt16, DType::kUInt32})) {
    std::vector<TensorId> parts;
    for (int i = 0; i < ctx.num_inputs(); ++i) {
      ASSIGN_OR_RETURN(TensorId e, emit_expand(ctx, ctx.in(i), a, "expand" + std::to_string(i)));
      parts.push_back(e);
    }
    return one(ctx.emit1(OpCode::CONCATENATION, parts, tflite::ConcatenationOptionsT{.axis = a}));
  }
  return one(
      ctx.emit1(OpCode::PACK, ctx.inputs(), tflite::PackOptionsT{.values_count = ctx.num_inputs(), .axis = a}));
}

TFLC_REGISTER_TF_OP(pack, {{"Pack"}, lower_pack});

Expected<std::vector<TensorId>> lower_unpack(TfNodeContext& ctx) {
  RETURN_IF_ERROR(ctx.expect_inputs(1));
  const Tensor& x = ctx.in_tensor(0);
  if (x.unknown_rank) return unsupported("not supported yet: Unpack of a tensor with unknown rank");
  ASSIGN_OR_RETURN(int64_t num, ctx.attr_int("num"));
  ASSIGN_OR_RETURN(int64_t axis, ctx.attr_int("axis", 0));
  ASSIGN_OR_RETURN(int a, normalize_axis(axis, x.rank()));
  if (x.shape[a] >= 0 && x.shape[a] != num)
    return invalid_input("Unpack node '" + ctx.name() + "': num " + std::to_string(num) + " differs from dim " +
                         std::to_string(a) + " of " + shape_str(x.shape));
  // LiteRT's UNPACK: float32, int32, uint8, int8, int16, bool (and it
  // rejects empty inputs).
  bool kernel_ok = dtype_in(x.dtype, {DType::kFloat32, DType::kInt32, DType::kUInt8, DType::kInt8, DType::kInt16,
                                      DType::kBool}) &&
                   x.num_elements() != 0;
  if (!kernel_ok) {
    int r = x.rank();
    std::vector<TensorId> outs;
    for (int64_t i = 0; i < num; ++i) {
      std::vector<int64_t> b(r, 0), e(r, 0), s(r, 1);
      b[a] = i;
      e[a] = i + 1;
      tflite::StridedSliceOptionsT sa;
      sa.begin_mask = sa.end_mask = ((1 << r) - 1) & ~(1 << a);
      sa.shrink_axis_mask = 1 << a;
      std::string k = std::to_string(i);
      ASSIGN_OR_RETURN(TensorId bt, i32_const(ctx, b, "begin" + k));
      ASSIGN_OR_RETURN(TensorId et, i32_const(ctx, e, "end" + k));
      ASSIGN_OR_RETURN(TensorId st, i32_const(ctx, s, "strides" + k));
      ASSIGN_OR_RETURN(TensorId o, ctx.emit1(OpCode::STRIDED_SLICE, {ctx.in(0), bt, et, st}, sa));
      outs.push_back(o);
    }
    return outs;
  }
  return ctx.emit(OpCode::UNPACK, {ctx.in(0)}, tflite::UnpackOptionsT{.num = static_cast<int>(num), .axis = a},
                  static_cast<int>(num));
}

TFLC_REGISTER_TF_OP(unpack, {{"Unpack"}, lower_unpack});

}  // namespace
}  // namespace tflc
