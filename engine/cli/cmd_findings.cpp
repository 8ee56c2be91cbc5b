// `jvap findings` (the stored findings, filtered; reads only) and `jvap runs` (the stored runs).
#include <algorithm>
#include <map>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "model/text.hpp"
#include "rules/rules.hpp"

namespace jvap::cli {

namespace {

struct FindingsArgs {
  std::string period, org, severity, rule, domain, status;
  std::int64_t run = 0;
};

// "carried_over" reads "carried over".
std::string spelled(const std::string& status) {
  return status == "carried_over" ? "carried over" : status;
}

// Whether a stored finding passes the filters.
bool keep(const model::Plan& plan, const FindingsArgs& a, const store::StoredFinding& f) {
  return rules::FindingFilter{a.org, a.severity, a.rule, a.domain, a.status}.matches(plan, f.severity, f.rule, f.status,
                                                                                    f.subject);
}

void validate(const model::Plan& plan, const FindingsArgs& a) {
  check_org(plan, a.org);
  std::vector<std::string> domains;
  for (const auto& d : plan.domains) domains.push_back(d.id);
  check_choice("--domain", a.domain, domains, "domain");
}

// The runs to list: the one asked for, else the latest of the period, else the latest of every
// period that has one.
std::vector<store::StoredRun> chosen_runs(const store::Store& db, const FindingsArgs& a) {
  std::vector<store::StoredRun> out;
  if (a.run > 0) {
    auto r = db.run(a.run);
    if (!r) throw UsageError("--run: no stored run " + std::to_string(a.run) + "; see 'jvap runs'");
    if (!a.period.empty() && r->period != a.period)
      throw UsageError("--run " + std::to_string(a.run) + " is a run of " + r->period + ", not of " + a.period);
    out.push_back(std::move(*r));
    return out;
  }
  std::map<std::string, std::int64_t> latest;
  for (const auto& s : db.runs(a.period)) latest[s.run.period] = s.run.id;
  for (const auto& [period, id] : latest) out.push_back(*db.run(id));
  return out;
}

Json run_json(const store::StoredRun& r) {
  return {{"run_id", r.id}, {"period", r.period}, {"as_of", calendar::to_string(r.as_of)},
          {"plan_hash", r.plan_hash}, {"rules_hash", r.rules_hash}};
}

int run_findings(Context& ctx, const FindingsArgs& args) {
  auto s = open(ctx, {.db = Needs::Db::read, .plan = true});
  validate(*s.plan, args);
  if (!args.period.empty()) checked_period(ctx, *s.plan, args.period);
  auto runs = chosen_runs(*s.db, args);
  std::vector<std::string> rule_ids;  // an unknown --rule is a usage error, with "did you mean"
  for (const auto& r : runs)
    for (const auto& f : r.findings)
      if (std::find(rule_ids.begin(), rule_ids.end(), f.rule) == rule_ids.end()) rule_ids.push_back(f.rule);
  std::sort(rule_ids.begin(), rule_ids.end());
  if (!rule_ids.empty()) check_choice("--rule", args.rule, rule_ids, "rule (in the runs listed)");
  std::vector<std::pair<const store::StoredRun*, const store::StoredFinding*>> shown;
  std::size_t total = 0;
  for (const auto& r : runs)
    for (const auto& f : r.findings) {
      ++total;
      if (keep(*s.plan, args, f)) shown.emplace_back(&r, &f);
    }
  // Errors first, then by rule and subject, as `check` prints them.
  auto rank = [](const std::string& sev) { return sev == "error" ? 0 : sev == "warning" ? 1 : 2; };
  std::stable_sort(shown.begin(), shown.end(), [&](const auto& a, const auto& b) {
    return std::make_tuple(a.first->period, a.second->status == "resolved", rank(a.second->severity),
                           a.second->rule, a.second->subject) <
           std::make_tuple(b.first->period, b.second->status == "resolved", rank(b.second->severity),
                           b.second->rule, b.second->subject);
  });
  if (ctx.format == "json") {
    Json rs = Json::array(), list = Json::array();
    for (const auto& r : runs) rs.push_back(run_json(r));
    for (const auto& [r, f] : shown)
      list.push_back({{"run_id", r->id}, {"fingerprint", f->fingerprint}, {"status", f->status},
                      {"severity", f->severity}, {"rule", f->rule}, {"subject", f->subject},
                      {"period", f->period}, {"message", f->message},
                      {"waiver", f->waiver.empty() ? Json() : Json(f->waiver)}});
    print_json(ctx, {{"runs", rs}, {"shown", shown.size()}, {"total", total}, {"findings", list}});
  } else if (ctx.format == "csv") {
    ctx.out << "run_id,fingerprint,status,severity,rule,subject,period,message\n";
    for (const auto& [r, f] : shown)
      ctx.out << r->id << ',' << f->fingerprint << ',' << f->status << ',' << f->severity << ','
              << model::csv_field(f->rule) << ',' << model::csv_field(f->subject) << ','
              << f->period << ',' << model::csv_field(f->message) << '\n';
  } else {
    if (runs.empty()) {
      ctx.out << "No stored check run" << (args.period.empty() ? "" : " of " + args.period)
              << "; 'jvap check --period P' stores one\n";
      return kOk;
    }
    for (const auto& r : runs)
      ctx.out << "run " << r.id << ": " << r.period << " as of " << calendar::to_string(r.as_of) << "\n";
    ctx.out << count_label(static_cast<long long>(shown.size()), "finding", "findings") << " shown of "
            << total << " (statuses against the check before each run)\n";
    for (const auto& [r, f] : shown)
      ctx.out << "  " << f->fingerprint << "  " << f->severity << "  " << spelled(f->status) << "  "
              << f->rule << "  " << model::printable(f->subject) << " (" << f->period
              << "): " << model::printable(f->message) << (f->waiver.empty() ? "" : " (waived: " + f->waiver + ")")
              << "\n";
  }
  return kOk;
}

int run_runs(Context& ctx, const std::string& period) {
  if (!period.empty() && !calendar::parse_period(period))
    throw UsageError("--period: invalid period id " + model::quote(period) +
                     " (expected 2025-03, 2025-Q1, 2025-H1 or 2025)");
  auto s = open(ctx, {.db = Needs::Db::read});
  auto list = s.db->runs(period);
  auto count = [](const std::map<std::string, std::int64_t>& m, const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? std::int64_t{0} : it->second;
  };
  Json rows = Json::array();
  for (const auto& x : list) {
    Json j = run_json(x.run);
    j["inputs"] = x.run.inputs;
    j["open"] = count(x.by_status, "new") + count(x.by_status, "carried_over");
    for (const char* k : {"new", "carried_over", "waived", "resolved"}) j[k] = count(x.by_status, k);
    for (const char* k : {"error", "warning", "info"}) j[k] = count(x.by_severity, k);
    rows.push_back(j);
  }
  if (ctx.format == "json") {
    print_json(ctx, {{"runs", rows}});
    return kOk;
  }
  static const char* cols[] = {"run_id", "period", "as_of", "open", "new", "carried_over", "waived",
                               "resolved", "error", "warning", "info", "inputs"};
  auto cell = [](const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  if (ctx.format == "csv") {
    std::vector<std::vector<std::string>> table{{std::begin(cols), std::end(cols)}};
    for (const auto& r : rows) {
      table.emplace_back();
      for (const char* c : cols) table.back().push_back(cell(r[c]));
    }
    print_csv(ctx.out, table);
    return kOk;
  }
  if (rows.empty()) {
    ctx.out << "No stored check run; 'jvap check --period P' stores one\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> table{{"run", "period", "as of", "open", "new", "carried over",
                                               "waived", "resolved", "errors", "warnings", "info", "inputs"}};
  for (const auto& r : rows) {
    std::vector<std::string> line;
    for (const char* c : cols) line.push_back(std::string(c) == "inputs" ? cell(r[c]).substr(0, 12) : cell(r[c]));
    table.push_back(std::move(line));
  }
  print_table(ctx.out, table, {true, false, false, true, true, true, true, true, true, true, true, false});
  return kOk;
}

}  // namespace

CommandSpec findings_command() {
  return {"findings",
          "List the stored findings (the latest check of each period, or one run), filtered; "
          "reads only, stores nothing",
          {"text", "json", "csv"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<FindingsArgs>();
            app.add_option("--period", a->period, "Only this period's latest run")->type_name("PERIOD");
            app.add_option("--run", a->run, "Only this stored run (see 'jvap runs')")->check(CLI::PositiveNumber);
            app.add_option("--org", a->org, "Only findings about initiatives, commitments and activities this organisation reports on")
                ->type_name("ORG");
            app.add_option("--severity", a->severity, "Only this severity")
                ->check(CLI::IsMember({"error", "warning", "info"}));
            app.add_option("--rule", a->rule, "Only this rule id");
            app.add_option("--domain", a->domain, "Only findings about this domain")->type_name("DOMAIN");
            app.add_option("--status", a->status, "Only this status (open = new or carried over)")
                ->check(CLI::IsMember({"open", "new", "carried_over", "waived", "resolved"}));
            return [a](Context& c) { return run_findings(c, *a); };
          },
          ""};
}

CommandSpec runs_command() {
  return {"runs", "List the stored check runs: period, as-of date, counts, inputs key",
          {"text", "json", "csv"},
          [](CLI::App& app) -> Runner {
            auto period = std::make_shared<std::string>();
            app.add_option("--period", *period, "Only this period's runs")->type_name("PERIOD");
            return [period](Context& c) { return run_runs(c, *period); };
          },
          ""};
}

}  // namespace jvap::cli
