// Reads the parts of a Keras 3 `.keras` file (a zip archive) through libzip,
// treating the archive as untrusted: entry names that are absolute or climb
// out with "..", oversized entries and zip bombs are refused before any
// memory is reserved for them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "support/status.h"

namespace tflc {

struct KerasArchiveLimits {
  uint64_t max_json_bytes = uint64_t{64} << 20;      // config.json, metadata.json
  // model.weights.h5 is held to the memory budget (support/budget.h).
  uint64_t max_ratio = 1000;                         // uncompressed : compressed
  uint64_t max_entries = 100000;
  // Refuse a weights file bigger than the memory the machine has free now
  // (it is read into memory whole). 0 = ask /proc/meminfo.
  uint64_t available_memory = 0;
};

struct KerasArchive {
  std::vector<std::string> entries;  // every entry name, archive order
  std::string config_json;           // config.json (required)
  std::string metadata_json;         // metadata.json, empty when absent
  std::string weights_h5;            // model.weights.h5, empty when absent
  bool has_weights_h5 = false;
  bool has_weights_npz = false;      // model.weights.npz (Keras 3's other weights format)
};

// Opens `path` as a zip and reads config.json, metadata.json and
// model.weights.h5. A missing config.json is an error; a missing weights file
// is reported through has_weights_h5 for the caller to judge.
Expected<KerasArchive> read_keras_archive(const std::string& path, const KerasArchiveLimits& limits = {});

// Whether a zip entry name is safe to use: relative, no "..", no backslash
// tricks, no drive letter.
bool zip_entry_name_is_safe(const std::string& name);

// MemAvailable from /proc/meminfo in bytes; nullopt when unknown.
std::optional<uint64_t> available_memory_bytes();

}  // namespace tflc
