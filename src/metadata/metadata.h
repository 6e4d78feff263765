// TFLite Metadata in a .tflite: read it, print it as JSON, and write it, as
// tflite-support's MetadataDisplayer and MetadataPopulator do.
//
// The metadata is a FlatBuffer of schema/metadata_schema.fbs (identifier
// "M001") stored in the model buffer that the model's "TFLITE_METADATA"
// metadata entry names. Associated files are packed after the model
// (metadata/packed_files.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/packed_files.h"
#include "support/status.h"

namespace tflite {
struct Model;
}

namespace tflc {

inline constexpr char kMetadataEntryName[] = "TFLITE_METADATA";

// A .tflite read and checked: a verified TFLite FlatBuffer that fits before
// any packed files.
class ModelFile {
 public:
  // `what` names the file in messages.
  static Expected<ModelFile> read(std::string bytes, const std::string& what);

  const tflite::Model* model() const;
  std::string_view flatbuffer() const { return std::string_view(bytes_).substr(0, flatbuffer_size_); }
  const std::vector<PackedFile>& packed_files() const { return files_; }
  const std::string& what() const { return what_; }

  // The TFLITE_METADATA buffer, verified against the metadata schema; nullopt
  // when the model has none.
  Expected<std::optional<std::string_view>> metadata() const;

 private:
  std::string bytes_, what_;
  size_t flatbuffer_size_ = 0;
  std::vector<PackedFile> files_;
};

// flatc's strict-JSON text of a verified metadata buffer: the exact form of
// tflite-support's MetadataDisplayer.get_metadata_json().
Expected<std::string> metadata_to_json(std::string_view metadata);
// The metadata FlatBuffer (identifier M001) for JSON in that form.
Expected<std::string> metadata_from_json(std::string_view json, const std::string& what);

// The smallest metadata parser version that understands every field the
// buffer uses ("1.0.0" up to the schema's 1.5.0), computed as tflite-support
// computes ModelMetadata.min_parser_version.
std::string min_parser_version(std::string_view metadata);

// The associated file names that a metadata buffer records: on the model,
// the subgraphs, the tensors and the tokenizer process units; in that order,
// possibly repeated.
std::vector<std::string> recorded_associated_files(std::string_view metadata);

// The model with `metadata` in its TFLITE_METADATA buffer (replacing any
// earlier metadata; other metadata entries are kept), min_parser_version set,
// file names reduced to their base names, and exactly the files the metadata
// records packed after it: each from `files`, or else from the files the
// model already packs. A file given twice, a given file the metadata does not
// record, and a recorded file that is neither given nor packed are errors.
Expected<std::string> populate_metadata(const ModelFile& model, std::string_view metadata,
                                        std::vector<PackedFile> files);

}  // namespace tflc
