// Deduplication: constants with identical bytes share one Buffer, so the
// writer stores them once. A cheap key (size plus sampled bytes) finds the
// candidates; only those are compared in full.
#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "passes/passes.h"

namespace tflc {

namespace {

size_t sample_hash(const std::string& b) {
  constexpr size_t kEdge = 256, kStride = 4096;
  std::string sample = std::to_string(b.size());
  sample.append(b, 0, std::min(kEdge, b.size()));
  for (size_t i = kEdge; i + 8 <= b.size(); i += kStride) sample.append(b, i, 8);
  if (b.size() > kEdge) sample.append(b, b.size() - std::min(kEdge, b.size() - kEdge), std::string::npos);
  return std::hash<std::string_view>()(sample);
}

}  // namespace

Status dedup_buffers(Model& m) {
  std::unordered_map<size_t, std::vector<Buffer>> seen;
  for (Graph& g : m.subgraphs)
    for (Tensor& t : g.tensors) {
      if (!t.data || t.data->empty()) continue;
      size_t h = sample_hash(*t.data);
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
