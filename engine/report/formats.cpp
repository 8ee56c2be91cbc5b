// The table of report output formats. Adding one is a renderer, an entry here, its tests and
// docs/report-format.md.
#include <algorithm>

#include "report/report.hpp"

namespace jvap::report {

const std::vector<Format>& formats() {
  static const std::vector<Format> k{
      {"html", to_html, nullptr, ""},
      {"md", to_markdown, nullptr, ""},
      {"xlsx", nullptr,
       [](const Report& r, const std::filesystem::path&, const std::filesystem::path& file) {
         return write_xlsx(r, file);
       },
       ""},
      {"json", [](const Report& r, const std::filesystem::path&) { return to_json(r); }, nullptr, ""},
      {"pdf", nullptr,
       [](const Report& r, const std::filesystem::path& templates, const std::filesystem::path& file) {
         return write_pdf(r, templates, file);
       },
       "printing the PDF with Chromium"},
  };
  return k;
}

const Format* find_format(std::string_view name) {
  const auto& k = formats();
  auto it = std::find_if(k.begin(), k.end(), [&](const Format& f) { return f.name == name; });
  return it == k.end() ? nullptr : &*it;
}

}  // namespace jvap::report
