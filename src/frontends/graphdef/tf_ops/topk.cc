// TF TopKV2 (k as an input) and TopK (k as an attribute) -> TOPK_V2 with a
// scalar int32 k. TFLite always sorts, which is a valid result for
// sorted=false too. Outputs: values and int32 indices.
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

Expected<std::vector<TensorId>> lower_topk(TfNodeContext& ctx) {
  const bool v1 = ctx.node().op() == "TopK";
  RETURN_IF_ERROR(ctx.expect_inputs(v1 ? 1 : 2));
  DType t = ctx.in_tensor(0).dtype;
  if (t != DType::kFloat32 && t != DType::kInt32 && t != DType::kInt64 && t != DType::kUInt8 && t != DType::kInt8)
    return unsupported("not supported yet: " + ctx.node().op() + " on " + dtype_name(t) + " tensors");
  ASSIGN_OR_RETURN(DType index_type, ctx.attr_type("index_type", DType::kInt32));
  if (index_type != DType::kInt32)
    return unsupported("not supported yet: " + ctx.node().op() + " with index_type " + dtype_name(index_type));
  TensorId k;
  if (v1) {
    ASSIGN_OR_RETURN(int64_t kv, ctx.attr_int("k"));
    if (kv < 0 || kv > (1 << 30)) return invalid_input("k of TopK node '" + ctx.name() + "' is out of range");
    k = ctx.const_i32_scalar(static_cast<int32_t>(kv), "k");
  } else {
    const Tensor& kt = ctx.in_tensor(1);
    if (kt.dtype == DType::kInt32) {
      k = ctx.in(1);
    } else if (kt.is_const() && (kt.dtype == DType::kInt64 || kt.dtype == DType::kInt16)) {
      ASSIGN_OR_RETURN(std::vector<int64_t> kv, const_ints(ctx.graph(), ctx.in(1)));
      if (kv.size() != 1 || kv[0] < 0 || kv[0] > (1 << 30))
        return invalid_input("k of TopKV2 node '" + ctx.name() + "' must be a non-negative scalar");
      k = ctx.const_i32_scalar(static_cast<int32_t>(kv[0]), "k");
    } else {
      return unsupported("not supported yet: TopKV2 with a non-constant " + dtype_name(kt.dtype) + " k");
    }
  }
  // Indices are int32 (TopKV2Options has no index type; the op's default).
  return ctx.emit(OpCode::TOPK_V2, {ctx.in(0), k}, {}, 2);
}

TFLC_REGISTER_TF_OP(topk, {{"TopKV2", "TopK"}, lower_topk});

}  // namespace
}  // namespace tflc
