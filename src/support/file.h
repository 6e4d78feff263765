// File access: read-only memory maps for inputs, and atomic writes (temp file
// then rename) so a failed run never leaves or damages an output.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "support/status.h"

namespace tflc {

class MappedFile {
 public:
  static Expected<std::shared_ptr<MappedFile>> open(const std::string& path);
  ~MappedFile();
  std::string_view bytes() const { return {data_, size_}; }
  const std::string& path() const { return path_; }
  // Tells the kernel the pages may be dropped (they stay readable).
  void release_pages() const;

 private:
  MappedFile() = default;
  std::string path_;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

class AtomicFileWriter {
 public:
  // Creates "<path>.tmp.XXXXXX" beside `path`; a `path` that exists and is
  // not a regular file (a device, a FIFO) is written in place instead.
  static Expected<std::unique_ptr<AtomicFileWriter>> create(const std::string& path);
  ~AtomicFileWriter();  // removes the temp file unless committed
  Status write(std::string_view data);
  Status commit();      // fsync-free flush, then rename over `path`

 private:
  AtomicFileWriter() = default;
  std::string path_, tmp_path_;
  int fd_ = -1;
  bool committed_ = false;
  bool in_place_ = false;
};

Status write_file_atomic(const std::string& path, std::string_view data);
// The whole file; `what` says what it is for ("label file") in messages.
Expected<std::string> read_file_bytes(const std::string& path, const std::string& what);
bool path_is_dir(const std::string& path);

}  // namespace tflc
