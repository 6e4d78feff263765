#include "ir/dump.h"
#include "passes/passes.h"

namespace tflc {

Status run_pipeline(Model& m, const PipelineOptions& options) {
  for (Graph& g : m.subgraphs) {
    RETURN_IF_ERROR(infer_shapes(g).with_context("shape inference"));
    RETURN_IF_ERROR(fold_constants(g, options.fold_budget).with_context("constant folding"));
    RETURN_IF_ERROR(eliminate_dead_ops(g));
    RETURN_IF_ERROR(fuse_dilated_conv(g).with_context("dilated convolution"));
    RETURN_IF_ERROR(cleanup_transpose_reshape(g).with_context("transpose/reshape clean-up"));
    RETURN_IF_ERROR(fuse_bias_add(g).with_context("bias fusion"));
    RETURN_IF_ERROR(fold_batch_norm(g).with_context("batch-norm folding"));
    RETURN_IF_ERROR(fuse_bias_add(g).with_context("bias fusion"));
    RETURN_IF_ERROR(fuse_activation(g).with_context("activation fusion"));
    RETURN_IF_ERROR(eliminate_dead_ops(g));
    RETURN_IF_ERROR(verify_graph(g).with_context("after the passes"));
  }
  return dedup_buffers(m);
}

}  // namespace tflc
