#include "ir/dump.h"
#include "passes/passes.h"

namespace tflc {

// Entry subgraphs and bodies alike, bodies before their callers (whose shapes
// and folding read the bodies). Every pass keeps a graph's inputs and
// outputs, which is what a body's callers rely on.
Status run_pipeline(Model& m, const PipelineOptions& options) {
  ASSIGN_OR_RETURN(std::vector<Graph*> graphs, m.all_subgraphs(Model::Order::kCalleesFirst));
  for (Graph* gp : graphs) {
    Graph& g = *gp;
    RETURN_IF_ERROR(infer_shapes(g).with_context("shape inference"));
    RETURN_IF_ERROR(fold_constants(g, options.fold_budget).with_context("constant folding"));
    RETURN_IF_ERROR(eliminate_dead_ops(g));
    RETURN_IF_ERROR(fuse_dilated_conv(g).with_context("dilated convolution"));
    RETURN_IF_ERROR(cleanup_transpose_reshape(g).with_context("transpose/reshape clean-up"));
    RETURN_IF_ERROR(fuse_bias_add(g).with_context("bias fusion"));
    RETURN_IF_ERROR(fold_batch_norm(g).with_context("batch-norm folding"));
    RETURN_IF_ERROR(fuse_bias_add(g).with_context("bias fusion"));
    RETURN_IF_ERROR(fuse_softmax(g).with_context("softmax fusion"));
    RETURN_IF_ERROR(fuse_mean(g).with_context("mean fusion"));
    RETURN_IF_ERROR(fuse_pool(g).with_context("pool fusion"));
    RETURN_IF_ERROR(fuse_leaky_relu(g).with_context("leaky ReLU matching"));
    RETURN_IF_ERROR(fuse_elementwise_activations(g).with_context("activation matching"));
    RETURN_IF_ERROR(fuse_activation(g).with_context("activation fusion"));
    RETURN_IF_ERROR(eliminate_dead_ops(g));
  }
  RETURN_IF_ERROR(verify_model(m).with_context("after the passes"));
  return dedup_buffers(m);
}

}  // namespace tflc
