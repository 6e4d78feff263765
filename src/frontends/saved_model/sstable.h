// LevelDB-format sorted string tables ("SSTables"), the container of a
// TensorFlow checkpoint's .index file (TF's lib/io/table*.cc, block*.cc and
// format.cc write this format).
//
// We read the table ourselves instead of linking Debian's libleveldb: its
// Table API wants an Env/RandomAccessFile adapter around our memory map, it
// trusts sizes more than we want for untrusted input, and the read side is
// small. Every varint, length and handle here is checked against the bytes
// that remain, so a damaged index gives one clear error instead of a crash.
//
// Layout: data blocks, a metaindex block, an index block, then a 48-byte
// footer (two BlockHandles = varint64 offset + size, zero-padded to 40 bytes,
// then the fixed64 magic 0xdb4775248b80fb57). Each block is followed by a
// 1-byte compression type and a masked CRC-32C of block + type. A block holds
// prefix-compressed entries (varint shared, non_shared, value_len; key delta;
// value) followed by a uint32 restart array and its uint32 count.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/file.h"
#include "support/status.h"

namespace tflc {

constexpr uint64_t kTableMagic = 0xdb4775248b80fb57ull;
constexpr size_t kTableFooterSize = 48;
constexpr size_t kBlockTrailerSize = 5;

class SsTable {
 public:
  struct Entry {
    std::string key;
    std::string_view value;  // into the map, or into a decompressed block
  };

  // Reads every block up front: checkpoint indexes are small (one entry per
  // variable), and a full pass validates the whole file once.
  static Expected<SsTable> open(std::shared_ptr<MappedFile> file);
  // Same, over bytes the caller keeps alive; `name` is used in messages.
  static Expected<SsTable> parse(std::string_view bytes, const std::string& name);

  const std::vector<Entry>& entries() const { return entries_; }  // sorted by key
  const Entry* find(std::string_view key) const;                  // nullptr if absent

 private:
  std::shared_ptr<MappedFile> file_;
  // Decompressed (snappy) blocks; held by pointer so entry views survive moves.
  std::vector<std::shared_ptr<const std::string>> owned_blocks_;
  std::vector<Entry> entries_;
};

// Writes a table in the layout above with uncompressed blocks (as TF writes
// checkpoint indexes). `entries` must be sorted by key with no duplicates.
struct SsTableWriteOptions {
  size_t block_size = 4096;   // a data block is closed once it reaches this
  int restart_interval = 16;  // entries between full (unshared) keys
  // Stores blocks as snappy streams made only of literals: valid snappy that
  // TF and LevelDB read, used by tests to exercise the snappy read path.
  bool snappy_literal_blocks = false;
};
Expected<std::string> build_sstable(const std::vector<std::pair<std::string, std::string>>& entries,
                                    const SsTableWriteOptions& options = {});

// Raw (unframed) snappy decompression, for blocks older TF releases wrote
// with compression on. Exposed for tests.
Expected<std::string> snappy_uncompress(std::string_view in);

}  // namespace tflc
