// Commitments and work plans: how the plan loader links them, how uploaded progress is checked
// and canonicalised, and what evaluation::progress makes of it (the reading rules and reports
// share), on the small unit-test plan plus a second process with chairs.
#include <catch2/catch.hpp>

#include "evaluation/view.hpp"
#include "ingest/ingest.hpp"
#include "plan_fixture.hpp"
#include "store_helpers.hpp"
#include "temp_dir.hpp"

using namespace jvap;

namespace {

calendar::Date day(const char* s) { return *calendar::parse_date(s); }
calendar::Period period(const char* s) { return *calendar::parse_period(s); }

const char* kWorkFile = R"(processes:
  - id: kp
    name: Test Khartoum Process
    founded: 2014-11-28
    members:
      - {state: ET, region: east_africa}
      - {state: SD, region: east_africa}
    chairs:
      - {state: ET, from: 2024-01-01, to: 2024-12-31}
    secretariat: [IOM]
commitments:
  - {id: C-1, title: Smuggling law, kind: action_plan_action, made_by: [kp], domains: [D4], due: 2025-06-30}
  - {id: C-2, title: Jobs, kind: state_commitment, made_by: [SN], domains: [D1], reporting: [IOM]}
work_plans:
  - id: WP-ET
    process: kp
    chairmanship: 2024-01-01
    activities:
      - {id: A-1, kind: thematic_meeting, title: Meeting, date: 2024-06-12, commitments: [C-1], domains: [D1]}
      - {id: A-2, kind: training, title: Training, from: 2024-10-01, to: 2024-10-05}
      - {id: A-3, kind: study, title: Study, from: 2024-09-01, to: 2024-12-31}
)";

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::Store> db;
  model::Plan plan;

  Fixture() {
    dir.write("plans/base.yaml", test::kBaseFile);
    dir.write("plans/initiatives.yaml",
              test::edit(test::kInitiativesFile, "    reporting: [IOM]\n", "    reporting: [IOM]\n    commitments: [C-2]\n"));
    dir.write("plans/work.yaml", kWorkFile);
    db = std::make_unique<store::Store>(dir / "jvap.db", store::Access::write);
    auto loaded = db->load_plan(dir / "plans");
    REQUIRE(loaded.errors.empty());
    plan = *loaded.plan;
  }
  ingest::Result put(const std::string& name, const char* received, const std::string& rows) {
    auto path = dir.write(name, "initiative,period,measure,value,comment\n" + rows);
    ingest::Options o{"IOM", day(received), day("2025-03-01"), false, {}};
    return ingest::ingest_file(*db, plan, path, o);
  }
  evaluation::Progress progress(const char* last, const char* known_on = "2025-03-01") {
    return evaluation::progress(*db, plan, period(last), day("2025-03-01"), day(known_on));
  }
};

}  // namespace

TEST_CASE("work: the loader links commitments, chairs and domains", "[work]") {
  Fixture f;
  REQUIRE(f.plan.commitments.size() == 2);
  CHECK(f.plan.commitment("C-1")->reporting == std::vector<std::string>{"IOM"});  // kp's secretariat
  CHECK(f.plan.commitment("C-1")->initiatives.empty());
  CHECK(f.plan.commitment("C-2")->initiatives == std::vector<std::string>{"I-1"});
  const auto& w = f.plan.work_plans.at(0);
  CHECK(w.chair == "ET");
  CHECK(w.from == day("2024-01-01"));
  CHECK(w.to == day("2024-12-31"));
  CHECK(w.reporting == std::vector<std::string>{"IOM"});
  // An activity's domains are its own and its commitments', sorted and once each.
  CHECK(f.plan.activity("A-1").second->domains == std::vector<std::string>{"D1", "D4"});
  CHECK(f.plan.activity("A-1").first == &w);
  CHECK(f.plan.activity("nope").second == nullptr);
}

TEST_CASE("work: uploaded progress is checked and kept in canonical form", "[work]") {
  Fixture f;
  auto r = f.put("p.csv", "2025-01-20",
                 "A-1,2024-H1,participants,SD;  ET,\n"
                 "A-1,2024-H1,output.notes,Notes  |  https://example.org/n,\n");
  REQUIRE(r.problems.empty());
  auto p = f.progress("2024-H2");
  const auto& a1 = p.activities.at(0);
  CHECK(a1.participants == std::vector<std::string>{"ET", "SD"});
  REQUIRE(a1.outputs.size() == 1);
  CHECK(a1.outputs[0].title == "Notes");
  CHECK(a1.outputs[0].reference == "https://example.org/n");
  // A wrong value for a commitment is refused, with what is expected.
  auto bad = f.put("bad.csv", "2025-01-20", "C-1,2024-H2,progress,started,\nA-1,2024-H1,participants,ET ,\n");
  REQUIRE(bad.problems.size() == 2);
  CHECK(bad.problems[1].message == "value 'ET ' has leading or trailing spaces");
  CHECK(bad.problems[0].message.find("expected one of: not_started, in_progress, fulfilled, dropped") !=
        std::string::npos);
}

TEST_CASE("work: progress is the latest reported for a period up to the one asked, as known on the date", "[work]") {
  Fixture f;
  REQUIRE(f.put("a.csv", "2024-08-01", "C-1,2024-H1,progress,in_progress,\n").problems.empty());
  REQUIRE(f.put("b.csv", "2025-02-01", "C-1,2024-H2,progress,fulfilled,\n").problems.empty());
  auto now = f.progress("2024-H2");
  CHECK(now.commitments.at(0).progress == "fulfilled");
  CHECK(now.commitments.at(0).progress_period == period("2024-H2"));
  CHECK_FALSE(now.commitments.at(0).overdue);  // due 2025-06-30, fulfilled anyway
  // For the earlier period, the later report does not count; nor, known on an earlier date, the
  // upload received after it.
  CHECK(f.progress("2024-H1").commitments.at(0).progress == "in_progress");
  CHECK(f.progress("2024-H2", "2025-01-01").commitments.at(0).progress == "in_progress");
  CHECK(now.commitments.at(1).progress.empty());
  CHECK_FALSE(now.commitments.at(1).last_reported);
}

TEST_CASE("work: activity states from outcomes and dates", "[work]") {
  Fixture f;
  using S = evaluation::ActivityState;
  auto states = [&] {
    std::vector<S> out;
    for (const auto& a : f.progress("2024-H2").activities) out.push_back(a.state);
    return out;
  };
  // As of 2025-03-01 every date has passed and nothing is reported.
  CHECK(states() == std::vector<S>{S::not_held, S::not_held, S::not_held});
  REQUIRE(f.put("a.csv", "2025-01-20",
                "A-1,2024-H1,outcome,held,\nA-1,2024-H1,held_on,2024-06-12,\n"
                "A-2,2024-H2,outcome,postponed,\nA-2,2024-H2,postponed_to,2025-05-01,\n"
                "A-3,2024-H2,outcome,cancelled,\n")
              .problems.empty());
  CHECK(states() == std::vector<S>{S::held, S::postponed, S::cancelled});
  // Postponed to a date that has passed, with no outcome since: not held.
  REQUIRE(f.put("b.csv", "2025-01-25", "A-2,2024-H2,postponed_to,2025-02-01,\n").problems.empty());
  CHECK(f.progress("2024-H2").activities.at(1).state == S::not_held);
}
