// tflite_analyze: prints a .tflite model's structure the way
// tf.lite.experimental.Analyzer.analyze() does, plus op codes and buffers;
// pointed at a source model (GraphDef, SavedModel directory, Keras file,
// StableHLO text), the evaluation before converting (api/evaluate.h).
#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <string>

#include "api/evaluate.h"
#include "support/status.h"
#include "tflite/analyzer.h"

namespace {

// Reads the whole file; failures are values so main stays exception-free.
tflc::Expected<std::string> read_file(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return tflc::invalid_input("cannot read '" + path + "': " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) return tflc::invalid_input("cannot read '" + path + "': not a regular file");
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return tflc::invalid_input("cannot read '" + path + "': " + std::strerror(errno));
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t got = data.empty() ? 0 : std::fread(data.data(), 1, data.size(), f);
  bool err = std::ferror(f);
  std::fclose(f);
  if (err || got != data.size()) return tflc::invalid_input("cannot read '" + path + "': short read");
  return data;
}

const char* kind_label(tflc::ErrorKind k) {
  switch (k) {
    case tflc::ErrorKind::kInvalidInput: return "invalid input";
    case tflc::ErrorKind::kUnsupported: return "unsupported";
    case tflc::ErrorKind::kUsage: return "usage error";
    default: return "error";
  }
}

int fail(const tflc::Status& st) {
  std::fprintf(stderr, "tflite_analyze: %s: %s\n", kind_label(st.kind()), st.message().c_str());
  return st.kind() == tflc::ErrorKind::kUsage ? 2 : 1;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A source model by its name (as tflite_convert's flags take them); a
// .tflite (or anything else) gets the .tflite analyzer and its errors.
bool is_source_model(const std::string& path) {
  for (const char* ext : {".pb", ".pbtxt", ".prototxt", ".h5", ".hdf5", ".keras", ".mlir"})
    if (ends_with(path, ext)) return true;
  return false;
}

int evaluate_source(const std::string& path, bool is_dir, bool json, const std::string& supported_ops) {
  tflc::ConvertOptions o;
  if (is_dir) o.saved_model_dir = path;
  else if (ends_with(path, ".h5") || ends_with(path, ".hdf5") || ends_with(path, ".keras")) o.keras_model_file = path;
  else if (ends_with(path, ".mlir")) o.stablehlo_file = path;
  else o.graph_def_file = path;
  for (size_t start = 0; start < supported_ops.size();) {
    size_t end = supported_ops.find(',', start);
    if (end == std::string::npos) end = supported_ops.size();
    if (end > start) o.quantize.supported_ops.push_back(supported_ops.substr(start, end - start));
    start = end + 1;
  }
  auto e = tflc::evaluate(o);
  if (!e.ok()) return fail(e.status());
  std::string text = json ? tflc::evaluation_json(*e) : tflc::evaluation_text(*e);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

int run(int argc, char** argv) {
  CLI::App app{"Prints the structure of a TensorFlow Lite model (subgraphs, ops, tensors, signatures,\n"
               "operator codes, buffers and sizes), like tf.lite.experimental.Analyzer.analyze().",
               "tflite_analyze"};
  std::string model_path;
  bool no_buffers = false;
  app.add_option("model", model_path, "Path of the .tflite file.")->required();
  app.add_flag("--no-buffers", no_buffers, "Omit buffer indices, constant data previews and the buffer list.");
  bool gpu = false, json = false;
  std::string supported_ops;
  app.add_flag("--gpu_compatibility", gpu,
               "Check each op against the GPU delegate's constraints (as Analyzer.analyze(gpu_compatibility=True)) "
               "and name the ops that would fall back to the CPU.");
  app.add_flag("--json", json, "For a source model: print the evaluation as JSON.");
  app.add_option("--supported_ops", supported_ops,
                 "For a source model: the op sets to evaluate against, as tflite_convert takes them.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    if (what.find('\n') != std::string::npos) what = what.substr(0, what.find('\n'));
    std::fprintf(stderr, "tflite_analyze: error: %s (see tflite_analyze --help)\n", what.c_str());
    return 2;
  }

  struct stat st;
  bool is_dir = ::stat(model_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
  if (is_dir || is_source_model(model_path)) {
    if (gpu) {
      std::fprintf(stderr, "tflite_analyze: error: --gpu_compatibility checks a .tflite; '%s' is a source model "
                           "(convert it first)\n", model_path.c_str());
      return 2;
    }
    return evaluate_source(model_path, is_dir, json, supported_ops);
  }
  auto bytes = read_file(model_path);
  if (json || !supported_ops.empty()) {
    std::fprintf(stderr, "tflite_analyze: error: --json and --supported_ops go with a source model, not a .tflite\n");
    return 2;
  }
  if (!bytes.ok()) {
    std::fprintf(stderr, "tflite_analyze: error: %s\n", bytes.status().message().c_str());
    return 1;
  }
  tflc::AnalyzeOptions opt;
  opt.name = model_path;
  opt.show_buffers = !no_buffers;
  opt.gpu_compatibility = gpu;
  auto report = tflc::analyze_tflite(*bytes, opt);
  if (!report.ok()) return fail(report.status());
  std::fwrite(report->data(), 1, report->size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "tflite_analyze: error: out of memory; the model is too large for this machine\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tflite_analyze: error: %s\n", e.what());
  }
  return 1;
}
