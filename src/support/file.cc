#include "support/file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace tflc {

Expected<std::shared_ptr<MappedFile>> MappedFile::open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return invalid_input("cannot open '" + path + "': " + std::strerror(errno) + "; check the path");
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return invalid_input("'" + path + "' is not a regular file; pass the path of a model file");
  }
  std::shared_ptr<MappedFile> f(new MappedFile());
  f->path_ = path;
  f->size_ = static_cast<size_t>(st.st_size);
  if (f->size_ > 0) {
    void* p = mmap(nullptr, f->size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      ::close(fd);
      return invalid_input("cannot map '" + path + "': " + std::strerror(errno));
    }
    f->data_ = static_cast<const char*>(p);
    madvise(p, f->size_, MADV_SEQUENTIAL);
  }
  ::close(fd);
  return f;
}

MappedFile::~MappedFile() {
  if (data_) munmap(const_cast<char*>(data_), size_);
}

void MappedFile::release_pages() const {
  if (data_) madvise(const_cast<char*>(data_), size_, MADV_DONTNEED);
}

Expected<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::create(const std::string& path) {
  std::unique_ptr<AtomicFileWriter> w(new AtomicFileWriter());
  w->path_ = path;
  // /dev/null, /dev/stdout, a FIFO: written in place. Renaming a regular
  // file over them would replace the device (as root) or the pipe.
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
    w->fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (w->fd_ < 0) return invalid_input("cannot open output '" + path + "': " + std::strerror(errno));
    w->in_place_ = true;
    return w;
  }
  std::string tmpl = path + ".tmp.XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  w->fd_ = mkstemp(buf.data());
  if (w->fd_ < 0)
    return invalid_input("cannot create output '" + path + "': " + std::strerror(errno) +
                         "; check that the folder exists and is writable");
  w->tmp_path_ = buf.data();
  fchmod(w->fd_, 0644);
  return w;
}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_path_.empty()) ::unlink(tmp_path_.c_str());
}

Status AtomicFileWriter::write(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return invalid_input("cannot write '" + (in_place_ ? path_ : tmp_path_) + "': " + std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return ok_status();
}

Status AtomicFileWriter::commit() {
  if (::close(fd_) != 0) {
    fd_ = -1;
    return invalid_input("cannot write '" + tmp_path_ + "': " + std::strerror(errno));
  }
  fd_ = -1;
  if (in_place_) {
    committed_ = true;
    return ok_status();
  }
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0)
    return invalid_input("cannot rename output to '" + path_ + "': " + std::strerror(errno));
  committed_ = true;
  return ok_status();
}

Status write_file_atomic(const std::string& path, std::string_view data) {
  ASSIGN_OR_RETURN(auto w, AtomicFileWriter::create(path));
  RETURN_IF_ERROR(w->write(data));
  return w->commit();
}

bool path_is_dir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

Expected<std::string> read_file_bytes(const std::string& path, const std::string& what) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return invalid_input("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return invalid_input(what + " '" + path + "' is not a regular file");
  }
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t got = 0;
  while (got < data.size()) {
    ssize_t n = ::read(fd, data.data() + got, data.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (got != data.size()) return invalid_input("cannot read " + what + " '" + path + "': short read");
  return data;
}

}  // namespace tflc
