// `jvap periods`: the reporting periods with their start, end and due dates.
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
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

struct PeriodsArgs {
  std::string from;  // period ids; empty = the calendar's first / the period containing --as-of
  std::string to;
};

// Parses a --from/--to period; it must be a reporting period of the plan's calendar.
calendar::Period reporting_period(const calendar::Calendar& cal, const std::string& option,
                                  const std::string& id) {
  auto p = calendar::parse_period(id);
  if (!p)
    throw UsageError(option + ": invalid period id " + model::quote(id) +
                     " (expected 2025-03, 2025-Q1, 2025-H1 or 2025)");
  if (p->frequency != cal.frequency)
    throw UsageError(option + ": " + model::quote(id) + " is not a " +
                     std::string(calendar::to_string(cal.frequency)) +
                     " period, the plan's reporting frequency");
  if (*p < cal.first)
    throw UsageError(option + ": " + model::quote(id) + " is before the first reporting period " +
                     calendar::to_string(cal.first));
  return *p;
}

int run_periods(Context& ctx, const PeriodsArgs& args) {
  auto session = open(ctx, {.plan = true});
  const auto& cal = session.plan->calendar;
  calendar::Period from = cal.first;
  calendar::Period to = calendar::period_containing(cal.frequency, ctx.as_of);
  if (!args.from.empty()) from = reporting_period(cal, "--from", args.from);
  if (!args.to.empty()) to = reporting_period(cal, "--to", args.to);
  if (to < from)
    throw UsageError("--to " + calendar::to_string(to) + " is before --from " + calendar::to_string(from));

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
  if (ctx.format == "csv") {
    print_csv(ctx.out, rows);
    return kOk;
  }
  ctx.out << "Reporting periods (" << calendar::to_string(cal.frequency) << ", due "
          << cal.grace_days << " days after the end) as of " << calendar::to_string(ctx.as_of)
          << "\n";
  print_table(ctx.out, rows, {});
  return kOk;
}

}  // namespace

CommandSpec periods_command() {
  return {"periods", "List reporting periods with start, end and due dates", {"text", "json", "csv"},
          [](CLI::App& app) -> Runner {
            auto args = std::make_shared<PeriodsArgs>();
            app.add_option("--from", args->from, "First period (default: the calendar's first)")
                ->type_name("PERIOD");
            app.add_option("--to", args->to, "Last period (default: the one containing --as-of)")
                ->type_name("PERIOD");
            return [args](Context& c) { return run_periods(c, *args); };
          },
          ""};
}

}  // namespace jvap::cli
