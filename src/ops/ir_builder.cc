#include "ops/ir_builder.h"

namespace tflc {

Expected<std::vector<TensorId>> IrBuilder::emit(OpCode code, std::vector<TensorId> inputs, OpOptions options,
                                                int num_outputs) {
  std::string base = scope_ + "/" + op_name(code);
  if (emitted_++ > 0) base += "_" + std::to_string(emitted_ - 1);
  std::vector<TensorId> outs;
  for (int i = 0; i < num_outputs; ++i) {
    Tensor t;
    t.name = num_outputs == 1 ? base : base + ":" + std::to_string(i);
    outs.push_back(g_.add_tensor(std::move(t)));
  }
  Op& op = g_.add_op(code, std::move(inputs), outs, std::move(options), scope_);
  RETURN_IF_ERROR(infer_op(g_, op));
  RETURN_IF_ERROR(try_fold(g_, op, fold_budget_));
  if (all_inputs_const(g_, op)) {
    bool folded = true;
    for (TensorId o : outs) folded = folded && g_.t(o).is_const();
    if (folded) op.dead = true;
  }
  return outs;
}

Expected<TensorId> IrBuilder::emit1(OpCode code, std::vector<TensorId> inputs, OpOptions options) {
  auto r = emit(code, std::move(inputs), std::move(options), 1);
  if (!r.ok()) return r.status();
  return r->front();
}

TensorId IrBuilder::constant(DType dtype, Shape shape, std::string bytes, const std::string& suffix) {
  return g_.add_const(scope_ + "/" + suffix, dtype, std::move(shape), std::move(bytes));
}

TensorId IrBuilder::const_i32(const std::vector<int32_t>& v, const std::string& suffix) {
  return constant(DType::kInt32, {static_cast<int64_t>(v.size())}, to_bytes(v), suffix);
}

TensorId IrBuilder::const_i32_scalar(int32_t v, const std::string& suffix) {
  return constant(DType::kInt32, {}, to_bytes(std::vector<int32_t>{v}), suffix);
}

TensorId IrBuilder::const_f32_scalar(float v, const std::string& suffix) {
  return constant(DType::kFloat32, {}, to_bytes(std::vector<float>{v}), suffix);
}

}  // namespace tflc
