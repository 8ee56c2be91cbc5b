#include <catch2/catch.hpp>

#include <sstream>

#include "ingest/ingest.hpp"
#include "ingest/row_source.hpp"
#include "plan_fixture.hpp"
#include "store_helpers.hpp"
#include "temp_dir.hpp"

using namespace jvap;
using ingest::Problem;
using ingest::detail::RawRow;

namespace {

struct Parsed {
  std::vector<RawRow> rows;
  std::vector<Problem> problems;
  bool usable = false;
};

Parsed parse(const std::string& text, bool json = false) {
  Parsed out;
  std::istringstream in(text);
  auto row = [&](const RawRow& r) { out.rows.push_back(r); };
  auto problem = [&](Problem p) { out.problems.push_back(std::move(p)); };
  out.usable = json ? ingest::detail::read_json(in, row, problem, {})
                    : ingest::detail::read_csv(in, false, row, problem, {});
  return out;
}

const char* kHeader = "initiative,period,measure,value,comment\n";

}  // namespace

TEST_CASE("CSV: RFC 4180 quoting, CRLF, BOM, blank lines, line numbers", "[ingest][csv]") {
  auto p = parse("\xEF\xBB\xBFinitiative,period,measure,value\r\n"
                 "I-1,2024-H1,narrative,\"two\r\nlines, \"\"quoted\"\"\"\r\n"
                 "\r\n"
                 "I-1,2024-H1,status,ongoing\r\n");
  REQUIRE(p.problems.empty());
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].line == 2);
  CHECK(p.rows[0].fields[3] == "two\r\nlines, \"quoted\"");
  CHECK(p.rows[1].line == 5);
  CHECK_FALSE(p.rows[1].present[4]);
  p = parse(std::string(kHeader) + "I-1,2024-H1,status,ongoing,");  // no final newline
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0].present[4]);
  // Column order is free; the header names them.
  p = parse("value,measure,period,initiative\n5,indicator.jobs,2024-H1,I-1\n");
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0].fields[0] == "I-1");
  CHECK(p.rows[0].fields[3] == "5");
}

TEST_CASE("CSV: structural problems are located", "[ingest][csv]") {
  auto p = parse("");
  CHECK_FALSE(p.usable);
  CHECK(p.problems.at(0).message.find("file is empty") == 0);
  p = parse("initiative,period,mesure,value\n");
  CHECK_FALSE(p.usable);
  CHECK(p.problems.at(0).message == "unknown column 'mesure' in the header (did you mean 'measure'?)");
  p = parse(std::string(kHeader) + "I-1,2024-H1,status,\"open\n");
  CHECK(p.problems.at(0).message == "quoted field starting on line 2 is not closed before the end of the file");
  p = parse(std::string(kHeader) + "I-1,2024-H1,status,\"a\"b,\n");
  CHECK(p.problems.at(0).message == "unexpected character after a closing quote");
  p = parse(std::string(kHeader) + std::string("I-1,2024-H1,st\0atus,x,\n", 24));
  CHECK_FALSE(p.usable);
  CHECK(p.problems.at(0).message.find("binary data") == 0);
  p = parse(std::string(kHeader) + "I-1,2024-H1,narrative,\xC3\x28,\n");
  CHECK(p.problems.at(0).message.rfind("invalid UTF-8 at byte 1 of the field (the file is not saved as UTF-8", 0) == 0);
  CHECK(p.problems.at(0).column == "value");
  p = parse(std::string(kHeader) + "I-1,2024-H1,narrative," + std::string(70000, 'x') + ",\n");
  CHECK(p.problems.at(0).message == "field is 70000 bytes long; the limit is 65536");
  std::string wide;
  for (int i = 0; i < 10000; ++i) wide += (i ? "," : "") + std::string("c");
  p = parse(wide + "\n");
  CHECK_FALSE(p.usable);
  CHECK(p.problems.at(0).message.find("header has 10000 columns") == 0);
}

TEST_CASE("UTF-8 validation", "[ingest]") {
  std::size_t bad = 0;
  CHECK(ingest::detail::valid_utf8("plain ascii text, long enough", bad));
  CHECK(ingest::detail::valid_utf8("Côte d'Ivoire – São Tomé 🇸🇳", bad));
  CHECK_FALSE(ingest::detail::valid_utf8("abc\xC0\xAF", bad));  // overlong
  CHECK(bad == 3);
  CHECK_FALSE(ingest::detail::valid_utf8("\xED\xA0\x80", bad));  // surrogate
  CHECK_FALSE(ingest::detail::valid_utf8("\xF4\x90\x80\x80", bad));  // past U+10FFFF
  CHECK_FALSE(ingest::detail::valid_utf8("12345678\xE2\x82", bad));  // truncated
}

TEST_CASE("JSON: records, escapes, nulls and problems", "[ingest][json]") {
  auto p = parse(R"([{"initiative":"I-1","period":"2024-H1","measure":"indicator.jobs","value":12.5},
  {"initiative":"I-1","period":"2024-H1","measure":"narrative","value":"a\"b\u00e9\ud83d\ude00","comment":null}])",
                 true);
  REQUIRE(p.problems.empty());
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].fields[3] == "12.5");
  CHECK(p.rows[1].line == 2);
  CHECK(p.rows[1].fields[3] == "a\"b\xC3\xA9\xF0\x9F\x98\x80");
  CHECK_FALSE(p.rows[1].present[4]);
  CHECK(parse("[]", true).rows.empty());
  p = parse("[{\"initiative\": true}]", true);
  CHECK(p.problems.at(0).message == "expected a string or a number, found a boolean");
  p = parse("[{\"initiative\":\"I-1\"}] x", true);
  CHECK_FALSE(p.usable);
  p = parse("[{\"initiative\":\"\\ud800\"}]", true);
  CHECK(p.problems.at(0).message == "record 1: unpaired surrogate in a \\u escape");
  p = parse("", true);
  CHECK(p.problems.at(0).message.find("file is empty") == 0);
}

namespace {

struct Fixture {
  test::TempDir dir;
  std::unique_ptr<store::Store> db;
  model::Plan plan;

  Fixture() {
    dir.write("plans/base.yaml", test::kBaseFile);
    dir.write("plans/initiatives.yaml", test::kInitiativesFile);
    db = std::make_unique<store::Store>(dir / "jvap.db", store::Access::write);
    plan = *db->load_plan(dir / "plans").plan;
  }

  ingest::Result run(const std::string& name, const std::string& text, bool dry_run = false,
                     const char* org = "IOM") {
    auto path = dir.write(name, text);
    ingest::Options o{org, *calendar::parse_date("2025-03-01"), *calendar::parse_date("2025-03-01"),
                      dry_run, {}};
    return ingest::ingest_file(*db, plan, path, o);
  }
};

}  // namespace

TEST_CASE("one bad row among 100,000 stores nothing and names its line", "[ingest]") {
  Fixture f;
  std::string csv = kHeader;
  for (int i = 0; i < 100000; ++i) {
    bool h1 = i % 2 == 0;
    std::string measure = i == 77777 ? "indicator.jobz" : "indicator.jobs";
    // Two keys repeated with equal values: repeats are allowed and stored once.
    csv += "I-1," + std::string(h1 ? "2024-H1" : "2024-H2") + "," + measure + ",5,\n";
  }
  auto r = f.run("big.csv", csv);
  CHECK(r.upload.outcome == store::Outcome::rejected);
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].line == 77779);
  CHECK(r.problems[0].message == "unknown indicator 'jobz' for initiative 'I-1' (did you mean 'jobs'?)");
  CHECK(test::count_versions(*f.db) == 0);
  CHECK(r.upload.rows == 100000);
  CHECK(r.upload.rows_rejected == 1);
}

TEST_CASE("accepted, repeated, corrected and dry-run uploads", "[ingest]") {
  Fixture f;
  std::string v1 = std::string(kHeader) + "I-1,2024-H1,status,ongoing,\nI-1,2024-H1,indicator.jobs,4.50,\n";
  auto a = f.run("a.csv", v1);
  CHECK(a.problems.empty());
  CHECK(a.upload.outcome == store::Outcome::accepted);
  CHECK(a.upload.rows_new == 2);
  auto again = f.run("a.csv", v1);
  CHECK(again.upload.outcome == store::Outcome::unchanged);
  CHECK(again.identical_to_earlier);
  // Same values written differently are not new versions.
  auto same = f.run("b.csv", std::string(kHeader) + "I-1,2024-H1,indicator.jobs,4.5,\n");
  CHECK(same.upload.outcome == store::Outcome::unchanged);
  auto dry = f.run("c.csv", std::string(kHeader) + "I-1,2024-H1,indicator.jobs,6,\n", true);
  CHECK(dry.upload.rows_changed == 1);
  CHECK(dry.upload.id == 0);
  CHECK(test::count_versions(*f.db) == 2);
  auto fix = f.run("c.csv", std::string(kHeader) + "I-1,2024-H1,indicator.jobs,6,\n");
  CHECK(fix.upload.rows_changed == 1);
  CHECK(test::count_versions(*f.db) == 3);
  CHECK(f.db->uploads().size() == 4);  // the dry run is not logged
}

TEST_CASE("values are validated per measure and stored canonically", "[ingest]") {
  Fixture f;
  auto r = f.run("a.csv", std::string(kHeader) +
                              "I-1,2024-H1,disbursed,12.5,\n"
                              "I-1,2024-H1,indicator.jobs,007.50,\n"
                              "I-1,2024-H2,indicator.jobs,-0,\n");
  REQUIRE(r.problems.empty());
  auto recs = test::current(*f.db);
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].value == "12.50");
  CHECK(recs[1].value == "7.5");
  CHECK(recs[2].value == "0");
  r = f.run("huge.csv", std::string(kHeader) + "I-1,2024-H1,indicator.jobs,1" + std::string(400, '0') + ",\n");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].message.find("is out of range") != std::string::npos);
  r = f.run("b.csv", std::string(kHeader) + "I-1,2024-H1,status,ongoing,\n", false, "FR");
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].message.find("does not report on initiative 'I-1'") != std::string::npos);
}

TEST_CASE("a copy received earlier but ingested later still records when it was known", "[ingest]") {
  Fixture f;
  auto day = [](const char* d) { return *calendar::parse_date(d); };
  auto run_on = [&](const char* name, const char* received) {
    auto path = f.dir.write(name, std::string(kHeader) + "I-1,2024-H1,status,ongoing,\n");
    ingest::Options o{"IOM", day(received), day("2025-03-01"), false, {}};
    return ingest::ingest_file(*f.db, f.plan, path, o);
  };
  CHECK(run_on("late.csv", "2025-02-20").upload.rows_new == 1);
  auto early = run_on("early.csv", "2024-08-01");  // same value, received before the first
  CHECK(early.upload.outcome == store::Outcome::accepted);
  auto then = test::current(*f.db, day("2024-09-01"));
  REQUIRE(then.size() == 1);
  CHECK(then[0].file_name == "early.csv");
  CHECK(run_on("again.csv", "2025-02-25").upload.outcome == store::Outcome::unchanged);
}
