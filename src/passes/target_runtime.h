// --target_runtime: caps op versions at what one TFLite runtime release
// supports, read from the op records' runtime tables (TFLite's
// tools/versioning/runtime_version.cc). An op over the cap is re-lowered
// when an exact older form exists (see target_runtime.cc), else refused.
#pragma once

#include <string>

#include "ir/graph.h"
#include "ops/registry.h"
#include "support/status.h"

namespace tflc {

// "2.N" or "2.N.P" -> "2.N.P" (the form of the runtime tables); a usage
// error for anything else.
Expected<std::string> parse_target_runtime(const std::string& value);

// The highest version of the op that `runtime` has; 0 when the op came
// later (or its table names no runtime).
int max_version_in_runtime(const OpSchema& s, const std::string& runtime);

// Re-lowers, then checks every op of every subgraph against `runtime`
// ("2.N.P"). `flag` is the flag's value as given, for the message.
Status cap_op_versions(Model& m, const std::string& runtime, const std::string& flag);

}  // namespace tflc
