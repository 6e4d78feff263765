// A small JSON value for writing case.json files (objects keep insertion
// order so the files read in a sensible order).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace smgen {

class Json {
 public:
  Json() = default;  // null
  Json(const char* s) : kind_(kString), s_(s) {}
  Json(std::string s) : kind_(kString), s_(std::move(s)) {}
  Json(bool b) : kind_(kBool), b_(b) {}
  Json(int v) : kind_(kInt), i_(v) {}
  Json(int64_t v) : kind_(kInt), i_(v) {}
  Json(double v) : kind_(kDouble), d_(v) {}
  static Json array() { Json j; j.kind_ = kArray; return j; }
  static Json object() { Json j; j.kind_ = kObject; return j; }

  Json& push(Json v) { items_.push_back({"", std::move(v)}); return *this; }
  Json& set(const std::string& k, Json v) {
    for (auto& [key, val] : items_)
      if (key == k) { val = std::move(v); return *this; }
    items_.push_back({k, std::move(v)});
    return *this;
  }

  // Arrays of numbers go on one line; objects and other arrays indent.
  std::string dump(int indent = 0) const {
    std::string pad(indent, ' '), in(indent + 1, ' ');
    switch (kind_) {
      case kNull: return "null";
      case kBool: return b_ ? "true" : "false";
      case kInt: return std::to_string(i_);
      case kDouble: {
        if (!std::isfinite(d_)) return "null";
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.9g", d_);  // float32 round-trips in 9 digits
        return buf;
      }
      case kString: return quote(s_);
      case kArray: {
        bool flat = true;
        for (const auto& [k, v] : items_) flat = flat && v.kind_ != kArray && v.kind_ != kObject;
        std::string out = "[";
        for (size_t n = 0; n < items_.size(); ++n) {
          if (n) out += flat ? ", " : ",";
          out += flat ? items_[n].second.dump(indent) : "\n" + in + items_[n].second.dump(indent + 1);
        }
        return out + (flat || items_.empty() ? "]" : "\n" + pad + "]");
      }
      case kObject: {
        std::string out = "{";
        for (size_t n = 0; n < items_.size(); ++n) {
          out += (n ? ",\n" : "\n") + in + quote(items_[n].first) + ": " + items_[n].second.dump(indent + 1);
        }
        return out + (items_.empty() ? "}" : "\n" + pad + "}");
      }
    }
    return "null";
  }

 private:
  enum Kind { kNull, kBool, kInt, kDouble, kString, kArray, kObject } kind_ = kNull;
  static std::string quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
      if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
      else if (c == '\n') out += "\\n";
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else out += static_cast<char>(c);
    }
    return out + "\"";
  }
  bool b_ = false;
  int64_t i_ = 0;
  double d_ = 0;
  std::string s_;
  std::vector<std::pair<std::string, Json>> items_;
};

}  // namespace smgen
