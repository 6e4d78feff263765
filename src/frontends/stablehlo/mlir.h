// MLIR text as StableHLO modules print it: functions, ops (pretty and
// generic forms), regions, attributes and tensor types. The parser knows
// the syntax, not the ops: legalize.cc gives the ops their meaning.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "support/status.h"

namespace tflc::mlir {

// tensor<2x?x3xf32>: dims (-1 for ?) and the element type's spelling
// ("f32", "i1", "ui8", "complex<f32>"). Non-tensor types keep their text.
struct Type {
  bool is_tensor = false;
  bool ranked = true;
  std::vector<int64_t> dims;
  std::string element;
  std::string text;  // as written, for messages
};

struct AttrField;

struct Attr {
  enum Kind { kNone, kInt, kFloat, kBool, kString, kIdent, kList, kDict, kDense, kType, kSymbol };
  Kind kind = kNone;
  int64_t i = 0;
  double f = 0;
  bool b = false;
  std::string s;  // string, identifier, symbol, a dict's #dialect.name, or a dense literal's inner text
  std::vector<Attr> items;                            // list (also a x b and a x b -> c groups)
  std::vector<AttrField> fields;                      // dict (a struct, not a pair: Attr is incomplete here)
  Type type;                                          // dense and typed literals: the type after ':'

  const Attr* get(const std::string& key) const;  // dict field or null
};

struct AttrField {
  std::string key;
  Attr value;
};

struct Op;

struct Block {
  std::vector<std::pair<std::string, Type>> args;
  std::vector<Op> ops;
};

struct Op {
  std::string name;                  // "stablehlo.add", "func.call", "return"
  std::vector<std::string> results;  // value names: "%0", or "%0#1" for multi-result ops
  std::vector<std::string> operands;
  std::vector<Type> operand_types, result_types;
  // Attributes, properties and the pretty form's bare keywords (as
  // "keyword:<n>" identifiers, in order).
  std::vector<std::pair<std::string, Attr>> attrs;
  std::vector<Block> regions;
  int line = 0, col = 0;

  const Attr* attr(const std::string& key) const;
  std::vector<std::string> keywords() const;
  std::string where() const;  // "line L:C"
};

struct Func {
  std::string name;
  bool is_public = true;
  std::vector<Type> result_types;
  Block body;  // body.args are the function's arguments
  int line = 0;
};

struct Module {
  std::string name;
  std::vector<Func> funcs;
  const Func* find(const std::string& name) const;
};

// Parses MLIR text. `what` names the source in messages ("model.mlir").
// Errors say "<what>:<line>:<col>: ...".
Expected<Module> parse_module(const std::string& text, const std::string& what);

// Splits a value reference "%x#2" into ("%x", 2); "%x" gives ("%x", -1).
std::pair<std::string, int> split_result(const std::string& ref);

}  // namespace tflc::mlir
