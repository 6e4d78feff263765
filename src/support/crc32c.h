// CRC-32C (Castagnoli), as used by LevelDB tables and TensorFlow checkpoints,
// plus their "mask": CRCs stored next to the data they cover are rotated and
// offset so that a CRC of a CRC-bearing string does not degenerate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tflc {

// Continues `crc` (the CRC of some prefix) over `n` more bytes.
uint32_t crc32c_extend(uint32_t crc, const void* data, size_t n);
inline uint32_t crc32c_value(const void* data, size_t n) { return crc32c_extend(0, data, n); }
inline uint32_t crc32c_value(std::string_view s) { return crc32c_extend(0, s.data(), s.size()); }

constexpr uint32_t kCrc32cMaskDelta = 0xa282ead8u;
constexpr uint32_t crc32c_mask(uint32_t crc) { return ((crc >> 15) | (crc << 17)) + kCrc32cMaskDelta; }
constexpr uint32_t crc32c_unmask(uint32_t masked) {
  uint32_t rot = masked - kCrc32cMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace tflc
