// The evaluation view: which version counts on a date, first receipts, disbursed to date,
// achieved milestones, report states and completeness, on the small unit-test plan.
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

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::Store> db;
  model::Plan plan;

  Fixture() {
    dir.write("plans/base.yaml", test::kBaseFile);
    dir.write("plans/initiatives.yaml", test::kInitiativesFile);
    db = std::make_unique<store::Store>(dir / "jvap.db", store::Access::write);
    auto loaded = db->load_plan(dir / "plans");
    REQUIRE(loaded.plan);
    plan = *loaded.plan;
  }
  // Ingests rows (without the header) for I-1 as IOM, received on `received`.
  store::UploadInfo put(const std::string& name, const char* received, const std::string& rows) {
    auto path = dir.write(name, "initiative,period,measure,value,comment\n" + rows);
    ingest::Options o{"IOM", day(received), day("2025-12-31"), false, {}};
    auto r = ingest::ingest_file(*db, plan, path, o);
    REQUIRE(r.problems.empty());
    return r.upload;
  }
  evaluation::View view(const char* first, const char* last, const char* known_on,
                        const char* as_of = "2025-12-31") {
    return evaluation::View(*db, {period(first), period(last), day(as_of), day(known_on)});
  }
};

}  // namespace

TEST_CASE("view: the version received last among those known on the date is the value", "[evaluation]") {
  Fixture f;
  f.put("v1.csv", "2025-01-15", "I-1,2024-H2,indicator.jobs,5,\nI-1,2024-H2,status,ongoing,\n");
  f.put("v2.csv", "2025-02-20", "I-1,2024-H2,indicator.jobs,7,\n");
  // A copy received before v2 but ingested after it: it does not hide the later correction.
  f.put("old.csv", "2025-02-01", "I-1,2024-H2,indicator.jobs,6,\n");
  auto jobs = [&](const char* known_on) {
    auto v = f.view("2024-H2", "2024-H2", known_on);
    const auto* x = v.of("I-1").value(period("2024-H2"), "indicator.jobs");
    return x ? std::string(x->value) : std::string("-");
  };
  CHECK(jobs("2025-01-01") == "-");
  CHECK(jobs("2025-01-15") == "5");
  CHECK(jobs("2025-02-05") == "6");
  CHECK(jobs("2025-03-01") == "7");
  auto v = f.view("2024-H2", "2024-H2", "2025-03-01");
  const auto* x = v.of("I-1").value(period("2024-H2"), "indicator.jobs");
  REQUIRE(x);
  CHECK(x->source.received_on == day("2025-02-20"));
  CHECK(v.upload(x->source.upload_id)->file_name == "v2.csv");
  CHECK(x->source.line == 2);
  // The report arrived with its first record, whichever upload brought it.
  auto r = v.of("I-1").first_receipt(period("2024-H2"));
  REQUIRE(r);
  CHECK(r->on == day("2025-01-15"));
  CHECK_FALSE(v.of("I-1").first_receipt(period("2024-H1")));
  // Ingest judges a repeat by the same order: 7 is the value known on 2025-03-05, so a copy of
  // it adds no version (the backdated 6, ingested last, is not what was known then).
  CHECK(f.put("again.csv", "2025-03-05", "I-1,2024-H2,indicator.jobs,7,\n").outcome ==
        store::Outcome::unchanged);
  CHECK(f.put("back.csv", "2025-03-06", "I-1,2024-H2,indicator.jobs,6,\n").rows_changed == 1);
}

TEST_CASE("view: a window reads only its periods; history adds disbursed and milestones", "[evaluation]") {
  Fixture f;
  f.put("a.csv", "2024-08-01",
        "I-1,2024-H1,disbursed,1000,\nI-1,2024-H1,milestone.M1,2024-02-20,\nI-1,2024-H1,status,ongoing,\n");
  f.put("b.csv", "2025-02-01", "I-1,2024-H2,status,ongoing,\n");
  auto v = f.view("2024-H2", "2024-H2", "2025-12-31");
  CHECK_FALSE(v.of("I-1").value(period("2024-H1"), "status"));
  CHECK_FALSE(v.of("I-1").disbursed_to_date(period("2024-H2")));
  CHECK_FALSE(v.of("I-1").achieved("M1"));
  v.read_history(*f.db, {"disbursed", "milestone."});
  auto d = v.of("I-1").disbursed_to_date(period("2024-H2"));
  REQUIRE(d);
  CHECK(d->minor == 100000);
  CHECK(d->period == period("2024-H1"));
  auto a = v.of("I-1").achieved("M1");
  REQUIRE(a);
  CHECK(a->on == day("2024-02-20"));
  CHECK_FALSE(v.of("I-1").value(period("2024-H1"), "status"));  // history is disbursed and milestones only
  CHECK(v.of("I-1").value(period("2024-H1"), "disbursed"));
}

TEST_CASE("view: report states and completeness", "[evaluation]") {
  Fixture f;
  const auto& ini = *f.plan.initiative("I-1");
  // 2024-H2 requires the status, the indicator with a target in it and disbursed (a project with a
  // budget). Due 2025-02-14 (45 days of grace): before it nothing is missing, after it the report is.
  CHECK(evaluation::required_measures(ini, period("2024-H2")) ==
        std::vector<std::string>{"status", "indicator.jobs", "disbursed"});
  auto status = [&](const char* as_of) {
    auto v = f.view("2024-H2", "2024-H2", as_of, as_of);
    return evaluation::report_status(v, f.plan, ini, period("2024-H2"));
  };
  auto state = [&](const char* as_of) { return status(as_of).state; };
  CHECK(state("2025-02-10") == evaluation::ReportState::not_yet_due);
  CHECK(state("2025-03-01") == evaluation::ReportState::missing);
  // One narrative row makes a report partial, not received: the required measures are missing.
  f.put("early.csv", "2025-02-01", "I-1,2024-H2,narrative,report to follow,\n");
  CHECK(state("2025-01-31") == evaluation::ReportState::not_yet_due);  // not known yet
  auto partial = status("2025-03-01");
  CHECK(partial.state == evaluation::ReportState::partial);
  CHECK(partial.missing == std::vector<std::string>{"status", "indicator.jobs", "disbursed"});
  CHECK_FALSE(partial.on_time());
  f.put("late.csv", "2025-03-02", "I-1,2024-H2,status,ongoing,\nI-1,2024-H2,indicator.jobs,4,\n");
  CHECK(status("2025-03-10").missing == std::vector<std::string>{"disbursed"});
  f.put("last.csv", "2025-03-05", "I-1,2024-H2,disbursed,100,\n");
  auto late = status("2025-03-10");
  CHECK(late.state == evaluation::ReportState::complete);
  CHECK(late.late());
  CHECK(*late.completed_on == day("2025-03-05"));  // when the last required measure arrived
  CHECK(late.received->on == day("2025-02-01"));   // the first record
  auto v = f.view("2024-H2", "2024-H2", "2025-03-10", "2025-03-10");
  auto c = evaluation::completeness(v, f.plan, period("2024-H2"));
  CHECK(c.total.tally.expected == 1);
  CHECK(c.total.tally.complete == 1);
  CHECK(c.total.tally.late == 1);
  CHECK(c.total.tally.on_time == 0);
  REQUIRE(c.by_country.size() == 1);
  CHECK(c.by_country[0].key == "SN");
  // Not expected outside the initiative's life.
  auto before = evaluation::View(*f.db, {period("2024-H1"), period("2024-H1"), day("2025-12-31"), day("2025-12-31")});
  model::Initiative later = ini;
  later.start = day("2024-07-01");
  CHECK(evaluation::report_status(before, f.plan, later, period("2024-H1")).state ==
        evaluation::ReportState::not_expected);
}

TEST_CASE("view: complete on time; a milestone falling due counts when achieved in any period", "[evaluation]") {
  Fixture f;
  const auto& ini = *f.plan.initiative("I-1");
  // 2024-H1: status, disbursed and milestone M1 (due 2024-03-01); no indicator target in it.
  CHECK(evaluation::required_measures(ini, period("2024-H1")) ==
        std::vector<std::string>{"status", "disbursed", "milestone.M1"});
  f.put("h1.csv", "2024-07-20", "I-1,2024-H1,status,ongoing,\nI-1,2024-H1,disbursed,50,\n");
  auto view = [&](bool history) {
    return evaluation::View(*f.db, {period("2024-H1"), period("2024-H1"), day("2024-09-01"), day("2025-12-31")},
                            {"", {}, false, history ? std::vector<std::string>{"milestone."} : std::vector<std::string>{}});
  };
  CHECK(evaluation::report_status(view(true), f.plan, ini, period("2024-H1")).missing ==
        std::vector<std::string>{"milestone.M1"});
  // Reported achieved with the next period's report: the H1 report is complete on the date the
  // milestone arrived, before H1's due date (2024-08-14), so on time.
  f.put("h2.csv", "2024-08-10", "I-1,2024-H2,milestone.M1,2024-02-25,\n");
  auto s = evaluation::report_status(view(true), f.plan, ini, period("2024-H1"));
  CHECK(s.state == evaluation::ReportState::complete);
  CHECK(*s.completed_on == day("2024-08-10"));
  CHECK(s.on_time());
  // Plan-level monitoring start: nothing is expected before it.
  model::Plan later = f.plan;
  later.calendar.monitoring_from = period("2024-H2");
  CHECK(evaluation::report_status(view(true), later, ini, period("2024-H1")).state ==
        evaluation::ReportState::not_expected);
  model::Initiative own = ini;
  own.monitoring_from = period("2024-H2");
  CHECK_FALSE(evaluation::report_expected(f.plan, own, period("2024-H1")));
  CHECK(evaluation::report_expected(f.plan, own, period("2024-H2")));
}

TEST_CASE("view: the evaluation tables hold the window's values, receipts and milestones", "[evaluation]") {
  Fixture f;
  f.put("a.csv", "2024-08-01", "I-1,2024-H1,milestone.M1,2024-02-20,\nI-1,2024-H1,disbursed,12.5,\n");
  f.put("b.csv", "2025-02-01", "I-1,2024-H2,indicator.jobs,4,\n");
  evaluation::View v(*f.db, {period("2024-H2"), period("2024-H2"), day("2025-03-01"), day("2025-03-01")},
                     {"", {}, false, {"milestone."}});
  evaluation::materialize(*f.db, f.plan, v, period("2024-H2"));
  auto rows = f.db->query("SELECT initiative, period, measure, value, num FROM e_value", {}).rows;
  REQUIRE(rows.size() == 1);  // the window only, though history was read
  CHECK(store::to_text(rows[0][3]) == "4");
  CHECK(std::holds_alternative<std::int64_t>(rows[0][4]));  // integral numbers as integers
  auto done = f.db->query("SELECT achieved FROM e_milestone_done", {}).rows;
  REQUIRE(done.size() == 1);
  CHECK(store::to_text(done[0][0]) == "2024-02-20");
  auto received = f.db->query("SELECT period, first_received FROM e_received", {}).rows;
  REQUIRE(received.size() == 1);
  CHECK(store::to_text(received[0][1]) == "2025-02-01");
  auto seq = f.db->query("SELECT value FROM e_param WHERE name = 'window_first'", {}).rows;
  CHECK(store::to_text(seq.at(0).at(0)) == "2024-H2");
}
