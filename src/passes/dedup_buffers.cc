// Deduplication: constants with identical type, and bytes share one Buffer,
// so the writer stores them once. Hashing first keeps it linear.
#include <functional>
#include <string_view>
#include <unordered_map>

#include "passes/passes.h"

namespace tflc {

Status dedup_buffers(Model& m) {
  std::unordered_map<size_t, std::vector<Buffer>> seen;
  for (Graph& g : m.subgraphs)
    for (Tensor& t : g.tensors) {
      if (!t.data || t.data->empty()) continue;
      size_t h = std::hash<std::string_view>()(*t.data);
      auto& bucket = seen[h];
      bool found = false;
      for (const Buffer& b : bucket)
        if (b == t.data || *b == *t.data) {
          t.data = b;
          found = true;
          break;
        }
      if (!found) bucket.push_back(t.data);
    }
  return ok_status();
}

}  // namespace tflc
