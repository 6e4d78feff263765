// Build-time generator: reads src/frontends/graphdef/tf_op_defs.pbtxt (a
// tensorflow.OpList in text format), checks that it is a table the converter
// can trust, and writes it as a serialized OpList embedded in a C++ byte
// array. Run by cmake/tf_op_defs.cmake; never shipped.
//
//   gen_op_defs <tf_op_defs.pbtxt> <tf_op_defs.inc>
//
// The checks are the ones op_defs.cc relies on: ops sorted by name (it binary
// searches), every argument typed exactly one way, every attr an argument
// names declared with the matching type, defaults of the declared type. Text
// fields beyond what the converter reads (descriptions, summaries) are
// rejected so the table stays data.
#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "tensorflow/core/framework/op_def.pb.h"

namespace {

class ErrorPrinter : public google::protobuf::io::ErrorCollector {
 public:
  explicit ErrorPrinter(std::string path) : path_(std::move(path)) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    std::fprintf(stderr, "%s:%d:%d: error: %s\n", path_.c_str(), line + 1, column + 1,
                 message.c_str());
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    std::fprintf(stderr, "%s:%d:%d: warning: %s\n", path_.c_str(), line + 1, column + 1,
                 message.c_str());
  }

 private:
  std::string path_;
};

// Whether a default holds the AttrValue case that attr type `type` needs.
bool default_matches(const std::string& type, const tensorflow::AttrValue& v) {
  using V = tensorflow::AttrValue;
  if (type == "int") return v.value_case() == V::kI;
  if (type == "float") return v.value_case() == V::kF;
  if (type == "bool") return v.value_case() == V::kB;
  if (type == "string") return v.value_case() == V::kS;
  if (type == "type") return v.value_case() == V::kType;
  if (type == "shape") return v.value_case() == V::kShape;
  if (type == "tensor") return v.value_case() == V::kTensor;
  if (type == "func") return v.value_case() == V::kFunc;
  if (type.rfind("list(", 0) == 0) return v.value_case() == V::kList;
  return false;
}

const std::set<std::string>& attr_types() {
  static const std::set<std::string> kTypes = {
      "int",        "float",       "bool",        "string",       "type",
      "shape",      "tensor",      "func",        "list(int)",    "list(float)",
      "list(bool)", "list(string)", "list(type)", "list(shape)",  "list(tensor)",
      "list(func)", "any"};
  return kTypes;
}

// Returns an empty string when `op` is well formed, else what is wrong.
std::string check_op(const tensorflow::OpDef& op) {
  if (op.name().empty()) return "op without a name";
  if (!op.summary().empty() || !op.description().empty()) return "has a summary/description";
  std::map<std::string, const tensorflow::OpDef::AttrDef*> attrs;
  for (const auto& a : op.attr()) {
    if (a.name().empty()) return "attr without a name";
    if (!attrs.emplace(a.name(), &a).second) return "attr '" + a.name() + "' declared twice";
    if (!attr_types().count(a.type())) return "attr '" + a.name() + "' has unknown type '" + a.type() + "'";
    if (!a.description().empty()) return "attr '" + a.name() + "' has a description";
    if (a.has_default_value() && !default_matches(a.type(), a.default_value()))
      return "attr '" + a.name() + "' default does not match its type " + a.type();
  }
  auto needs = [&](const std::string& name, const char* type) -> std::string {
    auto it = attrs.find(name);
    if (it == attrs.end()) return "refers to undeclared attr '" + name + "'";
    if (it->second->type() != type)
      return "refers to attr '" + name + "' of type " + it->second->type() + ", expected " + type;
    return "";
  };
  auto check_args = [&](const auto& args, const char* kind) -> std::string {
    std::set<std::string> names;
    for (const auto& arg : args) {
      std::string where = std::string(kind) + " '" + arg.name() + "' ";
      if (arg.name().empty()) return std::string(kind) + " without a name";
      if (!names.insert(arg.name()).second) return where + "declared twice";
      if (!arg.description().empty()) return where + "has a description";
      int ways = (arg.type() != tensorflow::DT_INVALID) + !arg.type_attr().empty() +
                 !arg.type_list_attr().empty();
      if (ways != 1) return where + "needs exactly one of type, type_attr, type_list_attr";
      if (!arg.type_attr().empty()) {
        if (auto e = needs(arg.type_attr(), "type"); !e.empty()) return where + e;
      }
      if (!arg.type_list_attr().empty()) {
        if (!arg.number_attr().empty()) return where + "has both number_attr and type_list_attr";
        if (auto e = needs(arg.type_list_attr(), "list(type)"); !e.empty()) return where + e;
      }
      if (!arg.number_attr().empty()) {
        if (auto e = needs(arg.number_attr(), "int"); !e.empty()) return where + e;
      }
    }
    return "";
  };
  if (auto e = check_args(op.input_arg(), "input_arg"); !e.empty()) return e;
  if (auto e = check_args(op.output_arg(), "output_arg"); !e.empty()) return e;
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <tf_op_defs.pbtxt> <tf_op_defs.inc>\n", argv[0]);
    return 2;
  }
  const std::string in_path = argv[1], out_path = argv[2];
  std::ifstream in(in_path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open\n", in_path.c_str());
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();

  tensorflow::OpList list;
  google::protobuf::TextFormat::Parser parser;
  ErrorPrinter errors(in_path);
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text.str(), &list)) return 1;

  for (int i = 0; i < list.op_size(); ++i) {
    const tensorflow::OpDef& op = list.op(i);
    if (std::string e = check_op(op); !e.empty()) {
      std::fprintf(stderr, "%s: op '%s': %s\n", in_path.c_str(), op.name().c_str(), e.c_str());
      return 1;
    }
    if (i > 0 && !(list.op(i - 1).name() < op.name())) {
      std::fprintf(stderr, "%s: op '%s' is out of order or repeated after '%s' (keep the table sorted by name)\n",
                   in_path.c_str(), op.name().c_str(), list.op(i - 1).name().c_str());
      return 1;
    }
  }

  std::string bytes;
  if (!list.SerializeToString(&bytes)) {
    std::fprintf(stderr, "%s: cannot serialize\n", in_path.c_str());
    return 1;
  }
  std::ostringstream out;
  out << "// Generated by tools/gen/gen_op_defs.cc from tf_op_defs.pbtxt. Do not edit.\n"
      << "// A serialized tensorflow.OpList, ops sorted by name.\n"
      << "constexpr int kTfOpDefCount = " << list.op_size() << ";\n"
      << "constexpr unsigned char kTfOpDefBytes[" << bytes.size() << "] = {\n";
  for (size_t i = 0; i < bytes.size(); ++i) {
    out << static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << ',';
    if (i % 24 == 23 || i + 1 == bytes.size()) out << '\n';
  }
  out << "};\n";

  // Write to a temporary and rename, so an interrupted run leaves no
  // half-written file that make would consider up to date.
  const std::string tmp_path = out_path + ".tmp";
  {
    std::ofstream f(tmp_path, std::ios::binary | std::ios::trunc);
    f << out.str();
    if (!f) {
      std::fprintf(stderr, "%s: cannot write\n", tmp_path.c_str());
      return 1;
    }
  }
  if (std::rename(tmp_path.c_str(), out_path.c_str()) != 0) {
    std::fprintf(stderr, "%s: cannot rename to %s\n", tmp_path.c_str(), out_path.c_str());
    return 1;
  }
  return 0;
}
