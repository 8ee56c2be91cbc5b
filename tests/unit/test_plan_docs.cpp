// The example in docs/plan-format.md must stay a valid plan.
#include <catch2/catch.hpp>

#include "docs_example.hpp"
#include "plan/plan.hpp"

TEST_CASE("the example in docs/plan-format.md loads", "[plan][docs]") {
  auto yaml = jvap::test::fenced(jvap::test::read_doc("docs/plan-format.md"), "yaml");
  auto r = jvap::plan::load_sources({{"example.yaml", "example.yaml", yaml}}, "example");
  for (const auto& e : r.errors) FAIL(jvap::model::format(e));
  REQUIRE(r.plan);
  CHECK(r.plan->initiatives.size() == 1);
  CHECK(r.plan->initiatives[0].indicators[0].targets.size() == 2);
  CHECK(r.plan->commitments.at(0).initiatives == std::vector<std::string>{"EX-001"});
  CHECK(r.plan->work_plans.at(0).activities.at(0).domains == std::vector<std::string>{"D3"});
}
