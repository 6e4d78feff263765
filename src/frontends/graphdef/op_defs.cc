#include "frontends/graphdef/op_defs.h"

#include <algorithm>
#include <cstdint>

namespace tflc {
namespace {

// Defines kTfOpDefCount and kTfOpDefBytes (a serialized tensorflow.OpList,
// ops sorted by name; the generator checks the order).
#include "tf_op_defs.inc"

const tensorflow::OpList& op_table() {
  static const tensorflow::OpList* table = [] {
    auto* list = new tensorflow::OpList;
    // The bytes were written by our own generator from a checked table.
    TFLC_CHECK(list->ParseFromArray(kTfOpDefBytes, sizeof(kTfOpDefBytes)));
    TFLC_CHECK(list->op_size() == kTfOpDefCount);
    return list;
  }();
  return *table;
}

const tensorflow::OpDef::AttrDef* find_attr_def(const tensorflow::OpDef& op, const std::string& name) {
  for (const auto& a : op.attr())
    if (a.name() == name) return &a;
  return nullptr;
}

std::string node_label(const tensorflow::NodeDef& node) {
  return "node '" + node.name() + "' (" + node.op() + ")";
}

// How many tensors output `arg` yields: the int `number_attr` or the length
// of the list(type) `type_list_attr`, from the node or the OpDef's default.
Expected<int> arg_count(const tensorflow::OpDef& op, const tensorflow::NodeDef& node,
                        const tensorflow::OpDef::ArgDef& arg) {
  const bool is_list = !arg.type_list_attr().empty();
  const std::string& attr = is_list ? arg.type_list_attr() : arg.number_attr();
  if (attr.empty()) return 1;
  const tensorflow::OpDef::AttrDef* def = find_attr_def(op, attr);
  const tensorflow::AttrValue* value = nullptr;
  if (auto it = node.attr().find(attr); it != node.attr().end()) {
    value = &it->second;
  } else if (def != nullptr && def->has_default_value()) {
    value = &def->default_value();
  } else {
    return invalid_input(node_label(node) + " lacks attr '" + attr + "', which sets how many tensors output '" +
                         arg.name() + "' has");
  }
  if (value->value_case() == tensorflow::AttrValue::kPlaceholder)
    return unsupported("not supported yet: " + node_label(node) + " has attribute '" + attr +
                       "' bound to a function parameter");
  int64_t n;
  if (is_list) {
    if (value->value_case() != tensorflow::AttrValue::kList)
      return invalid_input(node_label(node) + ": attr '" + attr + "' should be a list of types");
    n = value->list().type_size();
  } else {
    if (value->value_case() != tensorflow::AttrValue::kI)
      return invalid_input(node_label(node) + ": attr '" + attr + "' should be an int");
    n = value->i();
  }
  const int64_t minimum = def != nullptr && def->has_minimum() ? def->minimum() : 0;
  if (n < minimum || n > kMaxNodeOutputs)
    return invalid_input(node_label(node) + ": attr '" + attr + "' gives output '" + arg.name() + "' " +
                         std::to_string(n) + " tensors; expected " + std::to_string(minimum) + " to " +
                         std::to_string(kMaxNodeOutputs));
  return static_cast<int>(n);
}

}  // namespace

const tensorflow::OpDef* find_op_def(std::string_view op) {
  const auto& ops = op_table().op();
  auto it = std::lower_bound(ops.begin(), ops.end(), op,
                             [](const tensorflow::OpDef& d, std::string_view name) { return d.name() < name; });
  return it != ops.end() && it->name() == op ? &*it : nullptr;
}

int op_def_count() { return op_table().op_size(); }

Expected<std::vector<OutputArg>> output_args(const tensorflow::OpDef& op, const tensorflow::NodeDef& node) {
  std::vector<OutputArg> args;
  args.reserve(op.output_arg_size());
  int64_t total = 0;
  for (const auto& arg : op.output_arg()) {
    ASSIGN_OR_RETURN(int count, arg_count(op, node, arg));
    args.push_back(OutputArg{arg.name(), static_cast<int>(total), count});
    total += count;
    if (total > kMaxNodeOutputs)
      return invalid_input(node_label(node) + " has more than " + std::to_string(kMaxNodeOutputs) + " outputs");
  }
  return args;
}

int output_count(const std::vector<OutputArg>& args) {
  return args.empty() ? 0 : args.back().first + args.back().count;
}

Expected<int> flat_output_index(const std::vector<OutputArg>& args, std::string_view arg, int index) {
  for (const OutputArg& a : args) {
    if (a.name != arg) continue;
    if (index < 0 || index >= a.count)
      return invalid_input("output '" + std::string(arg) + ":" + std::to_string(index) + "' is out of range; '" +
                           a.name + "' has " + std::to_string(a.count) + " tensor(s)");
    return a.first + index;
  }
  std::string names;
  for (const OutputArg& a : args) names += (names.empty() ? "" : ", ") + a.name;
  return invalid_input("no output named '" + std::string(arg) + "' (the op's outputs: " +
                       (names.empty() ? "none" : names) + ")");
}

void fill_attr_defaults(const tensorflow::OpDef& op, tensorflow::NodeDef& node) {
  auto& attrs = *node.mutable_attr();
  for (const auto& a : op.attr())
    if (a.has_default_value() && !attrs.contains(a.name())) attrs[a.name()] = a.default_value();
}

}  // namespace tflc
