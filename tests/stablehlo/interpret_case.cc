// Turns one of StableHLO's interpreter tests (stablehlo/tests/interpret/
// *.mlir: modules split by "// -----", each func.func computing on
// constants and checking values with check.expect_*_const) into test
// cases, one per function: OUTDIR/<chunk>_<func>/model.tflite returns the
// checked values as its outputs, and case.json holds its inputs and the
// expected values with their checks. The function's constants are made the
// model's inputs (the harness feeds their values), so LiteRT computes the
// ops; when a lowering needs some of them constant, the test is converted
// again with its constants folded ("mode": "folded": then the values come
// from our folding kernels, not LiteRT's). OUTDIR/index.json lists every
// test with its status. check_interpret.mjs runs the cases. Unsigned
// 16-64 bit inputs and outputs are fed and read as signed (signed_io.h).
//   stablehlo_interpret_case FILE.mlir OUTDIR
// Exit 0 with the index written (refused tests included), 1 with one line
// when the file cannot be read.
#include <cstdio>
#include <filesystem>
#include <system_error>
#include <sstream>
#include <string>
#include <vector>

#include "case_json.h"
#include "signed_io.h"
#include "frontends/stablehlo/stablehlo.h"
#include "passes/passes.h"
#include "support/file.h"
#include "tflite/writer.h"

namespace {

using tflc::hlo_case::as_signed;
using tflc::hlo_case::json_string;
using tflc::hlo_case::json_tensor;

int fail(const tflc::Status& s) {
  std::fprintf(stderr, "%s\n", s.message().c_str());
  return 1;
}

tflc::Status make_dirs(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return tflc::invalid_input("cannot create " + dir + ": " + ec.message());
  return tflc::ok_status();
}

// The first line of a message (a refusal of several ops lists them all).
std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// Converts `func` of `text`; on success writes DIR/model.tflite and returns
// the model's input names in order.
tflc::Expected<std::vector<std::string>> convert(const std::string& text, const std::string& file, const std::string& func,
                                                 bool constants_as_inputs, const std::string& dir) {
  tflc::StablehloImportOptions o;
  o.path = file;
  o.content = text;
  o.entry_function = func;
  o.check_outputs = true;
  o.constants_as_inputs = constants_as_inputs;
  ASSIGN_OR_RETURN(tflc::Model model, tflc::import_stablehlo(o));
  RETURN_IF_ERROR(tflc::hlo_case::signed_io(model));
  tflc::PipelineOptions popt;
  RETURN_IF_ERROR(tflc::run_pipeline(model, popt));
  ASSIGN_OR_RETURN(std::string bytes, tflc::write_tflite(model));
  RETURN_IF_ERROR(make_dirs(dir));
  RETURN_IF_ERROR(tflc::write_file_atomic(dir + "/model.tflite", bytes));
  std::vector<std::string> names;
  const tflc::Graph& g = model.subgraphs[0];
  for (tflc::TensorId id : g.inputs) names.push_back(g.t(id).name);
  return names;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: stablehlo_interpret_case FILE.mlir OUTDIR\n");
    return 2;
  }
  const std::string file = argv[1], out = argv[2];
  auto text = tflc::read_file_bytes(file, "StableHLO interpreter test file");
  if (!text.ok()) return fail(text.status());
  // Split at "// -----" lines; each chunk keeps its lines' numbers (the
  // lines before it become empty) so messages point into the file.
  std::vector<std::string> chunks;
  {
    std::istringstream in(*text);
    std::string line, cur;
    int lines = 0;
    while (std::getline(in, line)) {
      ++lines;
      if (line.rfind("// -----", 0) == 0) {
        chunks.push_back(cur);
        cur.assign(static_cast<size_t>(lines), '\n');
        continue;
      }
      cur += line + "\n";
    }
    chunks.push_back(cur);
  }
  if (tflc::Status s = make_dirs(out); !s.ok()) return fail(s);
  std::ostringstream index;
  index << "{\"tests\": [";
  int n = 0;
  for (size_t c = 0; c < chunks.size(); ++c) {
    if (chunks[c].find("func.func") == std::string::npos) continue;
    auto entry = [&](const std::string& name, const std::string& status, const std::string& mode,
                     const std::string& detail, const std::string& dir) {
      index << (n++ ? ",\n  " : "\n  ") << "{\"name\": " << json_string(name) << ", \"status\": \"" << status
            << "\", \"mode\": \"" << mode << "\", \"dir\": " << json_string(dir) << ", \"detail\": " << json_string(detail)
            << "}";
    };
    auto tests = tflc::read_stablehlo_interpret_tests(chunks[c], file);
    if (!tests.ok()) {
      entry("chunk " + std::to_string(c), "refused", "", first_line(tests.status().message()), "");
      continue;
    }
    for (const auto& t : *tests) {
      const std::string dir_name = std::to_string(c) + "_" + t.func;
      const std::string dir = out + "/" + dir_name;
      std::string mode = "inputs";
      auto names = convert(chunks[c], file, t.func, true, dir);
      if (!names.ok() && names.status().kind() == tflc::ErrorKind::kUnsupported) {
        mode = "folded";
        names = convert(chunks[c], file, t.func, false, dir);
      }
      if (!names.ok()) {
        entry(t.func, names.status().kind() == tflc::ErrorKind::kUnsupported ? "refused" : "error", "",
              first_line(names.status().message()), "");
        continue;
      }
      if (!t.unreadable.empty()) {
        entry(t.func, "refused", "", first_line(t.unreadable), "");
        continue;
      }
      std::ostringstream j;
      j << "{\"inputs\": [";
      for (size_t k = 0; k < names->size(); ++k) {
        size_t which = t.constant_names.size();
        for (size_t q = 0; q < t.constant_names.size(); ++q)
          if (t.constant_names[q] == "%" + (*names)[k]) which = q;
        if (which == t.constant_names.size()) return fail(tflc::internal_error(file + ": @" + t.func + ": the model input '" + (*names)[k] + "' is no constant of the test"));
        j << (k ? ",\n  " : "") << json_tensor(as_signed(t.constants[which]), ", \"name\": " + json_string((*names)[k]));
      }
      j << "],\n \"expected\": [";
      for (size_t k = 0; k < t.checks.size(); ++k) {
        const auto& ch = t.checks[k];
        std::ostringstream extra;
        extra << ", \"check\": \"" << ch.kind << "\", \"tolerance\": " << ch.tolerance << ", \"value\": " << json_string(ch.value);
        j << (k ? ",\n  " : "") << json_tensor(as_signed(ch.expected), extra.str());
      }
      j << "]}\n";
      if (tflc::Status s = tflc::write_file_atomic(dir + "/case.json", j.str()); !s.ok()) return fail(s);
      entry(t.func, "converted", mode, "", dir_name);
    }
  }
  index << "\n]}\n";
  if (tflc::Status s = tflc::write_file_atomic(out + "/index.json", index.str()); !s.ok()) return fail(s);
  return 0;
}
