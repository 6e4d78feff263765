// Reader for TensorFlow's checkpoint "tensor bundle": the
// variables/variables.index table plus variables.data-NNNNN-of-NNNNN shards
// of a SavedModel (TF's core/util/tensor_bundle/tensor_bundle.cc writes it).
//
// The index (an SSTable, see sstable.h) maps "" to a BundleHeaderProto and
// every other key (a variable's checkpoint name) to a BundleEntryProto that
// locates its bytes: shard_id, offset, size, plus dtype, shape and the masked
// CRC-32C of the stored bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/file.h"
#include "support/status.h"

namespace tflc {

class SsTable;

struct ConstTensorData {
  DType dtype = DType::kInvalid;
  std::vector<int64_t> shape;
  // Little-endian element bytes, ready for Graph::add_const. For strings this
  // is TFLite's string buffer (count, offsets, bytes), as the IR expects.
  // A copy out of the memory-mapped shard: the IR's Buffer owns a
  // std::string, and one memcpy is cheap next to the checksum pass.
  Buffer data;
  std::vector<std::string> strings;  // string tensors only: the elements
  int64_t num_elements() const;
};

// A variable's metadata, without reading its bytes.
struct TensorBundleEntryInfo {
  DType dtype = DType::kInvalid;
  int tf_dtype = 0;  // tensorflow::DataType, for messages about unsupported types
  std::vector<int64_t> shape;
  bool sliced = false;  // a partitioned variable (not supported yet)
};

class TensorBundle {
 public:
  // `prefix` is the path without suffixes, e.g. ".../variables/variables".
  static Expected<TensorBundle> open(const std::string& prefix);

  TensorBundle(TensorBundle&&) noexcept;
  TensorBundle& operator=(TensorBundle&&) noexcept;
  ~TensorBundle();

  std::vector<std::string> keys() const;  // sorted; excludes the header entry
  bool has(const std::string& key) const;
  Expected<TensorBundleEntryInfo> info(const std::string& key) const;
  // Reads and checksums one variable.
  Expected<ConstTensorData> read(const std::string& key) const;

  int num_shards() const { return static_cast<int>(shards_.size()); }
  const std::string& index_path() const { return index_path_; }

 private:
  TensorBundle();
  std::string prefix_, index_path_;
  std::unique_ptr<SsTable> table_;
  std::vector<std::shared_ptr<MappedFile>> shards_;
};

// "<prefix>.index" and "<prefix>.data-00000-of-00001" (5-digit fields).
std::string bundle_index_path(const std::string& prefix);
std::string bundle_data_path(const std::string& prefix, int shard, int num_shards);

}  // namespace tflc
