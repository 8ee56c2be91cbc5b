// `jvap periods`: the reporting periods with their start, end and due dates.
#include <ostream>

#include "cli/commands.hpp"
#include "model/text.hpp"

namespace jvap::cli {

namespace {

std::string status_of(const calendar::Calendar& cal, const calendar::Period& p,
                      calendar::Date as_of) {
  if (as_of < calendar::start_of(p)) return "upcoming";
  if (as_of <= calendar::end_of(p)) return "open";
  if (as_of <= cal.due(p)) return "reporting";
  return "closed";
}

// Parses a --from/--to period; it must be a reporting period of the plan's calendar.
std::optional<calendar::Period> reporting_period(Context& ctx, const calendar::Calendar& cal,
                                                 const std::string& option,
                                                 const std::string& id) {
  auto p = calendar::parse_period(id);
  if (!p) {
    ctx.err << "jvap: " << option << ": invalid period id " << model::quote(id)
            << " (expected 2025-03, 2025-Q1, 2025-H1 or 2025)\n";
  } else if (p->frequency != cal.frequency) {
    ctx.err << "jvap: " << option << ": " << model::quote(id) << " is not a "
            << calendar::to_string(cal.frequency) << " period, the plan's reporting frequency\n";
    p.reset();
  } else if (*p < cal.first) {
    ctx.err << "jvap: " << option << ": " << model::quote(id)
            << " is before the first reporting period " << calendar::to_string(cal.first) << "\n";
    p.reset();
  }
  return p;
}

}  // namespace

int run_periods(Context& ctx, const PeriodsArgs& args) {
  auto plan = load_plan(ctx);
  if (!plan) return kInputError;
  const auto& cal = plan->calendar;
  calendar::Period from = cal.first;
  calendar::Period to = calendar::period_containing(cal.frequency, ctx.as_of);
  if (!args.from.empty()) {
    auto p = reporting_period(ctx, cal, "--from", args.from);
    if (!p) return kInputError;
    from = *p;
  }
  if (!args.to.empty()) {
    auto p = reporting_period(ctx, cal, "--to", args.to);
    if (!p) return kInputError;
    to = *p;
  }
  if (to < from) {
    ctx.err << "jvap: --to " << calendar::to_string(to) << " is before --from "
            << calendar::to_string(from) << "\n";
    return kInputError;
  }

  Json list = Json::array();
  std::vector<std::vector<std::string>> rows{{"period", "start", "end", "due", "status"}};
  for (auto p = from; p <= to; p = calendar::next(p)) {
    std::vector<std::string> row{calendar::to_string(p), calendar::to_string(calendar::start_of(p)),
                                 calendar::to_string(calendar::end_of(p)),
                                 calendar::to_string(cal.due(p)), status_of(cal, p, ctx.as_of)};
    list.push_back({{"period", row[0]}, {"start", row[1]}, {"end", row[2]}, {"due", row[3]},
                    {"status", row[4]}});
    rows.push_back(std::move(row));
  }
  if (ctx.json()) {
    print_json(ctx, {{"as_of", calendar::to_string(ctx.as_of)},
                     {"frequency", calendar::to_string(cal.frequency)},
                     {"grace_days", cal.grace_days},
                     {"periods", list}});
    return kOk;
  }
  ctx.out << "Reporting periods (" << calendar::to_string(cal.frequency) << ", due "
          << cal.grace_days << " days after the end) as of " << calendar::to_string(ctx.as_of)
          << "\n";
  print_table(ctx.out, rows, {});
  return kOk;
}

}  // namespace jvap::cli
