#include "rules/testing.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "ingest/ingest.hpp"
#include "model/text.hpp"
#include "yaml/reader.hpp"

namespace jvap::rules {

namespace fs = std::filesystem;
using yaml::FileContext;
using yaml::MapReader;

bool TestReport::passed() const {
  return errors.empty() && std::all_of(cases.begin(), cases.end(), [](const auto& c) { return c.passed; });
}

namespace {

struct Upload {
  std::string org;
  calendar::Date received_on;
  std::string rows;
};

struct Case {
  std::string name;
  calendar::Period period;
  calendar::Date as_of;
  std::vector<Upload> uploads;
  std::vector<std::string> expect;  // subjects
  model::SourceLoc loc;
};

class Scratch {
 public:
  Scratch() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("jvap-rules-test-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

std::vector<Case> parse_cases(const fs::path& file, std::vector<model::Diagnostic>& errors) {
  std::vector<Case> out;
  std::string label = file.generic_string();
  FileContext ctx(label, errors);
  std::ifstream in(file);
  std::stringstream ss;
  ss << in.rdbuf();
  auto doc = yaml::load_document(ctx, ss.str());
  if (!doc) return out;
  YAML::Node root = *doc;
  MapReader r(ctx, root, "a rule test file", {"cases"});
  auto list = r.list("cases", true);
  if (!list) return out;
  for (const auto& n : *list) {
    MapReader c(ctx, n, "test case", {"name", "period", "as_of", "uploads", "expect"});
    if (!c.ok()) continue;
    Case tc;
    tc.loc = c.loc();
    auto name = c.text("name", true);
    auto period = c.text("period", true);
    auto as_of = c.date("as_of", true);
    if (period && !calendar::parse_period(*period))
      ctx.error(c.get("period", false), "invalid period " + model::quote(*period));
    if (auto ups = c.list("uploads", false))
      for (const auto& u : *ups) {
        MapReader ur(ctx, u, "upload", {"org", "received_on", "rows"});
        auto org = ur.id("org", true);
        auto received = ur.date("received_on", true);
        auto rows = ur.text("rows", true);
        if (org && received && rows) tc.uploads.push_back({*org, *received, *rows});
      }
    auto expect = c.get("expect", true);
    if (expect.IsDefined() && !expect.IsSequence())
      ctx.error(expect, "expected 'expect' to be a list of subjects ([] for none)");
    else if (expect.IsDefined())
      for (const auto& e : expect)
        if (auto s = yaml::scalar(ctx, e, "a subject")) tc.expect.push_back(*s);
    if (!name || !period || !as_of || !calendar::parse_period(*period)) continue;
    tc.name = *name;
    tc.period = *calendar::parse_period(*period);
    tc.as_of = *as_of;
    out.push_back(std::move(tc));
  }
  return out;
}

CaseResult run_case(const fs::path& plan_dir, const RuleSet& rules, const Rule& rule, const Case& c) {
  CaseResult result{rule.id, c.name, false, ""};
  Scratch scratch;
  store::Store db(scratch.path() / "test.db", store::Access::write);
  auto plan = db.load_plan(plan_dir);
  if (!plan.plan) {
    result.detail = "the test plan has errors";
    return result;
  }
  int n = 0;
  for (const auto& u : c.uploads) {
    auto file = scratch.path() / ("upload-" + std::to_string(++n) + ".csv");
    std::ofstream(file) << u.rows;
    ingest::Options o{u.org, u.received_on, c.as_of, false, {}};
    auto r = ingest::ingest_file(db, *plan.plan, file, o);
    if (r.upload.outcome == store::Outcome::rejected) {
      result.detail = "upload " + std::to_string(n) + " was rejected: " +
                      (r.problems.empty() ? "" : ingest::format(file.filename().string(), r.problems[0]));
      return result;
    }
  }
  auto run = evaluate(db, *plan.plan, rules, c.period, c.as_of, {rule.id});
  std::set<std::string> got, want(c.expect.begin(), c.expect.end());
  for (const auto& f : run.findings)
    if (f.status != Status::resolved) got.insert(f.subject);
  result.passed = got == want;
  if (!result.passed) {
    std::string g, w;
    for (const auto& s : got) g += (g.empty() ? "" : ", ") + s;
    for (const auto& s : want) w += (w.empty() ? "" : ", ") + s;
    result.detail = "expected [" + w + "], found [" + g + "]";
  }
  return result;
}

}  // namespace

TestReport run_tests(const fs::path& rules_dir, const RuleSet& rules) {
  TestReport report;
  fs::path tests = rules_dir / "tests";
  fs::path plan_dir = tests / "plan";
  for (const auto& rule : rules.rules) {
    fs::path file = tests / (rule.id + ".yaml");
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      report.errors.push_back({rule.loc.file, rule.loc.line, rule.loc.col,
                               "rule '" + rule.id + "' has no test cases (" + file.generic_string() + ")"});
      continue;
    }
    auto cases = parse_cases(file, report.errors);
    bool fires = std::any_of(cases.begin(), cases.end(), [](const Case& c) { return !c.expect.empty(); });
    bool silent = std::any_of(cases.begin(), cases.end(), [](const Case& c) { return c.expect.empty(); });
    if (!fires || !silent)
      report.errors.push_back({file.generic_string(), 0, 0,
                               "rule '" + rule.id + "' needs a case where it fires and a clean twin "
                               "where it stays silent (expect: [])"});
    for (const auto& c : cases) report.cases.push_back(run_case(plan_dir, rules, rule, c));
  }
  model::sort_unique(report.errors);
  return report;
}

}  // namespace jvap::rules
