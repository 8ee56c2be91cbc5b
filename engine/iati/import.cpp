// import_file: the reader's activities through the converter, into the plan fragment and one
// upload per reporting organisation; unmapped activities listed with their reasons.
#include <fstream>
#include <set>

#include "iati/iati.hpp"

namespace jvap::iati {

Result import_file(const std::filesystem::path& file, const model::Plan& plan, const Mapping& mapping,
                   const Options& options, const Sink& sink) {
  Result r;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    r.errors.push_back({file.string(), 0, 0, "cannot read the file"});
    return r;
  }
  std::error_code ec;
  const auto total = std::filesystem::file_size(file, ec);
  sink.plan_fragment(
      "# Initiatives imported from IATI (" + file.filename().string() + ") by jvap import iati.\n"
      "# Review each one before adding this file to plans/: titles, domains, budgets and the\n"
      "# indicators' units come from the publisher's data and the mapping file.\n"
      "initiatives:\n");
  std::set<std::string> ids;
  auto each = [&](detail::Activity& a) {
    ++r.activities;
    auto c = detail::convert(a, plan, mapping, options.as_of);
    if (c.reasons.empty() && (plan.initiative(c.id) || !ids.insert(c.id).second))
      c.reasons.push_back("the id " + c.id + " is already " + (plan.initiative(c.id) ? "in the plan" : "given to an earlier activity"));
    if (!c.reasons.empty()) {
      r.unmapped.push_back({a.identifier, a.line, std::move(c.reasons)});
      return;
    }
    ++r.mapped;
    sink.plan_fragment(c.yaml);
    auto [it, first] = r.upload_rows.try_emplace(c.reporting, 0);
    if (first) sink.upload(c.reporting, "initiative,period,measure,value,comment\n");
    for (const auto& line : c.rows) sink.upload(c.reporting, line + "\n");
    it->second += static_cast<std::int64_t>(c.rows.size());
  };
  auto progress = [&](std::uint64_t done) {
    if (options.progress) options.progress(done, total);
  };
  r.errors = detail::read_activities(in, file.string(), each, progress);
  if (r.mapped == 0) sink.plan_fragment("  []\n");
  return r;
}

}  // namespace jvap::iati
