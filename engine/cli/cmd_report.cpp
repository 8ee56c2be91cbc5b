// `jvap report`: the joint, process, domain and partner reports in HTML, Markdown, XLSX, JSON or
// PDF.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/output.hpp"
#include "model/text.hpp"
#include "report/report.hpp"

#include <spdlog/spdlog.h>

#ifndef JVAP_VERSION
#define JVAP_VERSION "0.0.0"
#endif

namespace jvap::cli {

namespace {

struct ReportArgs {
  std::string period;
  std::string scope = "joint";  // joint or a process id
  std::string domain, partner;
  std::string work_plan, term;  // --work-plan PROCESS [--term WORK_PLAN|DATE]
  std::string as_known_on;
  std::string rules = "rules";
  std::string templates = "reports";
  std::string notes;
  std::string output;
  int trend = 4;
  bool verified_only = false;
};

std::string size_text(const std::filesystem::path& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  if (ec) return "";
  if (n < 10 * 1024) return std::to_string(n) + " bytes";
  if (n < 10 * 1024 * 1024) return std::to_string(n / 1024) + " KiB";
  return std::to_string(n / (1024 * 1024)) + " MiB";
}

// The work plan of --work-plan PROCESS: the one --term names (its id, or a date in its term), or
// the one current at the end of the period (on the as-of date, if earlier).
void choose_work_plan(const ReportArgs& args, const model::Plan& plan, report::Request& req) {
  std::vector<std::string> ids, processes;
  for (const auto& p : plan.processes) processes.push_back(p.id);
  if (!plan.process(args.work_plan))
    throw UsageError("report: --work-plan " + model::quote(args.work_plan) + " is not a process of the plan" +
                     model::did_you_mean(args.work_plan, processes));
  std::vector<const model::WorkPlan*> own;
  for (const auto& w : plan.work_plans)
    if (w.process == args.work_plan) {
      own.push_back(&w);
      ids.push_back(w.id + " (" + calendar::to_string(w.from) + " to " + (w.to ? calendar::to_string(*w.to) : "open") + ")");
    }
  if (own.empty())
    throw UsageError("report: process " + model::quote(args.work_plan) + " has no work plan in the plan (work_plans)");
  auto on = calendar::parse_date(args.term);
  calendar::Date day = on ? *on : std::min(calendar::end_of(req.period), req.as_of);
  const model::WorkPlan* chosen = nullptr;
  for (const auto* w : own)
    if ((args.term.empty() || on) ? w->covers(day) : w->id == args.term) chosen = w;
  if (!chosen)
    throw UsageError("report: " + (args.term.empty() ? "no work plan of " + args.work_plan + " covers " + calendar::to_string(day)
                                                     : "--term " + model::quote(args.term) + " is neither a work plan of " +
                                                           args.work_plan + " nor a date in one of their terms") +
                     "; its work plans: " + [&] {
                       std::string out;
                       for (const auto& i : ids) out += (out.empty() ? "" : ", ") + i;
                       return out;
                     }() + (args.term.empty() ? "; choose one with --term" : ""));
  req.kind = report::Kind::work_plan;
  req.process = args.work_plan;
  req.work_plan = chosen->id;
}

// The report asked for: its kind and scope, checked against the plan.
void choose_scope(const ReportArgs& args, const model::Plan& plan, report::Request& req) {
  auto names = [](const auto& list) {
    std::vector<std::string> out;
    for (const auto& x : list) out.push_back(x.id);
    return out;
  };
  if (args.scope != "joint") {
    if (!plan.process(args.scope))
      throw UsageError("report: --scope " + model::quote(args.scope) +
                       " is neither 'joint' nor a process of the plan" +
                       model::did_you_mean(args.scope, names(plan.processes)));
    req.kind = report::Kind::process;
    req.process = args.scope;
  }
  if (!args.domain.empty()) {
    if (!plan.domain(args.domain))
      throw UsageError("report: --domain " + model::quote(args.domain) + " is not a domain of the plan" +
                       model::did_you_mean(args.domain, names(plan.domains)));
    req.kind = report::Kind::domain;
    req.domain = args.domain;
  }
  if (!args.partner.empty()) {
    bool reports = std::any_of(plan.initiatives.begin(), plan.initiatives.end(),
                               [&](const auto& i) { return i.reports_by(args.partner); });
    if (!plan.organisation(args.partner) && !reports)
      throw UsageError("report: --partner " + model::quote(args.partner) + model::invisible_note(args.partner) +
                       " is not an organisation of the plan" +
                       model::did_you_mean(args.partner, names(plan.organisations)));
    req.kind = report::Kind::partner;
    req.partner = args.partner;
  }
  if (!args.work_plan.empty()) choose_work_plan(args, plan, req);
}

// Checks what needs no plan: the format and the output, one scope, the dates.
void check_options(Context& ctx, const ReportArgs& args) {
  if (!report::find_format(ctx.format)->render && args.output.empty())
    throw UsageError("report: --format " + ctx.format + " writes a file; give it with -o PATH");
  int chosen = (args.scope != "joint") + !args.domain.empty() + !args.partner.empty() + !args.work_plan.empty();
  if (chosen > 1)
    throw UsageError("report: give one of --scope (other than joint), --domain, --partner or --work-plan");
  if (!args.term.empty() && args.work_plan.empty())
    throw UsageError("report: --term chooses the work plan of --work-plan PROCESS; give --work-plan too");
  // --as-known-on alone means "the report as it stood on that date": as of that date too.
  if (!args.as_known_on.empty()) {
    auto known_on = *calendar::parse_date(args.as_known_on);
    if (ctx.opts.as_of.empty()) ctx.as_of = known_on;
    if (known_on > ctx.as_of)
      throw UsageError("report: --as-known-on " + args.as_known_on + " is after the as-of date " +
                       calendar::to_string(ctx.as_of));
  }
}

// Renders the report in the chosen format and writes it (with a partner's owed rows beside it).
int write_report(Context& ctx, const ReportArgs& args, const report::Report& r) {
  const auto& format = *report::find_format(ctx.format);
  std::filesystem::path out = args.output;
  if (out.empty()) {
    ctx.out << format.render(r, data_folder(args.templates, "reports"));
    return kOk;
  }
  Output main(out);
  std::optional<Output> owed;
  std::filesystem::path csv = out;
  csv.replace_extension(".owed.csv");
  if (!r.owed_csv.empty()) owed.emplace(csv);
  if (format.write) {
    // A slow format (PDF through Chromium) says so on a terminal.
    bool tty = !format.slow.empty() && !ctx.opts.quiet && ::isatty(STDERR_FILENO);
    if (tty) ctx.err << "jvap: " << format.slow << " ..." << std::flush;
    std::vector<std::string> warnings;
    try {
      warnings = format.write(r, data_folder(args.templates, "reports"), main.temp());
    } catch (...) {
      if (tty) ctx.err << "\n";
      throw;
    }
    if (tty) ctx.err << "\r\x1b[K" << std::flush;
    for (const auto& w : warnings) ctx.err << "jvap: warning: " << w << "\n";
  } else {
    main.write(format.render(r, data_folder(args.templates, "reports")));
  }
  if (owed) owed->write(r.owed_csv);
  main.commit();
  if (owed) owed->commit();
  if (!ctx.opts.quiet) ctx.out << "wrote " << out.string() << " (" << size_text(out) << ")\n";
  if (owed && !ctx.opts.quiet)
    ctx.out << "wrote " << csv.string() << " (the rows " << args.partner << " still owes for "
            << args.period << ", to complete and upload)\n";
  return kOk;
}

int run_report(Context& ctx, const ReportArgs& args) {
  check_options(ctx, args);
  auto s = open(ctx, {.db = Needs::Db::read, .plan = true, .rules = args.rules, .done = "reported"});
  report::Request req;
  req.period = checked_period(ctx, *s.plan, args.period);
  req.as_of = ctx.as_of;
  req.known_on = args.as_known_on.empty() ? ctx.as_of : *calendar::parse_date(args.as_known_on);
  req.trend_periods = args.trend;
  req.version = JVAP_VERSION;
  req.verified_only = args.verified_only;
  if (args.verified_only) s.db->set_verified_only(req.known_on);
  choose_scope(args, *s.plan, req);
  if (!args.notes.empty()) req.notes = report::read_notes(args.notes, *s.plan);

  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  auto ms = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0).count(); };
  auto findings = report::gather_findings(*s.db, *s.plan, *s.rules, req);
  spdlog::debug("findings: {} ({} ms)", findings.source, ms());
  auto r = report::build(*s.db, *s.plan, *s.rules, req, findings);
  spdlog::debug("report built ({} ms)", ms());
  return write_report(ctx, args, r);
}

}  // namespace

CommandSpec report_command() {
  return {"report",
          "Write the joint, process, domain, partner or work-plan report for a period as HTML, "
          "Markdown, XLSX, JSON or PDF",
          [] {
            std::vector<std::string> names;
            for (const auto& f : report::formats()) names.push_back(f.name);
            return names;
          }(),
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<ReportArgs>();
            app.add_option("--period", a->period, "The reporting period")->required()->type_name("PERIOD");
            app.add_option("--scope", a->scope, "joint, or a process id (rabat, khartoum)")
                ->capture_default_str()
                ->type_name("SCOPE");
            app.add_option("--domain", a->domain, "A domain report (D1..D5)")->type_name("DOMAIN");
            app.add_option("--partner", a->partner,
                           "A feedback pack for this organisation, with the rows it still owes")
                ->type_name("ORG");
            app.add_option("--work-plan", a->work_plan,
                           "A work-plan report for the Chair and Steering Committee of this process")
                ->type_name("PROCESS");
            app.add_option("--term", a->term,
                           "With --work-plan: a work plan id, or a date in its term (default: the one "
                           "current at the end of the period)")
                ->type_name("TERM");
            add_date_option(app, "--as-known-on", a->as_known_on,
                            "Records as they stood on this date (default: the as-of date; given "
                            "alone, the as-of date too)");
            app.add_option("--rules", a->rules, "Rules folder")->capture_default_str()->type_name("DIR");
            app.add_option("--templates", a->templates, "Report templates folder")
                ->capture_default_str()
                ->type_name("DIR");
            app.add_option("--notes", a->notes,
                           "Secretariat notes: Markdown with one '## <section>' heading per section "
                           "(summary, D1..D5, ...)")
                ->type_name("FILE");
            app.add_flag("--verified-only", a->verified_only,
                         "Use only the uploads the secretariat has verified (by the as-known-on date); "
                         "the cover says so");
            app.add_option("--trend", a->trend, "Periods in the trend section")
                ->capture_default_str()
                ->check(CLI::Range(1, 40));
            app.add_option("-o,--output", a->output,
                           "Write to this file (required for xlsx and pdf; default: standard output)")
                ->type_name("PATH");
            return [a](Context& c) { return run_report(c, *a); };
          },
          "Formats: html (default), md, xlsx, json or pdf (xlsx and pdf need -o).\n"
          "Contents and JSON schema: docs/report-format.md.\n"};
}

}  // namespace jvap::cli
