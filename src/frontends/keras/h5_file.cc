#include "frontends/keras/h5_file.h"

#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>

static_assert(sizeof(hid_t) == sizeof(int64_t), "HDF5 >= 1.10 uses 64-bit ids");

namespace tflc {
namespace {

// Attribute strings are small metadata (configs, name lists); anything bigger
// than this is a corrupt or hostile file, not a model.
constexpr uint64_t kMaxAttrBytes = uint64_t{256} << 20;
constexpr hssize_t kMaxAttrStrings = hssize_t{1} << 22;

herr_t keep_innermost(unsigned, const H5E_error2_t* err, void* data) {
  // Walking downward, the last entry is the innermost, most specific one
  // ("truncated file: eof = ...", "file signature not found").
  if (err->desc != nullptr && err->desc[0] != '\0') *static_cast<std::string*>(data) = err->desc;
  return 0;
}

// HDF5's own explanation of the last failure; clears the error stack.
std::string hdf5_message() {
  std::string msg;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_innermost, &msg);
  H5Eclear2(H5E_DEFAULT);
  return msg.empty() ? "no details" : msg;
}

Status h5_failure(const std::string& what) {
  return invalid_input(what + " (HDF5: " + hdf5_message() + ")");
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (slash > start) parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// Opens any object by a relative path, one hard link at a time. HDF5 would
// happily follow an external link into another file; a weights file has no
// business doing that, so only hard links are followed.
Expected<H5Handle> open_object(hid_t loc, const std::string& path) {
  std::vector<std::string> parts = split_path(path);
  if (parts.empty()) {
    H5Handle self(H5Oopen(loc, ".", H5P_DEFAULT));
    if (!self.valid()) return h5_failure("cannot open HDF5 object");
    return self;
  }
  H5Handle cur;
  hid_t at = loc;
  for (const std::string& part : parts) {
    htri_t exists = H5Lexists(at, part.c_str(), H5P_DEFAULT);
    if (exists <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return invalid_input("the file has no object '" + path + "'; it is incomplete or damaged: save the model again");
    }
    H5L_info_t info;
    if (H5Lget_info(at, part.c_str(), &info, H5P_DEFAULT) < 0)
      return h5_failure("cannot read the link '" + path + "'");
    if (info.type != H5L_TYPE_HARD)
      return unsupported("'" + path + "' is a soft or external HDF5 link; only plain groups and datasets are read");
    H5Handle next(H5Oopen(at, part.c_str(), H5P_DEFAULT));
    if (!next.valid()) return h5_failure("cannot open '" + path + "'");
    cur = std::move(next);
    at = cur.get();
  }
  return cur;
}

void reclaim_vlen(hid_t mem_type, hid_t space, void* buf) {
#if H5_VERSION_GE(1, 12, 0)  // 1.10 declares H5Treclaim but does not export it
  H5Treclaim(mem_type, space, H5P_DEFAULT, buf);
#else
  H5Dvlen_reclaim(mem_type, space, H5P_DEFAULT, buf);
#endif
}

// All strings of an attribute, fixed-length or variable-length.
Expected<std::vector<std::string>> read_attr_strings(hid_t attr, const std::string& what) {
  H5Handle type(H5Aget_type(attr));
  H5Handle space(H5Aget_space(attr));
  if (!type.valid() || !space.valid()) return h5_failure("cannot read " + what);
  hssize_t n = H5Sget_simple_extent_npoints(space.get());
  if (n < 0) return h5_failure("cannot read the size of " + what);
  std::vector<std::string> out;
  if (n == 0) return out;
  if (H5Tget_class(type.get()) != H5T_STRING)
    return invalid_input(what + " should hold text but holds another HDF5 type");
  if (n > kMaxAttrStrings) return invalid_input(what + " holds an absurd number of strings (" + std::to_string(n) + ")");
  out.reserve(static_cast<size_t>(n));

  htri_t is_vlen = H5Tis_variable_str(type.get());
  if (is_vlen < 0) return h5_failure("cannot read the type of " + what);
  if (is_vlen > 0) {
    H5Handle mem(H5Tcopy(H5T_C_S1));
    if (!mem.valid() || H5Tset_size(mem.get(), H5T_VARIABLE) < 0 ||
        H5Tset_cset(mem.get(), H5Tget_cset(type.get())) < 0)
      return h5_failure("cannot read " + what);
    std::vector<char*> ptrs(static_cast<size_t>(n), nullptr);
    if (H5Aread(attr, mem.get(), ptrs.data()) < 0) return h5_failure("cannot read " + what);
    uint64_t total = 0;
    bool too_big = false;
    for (char* p : ptrs) {
      size_t len = p ? std::strlen(p) : 0;
      total += len;
      if (total > kMaxAttrBytes) { too_big = true; break; }
      out.emplace_back(p ? p : "", len);
    }
    reclaim_vlen(mem.get(), space.get(), ptrs.data());
    if (too_big) return invalid_input(what + " is larger than " + std::to_string(kMaxAttrBytes >> 20) + " MB");
    return out;
  }

  size_t size = H5Tget_size(type.get());
  if (size == 0) return h5_failure("cannot read the string size of " + what);
  if (size > kMaxAttrBytes / static_cast<uint64_t>(n))
    return invalid_input(what + " is larger than " + std::to_string(kMaxAttrBytes >> 20) + " MB");
  std::string buf(size * static_cast<size_t>(n), '\0');
  H5Handle mem(H5Tcopy(type.get()));
  if (!mem.valid() || H5Aread(attr, mem.get(), buf.data()) < 0) return h5_failure("cannot read " + what);
  bool space_padded = H5Tget_strpad(type.get()) == H5T_STR_SPACEPAD;
  for (hssize_t i = 0; i < n; ++i) {
    // Fixed strings are NUL-padded but not NUL-terminated when they fill the
    // slot ("batch_normalization" in a 19-byte field).
    const char* p = buf.data() + static_cast<size_t>(i) * size;
    size_t len = strnlen(p, size);
    if (space_padded)
      while (len > 0 && p[len - 1] == ' ') --len;
    out.emplace_back(p, len);
  }
  return out;
}

Expected<std::vector<std::string>> read_named_attr(hid_t obj, const std::string& name) {
  H5Handle attr(H5Aopen(obj, name.c_str(), H5P_DEFAULT));
  if (!attr.valid()) return h5_failure("cannot open attribute '" + name + "'");
  return read_attr_strings(attr.get(), "attribute '" + name + "'");
}

bool is_ieee_float(hid_t type, size_t size) {
  size_t spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0;
  if (H5Tget_fields(type, &spos, &epos, &esize, &mpos, &msize) < 0) return false;
  if (H5Tget_offset(type) != 0 || H5Tget_precision(type) != size * 8) return false;
  size_t ebias = H5Tget_ebias(type);
  switch (size) {
    case 2: return spos == 15 && epos == 10 && esize == 5 && mpos == 0 && msize == 10 && ebias == 15;
    case 4: return spos == 31 && epos == 23 && esize == 8 && mpos == 0 && msize == 23 && ebias == 127;
    case 8: return spos == 63 && epos == 52 && esize == 11 && mpos == 0 && msize == 52 && ebias == 1023;
    default: return false;
  }
}

DType integer_dtype(size_t size, bool is_signed) {
  switch (size) {
    case 1: return is_signed ? DType::kInt8 : DType::kUInt8;
    case 2: return is_signed ? DType::kInt16 : DType::kUInt16;
    case 4: return is_signed ? DType::kInt32 : DType::kUInt32;
    case 8: return is_signed ? DType::kInt64 : DType::kUInt64;
    default: return DType::kInvalid;
  }
}

// Maps the stored element type to a DType; the bytes are then read without
// conversion (and byte-swapped if big-endian), so only layouts whose raw bytes
// already mean that DType are accepted.
Expected<DType> dataset_dtype(hid_t ds, hid_t type, const std::string& path) {
  size_t size = H5Tget_size(type);
  // Keras 3 stores bfloat16 as 2-byte opaque data tagged with dtype="bfloat16".
  if (size == 2 && h5_has_attr(ds, "dtype")) {
    H5QuietErrors quiet;
    auto tag = h5_string_attr(ds, "dtype");
    if (tag.ok() && tag->has_value() && **tag == "bfloat16") return DType::kBFloat16;
  }
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      if (is_ieee_float(type, size)) {
        return size == 2 ? DType::kFloat16 : size == 4 ? DType::kFloat32 : DType::kFloat64;
      }
      return unsupported("dataset '" + path + "' holds a non-IEEE or " + std::to_string(size * 8) +
                         "-bit float type; only float16/32/64 are supported");
    case H5T_INTEGER: {
      DType t = integer_dtype(size, H5Tget_sign(type) != H5T_SGN_NONE);
      if (t != DType::kInvalid) return t;
      break;
    }
    case H5T_ENUM: {
      // h5py stores numpy bool as a 1-byte enum {FALSE = 0, TRUE = 1}.
      if (size == 1 && H5Tget_nmembers(type) == 2) return DType::kBool;
      break;
    }
    default:
      break;
  }
  return unsupported("dataset '" + path + "' holds a non-numeric or unusual HDF5 type (class " +
                     std::to_string(static_cast<int>(H5Tget_class(type))) + ", " + std::to_string(size) +
                     " bytes); only float, integer and bool weights are supported");
}

}  // namespace

H5QuietErrors::H5QuietErrors() {
  H5E_auto2_t func = nullptr;
  H5Eget_auto2(H5E_DEFAULT, &func, &old_data_);
  old_func_ = reinterpret_cast<void (*)()>(func);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

H5QuietErrors::~H5QuietErrors() {
  H5Eset_auto2(H5E_DEFAULT, reinterpret_cast<H5E_auto2_t>(old_func_), old_data_);
}

H5Handle& H5Handle::operator=(H5Handle&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    o.id_ = -1;
  }
  return *this;
}

void H5Handle::reset() {
  if (id_ < 0) return;
  H5QuietErrors quiet;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: H5Idec_ref(id_); break;
  }
  H5Eclear2(H5E_DEFAULT);
  id_ = -1;
}

Expected<H5File> H5File::open(const std::string& path) {
  H5QuietErrors quiet;
  H5Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  if (!fapl.valid()) return h5_failure("cannot set up HDF5");
#if H5_VERSION_GE(1, 10, 7)
  // Reading needs no lock, and a lock fails on read-only mounts.
  H5Pset_file_locking(fapl.get(), false, true);
#endif
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) {
    return invalid_input("'" + path + "' is not a readable HDF5 file (HDF5: " + hdf5_message() +
                         "); it may be truncated or corrupt: save the model again");
  }
  H5File f;
  f.file_ = H5Handle(id);
  f.name_ = path;
  return f;
}

// A read-only, zero-copy file image. HDF5's file-image callbacks normally
// allocate and copy; here every "allocation" of the whole image hands back
// the caller's buffer and every copy is onto itself, so a multi-GB weights
// file is never duplicated and never written or freed by HDF5. (hdf5_hl's
// H5LTopen_file_image does the same but leaks its bookkeeping in 1.10.)
struct H5ImageView {
  const char* data = nullptr;
  size_t size = 0;
};

void* image_malloc(size_t size, H5FD_file_image_op_t op, void* udata) {
  auto* view = static_cast<H5ImageView*>(udata);
  const bool whole_image = op == H5FD_FILE_IMAGE_OP_PROPERTY_LIST_SET ||
                           op == H5FD_FILE_IMAGE_OP_PROPERTY_LIST_COPY || op == H5FD_FILE_IMAGE_OP_FILE_OPEN;
  return whole_image && size == view->size ? const_cast<char*>(view->data) : nullptr;
}
void* image_memcpy(void* dest, const void* src, size_t, H5FD_file_image_op_t, void*) {
  return dest == src ? dest : nullptr;  // only ever the buffer onto itself
}
void* image_realloc(void*, size_t, H5FD_file_image_op_t, void*) { return nullptr; }  // read-only: never grows
herr_t image_free(void*, H5FD_file_image_op_t, void*) { return 0; }                   // the caller owns it
void* udata_copy(void* udata) { return udata; }  // shared by every copy of the property list
herr_t udata_free(void*) { return 0; }

Expected<H5File> H5File::open_image(const std::string& image, const std::string& display_name) {
  H5QuietErrors quiet;
  if (image.empty()) return invalid_input("'" + display_name + "' is empty: save the model again");
  auto view = std::make_shared<H5ImageView>(H5ImageView{image.data(), image.size()});

  H5Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
  H5FD_file_image_callbacks_t callbacks = {image_malloc, image_memcpy, image_realloc, image_free,
                                           udata_copy,   udata_free,   view.get()};
  // Core (in-memory) driver without a backing file; callbacks before image.
  if (!fapl.valid() || H5Pset_fapl_core(fapl.get(), 1 << 16, 0) < 0 ||
      H5Pset_file_image_callbacks(fapl.get(), &callbacks) < 0 ||
      H5Pset_file_image(fapl.get(), const_cast<char*>(image.data()), image.size()) < 0) {
    return h5_failure("cannot set up an in-memory HDF5 file for '" + display_name + "'");
  }
  // The core driver tells files apart by name: each image needs its own.
  static std::atomic<uint64_t> counter{0};
  const std::string name = "tflc_image_" + std::to_string(counter.fetch_add(1));
  hid_t id = H5Fopen(name.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (id < 0) {
    return invalid_input("'" + display_name + "' is not a readable HDF5 file (HDF5: " + hdf5_message() +
                         "); it may be truncated or corrupt: save the model again");
  }
  H5File f;
  f.image_view_ = std::move(view);
  f.file_ = H5Handle(id);
  f.name_ = display_name;
  return f;
}

bool h5_has_child(int64_t loc, const std::string& name) {
  H5QuietErrors quiet;
  if (name.empty() || name.find('/') != std::string::npos) return false;
  htri_t exists = H5Lexists(loc, name.c_str(), H5P_DEFAULT);
  H5Eclear2(H5E_DEFAULT);
  return exists > 0;
}

bool h5_has_attr(int64_t obj, const std::string& name) {
  H5QuietErrors quiet;
  htri_t exists = H5Aexists(obj, name.c_str());
  H5Eclear2(H5E_DEFAULT);
  return exists > 0;
}

Expected<H5Handle> h5_open_group(int64_t loc, const std::string& path) {
  H5QuietErrors quiet;
  Expected<H5Handle> obj = open_object(loc, path);
  if (!obj.ok()) return obj.status();
  if (H5Iget_type(obj->get()) != H5I_GROUP) return invalid_input("'" + path + "' is not an HDF5 group");
  return obj;
}

Expected<std::vector<H5Child>> h5_list_children(int64_t group) {
  H5QuietErrors quiet;
  H5G_info_t info;
  if (H5Gget_info(group, &info) < 0) return h5_failure("cannot list an HDF5 group");
  std::vector<H5Child> out;
  out.reserve(static_cast<size_t>(std::min<hsize_t>(info.nlinks, 1 << 16)));
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t len = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (len < 0) return h5_failure("cannot list an HDF5 group");
    std::string name(static_cast<size_t>(len) + 1, '\0');
    if (H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT) < 0)
      return h5_failure("cannot list an HDF5 group");
    name.resize(static_cast<size_t>(len));
    H5Child child{name, H5ChildKind::kOther};
    H5L_info_t linfo;
    if (H5Lget_info(group, name.c_str(), &linfo, H5P_DEFAULT) >= 0 && linfo.type == H5L_TYPE_HARD) {
      H5Handle obj(H5Oopen(group, name.c_str(), H5P_DEFAULT));
      if (obj.valid()) {
        H5I_type_t t = H5Iget_type(obj.get());
        if (t == H5I_GROUP) child.kind = H5ChildKind::kGroup;
        if (t == H5I_DATASET) child.kind = H5ChildKind::kDataset;
      }
    }
    H5Eclear2(H5E_DEFAULT);
    out.push_back(std::move(child));
  }
  return out;
}

Expected<std::optional<std::string>> h5_string_attr(int64_t obj, const std::string& name) {
  H5QuietErrors quiet;
  if (!h5_has_attr(obj, name)) return std::optional<std::string>();
  Expected<std::vector<std::string>> strings = read_named_attr(obj, name);
  if (!strings.ok()) return strings.status();
  if (strings->size() != 1)
    return invalid_input("attribute '" + name + "' should hold one string but holds " +
                         std::to_string(strings->size()));
  return std::optional<std::string>(std::move(strings->front()));
}

Expected<std::optional<std::vector<std::string>>> h5_string_list_attr(int64_t obj, const std::string& name) {
  using Result = std::optional<std::vector<std::string>>;
  H5QuietErrors quiet;
  if (h5_has_attr(obj, name)) {
    Expected<std::vector<std::string>> strings = read_named_attr(obj, name);
    if (!strings.ok()) return strings.status();
    return Result(std::move(strings).value());
  }
  std::vector<std::string> joined;
  int chunk = 0;
  for (; h5_has_attr(obj, name + std::to_string(chunk)); ++chunk) {
    Expected<std::vector<std::string>> part = read_named_attr(obj, name + std::to_string(chunk));
    if (!part.ok()) return part.status();
    if (joined.size() + part->size() > static_cast<size_t>(kMaxAttrStrings))
      return invalid_input("attribute '" + name + "' holds an absurd number of strings");
    joined.insert(joined.end(), part->begin(), part->end());
  }
  if (chunk == 0) return Result();
  return Result(std::move(joined));
}

Expected<KerasArray> h5_read_array(int64_t loc, const std::string& path, const std::string& name,
                                   H5ReadBudget& budget) {
  H5QuietErrors quiet;
  Expected<H5Handle> obj = open_object(loc, path);
  if (!obj.ok()) return obj.status();
  if (H5Iget_type(obj->get()) != H5I_DATASET) return invalid_input("'" + path + "' is not an HDF5 dataset");
  hid_t ds = obj->get();

  H5Handle type(H5Dget_type(ds));
  H5Handle space(H5Dget_space(ds));
  if (!type.valid() || !space.valid()) return h5_failure("cannot read dataset '" + path + "'");

  KerasArray array;
  array.name = name;
  Expected<DType> dtype = dataset_dtype(ds, type.get(), path);
  if (!dtype.ok()) return dtype.status();
  array.dtype = *dtype;

  H5S_class_t space_class = H5Sget_simple_extent_type(space.get());
  if (space_class == H5S_NULL) return invalid_input("dataset '" + path + "' has no dataspace (holds no value)");
  int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) return h5_failure("cannot read the shape of dataset '" + path + "'");
  std::vector<hsize_t> dims(static_cast<size_t>(rank));
  if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
    return h5_failure("cannot read the shape of dataset '" + path + "'");

  // Element count and byte size, refusing overflow before any allocation.
  const uint64_t elem_size = H5Tget_size(type.get());
  uint64_t count = 1;
  for (hsize_t d : dims) {
    if (d > static_cast<hsize_t>(std::numeric_limits<int64_t>::max()))
      return invalid_input("dataset '" + path + "' declares an absurd dimension");
    if (d != 0 && count > std::numeric_limits<uint64_t>::max() / d)
      return invalid_input("dataset '" + path + "' declares an absurd size");
    count *= d;
    array.shape.push_back(static_cast<int64_t>(d));
  }
  if (elem_size == 0 || (count != 0 && elem_size > std::numeric_limits<uint64_t>::max() / count))
    return invalid_input("dataset '" + path + "' declares an absurd size");
  const uint64_t nbytes = count * elem_size;
  if (elem_size != static_cast<uint64_t>(dtype_size(array.dtype)))
    return internal_error("dataset '" + path + "': element size does not match its dtype");
  if (nbytes > std::numeric_limits<size_t>::max()) return invalid_input("dataset '" + path + "' is too large");
  // Deflate packs at most ~1032:1, so a declared size far past what the file
  // stores (unwritten chunks read as fill values) is a forged header.
  const uint64_t stored = H5Dget_storage_size(ds);
  if (nbytes > (uint64_t{1} << 20) && nbytes / 1100 > stored)
    return invalid_input("dataset '" + path + "' declares " + std::to_string(nbytes) + " bytes but the file stores " +
                         std::to_string(stored) + " for it; the file is damaged: save the model again");
  if (nbytes > budget.remaining) {
    return invalid_input("dataset '" + path + "' needs " + std::to_string(nbytes) + " bytes, more than the " +
                         std::to_string(budget.remaining) + " bytes left for weights" +
                         (budget.what_to_do.empty() ? "" : "; " + budget.what_to_do));
  }
  budget.remaining -= nbytes;

  if (nbytes > 0) {
    array.bytes.resize(static_cast<size_t>(nbytes));
    // The file's own type as memory type: no conversion, the raw bytes.
    if (H5Dread(ds, type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, array.bytes.data()) < 0)
      return h5_failure("cannot read dataset '" + path + "'");
    if (elem_size > 1 && H5Tget_order(type.get()) == H5T_ORDER_BE) {
      for (size_t off = 0; off < array.bytes.size(); off += elem_size)
        std::reverse(array.bytes.begin() + off, array.bytes.begin() + off + elem_size);
    }
  }
  return array;
}

}  // namespace tflc
