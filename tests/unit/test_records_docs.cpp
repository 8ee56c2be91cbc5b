// The upload examples in docs/records-format.md are accepted against the plan example of
// docs/plan-format.md.
#include <catch2/catch.hpp>

#include "docs_example.hpp"
#include "ingest/ingest.hpp"
#include "store_helpers.hpp"
#include "temp_dir.hpp"

using namespace jvap;

using test::fenced;

TEST_CASE("the upload examples in docs/records-format.md are accepted", "[ingest][docs]") {
  test::TempDir tmp;
  tmp.write("plans/example.yaml", fenced(test::read_doc("docs/plan-format.md"), "yaml"));
  auto records = test::read_doc("docs/records-format.md");
  auto csv = tmp.write("example.csv", fenced(records, "csv"));
  auto json = tmp.write("example.json", fenced(records, "json"));
  store::Store db(tmp / "jvap.db", store::Access::write);
  auto plan = db.load_plan(tmp / "plans");
  REQUIRE(plan.plan);
  auto day = *calendar::parse_date("2025-03-01");
  ingest::Options o{"UNHCR", day, day, false, {}};
  for (const auto& file : {csv, json}) {
    auto r = ingest::ingest_file(db, *plan.plan, file, o);
    for (const auto& p : r.problems) FAIL(ingest::format(file.string(), p));
    CHECK(r.upload.outcome == store::Outcome::accepted);
  }
  CHECK(test::count_versions(db) == 7);
}
