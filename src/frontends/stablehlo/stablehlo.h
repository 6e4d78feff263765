// StableHLO (MLIR text, as jax.export writes it) -> IR model. The entry
// function becomes the signature; func.call is inlined; while/if/case
// regions become WHILE/IF bodies; every op is lowered to classic TFLite
// builtins by its record in ops.cc, and an op without one is listed, with
// its location, in one "not supported yet" error.
#pragma once

#include <string>
#include <vector>

#include "frontends/stablehlo/mlir.h"
#include "ir/graph.h"
#include "support/status.h"

namespace tflc {

struct ImportTrace;  // frontends/graphdef/import.h

struct StablehloImportOptions {
  std::string path;     // read when `content` is empty; names the source in messages
  std::string content;  // the MLIR text itself
  std::string entry_function = "main";
  std::string signature_name = "serving_default";
  int64_t fold_budget = 1 << 20;
  // StableHLO's testdata form (stablehlo/testdata/*.mlir): the entry takes no
  // arguments and gets them from `call @inputs()`; those values become the
  // graph's inputs, and `call @expected()` is dropped with the check.* calls.
  bool testdata_inputs = false;
  // StableHLO's interpreter-test form (stablehlo/tests/interpret/*.mlir): the
  // entry takes no arguments and checks values with check.expect_*_const;
  // the checked values become the graph's outputs, in check order.
  bool check_outputs = false;
  // With check_outputs: the entry's top-level constants become the graph's
  // inputs, named after their values without the '%', so the runtime
  // computes what the converter would otherwise fold.
  bool constants_as_inputs = false;
  // Records each op's outcome (op = the StableHLO op name) for --analyze.
  ImportTrace* trace = nullptr;
};

Expected<Model> import_stablehlo(const StablehloImportOptions& options);

// A constant of a testdata file's @inputs / @expected, decoded.
struct HloConstant {
  DType dtype = DType::kFloat32;
  std::vector<int64_t> shape;
  std::string bytes;
};
struct HloTestdata {
  std::vector<HloConstant> inputs, expected;
  std::string check;  // "expect_eq", "expect_close", "expect_almost_eq"
  double tolerance = 0;       // expect_almost_eq's, when given
  int64_t max_ulp = 3;        // expect_close's, when given
};
// Reads the @inputs and @expected functions and the check of a testdata file.
Expected<HloTestdata> read_stablehlo_testdata(const std::string& text, const std::string& what);

// One check.expect_*_const of an interpreter test.
struct HloCheck {
  std::string value;        // the checked value ("%2")
  std::string kind;         // "expect_eq", "expect_almost_eq"
  double tolerance = 1e-4;  // expect_almost_eq's (the check dialect's default)
  HloConstant expected;
};
struct HloInterpretTest {
  std::string func;
  std::vector<HloCheck> checks;
  // The function's top-level constants, in order, by value name; what
  // constants_as_inputs makes inputs.
  std::vector<std::string> constant_names;
  std::vector<HloConstant> constants;
  // Why a constant or an expected value could not be decoded, or empty.
  std::string unreadable;
};
// The tests of one interpreter-test module (the text between two
// "// -----" lines): functions without arguments that hold check ops.
Expected<std::vector<HloInterpretTest>> read_stablehlo_interpret_tests(const std::string& text, const std::string& what);

}  // namespace tflc
