// `jvap check`, `jvap explain` and `jvap rules test`.
#include <cmath>
#include <map>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "evaluation/view.hpp"
#include "model/text.hpp"
#include "rules/rules.hpp"
#include "rules/testing.hpp"

namespace jvap::cli {

namespace {

struct CheckArgs {
  std::string period;
  std::string rules = "rules";
  std::string fail_on = "error";
  int rule_timeout = 120;  // seconds
  bool no_store = false;
};

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

// The findings of a run counted by status and severity, and those the exit code fails on.
struct RunCounts {
  std::map<rules::Status, int> by_status;
  std::map<rules::Severity, int> by_severity;
  int failing = 0;
};

RunCounts count(const rules::Run& run, const std::string& fail_on) {
  RunCounts c;
  auto threshold = fail_on == "never" ? std::optional<rules::Severity>() : rules::parse_severity(fail_on);
  for (const auto& f : run.findings) {
    c.by_status[f.status]++;
    if (!rules::is_open(f.status)) continue;
    c.by_severity[f.severity]++;
    if (threshold && f.severity >= *threshold) ++c.failing;
  }
  return c;
}

void print_check_json(Context& ctx, const rules::Run& run, RunCounts& c) {
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
                    {{"error", c.by_severity[rules::Severity::error]},
                     {"warning", c.by_severity[rules::Severity::warning]},
                     {"info", c.by_severity[rules::Severity::info]},
                     {"open", c.by_status[rules::Status::new_] + c.by_status[rules::Status::carried_over]},
                     {"new", c.by_status[rules::Status::new_]},
                     {"carried_over", c.by_status[rules::Status::carried_over]},
                     {"resolved", c.by_status[rules::Status::resolved]},
                     {"waived", c.by_status[rules::Status::waived]}}},
                   {"compared_with",
                    run.previous_run == 0
                        ? Json()
                        : Json{{"run_id", run.previous_run}, {"as_of", calendar::to_string(run.previous_as_of)}}},
                   {"failing", c.failing},
                   {"findings", list}});
}

void print_check_csv(Context& ctx, const rules::Run& run) {
  ctx.out << "fingerprint,status,severity,rule,subject,period,message\n";
  for (const auto& f : run.findings)
    ctx.out << f.fingerprint << ',' << rules::to_string(f.status) << ','
            << rules::to_string(f.severity) << ',' << model::csv_field(f.rule) << ','
            << model::csv_field(f.subject) << ',' << model::csv_field(f.period) << ','
            << model::csv_field(f.message) << '\n';
}

// The heading of a group of findings: "ERROR  missing-report — Report missing ...".
std::string group_heading(const rules::Finding& f, const rules::RuleSet& ruleset) {
  if (f.status == rules::Status::resolved) return "RESOLVED since the last check";
  std::string sev(rules::to_string(f.severity));
  for (auto& c : sev) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string title;
  for (const auto& r : ruleset.rules)
    if (r.id == f.rule) title = " — " + r.title;
  return sev + "  " + f.rule + title;
}

void print_check_text(Context& ctx, const rules::Run& run, const rules::RuleSet& ruleset,
                      RunCounts& c, const std::string& fail_on) {
  auto& out = ctx.out;
  const int open = c.by_status[rules::Status::new_] + c.by_status[rules::Status::carried_over];
  out << "Check of " << run.period << " as of " << calendar::to_string(run.as_of) << ": "
      << count_label(open, "open finding", "open findings") << " ("
      << count_label(c.by_severity[rules::Severity::error], "error", "errors") << ", "
      << count_label(c.by_severity[rules::Severity::warning], "warning", "warnings") << ", "
      << c.by_severity[rules::Severity::info] << " info), " << c.by_status[rules::Status::waived]
      << " waived\n";
  if (run.previous_run == 0)
    out << "first check of " << run.period << ": every open finding is new\n";
  else
    out << "since the last check of " << run.period << " (run " << run.previous_run << ", as of "
        << calendar::to_string(run.previous_as_of) << "): " << c.by_status[rules::Status::new_]
        << " new, " << c.by_status[rules::Status::carried_over] << " carried over, "
        << c.by_status[rules::Status::resolved] << " resolved\n";
  out << (run.id ? "run " + std::to_string(run.id) : std::string("not stored (--no-store)")) << ", plan "
      << run.plan_hash.substr(0, 12) << ", rules "
      << run.rules_hash.substr(0, 12) << "\n";
  std::string group;
  for (const auto& f : run.findings) {
    std::string g = f.status == rules::Status::resolved
                        ? "resolved"
                        : std::string(rules::to_string(f.severity)) + " " + f.rule;
    if (g != group) {
      group = g;
      out << "\n" << group_heading(f, ruleset) << "\n";
    }
    const std::string status = f.status == rules::Status::carried_over ? "carried" : std::string(rules::to_string(f.status));
    out << "  " << f.fingerprint << "  " << status << std::string(status.size() < 9 ? 9 - status.size() : 1, ' ')
        << model::printable(f.subject) << ": " << model::printable(f.message);
    if (f.status == rules::Status::resolved) out << " [" << f.rule << "]";
    if (!f.waiver.empty()) out << " (waived: " << f.waiver << ")";
    out << "\n";
  }
  if (c.failing > 0)
    out << "\n" << count_label(c.failing, "open finding", "open findings") << " at or above '"
        << fail_on << "' (exit 1); 'jvap explain FINGERPRINT' shows the evidence and the fix\n";
}

int run_check(Context& ctx, const CheckArgs& args) {
  auto s = open(ctx, {.db = args.no_store ? Needs::Db::read : Needs::Db::write, .plan = true,
                      .rules = args.rules, .done = "checked"});
  s.rules->limits.time = std::chrono::seconds(args.rule_timeout);
  auto period = checked_period(ctx, *s.plan, args.period);
  auto run = rules::evaluate(*s.db, *s.plan, *s.rules, period, ctx.as_of, {}, !args.no_store);
  auto c = count(run, args.fail_on);
  if (ctx.format == "json") print_check_json(ctx, run, c);
  else if (ctx.format == "csv") print_check_csv(ctx, run);
  else print_check_text(ctx, run, *s.rules, c, args.fail_on);
  return c.failing > 0 ? kFailed : kOk;
}

// ---- explain ----

struct ExplainArgs {
  std::string fingerprint;
  std::string rules = "rules";
};

// The evidence of a stored finding, each value with the upload, file and line it came from.
Json explained_evidence(const store::Store& db, const std::string& evidence) {
  auto parsed = nlohmann::json::parse(evidence, nullptr, false);
  Json ev = Json::array();
  if (!parsed.is_array()) return ev;
  for (const auto& e : parsed) {
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
  return ev;
}

void print_explain_text(Context& ctx, const store::StoredFinding& f, const rules::Rule* rule,
                        const std::string& rules_dir, const std::string& fix, const Json& ev) {
  auto& out = ctx.out;
  out << f.fingerprint << "  " << f.severity << "  " << f.rule;
  if (rule) out << " — " << rule->title;
  out << "\n  " << model::printable(f.subject) << " (" << f.period << "), " << (f.status == "carried_over" ? "carried over" : f.status) << ": "
      << model::printable(f.message) << "\n";
  if (rule && !rule->description.empty()) out << "\nWhy: " << rule->description << "\n";
  out << "\nFix: " << (rule ? fix : "(the rule is no longer in " + rules_dir + ")") << "\n";
  if (!ev.empty()) out << "\nEvidence:\n";
  for (const auto& e : ev) {
    out << "  " << model::printable(e["name"].get<std::string>()) << ": "
        << model::printable(e["value"].get<std::string>());
    if (e.contains("file_name"))
      out << "  (upload " << e["upload_id"].get<std::int64_t>() << ", "
          << e["file_name"].get<std::string>()
          << (e.contains("line") ? ":" + std::to_string(e["line"].get<std::int64_t>()) : "") << ", from "
          << e["org"].get<std::string>() << ", received " << e["received_on"].get<std::string>() << ")";
    out << "\n";
  }
}

int run_explain(Context& ctx, const ExplainArgs& args) {
  auto s = open(ctx, {.db = Needs::Db::read});
  auto f = s.db->find_finding(args.fingerprint);
  if (!f)
    throw UsageError("no finding with fingerprint " + model::quote(args.fingerprint) +
                     " (or the prefix is ambiguous); see 'jvap check'");
  // The rule's title, description and fix, when the rules still load (explaining needs no rules).
  auto r = rules::load(data_folder(args.rules, "rules"));
  const rules::Rule* rule = nullptr;
  if (r.rules)
    for (const auto& x : r.rules->rules)
      if (x.id == f->rule) rule = &x;
  Json ev = explained_evidence(*s.db, f->evidence);
  const std::string fix = rule ? rules::fix_for(*r.rules, f->rule, f->subject, f->period) : "";
  if (ctx.json()) {
    print_json(ctx, {{"fingerprint", f->fingerprint},
                     {"rule", f->rule},
                     {"title", rule ? Json(rule->title) : Json()},
                     {"severity", f->severity},
                     {"status", f->status},
                     {"subject", f->subject},
                     {"period", f->period},
                     {"message", f->message},
                     {"fix", rule ? Json(fix) : Json()},
                     {"description", rule ? Json(rule->description) : Json()},
                     {"evidence", ev}});
    return kOk;
  }
  print_explain_text(ctx, *f, rule, args.rules, fix, ev);
  return kOk;
}

// ---- rules test ----

int run_rules_test(Context& ctx, const CheckArgs& args) {
  auto s = open(ctx, {.rules = args.rules});
  auto report = rules::run_tests(data_folder(args.rules, "rules"), *s.rules);
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

void add_rules_option(CLI::App& app, std::string& target) {
  app.add_option("--rules", target, "Rules folder")->capture_default_str()->type_name("DIR");
}

void add_period_option(CLI::App& app, std::string& target, const std::string& help) {
  app.add_option("--period", target, help)->required()->type_name("PERIOD");
}

}  // namespace

CommandSpec check_command() {
  return {"check", "Evaluate the rules for a period; store the run and print the findings",
          {"text", "json", "csv"},
          [](CLI::App& app) -> Runner {
            auto args = std::make_shared<CheckArgs>();
            add_period_option(app, args->period, "The reporting period to check");
            add_rules_option(app, args->rules);
            app.add_option("--fail-on", args->fail_on, "Exit 1 when findings at or above this exist")
                ->capture_default_str()
                ->check(CLI::IsMember({"error", "warning", "info", "never"}));
            app.add_flag("--no-store", args->no_store,
                         "Evaluate without recording a run (statuses still compare with the last stored one)");
            app.add_option("--rule-timeout", args->rule_timeout,
                           "Stop a rule whose query runs longer than this many seconds")
                ->capture_default_str()
                ->check(CLI::Range(1, 86400));
            return [args](Context& c) { return run_check(c, *args); };
          },
          ""};
}

CommandSpec explain_command() {
  return {"explain", "Show a finding: its rule, the fix, and the evidence with its source",
          {"text", "json"},
          [](CLI::App& app) -> Runner {
            auto args = std::make_shared<ExplainArgs>();
            app.add_option("fingerprint", args->fingerprint, "Fingerprint (or a unique prefix)")->required();
            add_rules_option(app, args->rules);
            return [args](Context& c) { return run_explain(c, *args); };
          },
          ""};
}

CommandSpec rules_test_command() {
  return {"rules test", "Run every rule's test cases (rules/tests/)", {"text", "json"},
          [](CLI::App& app) -> Runner {
            auto args = std::make_shared<CheckArgs>();
            add_rules_option(app, args->rules);
            return [args](Context& c) { return run_rules_test(c, *args); };
          },
          ""};
}

}  // namespace jvap::cli
