// The example rules in docs/rules-format.md load and find what they should over the rule test plan.
#include <catch2/catch.hpp>

#include <algorithm>

#include "docs_example.hpp"
#include "rules/rules.hpp"
#include "temp_dir.hpp"

using namespace jvap;

TEST_CASE("the example rules in docs/rules-format.md load and run", "[rules][docs]") {
  std::string src = JVAP_SOURCE_DIR;
  test::TempDir dir;
  dir.write("rules/example.yaml", test::fenced(test::read_doc("docs/rules-format.md"), "yaml"));
  auto loaded = rules::load(dir / "rules");
  for (const auto& e : loaded.errors) FAIL(model::format(e));
  REQUIRE(loaded.rules);
  REQUIRE(loaded.rules->rules.size() == 2);

  store::Store db(dir / "jvap.db", store::Access::write);
  auto plan = db.load_plan(src + "/rules/tests/plan");
  REQUIRE(plan.plan);
  auto run = rules::evaluate(db, *plan.plan, *loaded.rules, *calendar::parse_period("2025-H1"),
                             *calendar::parse_date("2025-09-01"));
  std::vector<std::string> got;
  for (const auto& f : run.findings) got.push_back(f.rule + " " + f.subject);
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<std::string>{"large-project-without-indicators T-3",
                                        "rabat-project-missing-report T-1",
                                        "rabat-project-missing-report T-3"});
}
