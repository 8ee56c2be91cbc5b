#include <catch2/catch.hpp>

#include "rules/kinds.hpp"
#include "rules/rules.hpp"
#include "temp_dir.hpp"

using namespace jvap;

TEST_CASE("fingerprints are stable and distinct", "[rules]") {
  auto a = rules::fingerprint("missing-report", "DEMO-P001", "2025-H1");
  CHECK(a.size() == 16);
  CHECK(a == rules::fingerprint("missing-report", "DEMO-P001", "2025-H1"));
  CHECK(a != rules::fingerprint("missing-report", "DEMO-P001", "2025-H2"));
  CHECK(a != rules::fingerprint("missing-report", "DEMO-P0012", "025-H1"));  // no ambiguity
}

TEST_CASE("every built-in kind compiles against the evaluation tables", "[rules]") {
  auto db = store::Store::memory();
  db->prepare_evaluation(model::Plan{}, {*calendar::parse_period("2025-H1"), *calendar::parse_date("2025-09-01"), 2, std::nullopt});
  for (const auto& [kind, params] : rules::kinds()) {
    rules::Rule r;
    r.id = kind;
    r.kind = kind;
    r.scope.domains = {"D1"};
    r.scope.processes = {"rabat"};
    r.scope.kinds = {"project"};
    std::vector<std::string> columns;
    INFO(kind);
    CHECK(db->check_query(rules::detail::kind_sql(r), columns) == "");
    CHECK(columns == std::vector<std::string>{"subject", "period", "message", "evidence"});
  }
}

TEST_CASE("rule SQL must be one read-only query", "[rules]") {
  auto db = store::Store::memory();
  db->prepare_evaluation(model::Plan{}, {*calendar::parse_period("2025-H1"), *calendar::parse_date("2025-09-01"), 2, std::nullopt});
  std::vector<std::string> c;
  CHECK(db->check_query("SELECT 1 AS subject", c) == "");
  CHECK(db->check_query("DELETE FROM upload", c) != "");
  CHECK(db->check_query("SELECT 1; DELETE FROM upload", c) == "only one statement is allowed");
  CHECK(db->check_query("ATTACH 'x.db' AS x", c) != "");
  CHECK(db->check_query("PRAGMA user_version", c) != "");
  CHECK(db->check_query("SELECT * FROM nowhere", c) == "no such table: nowhere");
  CHECK(rules::detail::sql_quote("it's") == "'it''s'");
}

TEST_CASE("rule files: problems are located, waivers validated", "[rules]") {
  test::TempDir dir;
  CHECK(rules::load(dir / "none").errors.at(0).message == "rules folder does not exist");
  dir.write("rules/a.yaml", "rules:\n  - {id: a, title: A, severity: info, fix: f, kind: late_report}\n");
  dir.write("rules/waivers.yaml",
            "waivers:\n  - {rule: a, reason: r, who: w, expires: 2025-01-01}\n"
            "  - {rule: b, subject: x, reason: r, who: w, expires: 2025-01-01}\n"
            "  - {fingerprint: abc, rule: a, subject: x, reason: r, who: w, expires: 2025-13-01}\n");
  auto r = rules::load(dir / "rules");
  REQUIRE(r.errors.size() == 3);
  CHECK(r.errors[0].message == "a waiver names either a 'fingerprint' or a 'rule' and a 'subject'");
  CHECK(r.errors[1].message == "waiver for unknown rule 'b'");
  CHECK(r.errors[2].message == "invalid fingerprint 'abc': expected the 16 hex digits 'jvap check' prints");
  dir.write("rules/waivers.yaml", "waivers: []\n");
  r = rules::load(dir / "rules");
  REQUIRE(r.rules);
  CHECK(r.rules->hash.size() == 64);
  // An empty rule file is an error, not a rule set that resolves every earlier finding.
  dir.write("rules/a.yaml", "");
  r = rules::load(dir / "rules");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "file is empty: expected a 'rules' list");
  CHECK_FALSE(r.rules);
}
