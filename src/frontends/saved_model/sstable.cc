#include "frontends/saved_model/sstable.h"

#include <algorithm>
#include <cstring>
#include <functional>

#include "support/crc32c.h"

namespace tflc {
namespace {

uint32_t load_le32(const char* p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(p[i]);
  return v;
}

uint64_t load_le64(const char* p) {
  return (static_cast<uint64_t>(load_le32(p + 4)) << 32) | load_le32(p);
}

void put_le32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_varint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Reads a little-endian base-128 varint of at most `max_bits` bits from
// in[*pos, end); false when it runs past `end` or overflows.
bool get_varint(std::string_view in, size_t end, size_t* pos, int max_bits, uint64_t* out) {
  uint64_t v = 0;
  for (int shift = 0; shift < max_bits; shift += 7) {
    if (*pos >= end) return false;
    uint8_t b = static_cast<uint8_t>(in[(*pos)++]);
    if (shift == 63 && b > 1) return false;  // the 10th byte holds one bit
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      if (max_bits == 32 && v > 0xffffffffull) return false;
      *out = v;
      return true;
    }
  }
  return false;
}

bool get_varint32(std::string_view in, size_t end, size_t* pos, uint32_t* out) {
  uint64_t v;
  if (!get_varint(in, end, pos, 32, &v)) return false;
  *out = static_cast<uint32_t>(v);
  return true;
}

Status corrupt(const std::string& name, const std::string& what) {
  return invalid_input("checkpoint index '" + name + "' is corrupt: " + what +
                       "; re-copy or re-export the SavedModel");
}

struct BlockHandle {
  uint64_t offset = 0, size = 0;
};

std::string describe(const char* what, const BlockHandle& h) {
  return std::string(what) + " at offset " + std::to_string(h.offset) + " (" + std::to_string(h.size) + " bytes)";
}

// Walks a block's entries in order, rebuilding each prefix-compressed key.
Status for_each_block_entry(std::string_view block, const std::string& name, const std::string& what,
                            const std::function<Status(const std::string&, std::string_view)>& fn) {
  if (block.size() < 4) return corrupt(name, what + " is too short to hold its restart count");
  uint64_t num_restarts = load_le32(block.data() + block.size() - 4);
  if (num_restarts > (block.size() - 4) / 4)
    return corrupt(name, what + " claims " + std::to_string(num_restarts) + " restart points but has only " +
                             std::to_string(block.size()) + " bytes");
  const size_t end = block.size() - 4 - 4 * num_restarts;
  if (end > 0 && num_restarts == 0) return corrupt(name, what + " has entries but no restart points");
  std::string key;
  size_t pos = 0;
  while (pos < end) {
    uint32_t shared, non_shared, value_len;
    if (!get_varint32(block, end, &pos, &shared) || !get_varint32(block, end, &pos, &non_shared) ||
        !get_varint32(block, end, &pos, &value_len))
      return corrupt(name, what + " has a truncated entry header at byte " + std::to_string(pos));
    if (shared > key.size())
      return corrupt(name, what + " has an entry sharing " + std::to_string(shared) +
                               " bytes with a previous key of " + std::to_string(key.size()) + " bytes");
    if (non_shared > end - pos || value_len > end - pos - non_shared)
      return corrupt(name, what + " has an entry at byte " + std::to_string(pos) + " that runs past the block end");
    key.resize(shared);
    key.append(block.data() + pos, non_shared);
    pos += non_shared;
    RETURN_IF_ERROR(fn(key, block.substr(pos, value_len)));
    pos += value_len;
  }
  return ok_status();
}

std::string printable(const std::string& key) {
  std::string s;
  for (char c : key.substr(0, 80)) s += (c >= 0x20 && c < 0x7f) ? c : '?';
  return s;
}

}  // namespace

Expected<std::string> snappy_uncompress(std::string_view in) {
  size_t pos = 0;
  uint64_t n = 0;
  if (!get_varint(in, in.size(), &pos, 32, &n)) return invalid_input("snappy stream has a bad length header");
  // No snappy element expands more than 64/3x, so a larger claim is damage
  // (and we must not reserve memory for it).
  if (n > 32 * static_cast<uint64_t>(in.size()))
    return invalid_input("snappy stream claims " + std::to_string(n) + " bytes from " + std::to_string(in.size()));
  std::string out;
  out.reserve(n);
  auto fail = [&](const std::string& why) {
    return invalid_input("snappy stream is corrupt at byte " + std::to_string(pos) + ": " + why);
  };
  while (pos < in.size()) {
    const uint8_t tag = static_cast<uint8_t>(in[pos++]);
    const size_t left = in.size() - pos;
    uint64_t len = 0, offset = 0;
    if ((tag & 3) == 0) {  // literal
      uint32_t code = tag >> 2;
      if (code < 60) {
        len = code + 1;
      } else {
        size_t nb = code - 59;
        if (nb > left) return fail("literal length runs past the end");
        for (size_t i = 0; i < nb; ++i) len |= static_cast<uint64_t>(static_cast<uint8_t>(in[pos + i])) << (8 * i);
        len += 1;
        pos += nb;
      }
      if (len > in.size() - pos) return fail("literal runs past the end");
      if (len > n - out.size()) return fail("output is longer than declared");
      out.append(in.data() + pos, len);
      pos += len;
      continue;
    }
    if ((tag & 3) == 1) {
      if (left < 1) return fail("copy runs past the end");
      len = 4 + ((tag >> 2) & 7);
      offset = (static_cast<uint64_t>(tag >> 5) << 8) | static_cast<uint8_t>(in[pos]);
      pos += 1;
    } else if ((tag & 3) == 2) {
      if (left < 2) return fail("copy runs past the end");
      len = 1 + (tag >> 2);
      offset = static_cast<uint8_t>(in[pos]) | (static_cast<uint64_t>(static_cast<uint8_t>(in[pos + 1])) << 8);
      pos += 2;
    } else {
      if (left < 4) return fail("copy runs past the end");
      len = 1 + (tag >> 2);
      offset = load_le32(in.data() + pos);
      pos += 4;
    }
    if (offset == 0 || offset > out.size()) return fail("copy refers before the start of the output");
    if (len > n - out.size()) return fail("output is longer than declared");
    // Byte by byte: a copy may overlap its own output (run-length style).
    for (uint64_t i = 0; i < len; ++i) out.push_back(out[out.size() - offset]);
  }
  if (out.size() != n)
    return invalid_input("snappy stream ends after " + std::to_string(out.size()) + " of " + std::to_string(n) +
                         " bytes");
  return out;
}

Expected<SsTable> SsTable::open(std::shared_ptr<MappedFile> file) {
  ASSIGN_OR_RETURN(SsTable t, parse(file->bytes(), file->path()));
  t.file_ = std::move(file);
  return t;
}

Expected<SsTable> SsTable::parse(std::string_view bytes, const std::string& name) {
  if (bytes.size() < kTableFooterSize)
    return invalid_input("checkpoint index '" + name + "' is truncated: " + std::to_string(bytes.size()) +
                         " bytes, but even an empty table has a " + std::to_string(kTableFooterSize) +
                         "-byte footer; re-copy or re-export the SavedModel");
  const std::string_view footer = bytes.substr(bytes.size() - kTableFooterSize);
  if (load_le64(footer.data() + 40) != kTableMagic)
    return invalid_input("'" + name + "' is not a checkpoint index (its last 8 bytes are not the table magic " +
                         "number); the file is truncated or is not a TensorFlow variables.index");
  BlockHandle meta, index;
  size_t pos = 0;
  if (!get_varint(footer, 40, &pos, 64, &meta.offset) || !get_varint(footer, 40, &pos, 64, &meta.size) ||
      !get_varint(footer, 40, &pos, 64, &index.offset) || !get_varint(footer, 40, &pos, 64, &index.size))
    return corrupt(name, "the footer's block handles are malformed");

  SsTable table;
  const uint64_t limit = bytes.size() - kTableFooterSize;  // blocks lie before the footer
  // Returns the block's contents after checking bounds, checksum and type.
  auto read_block = [&](const BlockHandle& h, const char* what) -> Expected<std::string_view> {
    if (h.offset > limit || h.size > limit - h.offset || kBlockTrailerSize > limit - h.offset - h.size)
      return corrupt(name, describe(what, h) + " runs past the end of the " + std::to_string(bytes.size()) +
                               "-byte file (truncated?)");
    std::string_view contents = bytes.substr(h.offset, h.size);
    const char* trailer = bytes.data() + h.offset + h.size;
    uint32_t actual = crc32c_extend(crc32c_value(contents), trailer, 1);  // the type byte is covered too
    if (crc32c_unmask(load_le32(trailer + 1)) != actual)
      return corrupt(name, "checksum mismatch in " + describe(what, h));
    switch (static_cast<uint8_t>(trailer[0])) {
      case 0:
        return contents;
      case 1: {  // snappy: TF 1.x wrote compressed indexes by default
        auto raw = snappy_uncompress(contents);
        if (!raw.ok()) return corrupt(name, describe(what, h) + ": " + raw.status().message());
        table.owned_blocks_.push_back(std::make_shared<const std::string>(std::move(raw).value()));
        return std::string_view(*table.owned_blocks_.back());
      }
      default:
        return unsupported("not supported yet: " + describe(what, h) + " of checkpoint index '" + name +
                           "' uses compression type " + std::to_string(static_cast<uint8_t>(trailer[0])) +
                           " (only uncompressed and snappy blocks are read)");
    }
  };

  // The metaindex (empty in TF's tables) is only checked, so that no byte
  // of the file escapes validation.
  {
    ASSIGN_OR_RETURN(std::string_view meta_block, read_block(meta, "metaindex block"));
    RETURN_IF_ERROR(for_each_block_entry(meta_block, name, "metaindex block",
                                         [](const std::string&, std::string_view) { return ok_status(); }));
  }
  std::string_view index_block;
  {
    ASSIGN_OR_RETURN(index_block, read_block(index, "index block"));
  }
  RETURN_IF_ERROR(for_each_block_entry(
      index_block, name, "index block", [&](const std::string&, std::string_view value) -> Status {
        BlockHandle h;
        size_t p = 0;
        if (!get_varint(value, value.size(), &p, 64, &h.offset) || !get_varint(value, value.size(), &p, 64, &h.size))
          return corrupt(name, "an index entry does not hold a block handle");
        ASSIGN_OR_RETURN(std::string_view block, read_block(h, "data block"));
        return for_each_block_entry(block, name, describe("data block", h),
                                    [&](const std::string& key, std::string_view v) -> Status {
                                      // Lookups binary-search, so order is part of validity.
                                      if (!table.entries_.empty() && !(table.entries_.back().key < key))
                                        return corrupt(name, "key '" + printable(key) + "' is out of order");
                                      table.entries_.push_back({key, v});
                                      return ok_status();
                                    });
      }));
  return table;
}

const SsTable::Entry* SsTable::find(std::string_view key) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const Entry& e, std::string_view k) { return std::string_view(e.key) < k; });
  return (it != entries_.end() && it->key == key) ? &*it : nullptr;
}

namespace {

class BlockBuilder {
 public:
  explicit BlockBuilder(int restart_interval) : restart_interval_(restart_interval) {}
  bool empty() const { return buf_.empty(); }
  size_t size_estimate() const { return buf_.size() + 4 * restarts_.size() + 4; }
  const std::string& last_key() const { return last_key_; }

  void add(const std::string& key, std::string_view value) {
    size_t shared = 0;
    if (counter_ < restart_interval_) {
      size_t n = std::min(key.size(), last_key_.size());
      while (shared < n && key[shared] == last_key_[shared]) ++shared;
    } else {
      restarts_.push_back(static_cast<uint32_t>(buf_.size()));
      counter_ = 0;
    }
    put_varint(&buf_, shared);
    put_varint(&buf_, key.size() - shared);
    put_varint(&buf_, value.size());
    buf_.append(key, shared);
    buf_.append(value);
    last_key_ = key;
    ++counter_;
  }

  std::string finish() {
    std::string out = std::move(buf_);
    for (uint32_t r : restarts_) put_le32(&out, r);
    put_le32(&out, static_cast<uint32_t>(restarts_.size()));
    buf_.clear();
    restarts_ = {0};
    counter_ = 0;
    last_key_.clear();
    return out;
  }

 private:
  int restart_interval_;
  std::string buf_;
  std::vector<uint32_t> restarts_{0};
  int counter_ = 0;
  std::string last_key_;
};

std::string snappy_literals(std::string_view raw) {
  std::string out;
  put_varint(&out, raw.size());
  for (size_t pos = 0; pos < raw.size();) {
    size_t len = std::min<size_t>(raw.size() - pos, 65536);
    if (len <= 60) {
      out.push_back(static_cast<char>((len - 1) << 2));
    } else if (len <= 256) {
      out.push_back(static_cast<char>(60 << 2));
      out.push_back(static_cast<char>(len - 1));
    } else {
      out.push_back(static_cast<char>(61 << 2));
      out.push_back(static_cast<char>((len - 1) & 0xff));
      out.push_back(static_cast<char>((len - 1) >> 8));
    }
    out.append(raw.substr(pos, len));
    pos += len;
  }
  return out;
}

}  // namespace

Expected<std::string> build_sstable(const std::vector<std::pair<std::string, std::string>>& entries,
                                    const SsTableWriteOptions& options) {
  for (size_t i = 1; i < entries.size(); ++i)
    if (!(entries[i - 1].first < entries[i].first))
      return internal_error("table keys must be sorted and unique ('" + printable(entries[i].first) + "')");
  std::string out;
  auto write_block = [&](const std::string& raw) {
    BlockHandle h;
    h.offset = out.size();
    char type = 0;
    if (options.snappy_literal_blocks) {
      out += snappy_literals(raw);
      type = 1;
    } else {
      out += raw;
    }
    h.size = out.size() - h.offset;
    out.push_back(type);
    put_le32(&out, crc32c_mask(crc32c_value(out.data() + h.offset, h.size + 1)));
    return h;
  };
  auto encode = [](const BlockHandle& h) {
    std::string s;
    put_varint(&s, h.offset);
    put_varint(&s, h.size);
    return s;
  };

  BlockBuilder data(std::max(1, options.restart_interval)), index(1);
  auto flush = [&] {
    // The block's last key is a valid index separator: >= every key in it,
    // < every key after it.
    std::string last = data.last_key();
    BlockHandle h = write_block(data.finish());
    index.add(last, encode(h));
  };
  for (const auto& [key, value] : entries) {
    data.add(key, value);
    if (data.size_estimate() >= options.block_size) flush();
  }
  if (!data.empty()) flush();
  BlockHandle meta = write_block(BlockBuilder(1).finish());
  BlockHandle idx = write_block(index.finish());
  std::string footer = encode(meta) + encode(idx);
  footer.resize(40, '\0');
  put_le32(&footer, static_cast<uint32_t>(kTableMagic & 0xffffffffu));
  put_le32(&footer, static_cast<uint32_t>(kTableMagic >> 32));
  return out + footer;
}

}  // namespace tflc
