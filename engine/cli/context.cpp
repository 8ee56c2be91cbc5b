#include "cli/context.hpp"

#include <iostream>

#include <spdlog/spdlog.h>

#include "model/codes.hpp"
#include "model/text.hpp"
#include "plan/plan.hpp"

namespace jvap::cli {

void print_diagnostics(Context& ctx, const std::vector<model::Diagnostic>& ds) {
  for (const auto& d : ds) ctx.err << model::format(d) << '\n';
}

Json to_json(const std::vector<model::Diagnostic>& ds) {
  Json out = Json::array();
  for (const auto& d : ds)
    out.push_back({{"file", d.file}, {"line", d.line}, {"column", d.col}, {"message", d.message}});
  return out;
}

void print_json(Context& ctx, const Json& j) { ctx.out << j.dump(2) << '\n'; }

std::optional<model::Plan> load_plan(Context& ctx) {
  auto result = plan::load(ctx.opts.plans);
  if (result.plan) {
    spdlog::debug("plan {} loaded: {} initiatives, hash {}", result.plan->info.id,
                  result.plan->initiatives.size(), result.plan->content_hash);
    return std::move(result.plan);
  }
  print_diagnostics(ctx, result.errors);
  ctx.err << "jvap: the plan in " << ctx.opts.plans << " has " << result.errors.size()
          << (result.errors.size() == 1 ? " error" : " errors")
          << "; nothing was done (see 'jvap plan check')\n";
  return std::nullopt;
}

std::optional<model::Plan> load_plan(Context& ctx, store::Store& db, const std::string& done) {
  auto loaded = db.load_plan(ctx.opts.plans);
  if (loaded.plan) return std::move(loaded.plan);
  print_diagnostics(ctx, loaded.errors);
  ctx.err << "jvap: the plan in " << ctx.opts.plans << " has errors; nothing was " << done << "\n";
  return std::nullopt;
}

std::optional<rules::RuleSet> load_rules(Context& ctx, const std::string& dir) {
  auto r = rules::load(dir);
  if (r.rules) return std::move(r.rules);
  print_diagnostics(ctx, r.errors);
  ctx.err << "jvap: the rules in " << dir << " have " << r.errors.size()
          << (r.errors.size() == 1 ? " error" : " errors") << "; nothing was checked\n";
  return std::nullopt;
}

std::optional<calendar::Period> checked_period(Context& ctx, const model::Plan& plan,
                                               const std::string& id) {
  auto p = calendar::parse_period(id);
  if (!p || !plan.calendar.is_reporting_period(*p)) {
    ctx.err << "jvap: --period: " << model::quote(id) << " is not a reporting period of the plan ("
            << calendar::to_string(plan.calendar.frequency) << ", from "
            << calendar::to_string(plan.calendar.first) << ")\n";
    return std::nullopt;
  }
  if (calendar::start_of(*p) > ctx.as_of) {
    ctx.err << "jvap: --period " << id << " has not started on the as-of date "
            << calendar::to_string(ctx.as_of) << "\n";
    return std::nullopt;
  }
  return p;
}

std::string format_money(std::int64_t minor, const std::string& currency) {
  int units = model::currency_minor_units(currency).value_or(2);
  bool negative = minor < 0;
  std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(minor) : minor;
  std::uint64_t scale = 1;
  for (int i = 0; i < units; ++i) scale *= 10;
  std::string whole = std::to_string(v / scale);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  std::string out = (negative ? "-" : "") + grouped;
  if (units > 0) {
    std::string frac = std::to_string(v % scale);
    out += '.' + std::string(units - frac.size(), '0') + frac;
  }
  return out + ' ' + currency;
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

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& numeric, const std::string& indent) {
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

}  // namespace jvap::cli
