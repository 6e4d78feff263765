// The memory budget: the most bytes that one object an input file declares
// may take once read (a constant, a variable, a weights file, a zip entry, a
// representative dataset). Files are untrusted, so every such size is checked
// against the bytes present and against this budget before allocating.
//
// The budget is per conversion (--memory_budget_mb). It is kept per thread,
// not passed down, because the checks sit deep inside the parsers; convert()
// sets it for its thread and a forked reader inherits it.
#pragma once

#include <cstdint>
#include <string>

#include "support/status.h"

namespace tflc {

constexpr uint64_t kDefaultMemoryBudgetMb = 4096;

// The current thread's budget in bytes.
uint64_t memory_budget_bytes();

// Sets the budget for the current thread for its lifetime, then restores it.
class ScopedMemoryBudget {
 public:
  explicit ScopedMemoryBudget(uint64_t megabytes);
  ~ScopedMemoryBudget();
  ScopedMemoryBudget(const ScopedMemoryBudget&) = delete;
  ScopedMemoryBudget& operator=(const ScopedMemoryBudget&) = delete;

 private:
  uint64_t saved_;
};

// ok when `bytes` fit the budget; otherwise "<what> declares N MB, over the
// M MB memory budget; ... raise it with --memory_budget_mb".
Status check_memory_budget(const std::string& what, uint64_t bytes);

// "12.3 MB" (decimal megabytes, as the flag counts them).
std::string megabytes_text(uint64_t bytes);

}  // namespace tflc
