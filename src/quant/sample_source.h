// Calibration samples pulled one at a time, so a representative dataset of
// any length (an .npz, or a Python generator) is never held all at once.
// Part of the installed API: it depends only on dtype.h and status.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ir/dtype.h"
#include "support/status.h"

namespace tflc {

// One array of one sample, shaped as the model input takes it (no sample
// axis; a missing batch dimension of 1 is added). `bytes` is little-endian,
// C order, and must stay valid until the next call to next() or rewind().
struct SampleArray {
  std::string key;  // the model input it is for; empty: matched by position
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::string_view bytes;
};

class SampleSource {
 public:
  virtual ~SampleSource() = default;
  // Starts again from the first sample: calibration makes one pass per
  // signature.
  virtual Status rewind() = 0;
  // Replaces `sample` with the next sample; false after the last one.
  virtual Expected<bool> next(std::vector<SampleArray>& sample) = 0;
  // Samples per pass when known beforehand (for the progress bar).
  virtual std::optional<int64_t> size() const { return std::nullopt; }
  // How messages name the current sample ("the representative dataset") and
  // its array `i` ("representative dataset array 'x'").
  virtual std::string subject() const = 0;
  virtual std::string label(size_t i, const SampleArray& a) const = 0;
  // Extra shape detail for a mismatch message, e.g. " (array shape [8,3])".
  virtual std::string shape_note(size_t i) const { return ""; }
};

}  // namespace tflc
