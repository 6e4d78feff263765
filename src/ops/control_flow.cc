// Ops that call subgraphs: IF (then/else), WHILE (cond/body) and CALL_ONCE
// (init). Each op owns its bodies (Op::callees); shapes and values are
// computed through them, and the writer names them by subgraph index.
#include "ops/interpreter.h"
#include "ops/op_util.h"

namespace tflc {
namespace {

// WHILE folding stops here and leaves the loop to the runtime.
constexpr int64_t kMaxFoldedIterations = 10000;

Status expect_callees(const Op& op, size_t n) {
  if (op.callees.size() != n)
    return internal_error(op_name(op.code) + " needs " + std::to_string(n) + " subgraphs, has " +
                          std::to_string(op.callees.size()));
  for (const auto& c : op.callees)
    if (!c) return internal_error(op_name(op.code) + " has an empty callee");
  return ok_status();
}

std::string type_text(const Tensor& t) {
  return dtype_name(t.dtype) + (t.unknown_rank ? std::string("[*]") : shape_str(t.shape));
}

// Values flowing into a body must have its input types, and shapes that do
// not contradict its declared ones.
Status check_flow(const std::string& what, const Tensor& from, const Tensor& to) {
  bool ok = from.dtype == to.dtype;
  if (ok && !from.unknown_rank && !to.unknown_rank) {
    ok = from.rank() == to.rank();
    for (int d = 0; ok && d < from.rank(); ++d)
      ok = from.shape[d] < 0 || to.shape[d] < 0 || from.shape[d] == to.shape[d];
  }
  if (!ok) return invalid_input(what + " is " + type_text(from) + " where " + type_text(to) + " is expected");
  return ok_status();
}

// The shape two values share: dims that differ become -1, ranks that differ
// an unknown rank.
void merge_shape(Tensor& into, const Tensor& other) {
  if (into.unknown_rank) return;
  if (other.unknown_rank || other.rank() != into.rank()) {
    into.shape.clear();
    into.unknown_rank = true;
    return;
  }
  for (int d = 0; d < into.rank(); ++d)
    if (into.shape[d] != other.shape[d]) into.shape[d] = -1;
}

void set_output_like(Graph& g, const Op& op, int i, const Tensor& like) {
  Tensor& t = output(g, op, i);
  t.dtype = like.dtype;
  t.shape = like.shape;
  t.unknown_rank = like.unknown_rank;
}

// ------------------------------------------------------------------------ IF
// inputs: cond, operands...; then and else take the operands and return the
// op's outputs.

Status verify_if(const Graph& g, const Op& op) {
  RETURN_IF_ERROR(expect_callees(op, 2));
  if (op.inputs.empty()) return invalid_input("IF needs a condition input");
  for (int b = 0; b < 2; ++b) {
    const Graph& body = *op.callees[b];
    std::string name = std::string(b == 0 ? "then" : "else") + " branch '" + body.name + "'";
    if (body.inputs.size() + 1 != op.inputs.size())
      return invalid_input(name + " takes " + std::to_string(body.inputs.size()) + " inputs; the IF passes " +
                           std::to_string(op.inputs.size() - 1));
    if (body.outputs.size() != op.outputs.size())
      return invalid_input(name + " returns " + std::to_string(body.outputs.size()) + " values; the IF has " +
                           std::to_string(op.outputs.size()) + " outputs");
    for (size_t i = 0; i < body.inputs.size(); ++i)
      RETURN_IF_ERROR(check_flow(name + " input " + std::to_string(i), g.t(op.inputs[i + 1]), body.t(body.inputs[i])));
  }
  for (size_t i = 0; i < op.outputs.size(); ++i) {
    const Tensor& a = op.callees[0]->t(op.callees[0]->outputs[i]);
    const Tensor& b = op.callees[1]->t(op.callees[1]->outputs[i]);
    if (a.dtype != b.dtype)
      return invalid_input("IF branches return " + dtype_name(a.dtype) + " and " + dtype_name(b.dtype) +
                           " for output " + std::to_string(i));
  }
  return ok_status();
}

Status infer_if(Graph& g, Op& op) {
  RETURN_IF_ERROR(verify_if(g, op));
  const Tensor& cond = input(g, op, 0);
  if (cond.dtype != DType::kBool && !dtype_is_integer(cond.dtype) && cond.dtype != DType::kFloat32)
    return invalid_input("IF condition is " + dtype_name(cond.dtype));
  for (size_t i = 0; i < op.outputs.size(); ++i) {
    Tensor t = op.callees[0]->t(op.callees[0]->outputs[i]);
    merge_shape(t, op.callees[1]->t(op.callees[1]->outputs[i]));
    set_output_like(g, op, static_cast<int>(i), t);
  }
  return ok_status();
}

// TFLite's IF takes the then branch when the condition's first element is
// nonzero.
Expected<bool> condition_value(const Tensor& c) {
  if (!c.data || c.data->empty()) return invalid_input("the condition is empty");
  bool v = false;
  RETURN_IF_ERROR(dispatch_numeric(c.dtype, [&](auto tag) {
    using T = decltype(tag);
    v = const_values<T>(c).at(0) != T(0);
  }));
  return v;
}

void copy_results(Graph& g, const Op& op, const std::vector<Tensor>& results) {
  for (size_t i = 0; i < results.size(); ++i) {
    Tensor& t = output(g, op, static_cast<int>(i));
    t.data = results[i].data;
    t.shape = results[i].shape;
    t.unknown_rank = false;
  }
}

Status eval_if(Graph& g, Op& op) {
  ASSIGN_OR_RETURN(bool take_then, condition_value(input(g, op, 0)));
  std::vector<const Tensor*> args;
  for (size_t i = 1; i < op.inputs.size(); ++i) args.push_back(&g.t(op.inputs[i]));
  ASSIGN_OR_RETURN(std::vector<Tensor> results, run_subgraph(*op.callees[take_then ? 0 : 1], args, "evaluating"));
  copy_results(g, op, results);
  return ok_status();
}

TFLC_REGISTER_OP(if_op, {.code = OpCode::IF,
                         .infer = infer_if,
                         .eval = eval_if,
                         .options = tflite::IfOptionsT{},
                         .finalize_options = [](const Graph&, Op& op, const std::vector<int>& index) {
                           auto& o = mutable_opts<tflite::IfOptionsT>(op);
                           o.then_subgraph_index = index.at(0);
                           o.else_subgraph_index = index.at(1);
                         },
                         .verify = verify_if,
                         .types_unchecked = "control flow: takes any type; the ops of its bodies are checked",
                         .runtime_versions = {"1.15.0"}});

// --------------------------------------------------------------------- WHILE
// inputs = outputs = the loop values; cond maps them to one bool, body maps
// them to their next values.

Status verify_while(const Graph& g, const Op& op) {
  RETURN_IF_ERROR(expect_callees(op, 2));
  const Graph& cond = *op.callees[0];
  const Graph& body = *op.callees[1];
  size_t n = op.inputs.size();
  if (op.outputs.size() != n)
    return invalid_input("WHILE has " + std::to_string(n) + " inputs but " + std::to_string(op.outputs.size()) +
                         " outputs");
  if (cond.inputs.size() != n || cond.outputs.size() != 1)
    return invalid_input("WHILE condition '" + cond.name + "' must take the " + std::to_string(n) +
                         " loop values and return one bool; it takes " + std::to_string(cond.inputs.size()) +
                         " and returns " + std::to_string(cond.outputs.size()));
  if (cond.t(cond.outputs[0]).dtype != DType::kBool)
    return invalid_input("WHILE condition '" + cond.name + "' returns " + dtype_name(cond.t(cond.outputs[0]).dtype) +
                         ", not bool");
  if (body.inputs.size() != n || body.outputs.size() != n)
    return invalid_input("WHILE body '" + body.name + "' must take and return the " + std::to_string(n) +
                         " loop values; it takes " + std::to_string(body.inputs.size()) + " and returns " +
                         std::to_string(body.outputs.size()));
  for (size_t i = 0; i < n; ++i) {
    std::string k = std::to_string(i);
    const Tensor& in = g.t(op.inputs[i]);
    RETURN_IF_ERROR(check_flow("loop value " + k + " entering condition '" + cond.name + "'", in, cond.t(cond.inputs[i])));
    RETURN_IF_ERROR(check_flow("loop value " + k + " entering body '" + body.name + "'", in, body.t(body.inputs[i])));
    const Tensor& next = body.t(body.outputs[i]);
    if (next.dtype != in.dtype)
      return invalid_input("WHILE body '" + body.name + "' turns loop value " + k + " from " + dtype_name(in.dtype) +
                           " into " + dtype_name(next.dtype));
  }
  return ok_status();
}

// A loop value keeps the dims the body leaves unchanged; others become -1.
Status infer_while(Graph& g, Op& op) {
  RETURN_IF_ERROR(verify_while(g, op));
  const Graph& body = *op.callees[1];
  for (size_t i = 0; i < op.inputs.size(); ++i) {
    Tensor t = g.t(op.inputs[i]);
    merge_shape(t, body.t(body.outputs[i]));
    merge_shape(t, body.t(body.inputs[i]));
    set_output_like(g, op, static_cast<int>(i), t);
  }
  return ok_status();
}

Status eval_while(Graph& g, Op& op) {
  const Graph& cond = *op.callees[0];
  const Graph& body = *op.callees[1];
  std::vector<Tensor> values;
  for (TensorId i : op.inputs) values.push_back(g.t(i));
  for (int64_t n = 0;; ++n) {
    std::vector<const Tensor*> args;
    for (const Tensor& v : values) args.push_back(&v);
    ASSIGN_OR_RETURN(std::vector<Tensor> c, run_subgraph(cond, args, "evaluating"));
    ASSIGN_OR_RETURN(bool go_on, condition_value(c.at(0)));
    if (!go_on) break;
    if (n == kMaxFoldedIterations)
      return unsupported("not supported yet: folding a loop of more than " + std::to_string(kMaxFoldedIterations) +
                         " iterations");
    ASSIGN_OR_RETURN(values, run_subgraph(body, args, "evaluating"));
  }
  copy_results(g, op, values);
  return ok_status();
}

TFLC_REGISTER_OP(while_op, {.code = OpCode::WHILE,
                            .infer = infer_while,
                            .eval = eval_while,
                            .options = tflite::WhileOptionsT{},
                            .finalize_options = [](const Graph&, Op& op, const std::vector<int>& index) {
                              auto& o = mutable_opts<tflite::WhileOptionsT>(op);
                              o.cond_subgraph_index = index.at(0);
                              o.body_subgraph_index = index.at(1);
                            },
                            .verify = verify_while,
                            .types_unchecked = "control flow: takes any type; the ops of its bodies are checked",
                            .runtime_versions = {"1.15.0"}});

// ----------------------------------------------------------------- CALL_ONCE
// Runs `init` (no inputs, no outputs: it initializes resource variables)
// the first time the subgraph is invoked.

Status verify_call_once(const Graph& g, const Op& op) {
  RETURN_IF_ERROR(expect_callees(op, 1));
  const Graph& init = *op.callees[0];
  if (!op.inputs.empty() || !op.outputs.empty() || !init.inputs.empty() || !init.outputs.empty())
    return invalid_input("CALL_ONCE and its init subgraph '" + init.name + "' take no inputs and return nothing");
  return ok_status();
}

TFLC_REGISTER_OP(call_once, {.code = OpCode::CALL_ONCE,
                             .infer = [](Graph& g, Op& op) { return verify_call_once(g, op); },
                             .no_eval_reason = "it initializes runtime state",
                             .options = tflite::CallOnceOptionsT{},
                             .finalize_options = [](const Graph&, Op& op, const std::vector<int>& index) {
                               mutable_opts<tflite::CallOnceOptionsT>(op).init_subgraph_index = index.at(0);
                             },
                             .verify = verify_call_once,
                             .types_unchecked = "control flow: takes no operands; the ops of its body are checked",
                             .runtime_versions = {"2.5.0"}});

}  // namespace
}  // namespace tflc
