#include "metadata/packed_files.h"

#include "support/printable.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace tflc {
namespace {

constexpr uint32_t kLocalSig = 0x04034b50, kCentralSig = 0x02014b50, kEndSig = 0x06054b50;
constexpr size_t kLocalSize = 30, kCentralSize = 46, kEndSize = 22;
// An associated file is a label list, a vocabulary or a tokenizer model.
constexpr uint64_t kMaxFileBytes = uint64_t{1} << 30;

uint32_t le(std::string_view b, size_t at, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b[at + i]);
  return v;
}

void put(std::string& out, uint32_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint32_t crc_of(std::string_view data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  // zlib takes uInt lengths; feed in chunks.
  for (size_t at = 0; at < data.size();) {
    uInt n = static_cast<uInt>(std::min<size_t>(data.size() - at, 1u << 30));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + at), n);
    at += n;
  }
  return static_cast<uint32_t>(crc);
}

}  // namespace

std::string printable_name(const std::string& name) { return "'" + escape_controls(name) + "'"; }

namespace {

Status bad(const std::string& what) {
  return invalid_input("the model's packed files (the zip archive after the FlatBuffer) are malformed: " +
                       what + "; re-pack them with `tflite_metadata write`");
}

Expected<std::string> inflate_raw(std::string_view in, uint64_t size, const std::string& name) {
  std::string out(size, '\0');
  z_stream zs{};
  if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return internal_error("zlib inflateInit2 failed");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = inflate(&zs, Z_FINISH);
  uint64_t produced = zs.total_out;
  inflateEnd(&zs);
  if (rc != Z_STREAM_END || produced != size) return bad(printable_name(name) + " does not inflate to its declared size");
  return out;
}

}  // namespace

Expected<PackedArchive> read_packed_files(std::string_view model) {
  PackedArchive archive;
  archive.start = model.size();
  if (model.size() < kEndSize) return archive;
  // The end record is the last 22 bytes plus a comment of at most 64 KiB; it
  // must reach exactly the end of the file.
  size_t end_at = std::string_view::npos;
  size_t lowest = model.size() > kEndSize + 0xffff ? model.size() - kEndSize - 0xffff : 0;
  for (size_t i = model.size() - kEndSize + 1; i-- > lowest;) {
    if (le(model, i, 4) == kEndSig && i + kEndSize + le(model, i + 20, 2) == model.size()) {
      end_at = i;
      break;
    }
  }
  if (end_at == std::string_view::npos) return archive;

  uint32_t disk = le(model, end_at + 4, 2), cd_disk = le(model, end_at + 6, 2);
  uint32_t count = le(model, end_at + 10, 2), count_here = le(model, end_at + 8, 2);
  uint64_t cd_size = le(model, end_at + 12, 4), cd_offset = le(model, end_at + 16, 4);
  if (count == 0xffff || cd_size == 0xffffffff || cd_offset == 0xffffffff)
    return unsupported("not supported yet: zip64 archives of packed files");
  if (disk != 0 || cd_disk != 0 || count != count_here) return bad("multi-disk archive");
  if (cd_size > end_at || cd_offset > end_at - cd_size) return bad("central directory out of range");
  // Offsets may count from the archive's own start (an archive concatenated
  // to the model) instead of the file's: shift by the bytes in front.
  uint64_t shift = end_at - cd_size - cd_offset;
  uint64_t cd_at = cd_offset + shift;
  if (uint64_t{count} * kCentralSize > cd_size) return bad("more entries than the central directory holds");

  uint64_t start = cd_at;
  size_t at = cd_at;
  for (uint32_t i = 0; i < count; ++i) {
    if (at + kCentralSize > cd_at + cd_size || le(model, at, 4) != kCentralSig)
      return bad("central directory entry " + std::to_string(i) + " is truncated");
    uint32_t flags = le(model, at + 8, 2), method = le(model, at + 10, 2), crc = le(model, at + 16, 4);
    uint64_t csize = le(model, at + 20, 4), usize = le(model, at + 24, 4);
    size_t name_len = le(model, at + 28, 2), extra_len = le(model, at + 30, 2), comment_len = le(model, at + 32, 2);
    uint64_t local = uint64_t{le(model, at + 42, 4)} + shift;
    size_t next = at + kCentralSize + name_len + extra_len + comment_len;
    if (next > cd_at + cd_size) return bad("central directory entry " + std::to_string(i) + " overruns it");
    std::string name(model.substr(at + kCentralSize, name_len));
    if (flags & 1) return unsupported("not supported yet: encrypted packed file " + printable_name(name));
    if (method != 0 && method != 8)
      return unsupported("not supported yet: packed file " + printable_name(name) + " uses zip compression method " +
                         std::to_string(method) + " (only stored and deflated are read)");
    if (usize > kMaxFileBytes || csize > kMaxFileBytes)
      return bad(printable_name(name) + " declares more than 1 GiB");
    if (local + kLocalSize > cd_at || le(model, local, 4) != kLocalSig)
      return bad(printable_name(name) + " has no local header where the directory says");
    uint64_t data_at = local + kLocalSize + le(model, local + 26, 2) + le(model, local + 28, 2);
    if (data_at > cd_at || csize > cd_at - data_at) return bad(printable_name(name) + " runs past the central directory");
    std::string_view raw = model.substr(data_at, csize);
    PackedFile f{name, {}};
    if (method == 0) {
      if (csize != usize) return bad("stored file " + printable_name(name) + " has two sizes");
      f.data = std::string(raw);
    } else {
      ASSIGN_OR_RETURN(f.data, inflate_raw(raw, usize, name));
    }
    if (crc_of(f.data) != crc) return bad(printable_name(name) + " fails its CRC-32 check");
    start = std::min(start, local);
    archive.files.push_back(std::move(f));
    at = next;
  }
  archive.start = start;
  return archive;
}

Expected<std::string> append_packed_files(std::string out, const std::vector<PackedFile>& files) {
  constexpr uint32_t kDosDate1980 = (1 << 5) | 1;  // 1980-01-01 00:00
  std::string central;
  for (const PackedFile& f : files) {
    if (f.name.empty() || f.name.size() > 0xffff) return invalid_input("a packed file needs a name of 1..65535 bytes");
    if (f.data.size() > kMaxFileBytes) return invalid_input("associated file " + printable_name(f.name) + " is over 1 GiB");
    if (out.size() > 0xffffffffu - kLocalSize - f.name.size() - f.data.size())
      return unsupported("not supported yet: a model and packed files over 4 GiB (zip64)");
    bool ascii = std::all_of(f.name.begin(), f.name.end(), [](char c) { return static_cast<uint8_t>(c) < 0x80; });
    uint32_t flags = ascii ? 0 : 0x800;  // UTF-8 name
    uint32_t crc = crc_of(f.data), offset = static_cast<uint32_t>(out.size());
    uint32_t size = static_cast<uint32_t>(f.data.size());
    put(out, kLocalSig, 4);
    put(out, 20, 2);  // version needed: 2.0
    put(out, flags, 2);
    put(out, 0, 2);  // stored
    put(out, 0, 2);
    put(out, kDosDate1980, 2);
    put(out, crc, 4);
    put(out, size, 4);
    put(out, size, 4);
    put(out, static_cast<uint32_t>(f.name.size()), 2);
    put(out, 0, 2);
    out += f.name;
    out += f.data;

    put(central, kCentralSig, 4);
    put(central, (3 << 8) | 20, 2);  // made by Unix, 2.0
    put(central, 20, 2);
    put(central, flags, 2);
    put(central, 0, 2);
    put(central, 0, 2);
    put(central, kDosDate1980, 2);
    put(central, crc, 4);
    put(central, size, 4);
    put(central, size, 4);
    put(central, static_cast<uint32_t>(f.name.size()), 2);
    put(central, 0, 2);
    put(central, 0, 2);
    put(central, 0, 2);
    put(central, 0, 2);
    put(central, 0100644u << 16, 4);  // -rw-r--r--
    put(central, offset, 4);
    central += f.name;
  }
  if (files.size() > 0xfffe) return unsupported("not supported yet: more than 65534 packed files");
  if (out.size() > 0xffffffffu - central.size() - kEndSize)
    return unsupported("not supported yet: a model and packed files over 4 GiB (zip64)");
  uint32_t cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  put(out, kEndSig, 4);
  put(out, 0, 2);
  put(out, 0, 2);
  put(out, static_cast<uint32_t>(files.size()), 2);
  put(out, static_cast<uint32_t>(files.size()), 2);
  put(out, static_cast<uint32_t>(central.size()), 4);
  put(out, cd_offset, 4);
  put(out, 0, 2);
  return out;
}

}  // namespace tflc
