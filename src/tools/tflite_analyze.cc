// tflite_analyze: prints a .tflite model's structure the way
// tf.lite.experimental.Analyzer.analyze() does, plus op codes and buffers.
#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <string>

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

int run(int argc, char** argv) {
  CLI::App app{"Prints the structure of a TensorFlow Lite model (subgraphs, ops, tensors, signatures,\n"
               "operator codes, buffers and sizes), like tf.lite.experimental.Analyzer.analyze().",
               "tflite_analyze"};
  std::string model_path;
  bool no_buffers = false;
  app.add_option("model", model_path, "Path of the .tflite file.")->required();
  app.add_flag("--no-buffers", no_buffers, "Omit buffer indices, constant data previews and the buffer list.");
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

  auto bytes = read_file(model_path);
  if (!bytes.ok()) {
    std::fprintf(stderr, "tflite_analyze: error: %s\n", bytes.status().message().c_str());
    return 1;
  }
  tflc::AnalyzeOptions opt;
  opt.name = model_path;
  opt.show_buffers = !no_buffers;
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
