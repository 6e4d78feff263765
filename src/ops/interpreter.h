// Runs IR subgraphs on the op records' reference kernels (OpSchema::eval):
// the evaluator behind calibration and behind folding ops that call bodies.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

// A copy the kernels may write into: tensors by value (constant buffers are
// shared, not copied), quantization parameters dropped, dead ops left out.
Graph scratch_copy(const Graph& g);

// Evaluates one op of a scratch graph whose inputs all hold values. With
// `reinfer`, shape inference runs first (input shapes may have changed).
// `what` names the caller in messages ("calibrating", "folding").
Status run_op(Graph& s, Op& op, bool reinfer, const std::string& what);

// Sees every value run_subgraph computes (IF/WHILE bodies, each iteration
// and each taken branch): calibration records the bodies' ranges with it.
class SubgraphValueObserver {
 public:
  virtual ~SubgraphValueObserver() = default;
  // `g` is the subgraph as its caller holds it (not the scratch copy), so
  // tensor ids are g's.
  virtual void seen(const Graph& g, TensorId id, const Tensor& value) = 0;
  // Calibration: CUSTOM ops (Flex and custom ops run only in the runtime)
  // and the ops that depend on their outputs are skipped instead of failing;
  // their outputs stay without values. A subgraph whose outputs then lack a
  // value fails, after cut(g), so that its caller can tell why.
  virtual bool skips_custom_ops() const { return false; }
  // `op` (g's own op, not the scratch copy's) was skipped: it is CUSTOM or
  // depends on one.
  virtual void skipped(const Graph& g, const Op& op) {}
  virtual void cut(const Graph& g) {}
};

// True for the ops calibration cannot run because only the runtime can:
// Flex ops and custom ops (CUSTOM has no reference kernel).
bool runs_only_in_runtime(const Op& op);

// Installs an observer for the current thread while in scope.
class ScopedSubgraphObserver {
 public:
  explicit ScopedSubgraphObserver(SubgraphValueObserver* o);
  ~ScopedSubgraphObserver();
  ScopedSubgraphObserver(const ScopedSubgraphObserver&) = delete;
  ScopedSubgraphObserver& operator=(const ScopedSubgraphObserver&) = delete;

 private:
  SubgraphValueObserver* previous_;
};

// Runs `g` on input values (shapes and types as the inputs have them) and
// returns its outputs, each with data.
Expected<std::vector<Tensor>> run_subgraph(const Graph& g, const std::vector<const Tensor*>& inputs,
                                           const std::string& what);

}  // namespace tflc
