// The example in docs/plan-format.md must stay a valid plan.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "plan/plan.hpp"

TEST_CASE("the example in docs/plan-format.md loads", "[plan][docs]") {
  std::ifstream in(std::string(JVAP_SOURCE_DIR) + "/docs/plan-format.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  auto start = doc.find("```yaml\n");
  REQUIRE(start != std::string::npos);
  start += 8;
  auto end = doc.find("```", start);
  REQUIRE(end != std::string::npos);
  auto r = jvap::plan::load_sources({{"example.yaml", "example.yaml", doc.substr(start, end - start)}},
                                    "example");
  for (const auto& e : r.errors) FAIL(jvap::model::format(e));
  REQUIRE(r.plan);
  CHECK(r.plan->initiatives.size() == 1);
  CHECK(r.plan->initiatives[0].indicators[0].targets.size() == 2);
}
