#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "evaluation/view.hpp"
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
  evaluation::create_tables(*db);
  for (const auto& kind : rules::detail::kind_table()) {
    rules::Rule r;
    r.id = kind.name;
    r.kind = kind.name;
    r.scope.domains = {"D1"};
    r.scope.processes = {"rabat"};
    r.scope.kinds = {"project"};
    INFO(kind.name);
    CHECK(db->check_query(rules::detail::kind_sql(r)) ==
          std::vector<std::string>{"subject", "period", "message", "evidence"});
    CHECK(rules::detail::lookback(r) >= 1);
    for (const auto& p : kind.params) CHECK(rules::detail::KindRule(r).param(p.name) == p.default_value);
  }
  // The table is sorted by name and names each kind once.
  auto names = rules::kind_names();
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(std::adjacent_find(names.begin(), names.end()) == names.end());
}

TEST_CASE("rule SQL must be one read-only query", "[rules]") {
  auto db = store::Store::memory();
  evaluation::create_tables(*db);
  auto problem = [&](const std::string& sql) -> std::string {
    try {
      db->check_query(sql);
      return "";
    } catch (const store::QueryError& e) {
      return e.what();
    }
  };
  CHECK(problem("SELECT 1 AS subject") == "");
  CHECK(problem("DELETE FROM upload") != "");
  CHECK(problem("SELECT 1; DELETE FROM upload") == "only one statement is allowed");
  CHECK(problem("ATTACH 'x.db' AS x") != "");
  CHECK(problem("PRAGMA user_version") != "");
  CHECK(problem("SELECT * FROM nowhere") == "no such table: nowhere");
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

TEST_CASE("every default rule's fix text renders with its placeholders filled", "[rules]") {
  auto r = rules::load(std::filesystem::path(JVAP_SOURCE_DIR) / "rules");
  REQUIRE(r.rules);
  auto sample = [](rules::detail::Subject s) -> std::string {
    switch (s) {
      case rules::detail::Subject::initiative: return "R-01";
      case rules::detail::Subject::initiative_measure: return "R-01/milestone.M2";
      case rules::detail::Subject::priority: return "D1.P1";
      case rules::detail::Subject::member_domain: return "rabat/SN/D2";
      case rules::detail::Subject::commitment: return "D2.PI1";
      case rules::detail::Subject::activity: return "KP25-TM1";
      case rules::detail::Subject::chairmanship: return "khartoum/EG/2024-04-01";
      case rules::detail::Subject::process_domain: return "khartoum/D5";
      case rules::detail::Subject::any: return "X";
    }
    return "";
  };
  for (const auto& rule : r.rules->rules) {
    INFO(rule.id);
    const auto* kind = rules::detail::find_kind(rule.kind);
    auto subject = sample(kind ? kind->subject : rules::detail::Subject::any);
    auto fix = rules::fix_for(*r.rules, rule.id, subject, "2026-H1");
    CHECK_FALSE(fix.empty());
    CHECK(fix.find_first_of("{}<>") == std::string::npos);
    if (rule.fix.find("{measure}") != std::string::npos) CHECK(fix.find("milestone.M2") != std::string::npos);
    if (rule.fix.find("{initiative}") != std::string::npos) CHECK(fix.find("R-01") != std::string::npos);
    if (rule.fix.find("{commitment}") != std::string::npos) CHECK(fix.find("D2.PI1") != std::string::npos);
    if (rule.fix.find("{activity}") != std::string::npos) CHECK(fix.find("KP25-TM1") != std::string::npos);
  }
  CHECK(rules::fix_for(*r.rules, "missing-report", "R-01", "2026-H1") ==
        "Upload the report of R-01 for 2026-H1 (the status and every measure the finding lists as "
        "required) with 'jvap ingest'.");
}

TEST_CASE("a fix text may only use the placeholders its findings fill", "[rules]") {
  test::TempDir dir;
  auto load = [&](const std::string& kind, const std::string& fix) {
    dir.write("rules/a.yaml", "rules:\n  - {id: a, title: A, severity: info, fix: \"" + fix + "\", kind: " + kind + "}\n");
    return rules::load(dir / "rules");
  };
  CHECK(load("milestone_overdue", "Report {measure} of {initiative} for {period} ({subject})").rules);
  auto bad = load("uncovered_priority", "Ask {initiative}");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].message ==
        "unknown placeholder '{initiative}' in the fix text; this rule's findings fill {subject}, {period}");
  CHECK(bad.errors[0].line == 2);
  bad = load("late_report", "Report milestone.<id> {oops");
  REQUIRE(bad.errors.size() == 1);
  CHECK(bad.errors[0].message.rfind("unclosed '{' in the fix text", 0) == 0);
}
