// tflite_metadata: shows and writes TFLite Metadata, as tflite-support's
// MetadataDisplayer, MetadataPopulator and metadata_writers do.
//   tflite_metadata show model.tflite [--list_files | --extract DIR]
//   tflite_metadata write --task image_classifier --labels l.txt ... model.tflite -o out.tflite
//   tflite_metadata write --json meta.json [--associated_file f ...] model.tflite -o out.tflite
#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <tuple>
#include <iostream>
#include <new>
#include <string>

#include "metadata/metadata.h"
#include "metadata/task_writers.h"
#include "support/file.h"
#include "support/status.h"

namespace {

int fail(const tflc::Status& st) {
  std::fprintf(stderr, "tflite_metadata: error: %s\n", st.message().c_str());
  return st.kind() == tflc::ErrorKind::kUsage ? 2 : 1;
}

tflc::Expected<tflc::ModelFile> open_model(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, tflc::read_file_bytes(path, "model"));
  return tflc::ModelFile::read(std::move(bytes), "'" + path + "'");
}

// A packed file's name becomes a path under DIR: plain names only.
bool safe_name(const std::string& n) {
  return !n.empty() && n != "." && n != ".." && n.find('/') == std::string::npos && n.find('\0') == std::string::npos;
}

tflc::Status show(const std::string& path, bool list_files, const std::string& extract_dir) {
  ASSIGN_OR_RETURN(tflc::ModelFile model, open_model(path));
  if (list_files) {
    for (const auto& f : model.packed_files()) std::printf("%s\n", f.name.c_str());
    return tflc::ok_status();
  }
  if (!extract_dir.empty()) {
    if (!tflc::path_is_dir(extract_dir))
      return tflc::invalid_input("--extract: '" + extract_dir + "' is not a directory; create it first");
    for (const auto& f : model.packed_files()) {
      if (!safe_name(f.name))
        return tflc::invalid_input("packed file name " + tflc::printable_name(f.name) + " is not a plain file name; not extracting it");
    }
    for (const auto& f : model.packed_files()) {
      std::string out = extract_dir + "/" + f.name;
      RETURN_IF_ERROR(tflc::write_file_atomic(out, f.data));
      std::printf("%s (%zu bytes)\n", out.c_str(), f.data.size());
    }
    return tflc::ok_status();
  }
  ASSIGN_OR_RETURN(auto md, model.metadata());
  if (!md)
    return tflc::invalid_input("'" + path + "' has no TFLite Metadata (no TFLITE_METADATA entry); add it with "
                               "`tflite_metadata write`");
  ASSIGN_OR_RETURN(std::string json, tflc::metadata_to_json(*md));
  std::fwrite(json.data(), 1, json.size(), stdout);
  return std::fflush(stdout) == 0 ? tflc::ok_status() : tflc::invalid_input("cannot write to standard output");
}

tflc::Expected<std::vector<tflc::PackedFile>> read_associated(const std::vector<std::string>& paths) {
  std::vector<tflc::PackedFile> files;
  for (const auto& p : paths) {
    ASSIGN_OR_RETURN(std::string data, tflc::read_file_bytes(p, "associated file"));
    files.push_back({p, std::move(data)});
  }
  return files;
}

// "127.5" or "123.7,116.3,103.5".
tflc::Expected<std::vector<float>> parse_floats(const std::string& text, const std::string& flag) {
  std::vector<float> out;
  if (text.empty()) return out;
  size_t at = 0;
  while (at <= text.size()) {
    size_t comma = text.find(',', at);
    if (comma == std::string::npos) comma = text.size();
    std::string field = text.substr(at, comma - at);
    char* end = nullptr;
    float v = std::strtof(field.c_str(), &end);
    if (field.empty() || *end != '\0' || !std::isfinite(v))
      return tflc::usage_error(flag + " '" + text + "': give numbers separated by commas");
    out.push_back(v);
    at = comma + 1;
  }
  return out;
}

int run(int argc, char** argv) {
  CLI::App app{"Shows and writes TFLite Metadata (tflite-support's metadata format) in .tflite models.",
               "tflite_metadata"};
  app.require_subcommand(1);

  CLI::App* show_cmd = app.add_subcommand("show", "Print a model's metadata as JSON (MetadataDisplayer's form).");
  std::string show_model, extract_dir;
  bool list_files = false;
  show_cmd->add_option("model", show_model, "The .tflite file.")->required();
  auto* list_opt = show_cmd->add_flag("--list_files", list_files, "List the associated files packed in the model.");
  show_cmd->add_option("--extract", extract_dir, "Write the packed files into this directory.")->excludes(list_opt);

  CLI::App* write_cmd = app.add_subcommand("write", "Write metadata into a model, from a task writer or from JSON.");
  std::string in_model, out_model, json_path;
  std::vector<std::string> associated;
  tflc::TaskWriterOptions task;
  write_cmd->add_option("model", in_model, "The .tflite file to add metadata to.")->required();
  write_cmd->add_option("-o,--output", out_model, "Where to write the model with metadata.")->required();
  auto* json_opt = write_cmd->add_option("--json", json_path,
                                         "Metadata as JSON, in the form `tflite_metadata show` prints.");
  // One value per occurrence, so that a list flag never swallows the model.
  write_cmd->add_option("--associated_file", associated, "A file the metadata names, to pack (repeatable).")
      ->allow_extra_args(false);
  std::string tasks;
  for (const auto& t : tflc::task_writer_names()) tasks += (tasks.empty() ? "" : ", ") + t;
  write_cmd->add_option("--task", task.task, "Task writer: " + tasks + ".")->excludes(json_opt);
  write_cmd->add_option("--labels", task.labels, "A label file of the output classes (repeatable).")
      ->allow_extra_args(false);
  std::string norm_mean, norm_std;
  write_cmd->add_option("--norm_mean", norm_mean, "Input normalization mean: one value, or one per channel, comma-separated.");
  write_cmd->add_option("--norm_std", norm_std, "Input normalization std: one value, or one per channel, comma-separated.");
  write_cmd->add_option("--score_calibration", task.score_calibration,
                        "Score calibration CSV: scale,slope,offset[,min_score] per class.");
  write_cmd->add_option("--score_transformation", task.score_transformation,
                        "IDENTITY (default), LOG or INVERSE_LOGISTIC.");
  write_cmd->add_option("--default_score", task.default_score, "Calibrated score of classes without parameters.");
  write_cmd->add_option("--sample_rate", task.sample_rate, "Audio sample rate in Hz (audio_classifier).");
  write_cmd->add_option("--channels", task.channels, "Audio channel count (audio_classifier).");
  write_cmd->add_option("--vocab", task.vocab, "Vocabulary file (nl_classifier, bert_nl_classifier).");
  write_cmd->add_option("--sentencepiece_model", task.sentencepiece_model,
                        "SentencePiece model (bert_nl_classifier instead of --vocab).");
  write_cmd->add_option("--delim_regex_pattern", task.delim_regex_pattern,
                        "Regex tokenizer delimiter (nl_classifier).");
  write_cmd->add_option("--ids_name", task.ids_name, "bert_nl_classifier: name of the token-ids input.");
  write_cmd->add_option("--mask_name", task.mask_name, "bert_nl_classifier: name of the mask input.");
  write_cmd->add_option("--segment_name", task.segment_name, "bert_nl_classifier: name of the segment-ids input.");
  write_cmd->add_option("--name", task.name, "Model name (default: the task writer's).");
  write_cmd->add_option("--description", task.description, "Model description (default: the task writer's).");
  write_cmd->add_option("--version", task.version, "Model version.");
  write_cmd->add_option("--author", task.author, "Model author.");
  write_cmd->add_option("--license", task.license, "Model license.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help on a subcommand
      std::cout << (write_cmd->parsed() ? write_cmd->help() : show_cmd->parsed() ? show_cmd->help() : app.help());
      return 0;
    }
    std::string what = e.what();
    if (what.find('\n') != std::string::npos) what = what.substr(0, what.find('\n'));
    std::fprintf(stderr, "tflite_metadata: error: %s (see tflite_metadata --help)\n", what.c_str());
    return 2;
  }

  if (show_cmd->parsed()) {
    tflc::Status st = show(show_model, list_files, extract_dir);
    return st.ok() ? 0 : fail(st);
  }

  for (auto [text, flag, out] : {std::tuple{&norm_mean, "--norm_mean", &task.norm_mean},
                                 std::tuple{&norm_std, "--norm_std", &task.norm_std}}) {
    auto values = parse_floats(*text, flag);
    if (!values.ok()) return fail(values.status());
    *out = *values;
  }
  if (json_path.empty() == task.task.empty())
    return fail(tflc::usage_error("write needs exactly one of --task or --json"));
  auto model = open_model(in_model);
  if (!model.ok()) return fail(model.status());
  std::string metadata;
  std::vector<tflc::PackedFile> files;
  if (!json_path.empty()) {
    auto json = tflc::read_file_bytes(json_path, "metadata JSON");
    if (!json.ok()) return fail(json.status());
    auto md = tflc::metadata_from_json(*json, "'" + json_path + "'");
    if (!md.ok()) return fail(md.status());
    auto given = read_associated(associated);
    if (!given.ok()) return fail(given.status());
    metadata = std::move(*md);
    files = std::move(*given);
  } else {
    if (!associated.empty()) return fail(tflc::usage_error("--associated_file goes with --json; task writers take "
                                                           "their files by role (--labels, --vocab, ...)"));
    auto written = tflc::write_task_metadata(*model, task);
    if (!written.ok()) return fail(written.status());
    metadata = std::move(written->metadata);
    files = std::move(written->files);
  }
  auto out = tflc::populate_metadata(*model, metadata, std::move(files));
  if (!out.ok()) return fail(out.status());
  tflc::Status st = tflc::write_file_atomic(out_model, *out);
  return st.ok() ? 0 : fail(st);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "tflite_metadata: error: out of memory\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tflite_metadata: error: %s\n", e.what());
  }
  return 1;
}
