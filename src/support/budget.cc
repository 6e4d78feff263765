#include "support/budget.h"

#include <cstdio>

namespace tflc {
namespace {

constexpr uint64_t kMb = 1000 * 1000;
thread_local uint64_t budget_bytes = kDefaultMemoryBudgetMb * kMb;

}  // namespace

uint64_t memory_budget_bytes() { return budget_bytes; }

ScopedMemoryBudget::ScopedMemoryBudget(uint64_t megabytes) : saved_(budget_bytes) {
  budget_bytes = megabytes > UINT64_MAX / kMb ? UINT64_MAX : megabytes * kMb;
}

ScopedMemoryBudget::~ScopedMemoryBudget() { budget_bytes = saved_; }

std::string megabytes_text(uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / kMb);
  return buf;
}

Status check_memory_budget(const std::string& what, uint64_t bytes) {
  if (bytes <= budget_bytes) return ok_status();
  return invalid_input(what + " declares " + megabytes_text(bytes) + ", over the " +
                       std::to_string(budget_bytes / kMb) +
                       " MB memory budget; the file may be damaged, or if it is right, raise the budget with "
                       "--memory_budget_mb (Python: experimental_memory_budget_mb)");
}

}  // namespace tflc
