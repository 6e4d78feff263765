// Emits IR ops the way every frontend wants them: each new op gets its
// shape inference at once and is folded when its inputs are constant, and
// its outputs are named "<scope>/<OP>[_k]".
#pragma once

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

  Graph& graph() { return g_; }
  const std::string& scope() const { return scope_; }

  Expected<std::vector<TensorId>> emit(OpCode code, std::vector<TensorId> inputs, OpOptions options = {},
                                       int num_outputs = 1);
  Expected<TensorId> emit1(OpCode code, std::vector<TensorId> inputs, OpOptions options = {});
  TensorId constant(DType dtype, Shape shape, std::string bytes, const std::string& suffix);
  TensorId const_i32(const std::vector<int32_t>& v, const std::string& suffix);  // rank-1
  TensorId const_i32_scalar(int32_t v, const std::string& suffix);
  TensorId const_f32_scalar(float v, const std::string& suffix);

 protected:
  Graph& g_;

 private:
  std::string scope_;
  int64_t fold_budget_;
  int emitted_ = 0;
};

}  // namespace tflc
