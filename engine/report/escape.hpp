// Internal to the report module: HTML (and SVG) escaping, shared by the tables and the charts.
#pragma once

#include <string>
#include <string_view>

namespace jvap::report::detail {

inline void append_html(std::string& out, std::string_view s) {
  for (char c : s) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
}

inline std::string html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_html(out, s);
  return out;
}

}  // namespace jvap::report::detail
