// The fuzz targets: each takes arbitrary bytes through one of jvap's parsers. Used by the
// libFuzzer programs (fuzz_<name>.cpp, tools/fuzz) and, for every input a fuzzer ever crashed on
// (tests/fuzz-regressions/<name>/), by the unit tests, so a fixed crash stays fixed.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "ingest/row_source.hpp"
#include "model/model.hpp"
#include "plan/plan.hpp"
#include "report/report.hpp"
#include "rules/rules.hpp"
#include "store/plan_codec.hpp"

namespace jvap::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A scratch folder of this process, for targets whose parser reads files.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("jvap-fuzz-" + std::to_string(getpid()));
  static bool made = std::filesystem::create_directories(dir);
  (void)made;
  return dir;
}

inline void write(const std::filesystem::path& p, const std::string& bytes) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << bytes;
}

inline void plan(const std::uint8_t* d, std::size_t n) {
  jvap::plan::load_sources({{"fuzz.yaml", "fuzz.yaml", text(d, n), 0}}, "fuzz");
}

inline void csv(const std::uint8_t* d, std::size_t n) {
  std::istringstream in(text(d, n));
  ingest::detail::read_csv(in, false, [](const ingest::detail::RawRow&) {}, [](ingest::Problem) {}, {});
}

inline void json(const std::uint8_t* d, std::size_t n) {
  std::istringstream in(text(d, n));
  ingest::detail::read_json(in, [](const ingest::detail::RawRow&) {}, [](ingest::Problem) {}, {});
}

// A spreadsheet upload: XLSX, or ODS when the input's last byte is odd (both are zip archives).
inline void sheet(const std::uint8_t* d, std::size_t n) {
  std::string bytes = text(d, n), chosen;
  auto format = n > 0 && (d[n - 1] & 1) ? ingest::detail::SheetFormat::ods : ingest::detail::SheetFormat::xlsx;
  ingest::detail::read_sheet(bytes, format, "", [](const ingest::detail::RawRow&) {}, [](ingest::Problem) {}, chosen);
}

inline void rules(const std::uint8_t* d, std::size_t n) {
  write(scratch() / "rules" / "r.yaml", text(d, n));
  jvap::rules::load(scratch() / "rules");
}

inline void codec(const std::uint8_t* d, std::size_t n) {
  store::detail::decode_plan(std::string_view(reinterpret_cast<const char*>(d), n));
}

// A plan with the domains and processes notes may name.
inline const model::Plan& small_plan() {
  static const model::Plan p = [] {
    model::Plan x;
    for (const char* id : {"D1", "D2"}) x.domains.push_back({id, id, {}, {}});
    return x;
  }();
  return p;
}

inline void notes(const std::uint8_t* d, std::size_t n) {
  try {
    auto parsed = report::parse_notes(text(d, n), "notes.md", small_plan());
    for (const auto& [id, md] : parsed) report::notes_to_html(md);
  } catch (const report::ReportError&) {
  }
}

// A report template: parsed and rendered over a small report (the errors are ReportErrors).
inline void template_md(const std::uint8_t* d, std::size_t n) {
  write(scratch() / "templates" / "md" / "report.md.mustache", text(d, n));
  report::Report r;
  r.cover.title = "T";
  r.highlights.push_back({"k", "K", std::int64_t{1}, report::Type::integer, "d"});
  report::Section s{"summary", "Summary", "a *note*", {}, {}};
  s.tables.push_back({"summary.t", "T", "", {{"a", "A", report::Type::text}}, {{std::string("x")}}});
  r.sections.push_back(s);
  try {
    report::to_markdown(r, scratch() / "templates");
  } catch (const report::ReportError&) {
  }
}

inline void evidence(const std::uint8_t* d, std::size_t n) {
  rules::Rule r;
  r.id = "fuzz";
  try {
    rules::parse_evidence(text(d, n), r);
  } catch (const rules::RuleError&) {
  }
  if (n < 4096) rules::parse_evidence(text(d, n));
}

// Every target by name.
inline const std::map<std::string, std::function<void(const std::uint8_t*, std::size_t)>>& all() {
  static const std::map<std::string, std::function<void(const std::uint8_t*, std::size_t)>> k{
      {"plan", plan},   {"csv", csv},     {"json", json},         {"rules", rules},
      {"codec", codec}, {"notes", notes}, {"template", template_md}, {"evidence", evidence},
      {"sheet", sheet},
  };
  return k;
}

}  // namespace jvap::fuzz
