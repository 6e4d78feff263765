#include "frontends/saved_model/tensor_bundle_writer.h"

#include <algorithm>
#include <filesystem>
#include <limits>

#include "frontends/saved_model/tensor_bundle.h"
#include "support/crc32c.h"
#include "support/file.h"
#include "tensorflow/core/framework/types.pb.h"
#include "tensorflow/core/protobuf/tensor_bundle.pb.h"

namespace tflc {

int tf_dtype_from(DType t) {
  switch (t) {
    case DType::kFloat32: return tensorflow::DT_FLOAT;
    case DType::kFloat64: return tensorflow::DT_DOUBLE;
    case DType::kInt32: return tensorflow::DT_INT32;
    case DType::kUInt8: return tensorflow::DT_UINT8;
    case DType::kInt16: return tensorflow::DT_INT16;
    case DType::kInt8: return tensorflow::DT_INT8;
    case DType::kString: return tensorflow::DT_STRING;
    case DType::kComplex64: return tensorflow::DT_COMPLEX64;
    case DType::kInt64: return tensorflow::DT_INT64;
    case DType::kBool: return tensorflow::DT_BOOL;
    case DType::kBFloat16: return tensorflow::DT_BFLOAT16;
    case DType::kUInt16: return tensorflow::DT_UINT16;
    case DType::kComplex128: return tensorflow::DT_COMPLEX128;
    case DType::kFloat16: return tensorflow::DT_HALF;
    case DType::kUInt32: return tensorflow::DT_UINT32;
    case DType::kUInt64: return tensorflow::DT_UINT64;
    default: return tensorflow::DT_INVALID;
  }
}

namespace {

void put_varint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void put_le32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Appends a string tensor in TF's layout; returns the unmasked entry CRC
// (lengths as uint32/uint64, the stored length CRC, then the bytes).
uint32_t append_strings(const std::vector<std::string>& strs, std::string* out) {
  uint32_t crc = 0;
  for (const auto& s : strs) {
    put_varint(out, s.size());
    uint64_t len = s.size();
    if (len <= 0xffffffffull) {
      uint32_t l32 = static_cast<uint32_t>(len);
      crc = crc32c_extend(crc, &l32, 4);
    } else {
      crc = crc32c_extend(crc, &len, 8);
    }
  }
  std::string masked;
  put_le32(&masked, crc32c_mask(crc));
  *out += masked;
  crc = crc32c_extend(crc, masked.data(), 4);
  for (const auto& s : strs) {
    *out += s;
    crc = crc32c_extend(crc, s.data(), s.size());
  }
  return crc;
}

}  // namespace

Status write_tensor_bundle(const std::string& prefix, const std::vector<NamedTensor>& tensors,
                           const SsTableWriteOptions& table_options) {
  std::vector<const NamedTensor*> sorted;
  for (const auto& t : tensors) sorted.push_back(&t);
  std::sort(sorted.begin(), sorted.end(), [](const NamedTensor* a, const NamedTensor* b) { return a->name < b->name; });

  std::string data;
  std::vector<std::pair<std::string, std::string>> entries;
  tensorflow::BundleHeaderProto header;
  header.set_num_shards(1);
  header.set_endianness(tensorflow::BundleHeaderProto::LITTLE);
  header.mutable_version()->set_producer(1);
  entries.emplace_back("", header.SerializeAsString());

  for (size_t i = 0; i < sorted.size(); ++i) {
    const NamedTensor& t = *sorted[i];
    if (t.name.empty()) return usage_error("tensor bundle keys must not be empty (\"\" holds the header)");
    if (i > 0 && sorted[i - 1]->name == t.name) return usage_error("duplicate tensor bundle key '" + t.name + "'");
    const int tf_type = tf_dtype_from(t.dtype);
    if (tf_type == tensorflow::DT_INVALID)
      return unsupported("not supported yet: writing a " + dtype_name(t.dtype) + " tensor to a checkpoint");
    uint64_t n = 1;
    tensorflow::BundleEntryProto entry;
    entry.set_dtype(static_cast<tensorflow::DataType>(tf_type));
    for (int64_t d : t.shape) {
      if (d < 0) return usage_error("tensor '" + t.name + "' has a dynamic dimension");
      entry.mutable_shape()->add_dim()->set_size(d);
      n *= static_cast<uint64_t>(d);
    }
    entry.set_shard_id(0);
    entry.set_offset(static_cast<int64_t>(data.size()));
    uint32_t crc;
    if (t.dtype == DType::kString) {
      if (t.strings.size() != n)
        return usage_error("string tensor '" + t.name + "' has " + std::to_string(t.strings.size()) +
                           " elements for " + std::to_string(n));
      crc = append_strings(t.strings, &data);
    } else {
      if (t.bytes.size() != n * dtype_size(t.dtype))
        return usage_error("tensor '" + t.name + "' has " + std::to_string(t.bytes.size()) + " bytes, expected " +
                           std::to_string(n * dtype_size(t.dtype)));
      data += t.bytes;
      crc = crc32c_value(t.bytes);
    }
    entry.set_size(static_cast<int64_t>(data.size()) - entry.offset());
    entry.set_crc32c(crc32c_mask(crc));
    entries.emplace_back(t.name, entry.SerializeAsString());
  }

  ASSIGN_OR_RETURN(std::string index, build_sstable(entries, table_options));
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(prefix).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return invalid_input("cannot create folder '" + dir.string() + "': " + ec.message());
  // Data first, index last: a reader never sees an index without its data.
  RETURN_IF_ERROR(write_file_atomic(bundle_data_path(prefix, 0, 1), data));
  return write_file_atomic(bundle_index_path(prefix), index);
}

}  // namespace tflc
