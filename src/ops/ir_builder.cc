#include "ops/ir_builder.h"

#include "ops/constraints.h"

namespace tflc {
namespace {

tflite::CastOptionsT cast_options(DType from, DType to) {
  tflite::CastOptionsT o;
  o.in_data_type = static_cast<tflite::TensorType>(from);
  o.out_data_type = static_cast<tflite::TensorType>(to);
  return o;
}

std::string shapes_of(const Graph& g, const Op& op) {
  std::string s;
  for (TensorId i : op.inputs) {
    if (i < 0) continue;
    s += (s.empty() ? "" : " and ") + (g.t(i).unknown_rank ? "<unknown rank>" : shape_str(g.t(i).shape));
  }
  return s;
}

}  // namespace

Expected<Op*> IrBuilder::add(OpCode code, std::vector<TensorId> inputs, OpOptions options, int num_outputs,
                             std::vector<std::shared_ptr<Graph>> callees) {
  std::string base = scope_ + "/" + op_name(code);
  if (emitted_++ > 0) base += "_" + std::to_string(emitted_ - 1);
  std::vector<TensorId> outs;
  for (int i = 0; i < num_outputs; ++i) {
    Tensor t;
    t.name = num_outputs == 1 ? base : base + ":" + std::to_string(i);
    outs.push_back(g_.add_tensor(std::move(t)));
  }
  Op& op = g_.add_op(code, std::move(inputs), outs, std::move(options), scope_);
  op.callees = std::move(callees);
  RETURN_IF_ERROR(infer_op(g_, op));
  RETURN_IF_ERROR(try_fold(g_, op, fold_budget_));
  if (all_inputs_const(g_, op)) {
    bool folded = true;
    for (TensorId o : outs) folded = folded && g_.t(o).is_const();
    if (folded) op.dead = true;
  }
  return &op;
}

Expected<std::vector<TensorId>> IrBuilder::emit(OpCode code, std::vector<TensorId> inputs, OpOptions options,
                                                int num_outputs) {
  ASSIGN_OR_RETURN(Op* op, add(code, std::move(inputs), std::move(options), num_outputs));
  if (op->dead) return op->outputs;  // folded to constants: no kernel runs it
  return legalize(*op);
}

Expected<std::vector<TensorId>> IrBuilder::emit_call(OpCode code, std::vector<TensorId> inputs,
                                                     std::vector<std::shared_ptr<Graph>> callees, int num_outputs) {
  ASSIGN_OR_RETURN(Op* op, add(code, std::move(inputs), {}, num_outputs, std::move(callees)));
  if (op->dead) return op->outputs;
  return legalize(*op);
}

Expected<std::vector<TensorId>> IrBuilder::legalize(Op& op) {
  const OpSchema& s = *find_op(op.code);
  if (std::optional<DType> t = unaccepted_type(s, g_, op)) {
    if (std::optional<DType> wide = widened_type(s, *t))
      return widen(op, *t, *wide, s.other_types == TypeLegalization::kWidenAndBack);
    op.dead = true;  // refused: never written as it is
    const std::string name = dtype_name(*t);
    return unsupported("not supported yet: " + source() + " on " + name + " tensors (TFLite " + op_name(op.code) +
                       " has no " + name + " kernel)");
  }
  if (broadcast_too_wide(s, g_, op)) return broadcast_explicitly(op);
  return op.outputs;
}

// op(x, y) on a type T the kernels lack -> op(CAST(x), CAST(y)) on a type
// holding every T value, so the result is the same (a comparison's bool, or
// with cast_back MAXIMUM/MINIMUM's pick, cast back to T exactly).
Expected<std::vector<TensorId>> IrBuilder::widen(Op& op, DType from, DType to, bool cast_back) {
  const OpCode code = op.code;
  const OpOptions options = op.options;
  std::vector<TensorId> ins = op.inputs;
  const int n = static_cast<int>(op.outputs.size());
  op.dead = true;
  for (TensorId& i : ins) {
    if (i < 0 || g_.t(i).dtype != from) continue;
    ASSIGN_OR_RETURN(i, emit1(OpCode::CAST, {i}, cast_options(from, to)));
  }
  ASSIGN_OR_RETURN(std::vector<TensorId> outs, emit(code, std::move(ins), options, n));
  if (cast_back) {
    for (TensorId& o : outs) {
      if (g_.t(o).dtype != to) continue;
      ASSIGN_OR_RETURN(o, emit1(OpCode::CAST, {o}, cast_options(to, from)));
    }
  }
  return outs;
}

// A broadcast wider than the kernel takes: each input not of the output's
// shape gets a BROADCAST_TO to it first, as TF's converter does
// (legalize_tf.cc, ApplyExplicitBroadcasting); the op then broadcasts nothing.
// Needs static shapes (TF adds SHAPE/BROADCAST_ARGS ops for dynamic ones).
Expected<std::vector<TensorId>> IrBuilder::broadcast_explicitly(Op& op) {
  const Shape out = g_.t(op.outputs.at(0)).shape;
  bool static_shapes = g_.t(op.outputs[0]).has_static_shape();
  for (TensorId i : op.inputs) static_shapes = static_shapes && (i < 0 || g_.t(i).has_static_shape());
  if (!static_shapes || static_cast<int>(out.size()) > kBroadcastToMaxRank) {
    op.dead = true;
    return unsupported("not supported yet: " + source() + " broadcasting " + shapes_of(g_, op) + " (TFLite " +
                       op_name(op.code) + " broadcasts up to rank " +
                       std::to_string(find_op(op.code)->broadcast_rank) + ")");
  }
  const OpCode code = op.code;
  const OpOptions options = op.options;
  std::vector<TensorId> ins = op.inputs;
  const int n = static_cast<int>(op.outputs.size());
  op.dead = true;
  TensorId shape = constant(DType::kInt64, {static_cast<int64_t>(out.size())}, to_bytes(out), "broadcast_shape");
  for (TensorId& i : ins) {
    if (i < 0 || g_.t(i).shape == out) continue;
    ASSIGN_OR_RETURN(i, emit1(OpCode::BROADCAST_TO, {i, shape}));
  }
  return emit(code, std::move(ins), options, n);
}

Expected<TensorId> IrBuilder::emit1(OpCode code, std::vector<TensorId> inputs, OpOptions options) {
  auto r = emit(code, std::move(inputs), std::move(options), 1);
  if (!r.ok()) return r.status();
  return r->front();
}

Expected<TensorId> IrBuilder::cast(TensorId x, DType to) {
  const DType from = g_.t(x).dtype;
  if (from == to) return x;
  return emit1(OpCode::CAST, {x}, cast_options(from, to));
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
