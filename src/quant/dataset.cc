// Representative datasets: an .npz archive, a folder of .npy files, or one
// .npy file. Everything read from the files is untrusted: every length is
// checked against the bytes present before it is used.
#include "quant/dataset.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

#include "frontends/keras/keras_archive.h"
#include "support/budget.h"
#include "support/file.h"
#include "support/zip.h"

namespace tflc {

namespace {

constexpr char kNpyMagic[] = "\x93NUMPY";

// A cursor over the header's Python dict literal.
struct HeaderParser {
  std::string_view s;
  size_t pos = 0;

  void skip_ws() {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r')) ++pos;
  }
  bool eat(char c) {
    skip_ws();
    if (pos < s.size() && s[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skip_ws();
    return pos < s.size() && s[pos] == c;
  }
  bool string(std::string* out) {
    skip_ws();
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"')) return false;
    char q = s[pos++];
    size_t end = s.find(q, pos);
    if (end == std::string_view::npos) return false;
    *out = std::string(s.substr(pos, end - pos));
    pos = end + 1;
    return true;
  }
  bool word(std::string_view w) {
    skip_ws();
    if (s.substr(pos, w.size()) != w) return false;
    pos += w.size();
    return true;
  }
  bool integer(int64_t* out) {
    skip_ws();
    size_t start = pos;
    int64_t v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (v > (int64_t{1} << 58)) return false;  // no real array is this large
      v = v * 10 + (s[pos++] - '0');
    }
    if (pos == start) return false;
    if (pos < s.size() && s[pos] == 'L') ++pos;  // Python 2 longs
    *out = v;
    return true;
  }
};

struct DescrInfo {
  const char* descr;
  DType dtype;
};
constexpr DescrInfo kDescrs[] = {{"<f4", DType::kFloat32}, {"<f8", DType::kFloat64}, {"<i4", DType::kInt32},
                                 {"<i8", DType::kInt64},   {"|u1", DType::kUInt8},   {"|i1", DType::kInt8},
                                 {"<i2", DType::kInt16},   {"|b1", DType::kBool}};

uint64_t read_le(std::string_view b, size_t at, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + static_cast<size_t>(i)]);
  return v;
}

std::string shape_text(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

// Reads one entry whose size the central directory declares; a shorter or
// longer entry, or a bad CRC, is an error.
Expected<std::string> read_zip_entry(zip_t* za, zip_uint64_t index, uint64_t size, const std::string& what) {
  ZipEntry f(zip_fopen_index(za, index, 0));
  if (!f) return invalid_input(what + ": cannot open the entry (zip: " + zip_error_strerror(zip_get_error(za)) + ")");
  std::string data(static_cast<size_t>(size), '\0');
  uint64_t got = 0;
  while (got < size) {
    zip_int64_t n = zip_fread(f.get(), data.data() + got, size - got);
    if (n < 0) return invalid_input(what + ": the entry is damaged (zip: " + zip_file_strerror(f.get()) + ")");
    if (n == 0)
      return invalid_input(what + ": the entry is shorter than the archive says (" + std::to_string(got) + " of " +
                           std::to_string(size) + " bytes); the file is truncated or damaged");
    got += static_cast<uint64_t>(n);
  }
  char extra = 0;  // reaching the end makes libzip check the CRC
  zip_int64_t n = zip_fread(f.get(), &extra, 1);
  if (n < 0) return invalid_input(what + ": the entry is damaged (zip: " + zip_file_strerror(f.get()) + ")");
  if (n > 0) return invalid_input(what + ": the entry holds more data than the archive declares; the file is damaged");
  return data;
}

Status add_array(Dataset& d, std::string key, NdArray a) {
  d.keys.push_back(std::move(key));
  d.arrays.push_back(std::move(a));
  return ok_status();
}

Status read_npz(const std::string& path, Dataset& d) {
  int err = 0;
  ZipArchive za(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err));
  if (!za)
    return invalid_input("representative dataset '" + path + "' is not a valid .npz archive (zip: " +
                         zip_code_message(err) + "); it may be truncated or damaged");
  zip_int64_t count = zip_get_num_entries(za.get(), 0);
  if (count < 0) return invalid_input("representative dataset '" + path + "': cannot list the .npz archive");
  // Entries are read whole into memory: their declared total must fit.
  uint64_t total = 0;
  std::optional<uint64_t> avail = available_memory_bytes();
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_SIZE))
      return invalid_input("representative dataset '" + path + "': entry " + std::to_string(i) + " is unreadable");
    std::string name = st.name;
    if (!name.empty() && name.back() == '/') continue;  // a directory entry
    std::string what = "representative dataset '" + path + "', array '" + name + "'";
    if (name.size() < 5 || name.compare(name.size() - 4, 4, ".npy") != 0)
      return invalid_input(what + ": an .npz holds only .npy entries; this is not a file written by numpy.savez");
    total += st.size;
    RETURN_IF_ERROR(check_memory_budget("representative dataset '" + path + "' (its arrays together)", total));
    if (avail && total > *avail)
      return invalid_input(what + ": the arrays need " + std::to_string(total >> 20) + " MB, more than the " +
                           std::to_string(*avail >> 20) + " MB of memory available");
    ASSIGN_OR_RETURN(std::string bytes, read_zip_entry(za.get(), static_cast<zip_uint64_t>(i), st.size, what));
    ASSIGN_OR_RETURN(NdArray a, parse_npy(bytes, what));
    RETURN_IF_ERROR(add_array(d, name.substr(0, name.size() - 4), std::move(a)));
  }
  return ok_status();
}

Status read_npy_file(const std::string& path, const std::string& key, Dataset& d) {
  auto file = MappedFile::open(path);
  if (!file.ok()) return file.status().with_context("representative dataset");
  RETURN_IF_ERROR(check_memory_budget("representative dataset file '" + path + "'", (*file)->bytes().size()));
  ASSIGN_OR_RETURN(NdArray a, parse_npy((*file)->bytes(), "representative dataset file '" + path + "'"));
  return add_array(d, key, std::move(a));
}

}  // namespace

Expected<NdArray> parse_npy(std::string_view b, const std::string& what) {
  if (b.size() < 10 || b.substr(0, 6) != std::string_view(kNpyMagic, 6))
    return invalid_input(what + " is not an .npy file (no \\x93NUMPY magic)");
  int major = static_cast<unsigned char>(b[6]), minor = static_cast<unsigned char>(b[7]);
  size_t start = 0, hlen = 0;
  if (major == 1) {
    start = 10;
    hlen = read_le(b, 8, 2);
  } else if (major == 2 || major == 3) {
    if (b.size() < 12) return invalid_input(what + " is truncated inside the .npy header");
    start = 12;
    hlen = read_le(b, 8, 4);
  } else {
    return unsupported("not supported yet: " + what + " uses .npy format version " + std::to_string(major) + "." +
                       std::to_string(minor) + " (1.0, 2.0 and 3.0 are read)");
  }
  if (hlen > b.size() - start)
    return invalid_input(what + " is truncated: the .npy header needs " + std::to_string(hlen) + " bytes, " +
                         std::to_string(b.size() - start) + " are present");

  HeaderParser p{b.substr(start, hlen)};
  std::string descr;
  std::optional<bool> fortran;
  std::optional<std::vector<int64_t>> shape;
  auto bad = [&](const std::string& why) {
    return invalid_input(what + " has a damaged .npy header (" + why + ")");
  };
  if (!p.eat('{')) return bad("no '{'");
  while (!p.eat('}')) {
    std::string key;
    if (!p.string(&key)) return bad("expected a quoted key");
    if (!p.eat(':')) return bad("expected ':' after '" + key + "'");
    if (key == "descr") {
      if (!p.string(&descr)) {
        return unsupported("not supported yet: " + what + " has a structured dtype; use a plain numeric array");
      }
    } else if (key == "fortran_order") {
      if (p.word("True")) fortran = true;
      else if (p.word("False")) fortran = false;
      else return bad("fortran_order is not True or False");
    } else if (key == "shape") {
      if (!p.eat('(')) return bad("shape is not a tuple");
      std::vector<int64_t> dims;
      while (!p.eat(')')) {
        int64_t v = 0;
        if (!p.integer(&v)) return bad("shape holds something other than non-negative integers");
        if (dims.size() >= 64) return bad("more than 64 dimensions");
        dims.push_back(v);
        if (!p.eat(',') && !p.peek(')')) return bad("expected ',' or ')' in shape");
      }
      shape = std::move(dims);
    } else {
      return bad("unknown key '" + key + "'");
    }
    if (!p.eat(',') && !p.peek('}')) return bad("expected ',' or '}'");
  }
  if (descr.empty() || !fortran || !shape) return bad("descr, fortran_order and shape are all required");

  NdArray a;
  auto it = std::find_if(std::begin(kDescrs), std::end(kDescrs), [&](const DescrInfo& d) { return descr == d.descr; });
  if (it == std::end(kDescrs)) {
    return unsupported("not supported yet: " + what + " has dtype '" + descr +
                       "'; use one of <f4, <f8, <i4, <i8, <i2, |i1, |u1, |b1 (little-endian)");
  }
  a.dtype = it->dtype;
  if (*fortran)
    return unsupported("not supported yet: " + what +
                       " is stored in Fortran order; save np.ascontiguousarray(x) instead");
  a.shape = std::move(*shape);
  uint64_t n = static_cast<uint64_t>(dtype_size(a.dtype));
  for (int64_t dim : a.shape)
    if (__builtin_mul_overflow(n, static_cast<uint64_t>(dim), &n))
      return invalid_input(what + " declares shape " + shape_text(a.shape) + ", too large to be real");
  size_t data_at = start + hlen;
  uint64_t present = b.size() - data_at;
  if (present != n)
    return invalid_input(what + (present < n ? " is truncated" : " is damaged") + ": shape " + shape_text(a.shape) +
                         " of " + descr + " needs " + std::to_string(n) + " data bytes, " + std::to_string(present) +
                         " are present");
  a.bytes.assign(b.data() + data_at, static_cast<size_t>(n));
  return a;
}

Expected<Dataset> read_representative_dataset(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st))
    return invalid_input("cannot open representative dataset '" + path + "': no such file or directory");
  Dataset d;
  if (fs::is_directory(st)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(path, ec))
      if (e.path().extension() == ".npy") files.push_back(e.path());
    if (ec) return invalid_input("cannot list representative dataset folder '" + path + "': " + ec.message());
    std::sort(files.begin(), files.end());
    if (files.empty()) return invalid_input("representative dataset folder '" + path + "' holds no .npy files");
    for (const auto& f : files) RETURN_IF_ERROR(read_npy_file(f.string(), f.stem().string(), d));
  } else {
    auto file = MappedFile::open(path);
    if (!file.ok()) return file.status().with_context("representative dataset");
    RETURN_IF_ERROR(check_memory_budget("representative dataset file '" + path + "'", (*file)->bytes().size()));
    std::string_view head = (*file)->bytes().substr(0, 6);
    if (head == std::string_view(kNpyMagic, 6)) {
      RETURN_IF_ERROR(read_npy_file(path, fs::path(path).stem().string(), d));
    } else if (head.substr(0, 2) == "PK") {
      RETURN_IF_ERROR(read_npz(path, d));
    } else {
      return invalid_input("representative dataset '" + path +
                           "' is neither an .npz archive nor an .npy file (give an .npz, an .npy or a folder of .npy "
                           "files)");
    }
  }
  if (d.arrays.empty()) return invalid_input("representative dataset '" + path + "' holds no arrays");
  for (size_t i = 0; i < d.arrays.size(); ++i) {
    const NdArray& a = d.arrays[i];
    if (a.shape.empty())
      return invalid_input("representative dataset '" + path + "': array '" + d.keys[i] +
                           "' is a scalar; samples run along axis 0");
    if (i == 0) d.num_samples = a.shape[0];
    if (a.shape[0] != d.num_samples)
      return invalid_input("representative dataset '" + path + "': array '" + d.keys[i] + "' has " +
                           std::to_string(a.shape[0]) + " samples, array '" + d.keys[0] + "' has " +
                           std::to_string(d.num_samples) + "; every array needs the same count along axis 0");
  }
  if (d.num_samples == 0)
    return invalid_input("representative dataset '" + path + "' holds zero samples (array '" + d.keys[0] +
                         "' has shape " + shape_text(d.arrays[0].shape) + "); calibration needs at least one");
  // A NaN or an infinity would make every range it touches meaningless (and
  // the model silently float): refused, naming where it is.
  for (size_t i = 0; i < d.arrays.size(); ++i) {
    const NdArray& a = d.arrays[i];
    if (a.dtype != DType::kFloat32 && a.dtype != DType::kFloat64) continue;
    const size_t esize = a.dtype == DType::kFloat32 ? 4 : 8, count = a.bytes.size() / esize;
    const size_t per_sample = d.num_samples > 0 ? count / static_cast<size_t>(d.num_samples) : 0;
    for (size_t k = 0; k < count; ++k) {
      double v;
      if (esize == 4) {
        float f;
        std::memcpy(&f, a.bytes.data() + 4 * k, 4);
        v = f;
      } else {
        std::memcpy(&v, a.bytes.data() + 8 * k, 8);
      }
      if (std::isfinite(v)) continue;
      const size_t sample = per_sample ? k / per_sample : 0;
      return invalid_input("representative dataset '" + path + "': sample " + std::to_string(sample) + " of array '" +
                           d.keys[i] + "' holds " + (std::isnan(v) ? "NaN" : v > 0 ? "+inf" : "-inf") +
                           " (at element " + std::to_string(per_sample ? k % per_sample : k) +
                           "); calibration needs finite values: fix or drop that sample");
    }
  }
  return d;
}

}  // namespace tflc
