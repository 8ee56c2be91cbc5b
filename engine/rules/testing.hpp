// Rule tests: every rule in rules/ ships with cases (records over a small test plan, and the
// findings expected), including one where it fires and one where it stays silent. Run by
// `jvap rules test` and by tools/test.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "rules/rules.hpp"

namespace jvap::rules {

struct CaseResult {
  std::string rule;
  std::string name;
  bool passed = false;
  std::string detail;  // what differed
};

struct TestReport {
  std::vector<CaseResult> cases;
  std::vector<model::Diagnostic> errors;  // broken test files, rules without cases
  bool passed() const;
};

// Runs rules/tests/<rule-id>.yaml for every rule in `rules`, over the plan in rules/tests/plan.
TestReport run_tests(const std::filesystem::path& rules_dir, const RuleSet& rules);

}  // namespace jvap::rules
