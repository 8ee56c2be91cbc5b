// `jvap check`, `jvap explain`, `jvap completeness` and `jvap rules test`.
#include <map>
#include <ostream>

#include "cli/commands.hpp"
#include "model/text.hpp"
#include "rules/rules.hpp"
#include "rules/testing.hpp"

namespace jvap::cli {

namespace {

Json evidence_json(const std::vector<rules::Evidence>& ev) {
  Json out = Json::array();
  for (const auto& e : ev) {
    Json x{{"name", e.name}, {"value", e.value}};
    if (e.upload_id) x["upload_id"] = e.upload_id;
    if (e.line) x["line"] = e.line;
    out.push_back(x);
  }
  return out;
}

}  // namespace

int run_check(Context& ctx, const CheckArgs& args) {
  auto ruleset = load_rules(ctx, args.rules);
  if (!ruleset) return kInputError;
  store::Store db(ctx.opts.db, store::Access::write);
  auto plan = load_plan(ctx, db, "checked");
  if (!plan) return kInputError;
  auto period = checked_period(ctx, *plan, args.period);
  if (!period) return kInputError;
  auto run = rules::evaluate(db, *plan, *ruleset, *period, ctx.as_of);

  std::map<std::string, const rules::Rule*> by_id;
  for (const auto& r : ruleset->rules) by_id[r.id] = &r;
  std::map<rules::Status, int> by_status;
  std::map<rules::Severity, int> by_severity;
  int failing = 0;
  auto threshold = args.fail_on == "never" ? std::optional<rules::Severity>()
                                           : rules::parse_severity(args.fail_on);
  for (const auto& f : run.findings) {
    by_status[f.status]++;
    if (f.status == rules::Status::resolved) continue;
    by_severity[f.severity]++;
    if (f.status != rules::Status::waived && threshold && f.severity >= *threshold) ++failing;
  }
  int code = failing > 0 ? kFailed : kOk;

  if (args.format == "json") {
    Json list = Json::array();
    for (const auto& f : run.findings)
      list.push_back({{"fingerprint", f.fingerprint},
                      {"status", std::string(rules::to_string(f.status))},
                      {"severity", std::string(rules::to_string(f.severity))},
                      {"rule", f.rule},
                      {"subject", f.subject},
                      {"period", f.period},
                      {"message", f.message},
                      {"evidence", evidence_json(f.evidence)},
                      {"waiver", f.waiver.empty() ? Json() : Json(f.waiver)}});
    print_json(ctx, {{"run_id", run.id},
                     {"period", run.period},
                     {"as_of", calendar::to_string(run.as_of)},
                     {"plan_hash", run.plan_hash},
                     {"rules_hash", run.rules_hash},
                     {"counts",
                      {{"error", by_severity[rules::Severity::error]},
                       {"warning", by_severity[rules::Severity::warning]},
                       {"info", by_severity[rules::Severity::info]},
                       {"new", by_status[rules::Status::new_]},
                       {"open", by_status[rules::Status::open]},
                       {"resolved", by_status[rules::Status::resolved]},
                       {"waived", by_status[rules::Status::waived]}}},
                     {"failing", failing},
                     {"findings", list}});
    return code;
  }
  if (args.format == "csv") {
    ctx.out << "fingerprint,status,severity,rule,subject,period,message\n";
    for (const auto& f : run.findings)
      ctx.out << f.fingerprint << ',' << rules::to_string(f.status) << ','
              << rules::to_string(f.severity) << ',' << model::csv_field(f.rule) << ','
              << model::csv_field(f.subject) << ',' << f.period << ',' << model::csv_field(f.message) << '\n';
    return code;
  }
  auto& out = ctx.out;
  int current = static_cast<int>(run.findings.size()) - by_status[rules::Status::resolved];
  out << "Check of " << run.period << " as of " << calendar::to_string(run.as_of) << ": " << current
      << (current == 1 ? " finding" : " findings") << " (" << by_severity[rules::Severity::error]
      << " errors, " << by_severity[rules::Severity::warning] << " warnings, "
      << by_severity[rules::Severity::info] << " info); " << by_status[rules::Status::new_]
      << " new, " << by_status[rules::Status::open] << " open, "
      << by_status[rules::Status::waived] << " waived, " << by_status[rules::Status::resolved]
      << " resolved\n";
  out << "run " << run.id << ", plan " << run.plan_hash.substr(0, 12) << ", rules "
      << run.rules_hash.substr(0, 12) << "\n";
  std::string group;
  for (const auto& f : run.findings) {
    std::string g = f.status == rules::Status::resolved
                        ? "resolved"
                        : std::string(rules::to_string(f.severity)) + " " + f.rule;
    if (g != group) {
      group = g;
      if (f.status == rules::Status::resolved) {
        out << "\nRESOLVED since the last run\n";
      } else {
        auto it = by_id.find(f.rule);
        std::string sev(rules::to_string(f.severity));
        for (auto& c : sev) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out << "\n" << sev << "  " << f.rule
            << (it != by_id.end() ? " — " + it->second->title : std::string()) << "\n";
      }
    }
    out << "  " << f.fingerprint << "  " << std::string(rules::to_string(f.status)) << std::string(9 - rules::to_string(f.status).size(), ' ')
        << f.subject << ": " << f.message;
    if (f.status == rules::Status::resolved) out << " [" << f.rule << "]";
    if (!f.waiver.empty()) out << " (waived: " << f.waiver << ")";
    out << "\n";
  }
  if (failing > 0)
    out << "\n" << failing << (failing == 1 ? " finding" : " findings") << " at or above '"
        << args.fail_on << "' (exit 1); 'jvap explain FINGERPRINT' shows the evidence and the fix\n";
  return code;
}

int run_explain(Context& ctx, const ExplainArgs& args) {
  store::Store db(ctx.opts.db, store::Access::read);
  auto f = db.find_finding(args.fingerprint);
  if (!f) {
    ctx.err << "jvap: no finding with fingerprint " << model::quote(args.fingerprint)
            << " (or the prefix is ambiguous); see 'jvap check'\n";
    return kInputError;
  }
  auto r = rules::load(args.rules);
  const rules::Rule* rule = nullptr;
  if (r.rules)
    for (const auto& x : r.rules->rules)
      if (x.id == f->rule) rule = &x;
  auto evidence = nlohmann::json::parse(f->evidence, nullptr, false);
  Json ev = Json::array();
  if (evidence.is_array())
    for (const auto& e : evidence) {
      Json x{{"name", e.value("name", "")}, {"value", e.value("value", "")}};
      if (e.contains("upload")) {
        auto id = e["upload"].get<std::int64_t>();
        x["upload_id"] = id;
        if (auto u = db.upload(id)) {
          x["file_name"] = u->file_name;
          x["org"] = u->org;
          x["received_on"] = calendar::to_string(u->received_on);
        }
        if (e.contains("line")) x["line"] = e["line"];
      }
      ev.push_back(x);
    }
  if (ctx.json()) {
    print_json(ctx, {{"fingerprint", f->fingerprint},
                     {"rule", f->rule},
                     {"title", rule ? Json(rule->title) : Json()},
                     {"severity", f->severity},
                     {"status", f->status},
                     {"subject", f->subject},
                     {"period", f->period},
                     {"message", f->message},
                     {"fix", rule ? Json(rule->fix) : Json()},
                     {"description", rule ? Json(rule->description) : Json()},
                     {"evidence", ev}});
    return kOk;
  }
  auto& out = ctx.out;
  out << f->fingerprint << "  " << f->severity << "  " << f->rule;
  if (rule) out << " — " << rule->title;
  out << "\n  " << f->subject << " (" << f->period << "), " << f->status << ": " << f->message << "\n";
  if (rule && !rule->description.empty()) out << "\nWhy: " << rule->description << "\n";
  out << "\nFix: " << (rule ? rule->fix : "(the rule is no longer in " + args.rules + ")") << "\n";
  if (!ev.empty()) out << "\nEvidence:\n";
  for (const auto& e : ev) {
    out << "  " << e["name"].get<std::string>() << ": " << e["value"].get<std::string>();
    if (e.contains("file_name"))
      out << "  (upload " << e["upload_id"].get<std::int64_t>() << ", "
          << e["file_name"].get<std::string>()
          << (e.contains("line") ? ":" + std::to_string(e["line"].get<std::int64_t>()) : "") << ", from "
          << e["org"].get<std::string>() << ", received " << e["received_on"].get<std::string>() << ")";
    out << "\n";
  }
  return kOk;
}

int run_completeness(Context& ctx, const CheckArgs& args) {
  store::Store db(ctx.opts.db, store::Access::write);
  auto plan = load_plan(ctx, db, "checked");
  if (!plan) return kInputError;
  auto period = checked_period(ctx, *plan, args.period);
  if (!period) return kInputError;
  db.prepare_evaluation(*plan, {*period, ctx.as_of, 1, std::nullopt});
  std::map<std::string, store::Value> params{{"period", args.period},
                                             {"due", calendar::to_string(plan->calendar.due(*period))}};
  const std::vector<std::pair<std::string, std::string>> groups{
      {"process", "e_initiative_process g ON g.initiative = i.id"},
      {"country", "e_initiative_country g ON g.initiative = i.id"},
      {"domain", "e_initiative_domain g ON g.initiative = i.id"},
      {"org", "e_reporting g ON g.initiative = i.id"}};
  const std::map<std::string, std::string> key{{"process", "g.process"}, {"country", "g.country"},
                                               {"domain", "g.domain"}, {"org", "g.org"}};
  Json j{{"period", args.period},
         {"as_of", calendar::to_string(ctx.as_of)},
         {"due", calendar::to_string(plan->calendar.due(*period))}};
  std::string all_sql = R"sql(SELECT 'all', count(*), count(r.initiative), coalesce(sum(r.first_received <= :due), 0)
FROM e_initiative i LEFT JOIN e_received r ON r.initiative = i.id AND r.period = :period WHERE i.active = 1)sql";
  auto rate = [](std::int64_t part, std::int64_t whole) {
    return whole == 0 ? Json() : Json(std::round(1000.0 * part / whole) / 10);
  };
  auto table = [&](const std::string& sql) {
    Json rows = Json::array();
    for (const auto& r : db.query(sql, params).rows) {
      auto expected = std::get<std::int64_t>(r[1]), received = std::get<std::int64_t>(r[2]),
           on_time = std::get<std::int64_t>(r[3]);
      rows.push_back({{"key", store::to_text(r[0])},
                      {"expected", expected},
                      {"received", received},
                      {"on_time", on_time},
                      {"received_rate", rate(received, expected)},
                      {"on_time_rate", rate(on_time, expected)}});
    }
    return rows;
  };
  j["total"] = table(all_sql)[0];
  for (const auto& [name, join] : groups)
    j["by_" + name] = table("SELECT " + key.at(name) +
                            ", count(*), count(r.initiative), coalesce(sum(r.first_received <= :due), 0) "
                            "FROM e_initiative i JOIN " + join +
                            " LEFT JOIN e_received r ON r.initiative = i.id AND r.period = :period "
                            "WHERE i.active = 1 GROUP BY 1 ORDER BY 1");
  if (ctx.json()) {
    print_json(ctx, j);
    return kOk;
  }
  auto pct = [](const Json& v) {
    if (v.is_null()) return std::string("-");
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", v.get<double>());
    return std::string(buf);
  };
  ctx.out << "Reporting completeness for " << args.period << " (due " << j["due"].get<std::string>()
          << ") as of " << j["as_of"].get<std::string>() << "\n";
  for (const char* name : {"total", "by_process", "by_domain", "by_country", "by_org"}) {
    std::vector<std::vector<std::string>> rows{
        {std::string(name) == "total" ? "" : std::string(name).substr(3), "expected", "received",
         "on time", "received %", "on time %"}};
    Json list = std::string(name) == "total" ? Json::array({j["total"]}) : j[name];
    for (const auto& r : list)
      rows.push_back({r["key"].get<std::string>(), std::to_string(r["expected"].get<std::int64_t>()),
                      std::to_string(r["received"].get<std::int64_t>()),
                      std::to_string(r["on_time"].get<std::int64_t>()), pct(r["received_rate"]),
                      pct(r["on_time_rate"])});
    ctx.out << "\n";
    print_table(ctx.out, rows, {false, true, true, true, true, true});
  }
  return kOk;
}

int run_rules_test(Context& ctx, const CheckArgs& args) {
  auto ruleset = load_rules(ctx, args.rules);
  if (!ruleset) return kInputError;
  auto report = rules::run_tests(args.rules, *ruleset);
  print_diagnostics(ctx, report.errors);
  int passed = 0, failed = 0;
  Json list = Json::array();
  for (const auto& c : report.cases) {
    (c.passed ? passed : failed)++;
    list.push_back({{"rule", c.rule}, {"case", c.name}, {"passed", c.passed}, {"detail", c.detail}});
    if (!ctx.json())
      ctx.out << (c.passed ? "ok    " : "FAIL  ") << c.rule << ": " << c.name
              << (c.detail.empty() ? "" : " — " + c.detail) << "\n";
  }
  if (ctx.json())
    print_json(ctx, {{"passed", passed}, {"failed", failed}, {"problems", to_json(report.errors)}, {"cases", list}});
  else
    ctx.out << passed << " passed, " << failed << " failed\n";
  return report.passed() ? kOk : kFailed;
}

}  // namespace jvap::cli
