// Internal to the CLI: one function per command; each returns the process exit code.
#pragma once

#include <string>
#include <vector>

#include "store/store.hpp"

#include "cli/context.hpp"

namespace jvap::cli {

Json to_json(const store::UploadInfo& u);

int run_plan_check(Context& ctx);
int run_plan_show(Context& ctx);

struct PeriodsArgs {
  std::string from;  // period ids; empty = the calendar's first / the period containing --as-of
  std::string to;
};
int run_periods(Context& ctx, const PeriodsArgs& args);

struct IngestArgs {
  std::vector<std::string> files;
  std::string org;
  std::string received_on;  // empty = the as-of date
  bool dry_run = false;
  int wait_seconds = 60;
};
int run_ingest(Context& ctx, const IngestArgs& args);

int run_uploads(Context& ctx);

struct RecordsArgs {
  std::string initiative, period, measure, as_known_on;
  std::int64_t limit = 0;
};
int run_records(Context& ctx, const RecordsArgs& args);

struct CheckArgs {
  std::string period;
  std::string rules = "rules";
  std::string format = "text";  // text | json | csv (check only)
  std::string fail_on = "error";
};
int run_check(Context& ctx, const CheckArgs& args);
int run_completeness(Context& ctx, const CheckArgs& args);
int run_rules_test(Context& ctx, const CheckArgs& args);

struct ExplainArgs {
  std::string fingerprint;
  std::string rules = "rules";
};
int run_explain(Context& ctx, const ExplainArgs& args);

struct ReportArgs {
  std::string period;
  std::string scope = "joint";  // joint or a process id
  std::string domain, partner;
  std::string as_known_on;
  std::string rules = "rules";
  std::string templates = "reports";
  std::string notes;
  std::string output;
  std::string format = "html";
  int trend = 4;
};
int run_report(Context& ctx, const ReportArgs& args);

}  // namespace jvap::cli
