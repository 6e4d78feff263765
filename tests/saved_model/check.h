// Self-test of generated fixtures: every saved_model.pb and frozen graph
// parses and is internally consistent (inputs resolve, call signatures match
// their functions, every variable resolves through the object graph to a
// checkpoint entry of the right dtype and shape whose checksum verifies), and
// every bad/ fixture really has its defect.
#pragma once

#include <string>

namespace smgen {

// Prints one OK/FAIL line per case folder under `root`; returns the exit code.
int check_cases(const std::string& root);

}  // namespace smgen
