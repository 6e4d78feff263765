// A thin, error-checked layer over the HDF5 C library: open a file (on disk
// or as an in-memory image), read string attributes, list groups and read
// numeric datasets into KerasArray. Every HDF5 failure comes back as a Status
// carrying HDF5's own innermost message; nothing is printed to stderr.
//
// The header hides <hdf5.h> (ids are hid_t == int64_t since HDF5 1.10) so
// that users of the Keras frontend need no HDF5 include path.
// Debian's libhdf5 is built without thread safety: use from one thread at a
// time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/dtype.h"
#include "support/status.h"

namespace tflc {

// One weight as stored in the file: little-endian bytes in C (row-major)
// order; shape {} for a scalar.
struct KerasArray {
  std::string name;
  DType dtype = DType::kInvalid;
  std::vector<int64_t> shape;
  std::string bytes;
};

// Owns one HDF5 identifier of any kind and closes it with the matching
// H5*close call.
class H5Handle {
 public:
  H5Handle() = default;
  explicit H5Handle(int64_t id) : id_(id) {}
  ~H5Handle() { reset(); }
  H5Handle(H5Handle&& o) noexcept : id_(o.id_) { o.id_ = -1; }
  H5Handle& operator=(H5Handle&& o) noexcept;
  H5Handle(const H5Handle&) = delete;
  H5Handle& operator=(const H5Handle&) = delete;

  int64_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();

 private:
  int64_t id_ = -1;
};

// Caps the bytes of all datasets read through one budget, so a file that
// declares absurd dataset sizes is refused before anything is allocated.
struct H5ReadBudget {
  uint64_t remaining = 0;
  std::string what_to_do;  // appended to the "too large" error
};

class H5File {
 public:
  // Opens `path` read-only.
  static Expected<H5File> open(const std::string& path);
  // Opens an HDF5 file held in memory, without copying it. `image` must stay
  // alive and unchanged until the H5File (and every handle from it) is gone.
  static Expected<H5File> open_image(const std::string& image, const std::string& display_name);

  H5File(H5File&&) = default;
  H5File& operator=(H5File&& o) noexcept {
    file_.reset();  // close the old file before its image may go away
    image_view_ = std::move(o.image_view_);
    file_ = std::move(o.file_);
    name_ = std::move(o.name_);
    return *this;
  }

  int64_t id() const { return file_.get(); }
  const std::string& display_name() const { return name_; }

 private:
  H5File() = default;
  std::shared_ptr<void> image_view_;  // for open_image; declared first so it outlives file_
  H5Handle file_;
  std::string name_;
};

enum class H5ChildKind { kGroup, kDataset, kOther };
struct H5Child {
  std::string name;
  H5ChildKind kind = H5ChildKind::kOther;
};

// Whether `loc` has a hard link named `name` (a direct child, no '/').
bool h5_has_child(int64_t loc, const std::string& name);
bool h5_has_attr(int64_t obj, const std::string& name);

// Opens a group by a '/'-separated path relative to `loc`, following hard
// links only (an external link could make HDF5 open another file).
Expected<H5Handle> h5_open_group(int64_t loc, const std::string& path);

// Direct children of a group, in HDF5 name order.
Expected<std::vector<H5Child>> h5_list_children(int64_t group);

// A scalar (or one-element) string attribute, fixed-length or variable-length;
// nullopt when the attribute is absent.
Expected<std::optional<std::string>> h5_string_attr(int64_t obj, const std::string& name);

// A 1-D array-of-strings attribute. Keras splits long lists over
// "<name>0", "<name>1", ... when one attribute would pass HDF5's 64 KB header
// limit; those are joined. An empty attribute of any type (Keras writes an
// empty float64 array for a layer without weights) gives an empty list.
// nullopt when neither form is present.
Expected<std::optional<std::vector<std::string>>> h5_string_list_attr(int64_t obj,
                                                                      const std::string& name);

// Reads a numeric dataset (float16/32/64, bfloat16 tagged by Keras 3,
// [u]int8..64, bool) at `path` relative to `loc`, into an array named `name`.
Expected<KerasArray> h5_read_array(int64_t loc, const std::string& path, const std::string& name,
                                   H5ReadBudget& budget);

// Turns off HDF5's automatic error printing for the current scope and
// restores the previous handler afterwards. Every entry point above does this
// itself; callers of raw HDF5 functions (tests) can use it too.
class H5QuietErrors {
 public:
  H5QuietErrors();
  ~H5QuietErrors();
  H5QuietErrors(const H5QuietErrors&) = delete;
  H5QuietErrors& operator=(const H5QuietErrors&) = delete;

 private:
  void (*old_func_)() = nullptr;  // H5E_auto2_t, type-erased to keep <hdf5.h> out
  void* old_data_ = nullptr;
};

}  // namespace tflc
