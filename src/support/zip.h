// Small RAII and message helpers over libzip, shared by the .keras reader and
// the .npz dataset reader.
#pragma once

#include <zip.h>

#include <memory>
#include <string>

namespace tflc {

struct ZipDiscard {
  // Read-only archive: discard frees it without ever writing anything back.
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileClose {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using ZipArchive = std::unique_ptr<zip_t, ZipDiscard>;
using ZipEntry = std::unique_ptr<zip_file_t, ZipFileClose>;

inline std::string zip_code_message(int code) {
  zip_error_t err;
  zip_error_init_with_code(&err, code);
  std::string msg = zip_error_strerror(&err);
  zip_error_fini(&err);
  return msg;
}

}  // namespace tflc
