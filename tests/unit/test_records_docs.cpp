// The upload examples in docs/records-format.md are accepted against the plan example of
// docs/plan-format.md.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "ingest/ingest.hpp"
#include "temp_dir.hpp"

using namespace jvap;

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string fenced(const std::string& doc, const std::string& lang) {
  auto start = doc.find("```" + lang + "\n");
  REQUIRE(start != std::string::npos);
  start += 4 + lang.size();
  return doc.substr(start, doc.find("```", start) - start);
}

}  // namespace

TEST_CASE("the upload examples in docs/records-format.md are accepted", "[ingest][docs]") {
  std::string dir = JVAP_SOURCE_DIR;
  test::TempDir tmp;
  tmp.write("plans/example.yaml", fenced(read(dir + "/docs/plan-format.md"), "yaml"));
  auto records = read(dir + "/docs/records-format.md");
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
  CHECK(db.count_versions() == 7);
}
