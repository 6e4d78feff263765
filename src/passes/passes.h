// Graph passes. Each is small, lives in its own file (named like the pass),
// and can run alone in a test. The pipeline is a plain ordered list of calls.
#pragma once

#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

struct PipelineOptions {
  int64_t fold_budget = 1 << 20;  // bytes a folded result may add
};

// Re-runs every op's shape inference in order.
Status infer_shapes(Graph& g);
// Evaluates ops whose inputs are all constant (within the byte budget).
Status fold_constants(Graph& g, int64_t byte_budget);
// Removes ops whose outputs are never used.
Status eliminate_dead_ops(Graph& g);
// Makes identical constant buffers share one copy.
Status dedup_buffers(Model& m);
// Fusions (see each file's header for the pattern and the math).
Status fuse_bias_add(Graph& g);
Status fold_batch_norm(Graph& g);
Status fuse_activation(Graph& g);
Status cleanup_transpose_reshape(Graph& g);
Status fuse_dilated_conv(Graph& g);
Status fuse_softmax(Graph& g);
Status fuse_mean(Graph& g);
Status fuse_leaky_relu(Graph& g);
Status fuse_elementwise_activations(Graph& g);
Status fuse_pool(Graph& g);

// The default sequence used by every frontend.
Status run_pipeline(Model& m, const PipelineOptions& options);

}  // namespace tflc
