#include "api/converter.h"

#include "frontends/graphdef/import.h"
#include "frontends/keras/keras_model.h"
#include "frontends/saved_model/saved_model.h"
#include "metadata/metadata.h"
#include "passes/passes.h"
#include "quant/quantize.h"
#include "support/file.h"
#include "tflite/writer.h"

namespace tflc {

namespace {

Expected<Model> import_model(const ConvertOptions& o) {
  int sources = !o.graph_def_file.empty() + !o.saved_model_dir.empty() + !o.keras_model_file.empty();
  if (sources != 1)
    return usage_error("exactly one of --graph_def_file, --saved_model_dir or --keras_model_file is required");
  if (!o.saved_model_dir.empty()) {
    if (!o.input_arrays.empty() || !o.output_arrays.empty() || o.input_shapes)
      return usage_error("--input_arrays, --output_arrays and --input_shapes go with --graph_def_file; "
                         "a SavedModel's signature names its inputs and outputs");
    SavedModelOptions so;
    so.dir = o.saved_model_dir;
    so.tags = o.saved_model_tags;
    if (!o.signature_keys.empty()) so.signature_keys = o.signature_keys;
    so.fold_budget = o.fold_budget;
    return import_saved_model(so);
  }
  if (!o.keras_model_file.empty()) {
    if (!o.input_arrays.empty() || !o.output_arrays.empty() || o.input_shapes)
      return usage_error("--input_arrays, --output_arrays and --input_shapes go with --graph_def_file");
    KerasImportOptions ko;
    ko.path = o.keras_model_file;
    ko.fold_budget = o.fold_budget;
    return import_keras_model(ko);
  }
  GraphDefImportOptions gopt;
  gopt.input_arrays = o.input_arrays;
  gopt.output_arrays = o.output_arrays;
  gopt.fold_budget = o.fold_budget;
  if (o.input_shapes) {
    ASSIGN_OR_RETURN(gopt.input_shapes, parse_input_shapes(*o.input_shapes));
  }
  if (!gopt.input_shapes.empty() && gopt.input_arrays.empty())
    return usage_error("--input_shapes needs --input_arrays to say which input each shape is for");
  ASSIGN_OR_RETURN(tensorflow::GraphDef gd, read_graphdef(o.graph_def_file));
  return import_graphdef(gd, gopt);
}

// Import, the float pass pipeline, then quantization (a no-op by default).
Expected<Model> convert_to_model(const ConvertOptions& o) {
  ASSIGN_OR_RETURN(Model model, import_model(o));
  PipelineOptions popt;
  popt.fold_budget = o.fold_budget;
  RETURN_IF_ERROR(run_pipeline(model, popt));
  RETURN_IF_ERROR(quantize(model, o.quantize));
  return model;
}

// The last step: the metadata and its files, written as tflite_metadata does.
Expected<std::string> attach_metadata(std::string tflite, const ConvertOptions& o) {
  ASSIGN_OR_RETURN(std::string json, read_file_bytes(o.metadata_json, "metadata JSON"));
  ASSIGN_OR_RETURN(std::string metadata, metadata_from_json(json, "--metadata_json '" + o.metadata_json + "'"));
  std::vector<PackedFile> files;
  for (const std::string& path : o.associated_files) {
    ASSIGN_OR_RETURN(std::string data, read_file_bytes(path, "associated file"));
    files.push_back({path, std::move(data)});
  }
  ASSIGN_OR_RETURN(ModelFile model, ModelFile::read(std::move(tflite), "the converted model"));
  return populate_metadata(model, metadata, std::move(files));
}

}  // namespace

Expected<std::string> convert(const ConvertOptions& options) {
  if (options.metadata_json.empty() && !options.associated_files.empty())
    return usage_error("--associated_file needs --metadata_json, the metadata that names the files");
  ASSIGN_OR_RETURN(Model model, convert_to_model(options));
  ASSIGN_OR_RETURN(std::string tflite, write_tflite(model));
  if (options.metadata_json.empty()) return tflite;
  return attach_metadata(std::move(tflite), options);
}

Status convert_to_file(const ConvertOptions& options, const std::string& output_file) {
  if (!options.metadata_json.empty() || !options.associated_files.empty()) {
    ASSIGN_OR_RETURN(std::string tflite, convert(options));
    return write_file_atomic(output_file, tflite);
  }
  ASSIGN_OR_RETURN(Model model, convert_to_model(options));
  // Streams the FlatBuffer to the file: no second in-memory copy.
  ASSIGN_OR_RETURN(auto file, AtomicFileWriter::create(output_file));
  RETURN_IF_ERROR(write_tflite(model, {}, [&](std::string_view piece) { return file->write(piece); }));
  return file->commit();
}

}  // namespace tflc
