// Writes a single-shard TensorFlow tensor bundle (checkpoint): the
// "<prefix>.index" table and "<prefix>.data-00000-of-00001". Used to generate
// SavedModels and checkpoints for tests; the output is what TF's BundleWriter
// produces for the same tensors (sorted keys, "" header, unaligned data).
#pragma once

#include <string>
#include <vector>

#include "frontends/saved_model/sstable.h"
#include "ir/dtype.h"
#include "support/status.h"

namespace tflc {

struct NamedTensor {
  std::string name;  // checkpoint key, e.g. "variables/0/.ATTRIBUTES/VARIABLE_VALUE"
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::string bytes;                 // little-endian element bytes (non-string types)
  std::vector<std::string> strings;  // the elements of a kString tensor
};

// Creates the prefix's folder if needed. `table_options` lets tests force
// several index blocks or snappy blocks; the defaults match TF.
Status write_tensor_bundle(const std::string& prefix, const std::vector<NamedTensor>& tensors,
                           const SsTableWriteOptions& table_options = {});

// DType -> tensorflow::DataType enum value (0 = DT_INVALID when unmapped).
int tf_dtype_from(DType t);

}  // namespace tflc
