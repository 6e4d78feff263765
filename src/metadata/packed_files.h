// Associated files packed into a .tflite: a zip archive appended after the
// FlatBuffer, with offsets counted from the start of the model file, as
// tflite-support's populator (Python's zipfile in append mode) writes it.
// The model stays a valid FlatBuffer and `unzip -l model.tflite` lists the
// files.
//
// Our own reader and writer rather than libzip: libzip cannot append an
// archive after bytes that are not a zip, and does not tell where an archive
// starts, which bounds the FlatBuffer in front of it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/status.h"

namespace tflc {

struct PackedFile {
  std::string name;
  std::string data;
};

struct PackedArchive {
  // Offset of the first byte of the archive (its first local header); the
  // model's FlatBuffer must fit before it. model.size() when there is none.
  size_t start = 0;
  std::vector<PackedFile> files;  // in central-directory order
};

// A file name read from a model, quoted and safe to print on one line.
std::string printable_name(const std::string& name);

// Finds and reads the archive at the end of `model`. No archive: start is
// model.size() and no files. A malformed archive is an error.
Expected<PackedArchive> read_packed_files(std::string_view model);

// Appends `files` to `flatbuffer` as a stored (uncompressed) zip archive.
// Timestamps are fixed so output is deterministic.
Expected<std::string> append_packed_files(std::string flatbuffer,
                                          const std::vector<PackedFile>& files);

}  // namespace tflc
