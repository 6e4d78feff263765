// Names read from a file, made safe to print on one terminal line: control
// bytes (newline, ESC...) become \xNN and long names are cut at 200 bytes.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace tflc {

inline bool has_control_chars(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

inline std::string escape_controls(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 200)) {
    if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return s.size() > 200 ? out + "..." : out;
}

}  // namespace tflc
