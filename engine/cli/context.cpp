#include "cli/context.hpp"

#ifndef JVAP_SOURCE_DIR
#define JVAP_SOURCE_DIR ""
#endif

#include <filesystem>
#include <iostream>

#include <spdlog/spdlog.h>

#include "cli/project.hpp"
#include "model/text.hpp"
#include "plan/plan.hpp"

namespace jvap::cli {

namespace {

// The plan errors as one Error (every diagnostic in its details).
[[noreturn]] void plan_failed(const Context& ctx, std::vector<model::Diagnostic> errors,
                              const std::string& done) {
  std::string message = "the plan in " + ctx.opts.plans + " has " +
                        count_label(errors.size(), "error", "errors") + "; nothing was " + done +
                        " (see 'jvap plan check')";
  throw plan::PlanError(message, kInputError, std::nullopt, std::move(errors));
}

}  // namespace

Session open(Context& ctx, const Needs& n) {
  Session s;
  if (!n.rules.empty()) {
    auto r = rules::load(data_folder(n.rules, "rules"));
    if (!r.rules) {
      std::string message = "the rules in " + n.rules + " have " +
                            count_label(r.errors.size(), "error", "errors") + "; nothing was checked";
      throw rules::RuleError(message, kInputError, std::nullopt, std::move(r.errors));
    }
    s.rules = std::move(r.rules);
  }
  if (n.db != Needs::Db::none)
    s.db = std::make_unique<store::Store>(
        n.db_path.empty() ? ctx.opts.db : n.db_path, n.db == Needs::Db::write ? store::Access::write : store::Access::read,
        std::chrono::seconds(n.wait_seconds), ctx.opts.db);
  if (n.plan) {
    if (s.db) {
      auto loaded = s.db->load_plan(ctx.opts.plans);
      if (!loaded.plan) plan_failed(ctx, std::move(loaded.errors), n.done);
      s.plan = std::move(loaded.plan);
    } else {
      auto loaded = plan::load(ctx.opts.plans);
      if (!loaded.plan) plan_failed(ctx, std::move(loaded.errors), n.done);
      s.plan = std::move(loaded.plan);
    }
    spdlog::debug("plan {} loaded: {} initiatives, hash {}", s.plan->info.id,
                  s.plan->initiatives.size(), s.plan->content_hash);
  }
  return s;
}

calendar::Period checked_period(Context& ctx, const model::Plan& plan, const std::string& id) {
  auto p = calendar::parse_period(id);
  if (!p || !plan.calendar.is_reporting_period(*p))
    throw UsageError("--period: " + model::quote(id) + " is not a reporting period of the plan (" +
                     std::string(calendar::to_string(plan.calendar.frequency)) + ", from " +
                     calendar::to_string(plan.calendar.first) + ")");
  if (calendar::start_of(*p) > ctx.as_of)
    throw UsageError("--period " + id + " has not started on the as-of date " +
                     calendar::to_string(ctx.as_of));
  return *p;
}

void print_diagnostics(Context& ctx, const std::vector<model::Diagnostic>& ds) {
  for (const auto& d : ds) ctx.err << model::format(d) << '\n';
}

Json to_json(const std::vector<model::Diagnostic>& ds) {
  Json out = Json::array();
  for (const auto& d : ds)
    out.push_back({{"file", d.file}, {"line", d.line}, {"column", d.col}, {"message", d.message}});
  return out;
}

Json to_json(const store::UploadInfo& u) {
  return {{"upload_id", u.id == 0 ? Json() : Json(u.id)},
          {"org", u.org},
          {"file_name", u.file_name},
          {"format", u.format},
          {"sha256", u.sha256},
          {"received_on", calendar::to_string(u.received_on)},
          {"plan_hash", u.plan_hash},
          {"outcome", std::string(store::to_string(u.outcome))},
          {"rows", u.rows},
          {"rows_new", u.rows_new},
          {"rows_changed", u.rows_changed},
          {"rows_unchanged", u.rows_unchanged},
          {"rows_rejected", u.rows_rejected},
          {"note", u.note}};
}

// Text is checked for UTF-8 where it enters; should anything slip through, it is replaced here
// rather than failing the command.
void print_json(Context& ctx, const Json& j) {
  ctx.out << j.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}


namespace {

// Display width of UTF-8 text: counts code points, not bytes.
std::size_t width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

}  // namespace

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& raw,
                 const std::vector<bool>& numeric, const std::string& indent) {
  // User data reaches a terminal with its control characters escaped.
  std::vector<std::vector<std::string>> rows = raw;
  for (auto& row : rows)
    for (auto& cell : row) cell = model::printable(cell);
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], width(row[i]));
    }
  for (const auto& row : rows) {
    std::string line = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      std::string pad(widths[i] - width(row[i]), ' ');
      bool right = i < numeric.size() && numeric[i];
      if (i > 0) line += "  ";
      line += right ? pad + row[i] : row[i] + (i + 1 < row.size() ? pad : "");
    }
    out << line << '\n';
  }
}

void check_org(const model::Plan& plan, const std::string& org, const std::string& option) {
  if (org.empty() || plan.group_of(org)) return;
  std::vector<std::string> known = plan.states();
  for (const auto& o : plan.organisations) known.push_back(o.id);
  throw UsageError(option + ": unknown organisation " + model::quote(org) + model::invisible_note(org) +
                   model::did_you_mean(org, known) +
                   " (expected an organisation id or a member state code from the plan)");
}

void check_choice(const std::string& option, const std::string& value, const std::vector<std::string>& allowed,
                  const std::string& what) {
  if (value.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw UsageError(option + ": unknown " + what + " " + model::quote(value) + model::did_you_mean(value, allowed) +
                   (allowed.size() <= 12 ? " (expected one of: " + list + ")" : ""));
}

void print_csv(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << model::csv_field(row[i]);
    out << "\n";
  }
}

std::string data_folder(const std::string& path, const std::string& default_name) {
  std::error_code ec;
  if (path != default_name) return path;
  if (const auto& p = project()) {  // the project file's folder, when it names one
    const auto& named = default_name == "rules" ? p->rules : p->templates;
    if (!named.empty()) return named;
  }
  if (std::filesystem::exists(path, ec)) return path;
  auto found = installed_data(default_name);
  return found ? found->string() : path;
}

std::optional<std::filesystem::path> installed_data(const std::string& name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto p = exe.parent_path().parent_path() / "share" / "jvap" / name;
    if (fs::is_directory(p, ec)) return p;
  }
  const std::string source = JVAP_SOURCE_DIR;  // a build run where it was built
  if (!source.empty() && fs::is_directory(fs::path(source) / name, ec)) return fs::path(source) / name;
  return std::nullopt;
}

}  // namespace jvap::cli
