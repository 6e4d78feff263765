// Text and JSON forms of an Evaluation (evaluate() is in converter.cc, next
// to the import it runs).
#include "api/evaluate.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "support/printable.h"

namespace tflc {

namespace {

// Names and messages come from the file: printed escaped, one line each.
std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + escape_controls(v[i]);
  return out;
}

std::string describe(const OpEvaluation& o) {
  if (o.mapping == "builtin") {
    if (!o.builtins.empty()) return "builtin: " + join(o.builtins, ", ");
    return "builtin: no op (" + join(o.reasons, "; ") + ")";
  }
  std::string what = o.mapping == "flex"     ? "Flex"
                     : o.mapping == "custom" ? "custom"
                     : o.mapping == "unchecked" ? "unchecked"
                                                : "unsupported";
  return o.reasons.empty() ? what : what + ": " + join(o.reasons, "; ");
}

}  // namespace

std::string evaluation_text(const Evaluation& e) {
  std::string out = "=== " + escape_controls(e.model) + " (" + e.source_format + ") ===\n\n";
  size_t width = 7;
  for (const auto& o : e.ops) width = std::max(width, o.op.size());
  auto pad = [](std::string s, size_t w) { return s.size() < w ? s + std::string(w - s.size(), ' ') : s; };
  auto count = [](std::string n) { return n.size() < 6 ? std::string(6 - n.size(), ' ') + n : n; };
  out += pad("Op type", width) + "  " + count("Count") + "  Maps to\n";
  for (const auto& o : e.ops) {
    out += pad(escape_controls(o.op), width) + "  " + count(std::to_string(o.count)) + "  " + describe(o) + "\n";
    if (o.mapping != "builtin" && !o.nodes.empty()) {
      std::vector<std::string> shown(o.nodes.begin(), o.nodes.begin() + std::min<size_t>(o.nodes.size(), 5));
      out += std::string(width + 10, ' ') + "nodes: " + join(shown, ", ") +
             (o.nodes.size() > shown.size() ? ", ... (" + std::to_string(o.nodes.size()) + ")" : "") + "\n";
    }
  }
  out += std::string(e.source_format == "keras" ? "\nLayer calls: " : e.source_format == "stablehlo" ? "\nOps: " : "\nNodes: ") +
         std::to_string(e.builtin) + " builtin, " + std::to_string(e.flex) + " Flex, " + std::to_string(e.custom) +
         " custom, " + std::to_string(e.unsupported) + " unsupported, " + std::to_string(e.unchecked) + " unchecked\n";
  out += "\nConverts with the flags given: " + std::string(e.converts ? "yes" : "no") + "\n";
  if (!e.converts && !e.error.empty()) {
    std::string first = e.error.substr(0, e.error.find('\n'));
    out += "  " + escape_controls(first) + (first.size() < e.error.size() ? " ..." : "") + "\n";
  }
  if (!e.suggested_flags.empty()) {
    out += "To convert, add: " + join(e.suggested_flags, " ") + "\n";
    if (e.converts_with_suggested_flags) {
      out += "  (checked: the model then converts";
      out += std::find(e.suggested_flags.begin(), e.suggested_flags.end(), "--allow_custom_ops") != e.suggested_flags.end()
                 ? "; each custom op needs a kernel registered at run time)\n"
                 : ")\n";
    } else {
      std::string first = e.suggested_flags_error.substr(0, e.suggested_flags_error.find('\n'));
      out += "  (checked: it still fails: " + escape_controls(first) + ")\n";
    }
  } else if (!e.converts) {
    out += "Neither SELECT_TF_OPS nor --allow_custom_ops makes it convert.\n";
  }
  if (!e.integer_checked) {
    out += "Integer quantizable: unknown (the float model does not convert)\n";
  } else if (e.integer_quantizable) {
    out += "Integer quantizable: yes (every op has an integer kernel; calibrate with --representative_dataset)\n";
  } else {
    out += "Integer quantizable: no; no integer kernel for " + join(e.no_integer_kernel, ", ") +
           " (they stay float with --supported_ops=TFLITE_BUILTINS; TFLITE_BUILTINS_INT8 refuses them)\n";
  }
  return out;
}

std::string evaluation_json(const Evaluation& e) {
  nlohmann::ordered_json j;
  j["model"] = e.model;
  j["source_format"] = e.source_format;
  nlohmann::ordered_json ops = nlohmann::ordered_json::array();
  for (const auto& o : e.ops) {
    nlohmann::ordered_json x;
    x["op"] = o.op;
    x["mapping"] = o.mapping;
    x["count"] = o.count;
    x["builtins"] = o.builtins;
    x["reasons"] = o.reasons;
    x["nodes"] = o.nodes;
    ops.push_back(std::move(x));
  }
  j["ops"] = std::move(ops);
  j["counts"] = {{"builtin", e.builtin}, {"flex", e.flex}, {"custom", e.custom},
                 {"unsupported", e.unsupported}, {"unchecked", e.unchecked}};
  j["converts"] = e.converts;
  j["error"] = e.error;
  j["suggested_flags"] = e.suggested_flags;
  j["converts_with_suggested_flags"] = e.converts_with_suggested_flags;
  j["suggested_flags_error"] = e.suggested_flags_error;
  j["integer_quantizable"] = e.integer_checked ? nlohmann::ordered_json(e.integer_quantizable) : nlohmann::ordered_json();
  j["no_integer_kernel"] = e.no_integer_kernel;
  // Invalid UTF-8 in names (from the file) is replaced, not thrown on.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace tflc
