#include "passes/passes.h"

namespace tflc {

// TODO(lead): written next.
Status fuse_activation(Graph& g) { return ok_status(); }

}  // namespace tflc
