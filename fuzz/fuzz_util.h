// Helpers shared by the libFuzzer targets: a private scratch directory (in
// /dev/shm when present) for readers that take paths, and the split of one
// input into parts for formats made of several files.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tflc_fuzz {

inline const std::string& scratch_dir();
inline const std::string* scratch_dir_ptr() { return &scratch_dir(); }

// Never freed: the atexit cleanup runs after static destructors would have.
inline const std::string& scratch_dir() {
  static const std::string* dir = [] {
    std::string base = std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp";
    auto* d = new std::string(base + "/tflc_fuzz_" + std::to_string(getpid()));
    std::filesystem::create_directories(*d);
    std::atexit([] { std::error_code ec; std::filesystem::remove_all(*scratch_dir_ptr(), ec); });
    return d;
  }();
  return *dir;
}

// Writes `bytes` to scratch_dir()/name (creating parent folders) and returns the path.
inline std::string write_file(const std::string& name, std::string_view bytes) {
  std::filesystem::path p = std::filesystem::path(scratch_dir()) / name;
  std::filesystem::create_directories(p.parent_path());
  FILE* f = std::fopen(p.c_str(), "wb");
  if (!f) std::abort();
  if (!bytes.empty() && std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
  std::fclose(f);
  return p.string();
}

// Splits an input into `n` parts: each but the last is a little-endian
// uint32 length followed by that many bytes (clamped to what remains); the
// last part is the rest. fuzz/collect_seeds.py writes seeds in this layout.
inline std::vector<std::string_view> split_parts(const uint8_t* data, size_t size, int n) {
  std::vector<std::string_view> parts;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (int i = 0; i + 1 < n; ++i) {
    uint32_t len = 0;
    for (int b = 0; b < 4 && b < static_cast<int>(in.size()); ++b) len |= uint32_t(uint8_t(in[b])) << (8 * b);
    in.remove_prefix(in.size() < 4 ? in.size() : 4);
    if (len > in.size()) len = static_cast<uint32_t>(in.size());
    parts.push_back(in.substr(0, len));
    in.remove_prefix(len);
  }
  parts.push_back(in);
  return parts;
}

}  // namespace tflc_fuzz
