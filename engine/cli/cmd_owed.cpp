// The reporting cycle's questions: `jvap completeness` (how many reports arrived, per group),
// `jvap owed` (which reports are still owed, by whom, measure by measure) and `jvap template`
// (the rows an organisation owes, to fill in and upload). All read the evaluation view's one
// definition of a report's state.
#include <cmath>
#include <fstream>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/output.hpp"
#include "evaluation/view.hpp"
#include "model/codes.hpp"
#include "model/text.hpp"
#include "report/report.hpp"

#ifndef JVAP_VERSION
#define JVAP_VERSION "0.0.0"
#endif

namespace jvap::cli {

namespace {

struct CycleArgs {
  std::string period, org, output;
  bool list = false;
};

void add_cycle_options(CLI::App& app, CycleArgs& a, const std::string& org_help) {
  app.add_option("--period", a.period, "The reporting period")->required()->type_name("PERIOD");
  app.add_option("--org", a.org, org_help)->type_name("ORG");
}

// The records of the period (and the one before, for previous values), milestones of any period.
evaluation::View cycle_view(const store::Store& db, const model::Plan& plan, const calendar::Period& p,
                            calendar::Date as_of) {
  auto first = p > plan.calendar.first ? calendar::previous(p) : p;
  return evaluation::View(db, {first, p, as_of, as_of}, {"", {}, false, {"milestone."}});
}

// ---- completeness ----

Json rate(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? Json() : Json(std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10);
}

Json tally_json(const evaluation::GroupTally& g, bool list) {
  const auto& t = g.tally;
  Json j{{"key", g.key},
         {"expected", t.expected},
         {"complete", t.complete},
         {"on_time", t.on_time},
         {"late", t.late},
         {"partial", t.partial},
         {"missing", t.missing},
         {"not_yet_due", t.not_yet_due},
         {"complete_pct", rate(t.complete, t.expected)},
         {"on_time_pct", rate(t.on_time, t.expected)}};
  if (list) {
    j["missing_initiatives"] = g.missing;
    j["partial_initiatives"] = g.partial;
  }
  return j;
}

Json completeness_json(Context& ctx, const evaluation::Completeness& c, const CycleArgs& a) {
  Json j{{"period", calendar::to_string(c.period)},
         {"as_of", calendar::to_string(ctx.as_of)},
         {"due", calendar::to_string(c.due)},
         {"org", a.org.empty() ? Json() : Json(a.org)}};
  j["total"] = tally_json(c.total, a.list);
  for (const auto& [name, list] : {std::pair{"by_process", &c.by_process}, {"by_country", &c.by_country},
                                   {"by_domain", &c.by_domain}, {"by_org", &c.by_org}}) {
    Json rows = Json::array();
    for (const auto& g : *list) rows.push_back(tally_json(g, a.list));
    j[name] = rows;
  }
  return j;
}

const char* const kCounts[] = {"expected", "complete", "on_time", "late", "partial", "missing", "not_yet_due"};
const char* const kGroups[] = {"total", "by_process", "by_domain", "by_country", "by_org"};

std::string pct_text(const Json& v) {
  if (v.is_null()) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", v.get<double>());
  return buf;
}

std::string joined(const Json& list) {
  std::string out;
  for (const auto& x : list) out += (out.empty() ? "" : ", ") + x.get<std::string>();
  return out;
}

void print_completeness_text(Context& ctx, const Json& j, bool list) {
  ctx.out << "Reporting completeness for " << j["period"].get<std::string>() << " (due "
          << j["due"].get<std::string>() << ") as of " << j["as_of"].get<std::string>()
          << (j["org"].is_null() ? "" : ", the initiatives " + j["org"].get<std::string>() + " reports on")
          << "\n"
          << "complete: every measure the plan requires reported; partial: some; missing: none after "
             "the due date; on time: complete by the due date; % of the reports expected\n";
  for (const std::string name : kGroups) {
    std::vector<std::vector<std::string>> rows{{name == "total" ? "" : name.substr(3), "expected",
                                                "complete", "on time", "late", "partial", "missing",
                                                "not yet due", "complete %", "on time %"}};
    Json groups = name == "total" ? Json::array({j["total"]}) : j[name];
    for (const auto& r : groups) {
      std::vector<std::string> row{r["key"].get<std::string>()};
      for (const char* c : kCounts) row.push_back(std::to_string(r[c].get<std::int64_t>()));
      row.push_back(pct_text(r["complete_pct"]));
      row.push_back(pct_text(r["on_time_pct"]));
      rows.push_back(std::move(row));
    }
    ctx.out << "\n";
    std::vector<bool> numeric(10, true);
    numeric[0] = false;
    print_table(ctx.out, rows, numeric);
    if (!list) continue;
    for (const auto& r : groups)
      for (const char* kind : {"missing", "partial"}) {
        const auto& ids = r[std::string(kind) + "_initiatives"];
        if (!ids.empty()) ctx.out << "    " << r["key"].get<std::string>() << " " << kind << ": " << joined(ids) << "\n";
      }
  }
}

void print_completeness_csv(Context& ctx, const Json& j, bool list) {
  ctx.out << "group,key";
  for (const char* c : kCounts) ctx.out << ',' << c;
  ctx.out << ",complete_pct,on_time_pct" << (list ? ",missing_initiatives,partial_initiatives" : "") << "\n";
  for (const std::string name : kGroups) {
    Json groups = name == "total" ? Json::array({j["total"]}) : j[name];
    for (const auto& r : groups) {
      ctx.out << (name == "total" ? "all" : name.substr(3)) << ',' << model::csv_field(r["key"].get<std::string>());
      for (const char* c : kCounts) ctx.out << ',' << r[c].get<std::int64_t>();
      for (const char* c : {"complete_pct", "on_time_pct"})
        ctx.out << ',' << (r[c].is_null() ? std::string() : pct_text(r[c]).substr(0, pct_text(r[c]).size() - 1));
      if (list)
        ctx.out << ',' << model::csv_field(joined(r["missing_initiatives"])) << ','
                << model::csv_field(joined(r["partial_initiatives"]));
      ctx.out << "\n";
    }
  }
}

int run_completeness(Context& ctx, const CycleArgs& args) {
  auto s = open(ctx, {.db = Needs::Db::read, .plan = true, .done = "checked"});
  check_org(*s.plan, args.org);
  auto period = checked_period(ctx, *s.plan, args.period);
  evaluation::View view(*s.db, {period, period, ctx.as_of, ctx.as_of}, {"", {}, false, {"milestone."}});
  Json j = completeness_json(ctx, evaluation::completeness(view, *s.plan, period, args.org), args);
  if (ctx.json()) print_json(ctx, j);
  else if (ctx.format == "csv") print_completeness_csv(ctx, j, args.list);
  else print_completeness_text(ctx, j, args.list);
  return kOk;
}

// ---- owed ----

// One row per organisation, report and measure still owed.
Json owed_rows(const std::vector<evaluation::Owed>& owed, const std::string& org, calendar::Date as_of) {
  Json rows = Json::array();
  for (const auto& o : owed) {
    const auto& ini = *o.initiative;
    const auto overdue = (as_of - o.status.due).count();
    for (const auto& who : ini.reporting) {
      if (!org.empty() && who != org) continue;
      for (const auto& m : o.status.missing)
        rows.push_back({{"org", who}, {"initiative", ini.id}, {"title", ini.title}, {"measure", m},
                        {"state", std::string(evaluation::to_string(o.status.state))},
                        {"due", calendar::to_string(o.status.due)}, {"days_overdue", overdue}});
    }
  }
  return rows;
}

int run_owed(Context& ctx, const CycleArgs& args) {
  auto s = open(ctx, {.db = Needs::Db::read, .plan = true, .done = "listed"});
  check_org(*s.plan, args.org);
  auto period = checked_period(ctx, *s.plan, args.period);
  auto view = cycle_view(*s.db, *s.plan, period, ctx.as_of);
  auto owed = evaluation::owed(view, *s.plan, period, args.org);
  Json rows = owed_rows(owed, args.org, ctx.as_of);
  static const char* cols[] = {"org", "initiative", "measure", "state", "due", "days_overdue", "title"};
  auto cell = [](const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  if (ctx.json()) {
    print_json(ctx, {{"period", args.period}, {"as_of", calendar::to_string(ctx.as_of)},
                     {"org", args.org.empty() ? Json() : Json(args.org)},
                     {"reports", static_cast<std::int64_t>(owed.size())}, {"owed", rows}});
  } else if (ctx.format == "csv") {
    std::vector<std::vector<std::string>> table{{std::begin(cols), std::end(cols)}};
    for (const auto& r : rows) {
      table.emplace_back();
      for (const char* c : cols) table.back().push_back(cell(r[c]));
    }
    print_csv(ctx.out, table);
  } else {
    ctx.out << "Reports still owed for " << args.period << " as of " << calendar::to_string(ctx.as_of)
            << (args.org.empty() ? "" : " by " + args.org) << ": "
            << count_label(static_cast<long long>(owed.size()), "report", "reports") << ", "
            << count_label(static_cast<long long>(rows.size()), "row", "rows") << " by organisation and measure\n";
    if (rows.empty()) return kOk;
    std::vector<std::vector<std::string>> table{{"org", "initiative", "measure", "report", "due", "overdue"}};
    for (const auto& r : rows) {
      auto days = r["days_overdue"].get<std::int64_t>();
      table.push_back({cell(r["org"]), cell(r["initiative"]), cell(r["measure"]), cell(r["state"]), cell(r["due"]),
                       days > 0 ? count_label(days, "day", "days") : "due in " + count_label(-days, "day", "days")});
    }
    ctx.out << "\n";
    print_table(ctx.out, table, {false, false, false, false, false, true});
  }
  return kOk;
}

// ---- template ----

int write_template_xlsx(Context& ctx, const CycleArgs& args, const model::Plan& plan, const calendar::Period& period,
                        const std::vector<report::TemplateRow>& rows) {
  if (args.output.empty() || args.output == "-")
    throw UsageError("template: --format xlsx writes a file; give it with -o FILE.xlsx");
  report::TemplateInfo info;
  info.org = args.org;
  if (const auto* o = plan.organisation(args.org)) info.org_name = o->name;
  else if (auto n = model::country_name(args.org)) info.org_name = std::string(*n);
  info.period = calendar::to_string(period);
  info.period_start = calendar::to_string(calendar::start_of(period));
  info.period_end = calendar::to_string(calendar::end_of(period));
  info.due = calendar::to_string(plan.calendar.due(period));
  info.as_of = calendar::to_string(ctx.as_of);
  info.plan_id = plan.info.id;
  info.plan_hash = plan.content_hash;
  info.generator = std::string("jvap ") + JVAP_VERSION;
  Output file(args.output);
  report::write_template_xlsx(rows, info, file.temp());
  file.commit();
  if (!ctx.opts.quiet)
    ctx.out << "wrote " << args.output << " (" << count_label(rows.size(), "row", "rows") << " for " << args.org
            << " to fill in for " << info.period << ")\n";
  return kOk;
}

int run_template(Context& ctx, const CycleArgs& args) {
  auto s = open(ctx, {.db = Needs::Db::read, .plan = true, .done = "written"});
  if (args.org.empty()) throw UsageError("template: --org is required (whose rows to write)");
  check_org(*s.plan, args.org);
  auto period = checked_period(ctx, *s.plan, args.period);
  auto view = cycle_view(*s.db, *s.plan, period, ctx.as_of);
  auto progress = evaluation::progress(*s.db, *s.plan, period, ctx.as_of, ctx.as_of);
  if (ctx.format == "xlsx") return write_template_xlsx(ctx, args, *s.plan, period,
                                                       report::template_rows(view, progress, *s.plan, period, args.org));
  auto csv = report::template_csv(view, progress, *s.plan, period, args.org);
  if (args.output.empty() || args.output == "-") {
    ctx.out << csv;
    return kOk;
  }
  Output file(args.output);
  file.write(csv);
  file.commit();
  auto rows = static_cast<long long>(std::count(csv.begin(), csv.end(), '\n')) - 1;
  if (!ctx.opts.quiet)
    ctx.err << "wrote " << args.output << " (" << count_label(rows, "row", "rows") << " for " << args.org
            << " to fill in for " << args.period << ")\n";
  return kOk;
}

}  // namespace

CommandSpec completeness_command() {
  return {"completeness",
          "Reporting rates for a period: expected, complete, partial and missing reports per "
          "process, country, domain and organisation",
          {"text", "json", "csv"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<CycleArgs>();
            add_cycle_options(app, *a, "Only the initiatives this organisation reports on");
            app.add_flag("--list", a->list, "Name the missing and partial initiatives of each group");
            return [a](Context& c) { return run_completeness(c, *a); };
          },
          ""};
}

CommandSpec owed_command() {
  return {"owed",
          "Every report still owed for a period: organisation, initiative, measure, due date, "
          "days overdue, partial or missing",
          {"text", "json", "csv"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<CycleArgs>();
            add_cycle_options(app, *a, "Only what this organisation owes");
            return [a](Context& c) { return run_owed(c, *a); };
          },
          ""};
}

CommandSpec template_command() {
  return {"template",
          "The rows an organisation owes for a period, as an upload to fill in (with context "
          "columns that ingest ignores)",
          {"csv", "xlsx"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<CycleArgs>();
            add_cycle_options(app, *a, "The reporting organisation (required)");
            app.add_option("-o,--output", a->output, "Write the template here (default: standard output)")
                ->type_name("FILE");
            return [a](Context& c) { return run_template(c, *a); };
          },
          ""};
}

}  // namespace jvap::cli
