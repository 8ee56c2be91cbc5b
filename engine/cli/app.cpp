#include "cli/app.hpp"

#include <chrono>
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/commands.hpp"
#include "model/text.hpp"

#ifndef JVAP_VERSION
#define JVAP_VERSION "0.0.0"
#endif

namespace jvap::cli {

namespace {

const char* kExitCodes =
    "Exit codes: 0 success; 1 findings or rejections you asked to fail on; 2 usage or input "
    "error; 3 internal error.\n";

void add_common_options(CLI::App& app, Options& o) {
  app.add_option("--plans", o.plans, "Plan folder (*.yaml, recursively)")
      ->capture_default_str()
      ->type_name("DIR");
  app.add_option("--db", o.db, "SQLite database file")->capture_default_str()->type_name("FILE");
  app.add_option("--as-of", o.as_of, "Evaluate as of this date (default: today)")
      ->type_name("YYYY-MM-DD")
      ->check(CLI::Validator(
          [](std::string& s) {
            return calendar::parse_date(s) ? std::string() : "invalid date '" + s + "'";
          },
          "DATE", "date"));
  app.add_option("--format", o.format, "Output format")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json", "csv", "html", "md", "xlsx", "pdf"}));
  app.add_flag("-v,--verbose", o.verbose, "More log output on stderr (repeat for more)");
  app.add_flag("-q,--quiet", o.quiet, "Only errors on stderr");
}

void setup_logging(const Options& o) {
  spdlog::drop("jvap");
  auto logger = spdlog::stderr_logger_st("jvap");
  logger->set_pattern("jvap: %l: %v");
  spdlog::set_default_logger(logger);
  if (o.quiet) spdlog::set_level(spdlog::level::err);
  else if (o.verbose >= 2) spdlog::set_level(spdlog::level::trace);
  else if (o.verbose == 1) spdlog::set_level(spdlog::level::debug);
  else spdlog::set_level(spdlog::level::warn);
}

// The first word that is neither an option nor an option's value and names no command at its
// level, with the names it could have been. (CLI11 would only say that a subcommand is required.)
struct UnknownCommand {
  std::string word;
  std::vector<std::string> names;
};

std::optional<UnknownCommand> unknown_command(CLI::App& app, int argc, const char* const* argv) {
  CLI::App* level = &app;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") return std::nullopt;
    if (!a.empty() && a[0] == '-') {
      const CLI::Option* opt = nullptr;
      for (CLI::App* l = level; l && !opt; l = l->get_parent())
        opt = l->get_option_no_throw(a.substr(0, a.find('=')));
      if (opt && opt->get_type_size() > 0 && a.find('=') == std::string::npos) ++i;
      continue;
    }
    auto subs = level->get_subcommands({});
    if (subs.empty()) return std::nullopt;
    UnknownCommand u{a, {}};
    CLI::App* next = nullptr;
    for (auto* s : subs) {
      u.names.push_back(s->get_name());
      if (s->get_name() == a) next = s;
    }
    if (!next) return u;
    level = next;
  }
  return std::nullopt;
}

calendar::Date today() {
  return std::chrono::floor<date::days>(std::chrono::system_clock::now());
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"jvap: monitoring engine for the Joint Valletta Action Plan", "jvap"};
  app.footer(kExitCodes);
  app.set_version_flag("--version", std::string("jvap ") + JVAP_VERSION);
  app.require_subcommand(1);
  Options opts;
  add_common_options(app, opts);

  std::function<int(Context&)> command;
  auto sub = [&](CLI::App& parent, const char* name, const char* help) {
    auto* s = parent.add_subcommand(name, help);
    s->fallthrough();
    s->footer(kExitCodes);
    return s;
  };

  auto* plan_cmd = sub(app, "plan", "Check or summarise the plan");
  plan_cmd->require_subcommand(1);
  sub(*plan_cmd, "check", "Validate the plan; print every error as file:line:col: message")
      ->callback([&] { command = run_plan_check; });
  sub(*plan_cmd, "show",
      "Summarise the plan: initiatives per domain, process, kind and country; members per "
      "process")
      ->callback([&] { command = run_plan_show; });

  PeriodsArgs periods;
  auto* periods_cmd = sub(app, "periods", "List reporting periods with start, end and due dates");
  periods_cmd->add_option("--from", periods.from, "First period (default: the calendar's first)")
      ->type_name("PERIOD");
  periods_cmd->add_option("--to", periods.to, "Last period (default: the one containing --as-of)")
      ->type_name("PERIOD");
  periods_cmd->callback([&] { command = [&](Context& c) { return run_periods(c, periods); }; });

  auto date_check = CLI::Validator(
      [](std::string& s) {
        return calendar::parse_date(s) ? std::string() : "invalid date '" + s + "'";
      },
      "DATE", "date");

  IngestArgs ingest;
  auto* ingest_cmd = sub(app, "ingest",
                         "Validate progress records (CSV or JSON) against the plan and store them; "
                         "each file is stored whole or not at all");
  ingest_cmd->add_option("files", ingest.files, "Upload files (.csv or .json)")
      ->required()
      ->type_name("FILE");
  ingest_cmd->add_option("--org", ingest.org, "The reporting organisation uploading the files")
      ->required()
      ->type_name("ORG");
  ingest_cmd->add_option("--received-on", ingest.received_on,
                         "When the files were received (default: the as-of date)")
      ->type_name("YYYY-MM-DD")
      ->check(date_check);
  ingest_cmd->add_flag("--dry-run", ingest.dry_run,
                       "Validate and report what would be new, changed and unchanged; store nothing");
  ingest_cmd->add_option("--wait", ingest.wait_seconds,
                         "Seconds to wait for another writer to finish")
      ->capture_default_str()
      ->check(CLI::Range(0, 3600));
  ingest_cmd->callback([&] { command = [&](Context& c) { return run_ingest(c, ingest); }; });

  sub(app, "uploads", "List every upload: org, file, SHA-256, received date, row counts, outcome")
      ->callback([&] { command = run_uploads; });

  RecordsArgs records;
  auto* records_cmd = sub(app, "records",
                          "Show current record values (or as known on a date) with their source");
  records_cmd->add_option("--initiative", records.initiative, "Only this initiative")->type_name("ID");
  records_cmd->add_option("--period", records.period, "Only this period")->type_name("PERIOD");
  records_cmd->add_option("--measure", records.measure,
                          "Only this measure, or a prefix such as 'indicator.'")
      ->type_name("MEASURE");
  records_cmd->add_option("--as-known-on", records.as_known_on,
                          "Values as they stood on this date (uploads received by then)")
      ->type_name("YYYY-MM-DD")
      ->check(date_check);
  records_cmd->add_option("--limit", records.limit, "At most this many rows")->check(CLI::PositiveNumber);
  records_cmd->callback([&] { command = [&](Context& c) { return run_records(c, records); }; });

  CheckArgs check;
  auto* check_cmd = sub(app, "check",
                        "Evaluate the rules for a period; store the run and print the findings");
  check_cmd->add_option("--period", check.period, "The reporting period to check")
      ->required()
      ->type_name("PERIOD");
  check_cmd->add_option("--rules", check.rules, "Rules folder")->capture_default_str()->type_name("DIR");
  check_cmd->add_option("--fail-on", check.fail_on, "Exit 1 when findings at or above this exist")
      ->capture_default_str()
      ->check(CLI::IsMember({"error", "warning", "info", "never"}));
  check_cmd->callback([&] {
    check.format = opts.format;
    command = [&](Context& c) { return run_check(c, check); };
  });

  auto* completeness_cmd = sub(app, "completeness",
                               "Reporting rates for a period: expected, received and on-time "
                               "reports per process, country, domain and organisation");
  completeness_cmd->add_option("--period", check.period, "The reporting period")
      ->required()
      ->type_name("PERIOD");
  completeness_cmd->callback([&] { command = [&](Context& c) { return run_completeness(c, check); }; });

  ExplainArgs explain;
  auto* explain_cmd = sub(app, "explain",
                          "Show a finding: its rule, the fix, and the evidence with its source");
  explain_cmd->add_option("fingerprint", explain.fingerprint, "Fingerprint (or a unique prefix)")
      ->required();
  explain_cmd->add_option("--rules", explain.rules, "Rules folder")->capture_default_str()->type_name("DIR");
  explain_cmd->callback([&] { command = [&](Context& c) { return run_explain(c, explain); }; });

  auto* rules_cmd = sub(app, "rules", "Work with the rule set");
  rules_cmd->require_subcommand(1);
  auto* rules_test_cmd = sub(*rules_cmd, "test", "Run every rule's test cases (rules/tests/)");
  rules_test_cmd->add_option("--rules", check.rules, "Rules folder")->capture_default_str()->type_name("DIR");
  rules_test_cmd->callback([&] { command = [&](Context& c) { return run_rules_test(c, check); }; });

  ReportArgs report;
  bool reporting = false;
  auto* report_cmd = sub(app, "report",
                         "Write the joint, process, domain or partner report for a period as HTML, "
                         "Markdown, XLSX, JSON or PDF");
  report_cmd->footer(std::string("Format: --format html (default), md, xlsx, json or pdf (xlsx and pdf need -o).\n"
                                 "Also: --plans DIR, --db FILE, --as-of DATE (see jvap --help). "
                                 "Contents and JSON schema: docs/report-format.md.\n") +
                     kExitCodes);
  report_cmd->add_option("--period", report.period, "The reporting period")->required()->type_name("PERIOD");
  report_cmd->add_option("--scope", report.scope, "joint, or a process id (rabat, khartoum)")
      ->capture_default_str()
      ->type_name("SCOPE");
  report_cmd->add_option("--domain", report.domain, "A domain report (D1..D5)")->type_name("DOMAIN");
  report_cmd->add_option("--partner", report.partner,
                         "A feedback pack for this organisation, with the rows it still owes")
      ->type_name("ORG");
  report_cmd->add_option("--as-known-on", report.as_known_on,
                         "Records as they stood on this date (default: the as-of date; given alone, the as-of date too)")
      ->type_name("YYYY-MM-DD")
      ->check(date_check);
  report_cmd->add_option("--rules", report.rules, "Rules folder")->capture_default_str()->type_name("DIR");
  report_cmd->add_option("--templates", report.templates, "Report templates folder")
      ->capture_default_str()
      ->type_name("DIR");
  report_cmd->add_option("--notes", report.notes,
                         "Secretariat notes: Markdown with one '## <section>' heading per section "
                         "(summary, D1..D5, ...)")
      ->type_name("FILE");
  report_cmd->add_option("--trend", report.trend, "Periods in the trend section")
      ->capture_default_str()
      ->check(CLI::Range(1, 40));
  report_cmd->add_option("-o,--output", report.output,
                         "Write to this file (required for xlsx and pdf; default: standard output)")
      ->type_name("PATH");
  report_cmd->callback([&] {
    reporting = true;
    command = [&](Context& c) { return run_report(c, report); };
  });

  if (auto unknown = unknown_command(app, argc, argv)) {
    std::string known;
    for (const auto& n : unknown->names) known += (known.empty() ? "" : ", ") + n;
    err << "jvap: unknown command " << model::quote(unknown->word);
    std::string hint = model::did_you_mean(unknown->word, unknown->names);
    err << (hint.empty() ? " (commands: " + known + ")" : hint)
        << "\nRun with --help for more information.\n";
    return kInputError;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    app.exit(e, out, err);
    return kInputError;
  }

  // html, md, xlsx and pdf are report formats; a report defaults to html.
  if (reporting) {
    report.format = app.get_option("--format")->count() > 0 ? opts.format : "html";
  } else if (opts.format != "text" && opts.format != "json" && opts.format != "csv") {
    err << "jvap: --format " << opts.format << " is a report format; this command prints text, json or csv\n";
    return kInputError;
  }

  setup_logging(opts);
  Context ctx{opts, opts.as_of.empty() ? today() : *calendar::parse_date(opts.as_of), out, err};
  try {
    return command(ctx);
  } catch (const store::StoreError& e) {
    err << "jvap: " << e.what() << "\n";
    return kInputError;
  } catch (const std::filesystem::filesystem_error& e) {
    err << "jvap: " << e.what() << "\n";
    return kInputError;
  } catch (const std::exception& e) {
    err << "jvap: internal error: " << e.what() << "\n";
    return kInternal;
  }
}

}  // namespace jvap::cli
