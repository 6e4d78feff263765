// Turns one of StableHLO's testdata files (stablehlo/testdata/*.mlir: a
// @main that calls @inputs and @expected and checks with check.expect_*)
// into a test case: OUTDIR/model.tflite converts the function under test
// with the @inputs values as the graph's inputs, and OUTDIR/case.json holds
// those inputs, the expected outputs and the check. check_testdata.mjs runs
// the case in LiteRT.js. Unsigned 16-64 bit inputs and outputs are fed and
// read as signed (signed_io.h).
//   stablehlo_testdata_case FILE.mlir OUTDIR
// Exit 0 with the case written, 1 with one line when it does not convert.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "case_json.h"
#include "signed_io.h"
#include "frontends/stablehlo/stablehlo.h"
#include "ops/op_util.h"
#include "passes/passes.h"
#include "support/file.h"
#include "tflite/writer.h"

namespace {

using tflc::hlo_case::as_signed;
using tflc::hlo_case::json_tensor;

int fail(const tflc::Status& s) {
  std::fprintf(stderr, "%s\n", s.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: stablehlo_testdata_case FILE.mlir OUTDIR\n");
    return 2;
  }
  const std::string file = argv[1], out = argv[2];
  auto text = tflc::read_file_bytes(file, "StableHLO testdata file");
  if (!text.ok()) return fail(text.status());
  auto td = tflc::read_stablehlo_testdata(*text, file);
  if (!td.ok()) return fail(td.status());
  tflc::StablehloImportOptions o;
  o.path = file;
  o.content = *text;
  o.testdata_inputs = true;
  auto model = tflc::import_stablehlo(o);
  if (!model.ok()) return fail(model.status());
  if (tflc::Status s = tflc::hlo_case::signed_io(*model); !s.ok()) return fail(s);
  tflc::PipelineOptions popt;
  if (tflc::Status s = tflc::run_pipeline(*model, popt); !s.ok()) return fail(s);
  auto bytes = tflc::write_tflite(*model);
  if (!bytes.ok()) return fail(bytes.status());
  if (tflc::Status s = tflc::write_file_atomic(out + "/model.tflite", *bytes); !s.ok()) return fail(s);
  std::ostringstream j;
  j << "{\"check\": \"" << td->check << "\", \"tolerance\": " << td->tolerance << ", \"max_ulp\": " << td->max_ulp
    << ",\n \"inputs\": [";
  for (size_t k = 0; k < td->inputs.size(); ++k) j << (k ? ",\n  " : "") << json_tensor(as_signed(td->inputs[k]));
  j << "],\n \"expected\": [";
  for (size_t k = 0; k < td->expected.size(); ++k) j << (k ? ",\n  " : "") << json_tensor(as_signed(td->expected[k]));
  j << "]}\n";
  if (tflc::Status s = tflc::write_file_atomic(out + "/case.json", j.str()); !s.ok()) return fail(s);
  return 0;
}
