// Emits IR ops the way every frontend wants them: each new op gets its
// shape inference at once and is folded when its inputs are constant, and
// its outputs are named "<scope>/<OP>[_k]". An op that stays in the graph is
// checked against its record's kernel constraints (ops/constraints.h): an
// operand type the kernels lack is widened by an exact CAST where the record
// allows it, a broadcast wider than the kernel takes is made explicit with
// BROADCAST_TO, and anything else is refused as "not supported yet", naming
// the source node. An op is never left in the graph as its kernel cannot run it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ops/op_util.h"

namespace tflc {

// Bytes a result folded during lowering may take (see try_fold).
constexpr int64_t kDefaultFoldBudget = 1 << 20;

class IrBuilder {
 public:
  IrBuilder(Graph& g, std::string scope, int64_t fold_budget = kDefaultFoldBudget)
      : g_(g), scope_(std::move(scope)), fold_budget_(fold_budget) {}
  virtual ~IrBuilder() = default;

  Graph& graph() { return g_; }
  const std::string& scope() const { return scope_; }
  int64_t fold_budget() const { return fold_budget_; }
  // What is being lowered, for messages: "'<scope>'" here; frontends name
  // their node ("Div node 'x'", "Dense layer 'd'").
  virtual std::string source() const { return "'" + scope_ + "'"; }

  Expected<std::vector<TensorId>> emit(OpCode code, std::vector<TensorId> inputs, OpOptions options = {},
                                       int num_outputs = 1);
  Expected<TensorId> emit1(OpCode code, std::vector<TensorId> inputs, OpOptions options = {});
  // CAST of `x` to `to` (x itself when it already has that type).
  Expected<TensorId> cast(TensorId x, DType to);
  // An op that calls subgraphs (IF: then, else; WHILE: cond, body).
  Expected<std::vector<TensorId>> emit_call(OpCode code, std::vector<TensorId> inputs,
                                            std::vector<std::shared_ptr<Graph>> callees, int num_outputs);
  TensorId constant(DType dtype, Shape shape, std::string bytes, const std::string& suffix);
  TensorId const_i32(const std::vector<int32_t>& v, const std::string& suffix);  // rank-1
  TensorId const_i32_scalar(int32_t v, const std::string& suffix);
  TensorId const_f32_scalar(float v, const std::string& suffix);

 protected:
  Graph& g_;

 private:
  // Adds the op, infers its outputs and folds it when it can.
  Expected<Op*> add(OpCode code, std::vector<TensorId> inputs, OpOptions options, int num_outputs,
                    std::vector<std::shared_ptr<Graph>> callees = {});
  // Checks a live op against its record; legalizes or refuses it.
  Expected<std::vector<TensorId>> legalize(Op& op);
  Expected<std::vector<TensorId>> widen(Op& op, DType from, DType to, bool cast_back);
  Expected<std::vector<TensorId>> broadcast_explicitly(Op& op);

  std::string scope_;
  int64_t fold_budget_;
  int emitted_ = 0;
};

}  // namespace tflc
