#include "passes/passes.h"

namespace tflc {

// TODO(lead): written next.
Status cleanup_transpose_reshape(Graph& g) { return ok_status(); }

}  // namespace tflc
