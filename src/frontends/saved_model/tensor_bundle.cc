#include "frontends/saved_model/tensor_bundle.h"

#include <sys/stat.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <limits>

#include "frontends/graphdef/tf_op_registry.h"
#include "frontends/saved_model/sstable.h"
#include "support/budget.h"
#include "support/crc32c.h"
#include "tensorflow/core/framework/types.pb.h"
#include "tensorflow/core/protobuf/tensor_bundle.pb.h"

namespace tflc {
namespace {

constexpr int kBundleVersion = 1;    // the format version we implement
constexpr int kMaxShards = 1 << 20;  // far above any real checkpoint; bounds file probing

bool file_exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

uint32_t load_le32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

bool get_varint64(std::string_view in, size_t* pos, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*pos >= in.size()) return false;
    uint8_t b = static_cast<uint8_t>(in[(*pos)++]);
    if (shift == 63 && b > 1) return false;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

// TFLite's string tensor layout: int32 count, count+1 int32 offsets, bytes.
Expected<std::string> pack_tflite_strings(const std::vector<std::string>& strs, const std::string& key) {
  uint64_t total = 4 * (static_cast<uint64_t>(strs.size()) + 2);
  for (const auto& s : strs) total += s.size();
  if (total > static_cast<uint64_t>(std::numeric_limits<int32_t>::max()))
    return unsupported("not supported yet: string variable '" + key + "' is larger than 2 GiB");
  std::string out;
  out.reserve(total);
  auto put = [&](uint64_t v) {
    int32_t x = static_cast<int32_t>(v);
    out.append(reinterpret_cast<const char*>(&x), 4);
  };
  put(strs.size());
  uint64_t off = 4 * (static_cast<uint64_t>(strs.size()) + 2);
  for (const auto& s : strs) {
    put(off);
    off += s.size();
  }
  put(off);
  for (const auto& s : strs) out += s;
  return out;
}

}  // namespace

int64_t ConstTensorData::num_elements() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::string bundle_index_path(const std::string& prefix) { return prefix + ".index"; }

std::string bundle_data_path(const std::string& prefix, int shard, int num_shards) {
  char buf[48];
  std::snprintf(buf, sizeof buf, ".data-%05d-of-%05d", shard, num_shards);
  return prefix + buf;
}

TensorBundle::TensorBundle() = default;
TensorBundle::TensorBundle(TensorBundle&&) noexcept = default;
TensorBundle& TensorBundle::operator=(TensorBundle&&) noexcept = default;
TensorBundle::~TensorBundle() = default;

Expected<TensorBundle> TensorBundle::open(const std::string& prefix) {
  TensorBundle b;
  b.prefix_ = prefix;
  b.index_path_ = bundle_index_path(prefix);
  if (!file_exists(b.index_path_))
    return invalid_input("checkpoint index '" + b.index_path_ +
                         "' does not exist; a SavedModel keeps its variables in variables/variables.index and "
                         "variables.data-* files — copy the whole SavedModel folder");
  ASSIGN_OR_RETURN(auto file, MappedFile::open(b.index_path_));
  {
    ASSIGN_OR_RETURN(SsTable table, SsTable::open(std::move(file)));
    b.table_ = std::make_unique<SsTable>(std::move(table));
  }
  auto corrupt = [&](const std::string& what) {
    return invalid_input("checkpoint index '" + b.index_path_ + "' is corrupt: " + what +
                         "; re-copy or re-export the SavedModel");
  };

  const SsTable::Entry* h = b.table_->find("");
  if (!h) return corrupt("it has no header entry (is it a tensor bundle?)");
  tensorflow::BundleHeaderProto header;
  if (!header.ParseFromArray(h->value.data(), static_cast<int>(h->value.size())))
    return corrupt("its header entry is not a BundleHeaderProto");
  if (header.num_shards() <= 0 || header.num_shards() > kMaxShards)
    return corrupt("its header lists " + std::to_string(header.num_shards()) + " data shards");
  if (header.endianness() != tensorflow::BundleHeaderProto::LITTLE)
    return unsupported("not supported yet: big-endian checkpoint '" + b.index_path_ +
                       "'; re-save the model on a little-endian machine");
  const auto& v = header.version();
  bool bad_consumer = std::find(v.bad_consumers().begin(), v.bad_consumers().end(), kBundleVersion) !=
                      v.bad_consumers().end();
  if (v.min_consumer() > kBundleVersion || bad_consumer)
    return unsupported("not supported yet: checkpoint '" + b.index_path_ + "' uses tensor bundle format version " +
                       std::to_string(v.producer()) + " (min consumer " + std::to_string(v.min_consumer()) +
                       "); this converter reads version " + std::to_string(kBundleVersion));

  for (int i = 0; i < header.num_shards(); ++i) {
    std::string path = bundle_data_path(prefix, i, header.num_shards());
    if (!file_exists(path))
      return invalid_input("checkpoint data shard '" + path + "' does not exist (the index lists " +
                           std::to_string(header.num_shards()) +
                           " shards); copy the whole variables/ folder of the SavedModel");
    ASSIGN_OR_RETURN(auto shard, MappedFile::open(path));
    b.shards_.push_back(std::move(shard));
  }
  return b;
}

std::vector<std::string> TensorBundle::keys() const {
  std::vector<std::string> out;
  for (const auto& e : table_->entries())
    if (!e.key.empty()) out.push_back(e.key);
  return out;
}

bool TensorBundle::has(const std::string& key) const { return !key.empty() && table_->find(key) != nullptr; }

namespace {

// Parses and validates the entry's metadata (everything but the bytes).
Status parse_entry(const SsTable& table, const std::string& index_path, const std::string& key,
                   tensorflow::BundleEntryProto* entry, TensorBundleEntryInfo* info) {
  const SsTable::Entry* e = key.empty() ? nullptr : table.find(key);
  if (!e)
    return invalid_input("variable '" + key + "' is not in checkpoint '" + index_path +
                         "'; the SavedModel's graph and variables do not match — re-export the SavedModel");
  if (!entry->ParseFromArray(e->value.data(), static_cast<int>(e->value.size())))
    return invalid_input("checkpoint index '" + index_path + "' is corrupt: the entry for variable '" + key +
                         "' is not a BundleEntryProto; re-copy or re-export the SavedModel");
  info->tf_dtype = entry->dtype();
  info->dtype = dtype_from_tf(entry->dtype());
  info->sliced = entry->slices_size() > 0;
  if (entry->shape().unknown_rank())
    return invalid_input("checkpoint index '" + index_path + "' is corrupt: variable '" + key +
                         "' has an unknown rank; re-copy or re-export the SavedModel");
  info->shape.clear();
  int64_t n = 1;
  for (const auto& d : entry->shape().dim()) {
    if (d.size() < 0 || (d.size() > 0 && n > std::numeric_limits<int64_t>::max() / d.size()))
      return invalid_input("checkpoint index '" + index_path + "' is corrupt: variable '" + key +
                           "' has an invalid shape; re-copy or re-export the SavedModel");
    n *= d.size();
    info->shape.push_back(d.size());
  }
  return ok_status();
}

}  // namespace

Expected<TensorBundleEntryInfo> TensorBundle::info(const std::string& key) const {
  tensorflow::BundleEntryProto entry;
  TensorBundleEntryInfo info;
  RETURN_IF_ERROR(parse_entry(*table_, index_path_, key, &entry, &info));
  return info;
}

Expected<ConstTensorData> TensorBundle::read(const std::string& key) const {
  tensorflow::BundleEntryProto entry;
  TensorBundleEntryInfo info;
  RETURN_IF_ERROR(parse_entry(*table_, index_path_, key, &entry, &info));
  const std::string type_name = tensorflow::DataType_IsValid(info.tf_dtype)
                                    ? tensorflow::DataType_Name(static_cast<tensorflow::DataType>(info.tf_dtype))
                                    : "data type " + std::to_string(info.tf_dtype);
  if (info.sliced)
    return unsupported("not supported yet: variable '" + key + "' is partitioned (" +
                       std::to_string(entry.slices_size()) + " slice entries) in checkpoint '" + index_path_ +
                       "'; re-save the model without variable partitioning");
  if (info.dtype == DType::kInvalid || info.dtype == DType::kResource || info.dtype == DType::kVariant ||
      (info.dtype != DType::kString && dtype_size(info.dtype) == 0))
    return unsupported("not supported yet: variable '" + key + "' of type " + type_name + " in checkpoint '" +
                       index_path_ + "' (numeric, bool and string variables are read)");

  if (entry.shard_id() < 0 || entry.shard_id() >= num_shards())
    return invalid_input("checkpoint index '" + index_path_ + "' is corrupt: variable '" + key + "' is in shard " +
                         std::to_string(entry.shard_id()) + " of " + std::to_string(num_shards()) +
                         "; re-copy or re-export the SavedModel");
  const MappedFile& shard = *shards_[entry.shard_id()];
  const std::string_view file = shard.bytes();
  if (entry.offset() < 0 || entry.size() < 0 || static_cast<uint64_t>(entry.offset()) > file.size() ||
      static_cast<uint64_t>(entry.size()) > file.size() - static_cast<uint64_t>(entry.offset()))
    return invalid_input("variable '" + key + "' lies past the end of '" + shard.path() + "' (" +
                         std::to_string(entry.size()) + " bytes at offset " + std::to_string(entry.offset()) +
                         ", in a " + std::to_string(file.size()) +
                         "-byte file); the checkpoint data is truncated — re-copy the SavedModel");
  RETURN_IF_ERROR(check_memory_budget("variable '" + key + "' in " + shard.path(), static_cast<uint64_t>(entry.size())));
  const std::string_view bytes = file.substr(entry.offset(), entry.size());
  auto corrupt_data = [&](const std::string& what) {
    return invalid_input("checkpoint data '" + shard.path() + "' is corrupt: variable '" + key + "' " + what +
                         "; re-copy or re-export the SavedModel");
  };
  auto checksum_mismatch = [&] {
    return invalid_input("checksum mismatch for variable '" + key + "' in " + shard.path() +
                         "; the checkpoint is corrupt — re-copy or re-export the SavedModel");
  };

  ConstTensorData out;
  out.dtype = info.dtype;
  out.shape = info.shape;
  const uint64_t n = static_cast<uint64_t>(out.num_elements());
  const uint32_t stored_crc = crc32c_unmask(entry.crc32c());

  if (info.dtype != DType::kString) {
    const uint64_t esize = static_cast<uint64_t>(dtype_size(info.dtype));
    if (n > std::numeric_limits<uint64_t>::max() / esize || n * esize != static_cast<uint64_t>(entry.size()))
      return corrupt_data("has " + std::to_string(entry.size()) + " bytes, but shape " + shape_string(out.shape) +
                          " of " + type_name + " needs " + std::to_string(n * esize));
    if (crc32c_value(bytes) != stored_crc) return checksum_mismatch();
    out.data = make_buffer(std::string(bytes));
    shard.release_pages();  // the copy is ours: keep only one in memory
    return out;
  }

  // Strings: varint64 lengths, a masked CRC of the lengths, then the bytes.
  // The entry CRC covers each length as a little-endian uint32 (uint64 past
  // 4 GiB), the stored length CRC, and the string bytes.
  uint32_t crc = 0;
  if (!bytes.empty()) {
    if (n > bytes.size()) return corrupt_data("claims " + std::to_string(n) + " strings in " +
                                              std::to_string(bytes.size()) + " bytes");
    std::vector<uint64_t> lengths(n);
    size_t pos = 0;
    for (uint64_t i = 0; i < n; ++i) {
      if (!get_varint64(bytes, &pos, &lengths[i])) return corrupt_data("has a truncated string length");
      if (lengths[i] <= 0xffffffffull) {
        uint32_t l32 = static_cast<uint32_t>(lengths[i]);
        crc = crc32c_extend(crc, &l32, 4);
      } else {
        crc = crc32c_extend(crc, &lengths[i], 8);
      }
    }
    if (bytes.size() - pos < 4) return corrupt_data("ends before its length checksum");
    if (crc32c_unmask(load_le32(bytes.data() + pos)) != crc) return checksum_mismatch();
    crc = crc32c_extend(crc, bytes.data() + pos, 4);
    pos += 4;
    out.strings.reserve(n);
    for (uint64_t i = 0; i < n; ++i) {
      if (lengths[i] > bytes.size() - pos) return corrupt_data("has a string running past its stored size");
      out.strings.emplace_back(bytes.substr(pos, lengths[i]));
      crc = crc32c_extend(crc, bytes.data() + pos, lengths[i]);
      pos += lengths[i];
    }
  } else if (n != 0) {
    return corrupt_data("has 0 bytes for " + std::to_string(n) + " strings");
  }
  if (crc != stored_crc) return checksum_mismatch();
  ASSIGN_OR_RETURN(std::string packed, pack_tflite_strings(out.strings, key));
  out.data = make_buffer(std::move(packed));
  return out;
}

}  // namespace tflc
