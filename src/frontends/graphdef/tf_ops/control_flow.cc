// TF functional control flow -> TFLite IF / WHILE with body subgraphs.
//   If/StatelessIf(cond, args...)    -> IF(cond, args...) {then_branch, else_branch}
//   While/StatelessWhile(values...)  -> WHILE(values...) {cond, body}
// Bodies come from the graph's FunctionDefLibrary (FunctionImporter), one
// subgraph per function and argument types, shared by every call. An If
// whose condition is constant is replaced by the ops of the taken branch.
// Case/StatelessCase becomes nested IFs (see lower_case).
// A While loop value whose shape changes across iterations gets -1 dims (or
// an unknown rank); `output_shapes` (TF's shape_invariants) relaxes them up
// front; parallel_iterations is ignored, as TF's converter ignores it.
#include "frontends/graphdef/tensor_proto.h"
#include "frontends/graphdef/tf_op_registry.h"

namespace tflc {
namespace {

// What a body sees of a value: its type, never its data (a loop value
// changes; an If argument is passed at run time).
Tensor arg_type(const Tensor& t) {
  Tensor a;
  a.dtype = t.dtype;
  a.shape = t.shape;
  a.unknown_rank = t.unknown_rank;
  return a;
}

std::vector<Tensor> arg_types(const TfNodeContext& ctx, size_t first) {
  std::vector<Tensor> out;
  for (size_t i = first; i < ctx.inputs().size(); ++i) out.push_back(arg_type(ctx.in_tensor(static_cast<int>(i))));
  return out;
}

// A body's own unsupported ops are reported by the body's importer, in
// full; the If/While node is not listed again as if it were the culprit.
Expected<std::shared_ptr<Graph>> import_body(TfNodeContext& ctx, const std::string& name,
                                             const std::vector<Tensor>& types) {
  auto body = ctx.functions()->import(name, types);
  if (!body.ok() && body.status().kind() == ErrorKind::kUnsupported)
    return Status(ErrorKind::kInvalidInput, body.status().message());
  return body;
}

Status need_library(const TfNodeContext& ctx) {
  if (!ctx.functions())
    return invalid_input(ctx.source() + " calls functions, but the graph has no function library; export the "
                                        "graph with its library (a SavedModel, or a frozen graph from TF2)");
  return ok_status();
}

// The dims two shapes share: differing dims become -1, differing ranks an
// unknown rank. Returns whether `into` changed.
bool relax(Tensor& into, const Tensor& other) {
  if (into.unknown_rank) return false;
  if (other.unknown_rank || other.rank() != into.rank()) {
    into.shape.clear();
    into.unknown_rank = true;
    return true;
  }
  bool changed = false;
  for (int d = 0; d < into.rank(); ++d)
    if (into.shape[d] != other.shape[d] && into.shape[d] != -1) into.shape[d] = -1, changed = true;
  return changed;
}

// Re-emits the ops of `body` into the builder's graph, reading `args` for
// its inputs; returns the values of its outputs.
Expected<std::vector<TensorId>> inline_body(IrBuilder& ctx, const Graph& body, const std::vector<TensorId>& args) {
  Graph& g = ctx.graph();
  std::vector<TensorId> map(body.tensors.size(), kNoTensor);
  for (size_t i = 0; i < body.inputs.size(); ++i) map[body.inputs[i]] = args.at(i);
  auto value = [&](TensorId t) -> TensorId {
    if (t == kNoTensor) return kNoTensor;
    if (map[t] == kNoTensor && body.t(t).is_const()) {
      const Tensor& c = body.t(t);
      map[t] = g.add_tensor(c);
      g.t(map[t]).name = ctx.scope() + "/" + c.name;
    }
    return map[t];
  };
  for (const auto& op_ptr : body.ops) {
    const Op& op = *op_ptr;
    if (op.dead) continue;
    std::vector<TensorId> ins;
    for (TensorId t : op.inputs) ins.push_back(value(t));
    int n = static_cast<int>(op.outputs.size());
    auto outs = op.callees.empty() ? ctx.emit(op.code, ins, op.options, n) : ctx.emit_call(op.code, ins, op.callees, n);
    if (!outs.ok()) return outs.status();
    for (int i = 0; i < n; ++i) map[op.outputs[i]] = (*outs)[i];
  }
  std::vector<TensorId> result;
  for (TensorId t : body.outputs) {
    TensorId v = value(t);
    if (v == kNoTensor) return internal_error("branch '" + body.name + "' output is not computed");
    result.push_back(v);
  }
  return result;
}

Expected<std::vector<TensorId>> lower_if(TfNodeContext& ctx) {
  RETURN_IF_ERROR(need_library(ctx));
  if (ctx.num_inputs() < 1) return invalid_input(ctx.source() + " has no condition input");
  ASSIGN_OR_RETURN(std::string then_name, ctx.attr_func("then_branch"));
  ASSIGN_OR_RETURN(std::string else_name, ctx.attr_func("else_branch"));
  std::vector<Tensor> types = arg_types(ctx, 1);
  std::vector<TensorId> args(ctx.inputs().begin() + 1, ctx.inputs().end());
  const Tensor& cond = ctx.in_tensor(0);
  if (!cond.unknown_rank && cond.num_elements() != 1)
    return unsupported("not supported yet: an If condition of shape " + shape_str(cond.shape) +
                       " (TFLite's IF takes one value)");
  if (cond.is_const()) {
    bool take_then = false;
    RETURN_IF_ERROR(dispatch_numeric(cond.dtype, [&](auto tag) {
      using T = decltype(tag);
      take_then = const_values<T>(cond).at(0) != T(0);
    }));
    ASSIGN_OR_RETURN(auto branch, import_body(ctx, take_then ? then_name : else_name, types));
    return inline_body(ctx, *branch, args);
  }
  ASSIGN_OR_RETURN(auto then_g, import_body(ctx, then_name, types));
  ASSIGN_OR_RETURN(auto else_g, import_body(ctx, else_name, types));
  TensorId c = ctx.in(0);
  if (cond.dtype != DType::kBool) {
    // TF takes a nonzero number as true; TFLite's IF reads a bool.
    TensorId zero = ctx.constant(cond.dtype, {}, std::string(dtype_size(cond.dtype), '\0'), "zero");
    ASSIGN_OR_RETURN(c, ctx.emit1(OpCode::NOT_EQUAL, {c, zero}));
  }
  std::vector<TensorId> ins{c};
  ins.insert(ins.end(), args.begin(), args.end());
  return ctx.emit_call(OpCode::IF, ins, {then_g, else_g}, static_cast<int>(then_g->outputs.size()));
}

Expected<std::vector<TensorId>> lower_while(TfNodeContext& ctx) {
  RETURN_IF_ERROR(need_library(ctx));
  ASSIGN_OR_RETURN(std::string cond_name, ctx.attr_func("cond"));
  ASSIGN_OR_RETURN(std::string body_name, ctx.attr_func("body"));
  std::vector<Tensor> types = arg_types(ctx, 0);
  if (ctx.has_attr("output_shapes")) {
    const auto& shapes = ctx.node().attr().at("output_shapes").list().shape();
    std::vector<int> tf_types;
    if (ctx.has_attr("T"))
      for (int t : ctx.node().attr().at("T").list().type()) tf_types.push_back(t);
    if (shapes.size() == static_cast<int>(types.size())) {
      for (int i = 0; i < shapes.size(); ++i) {
        // A TensorList's invariant is its handle's shape ([]), not the
        // shape of the tensor the list became.
        if (i < static_cast<int>(tf_types.size()) && tf_types[i] == tensorflow::DT_VARIANT) continue;
        Tensor inv;
        ASSIGN_OR_RETURN(inv.shape, shape_from_proto(shapes[i], &inv.unknown_rank));
        relax(types[i], inv);
      }
    }
  }
  // Loop values take the shapes the body keeps; a few rounds settle them.
  std::shared_ptr<Graph> body;
  for (int round = 0;; ++round) {
    ASSIGN_OR_RETURN(body, import_body(ctx, body_name, types));
    if (body->outputs.size() != types.size())
      return invalid_input("While body '" + body_name + "' returns " + std::to_string(body->outputs.size()) +
                           " values for " + std::to_string(types.size()) + " loop values; it must return each one");
    bool changed = false;
    for (size_t i = 0; i < types.size(); ++i) {
      const Tensor& next = body->t(body->outputs[i]);
      if (next.dtype != types[i].dtype)
        return invalid_input("While body '" + body_name + "' turns loop value " + std::to_string(i) + " from " +
                             dtype_name(types[i].dtype) + " into " + dtype_name(next.dtype));
      changed = relax(types[i], next) || changed;
    }
    if (!changed) break;
    if (round == 3) return internal_error("While loop shapes did not settle");
  }
  ASSIGN_OR_RETURN(auto cond, import_body(ctx, cond_name, types));
  return ctx.emit_call(OpCode::WHILE, ctx.inputs(), {cond, body}, static_cast<int>(types.size()));
}

// Case/StatelessCase(branch_index, args...) -> nested IFs, as TFLite has no
// CASE: IF(i == 0, i, args){branch 0, IF(i == 1, ...){..., branch N-1}}.
// An index outside [0, N) takes the last branch, as TF's Case does. Every IF
// passes the index on, so each branch is wrapped in a body that takes
// (i, args...) and inlines the branch. A constant index inlines the taken
// branch.
std::shared_ptr<Graph> new_body(const std::string& name, const Tensor& index, const std::vector<Tensor>& types) {
  auto g = std::make_shared<Graph>();
  g->name = name;
  g->role = SubgraphRole::kBody;
  Tensor i = index;
  i.name = "branch_index";
  g->inputs.push_back(g->add_tensor(std::move(i)));
  for (size_t k = 0; k < types.size(); ++k) {
    Tensor a = types[k];
    a.name = "arg" + std::to_string(k);
    g->inputs.push_back(g->add_tensor(std::move(a)));
  }
  return g;
}

// Emits IF(index == k, index, args){wrap(branch k), rest} into `b`, where
// rest does the same for k + 1, and the last branch needs no test.
Expected<std::vector<TensorId>> emit_case(IrBuilder& b, const std::vector<std::shared_ptr<Graph>>& branches,
                                          size_t k, TensorId index, const std::vector<TensorId>& args,
                                          const Tensor& index_type, const std::vector<Tensor>& types,
                                          int64_t fold_budget) {
  if (k + 1 == branches.size()) return inline_body(b, *branches[k], args);
  auto body = [&](const std::string& suffix, auto fill) -> Expected<std::shared_ptr<Graph>> {
    auto g = new_body(b.scope() + "/" + suffix, index_type, types);
    IrBuilder gb(*g, g->name, fold_budget);
    std::vector<TensorId> gargs(g->inputs.begin() + 1, g->inputs.end());
    ASSIGN_OR_RETURN(std::vector<TensorId> outs, fill(gb, g->inputs[0], gargs));
    g->outputs = outs;
    return g;
  };
  ASSIGN_OR_RETURN(auto then_g, body("branch" + std::to_string(k), [&](IrBuilder& gb, TensorId, const auto& gargs) {
                     return inline_body(gb, *branches[k], gargs);
                   }));
  ASSIGN_OR_RETURN(auto else_g, body(k + 2 == branches.size() ? "branch" + std::to_string(k + 1)
                                                              : "case" + std::to_string(k + 1),
                                     [&](IrBuilder& gb, TensorId gi, const auto& gargs) {
                                       return emit_case(gb, branches, k + 1, gi, gargs, index_type, types,
                                                        fold_budget);
                                     }));
  int32_t kv = static_cast<int32_t>(k);
  TensorId kt = b.constant(DType::kInt32, {}, std::string(reinterpret_cast<const char*>(&kv), sizeof kv), "k");
  ASSIGN_OR_RETURN(TensorId c, b.emit1(OpCode::EQUAL, {index, kt}));
  std::vector<TensorId> ins{c, index};
  ins.insert(ins.end(), args.begin(), args.end());
  return b.emit_call(OpCode::IF, ins, {then_g, else_g}, static_cast<int>(branches[k]->outputs.size()));
}

Expected<std::vector<TensorId>> lower_case(TfNodeContext& ctx) {
  RETURN_IF_ERROR(need_library(ctx));
  if (ctx.num_inputs() < 1) return invalid_input(ctx.source() + " has no branch_index input");
  auto it = ctx.node().attr().find("branches");
  if (it == ctx.node().attr().end() || it->second.list().func_size() == 0)
    return invalid_input(ctx.source() + " has no branches; a Case needs at least one function in 'branches'");
  std::vector<std::string> names;
  for (const auto& f : it->second.list().func()) names.push_back(f.name());
  const Tensor& index = ctx.in_tensor(0);
  if (index.dtype != DType::kInt32 || (!index.unknown_rank && index.num_elements() != 1))
    return invalid_input(ctx.source() + ": branch_index must be an int32 scalar, not " + dtype_name(index.dtype) +
                         (index.unknown_rank ? std::string("[*]") : shape_str(index.shape)));
  std::vector<Tensor> types = arg_types(ctx, 1);
  std::vector<TensorId> args(ctx.inputs().begin() + 1, ctx.inputs().end());
  if (index.is_const()) {
    int64_t i = const_values<int32_t>(index).at(0);
    size_t taken = i < 0 || i >= static_cast<int64_t>(names.size()) ? names.size() - 1 : static_cast<size_t>(i);
    ASSIGN_OR_RETURN(auto branch, import_body(ctx, names[taken], types));
    return inline_body(ctx, *branch, args);
  }
  std::vector<std::shared_ptr<Graph>> branches;
  for (const auto& n : names) {
    ASSIGN_OR_RETURN(auto g, import_body(ctx, n, types));
    if (!branches.empty() && g->outputs.size() != branches[0]->outputs.size())
      return invalid_input(ctx.source() + ": branch '" + n + "' returns " + std::to_string(g->outputs.size()) +
                           " values, branch '" + names[0] + "' " + std::to_string(branches[0]->outputs.size()));
    branches.push_back(std::move(g));
  }
  // The bodies take a scalar index whatever shape the graph gave it.
  TensorId i = ctx.in(0);
  Tensor index_type = arg_type(index);
  if (index.unknown_rank || index.rank() != 0) {
    ASSIGN_OR_RETURN(i, ctx.emit1(OpCode::RESHAPE, {i, ctx.const_i32({}, "scalar")}));
    index_type.shape.clear();
    index_type.unknown_rank = false;
  }
  return emit_case(ctx, branches, 0, i, args, index_type, types, ctx.fold_budget());
}

TFLC_REGISTER_TF_OP(if_op, {{"If", "StatelessIf"}, lower_if});
TFLC_REGISTER_TF_OP(case_op, {{"Case", "StatelessCase"}, lower_case});
TFLC_REGISTER_TF_OP(while_op, {{"While", "StatelessWhile"}, lower_while});

}  // namespace
}  // namespace tflc
