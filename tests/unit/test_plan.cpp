#include <catch2/catch.hpp>

#include "plan_fixture.hpp"

using namespace jvap;
using test::edit;
using test::kBaseFile;
using test::kInitiativesFile;
using test::load_texts;

namespace {

std::vector<std::string> messages(const plan::LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.errors) out.push_back(model::format(d));
  return out;
}

// Loads the fixture with one edit in the initiatives file and returns the messages.
std::vector<std::string> with_initiative_edit(const std::string& from, const std::string& to) {
  return messages(load_texts(kBaseFile, edit(kInitiativesFile, from, to)));
}

std::vector<std::string> with_base_edit(const std::string& from, const std::string& to) {
  return messages(load_texts(edit(kBaseFile, from, to), kInitiativesFile));
}

}  // namespace

TEST_CASE("the fixture plan loads into the model", "[plan]") {
  auto r = load_texts(kBaseFile, kInitiativesFile);
  INFO(Catch::Detail::stringify(messages(r)));
  REQUIRE(r.plan);
  const auto& p = *r.plan;
  CHECK(p.info.id == "t");
  CHECK(p.calendar.grace_days == 45);
  REQUIRE(p.initiatives.size() == 1);
  const auto& i = p.initiatives[0];
  CHECK(i.budget->amount == 5000);
  CHECK(i.budget->currency == "EUR");
  REQUIRE(i.indicators.size() == 1);
  CHECK(i.indicators[0].title == "Jobs created");  // from the catalogue
  CHECK(i.indicators[0].aggregation == model::Aggregation::cumulative);
  REQUIRE(i.indicators[0].targets.size() == 2);
  CHECK(calendar::to_string(i.indicators[0].targets[0].period) == "2024-H2");
  CHECK(p.process("rabat")->member("GB")->left);
  CHECK(p.process("rabat")->member("SN")->joined == *calendar::parse_date("2006-07-10"));
  CHECK(p.group_of("FR") == model::FunderGroup::european_countries);
  CHECK(p.group_of("IOM") == model::FunderGroup::international_organisations);
  CHECK(p.files == std::vector<std::string>{"base.yaml", "initiatives.yaml"});
  CHECK(p.content_hash.size() == 64);
}

TEST_CASE("the content hash changes with any byte and with file names", "[plan]") {
  auto a = load_texts(kBaseFile, kInitiativesFile).plan->content_hash;
  auto b = load_texts(kBaseFile, edit(kInitiativesFile, "Jobs in Senegal", "Jobs in Senegal!"))
               .plan->content_hash;
  CHECK(a != b);
  auto renamed = plan::load_sources({{"p/x.yaml", "x.yaml", kBaseFile},
                                     {"p/initiatives.yaml", "initiatives.yaml", kInitiativesFile}},
                                    "p");
  CHECK(renamed.plan->content_hash != a);
}

TEST_CASE("YAML syntax errors are located", "[plan]") {
  auto m = with_initiative_edit("    kind: project", "    kind: [project");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::StartsWith("plans/initiatives.yaml:"));
  CHECK_THAT(m[0], Catch::Contains("YAML syntax error"));
}

TEST_CASE("unknown keys suggest the near miss", "[plan]") {
  auto m = with_initiative_edit("    title: Jobs", "    titel: Jobs");
  // One mistake, one message: the misspelt key is not also reported as a missing one.
  REQUIRE(m.size() == 1);
  CHECK(m[0] ==
        "plans/initiatives.yaml:3:5: unknown key 'titel' in initiative (did you mean 'title'?)");
  m = with_initiative_edit("    title: Jobs in Senegal\n", "");
  REQUIRE(m.size() == 1);
  CHECK(m[0] == "plans/initiatives.yaml:2:5: missing required key 'title' in initiative");
}

TEST_CASE("wrong types are reported with the value", "[plan]") {
  auto m = with_initiative_edit("amount: 5000", "amount: 50.5");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::EndsWith("expected a whole number, found '50.5'"));
  m = with_initiative_edit("domains: [D1]", "domains: D1");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::EndsWith("expected 'domains' to be a list, found 'D1'"));
  m = with_initiative_edit("amount: 5000", "amount: \"5000\"");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("expected a whole number"));
}

TEST_CASE("duplicate ids across files", "[plan]") {
  std::string again = std::string(kInitiativesFile) +
                      edit(kInitiativesFile, "initiatives:\n", "").substr(0);
  auto m = messages(load_texts(kBaseFile, again));
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("duplicate initiative id 'I-1' (first defined at "
                                   "plans/initiatives.yaml:2:5)"));
}

TEST_CASE("dangling references", "[plan]") {
  CHECK(with_initiative_edit("domains: [D1]", "domains: [D9]") ==
        std::vector<std::string>{
            "plans/initiatives.yaml:5:15: unknown domain 'D9' (did you mean 'D1'?)"});
  CHECK(with_initiative_edit("domains: [D1]", "domains: [D4]") ==
        std::vector<std::string>{
            "plans/initiatives.yaml:6:18: priority 'D1.P1' belongs to domain D1, which is not "
            "among the initiative's domains"});
  CHECK(with_initiative_edit("priorities: [D1.P1]", "priorities: [D1.P2]") ==
        std::vector<std::string>{
            "plans/initiatives.yaml:6:18: unknown priority 'D1.P2' (did you mean 'D1.P1'?)"});
  CHECK(with_initiative_edit("processes: [rabat]", "processes: [rabbat]") ==
        std::vector<std::string>{
            "plans/initiatives.yaml:7:17: unknown process 'rabbat' (did you mean 'rabat'?)"});
  auto m = with_initiative_edit("ref: jobs", "ref: jbos");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::EndsWith("unknown catalogue indicator 'jbos' (did you mean 'jobs'?)"));
  m = with_initiative_edit("implementers: [IOM]", "implementers: [IMO]");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("unknown organisation"));
}

TEST_CASE("countries must be members of the process on the start date", "[plan]") {
  CHECK(with_initiative_edit("countries: [SN]", "countries: [GB]") ==
        std::vector<std::string>{"plans/initiatives.yaml:8:17: country 'GB' is not a member of "
                                 "process rabat on the initiative's start date 2024-01-01"});
  CHECK(with_initiative_edit("countries: [SN]", "countries: [ET]").size() == 1);
  CHECK(with_initiative_edit("countries: [SN]", "countries: [DZ]").empty());  // observer
  auto m = with_initiative_edit("countries: [SN]", "countries: [XX]");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("unknown country code 'XX'"));
}

TEST_CASE("dates, money and targets", "[plan]") {
  CHECK(with_initiative_edit("end: 2025-12-31", "end: 2023-12-31") ==
        std::vector<std::string>{"plans/initiatives.yaml:13:10: initiative 'I-1' ends on "
                                 "2023-12-31, before it starts on 2024-01-01"});
  auto m = with_initiative_edit("start: 2024-01-01", "start: 2024-02-30");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::EndsWith("invalid date '2024-02-30': expected a real date as YYYY-MM-DD"));
  m = with_initiative_edit("amount: 5000", "amount: -5");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::EndsWith("negative budget -5"));
  m = with_initiative_edit("currency: EUR", "currency: EUROS");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("unknown currency 'EUROS'"));
  m = with_initiative_edit("2025-H2: 20", "2026-H2: 20");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::EndsWith("target period '2026-H2' is outside the initiative's life "
                                   "(2024-01-01 to 2025-12-31)"));
  m = with_initiative_edit("2025-H2: 20", "2025-Q4: 20");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::EndsWith("target period '2025-Q4' is not a semiannual reporting period"));
  m = with_initiative_edit("2025-H2: 20", "2025-H3: 20");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("invalid period id '2025-H3'"));
  m = with_initiative_edit("amount: 1000", "amount: 9000");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::EndsWith("funder amounts add up to 9000, more than the budget of 5000"));
  m = with_initiative_edit("due: 2024-03-01", "due: 2026-03-01");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("outside the initiative's life"));
}

TEST_CASE("every error in every file is reported at once", "[plan]") {
  std::string base = edit(kBaseFile, "grace_days: 45", "grace_days: many");
  base = edit(base, "region: west_africa", "region: westafrica");
  std::string ini = edit(kInitiativesFile, "kind: project", "kind: programme");
  ini = edit(ini, "countries: [SN]", "countries: [SN, SN]");
  auto r = load_texts(base, ini);
  CHECK_FALSE(r.plan);
  auto m = messages(r);
  REQUIRE(m.size() == 4);
  CHECK_THAT(m[0], Catch::Contains("expected a whole number, found 'many'"));
  CHECK_THAT(m[1], Catch::Contains("invalid region 'westafrica' (did you mean 'west_africa'?)"));
  CHECK_THAT(m[2], Catch::Contains("invalid kind 'programme'"));
  CHECK_THAT(m[3], Catch::Contains("'SN' is listed twice in 'countries'"));
}

TEST_CASE("plan-level problems", "[plan]") {
  auto r = plan::load_sources({}, "plans");
  REQUIRE(r.errors.size() == 1);
  CHECK(model::format(r.errors[0]) == "plans: no plan files (*.yaml, *.yml) found");
  r = plan::load_sources({{"plans/a.yaml", "a.yaml", kInitiativesFile}}, "plans");
  auto m = messages(r);
  CHECK(std::count_if(m.begin(), m.end(), [](auto& s) { return s.find("no 'plan' section") != std::string::npos; }) == 1);
  CHECK(std::count_if(m.begin(), m.end(), [](auto& s) { return s.find("no 'calendar' section") != std::string::npos; }) == 1);
  m = messages(load_texts(kBaseFile, std::string(kInitiativesFile) + "plan: {id: x, title: y}\n"));
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("the 'plan' section is given twice"));
  m = messages(load_texts(kBaseFile, ""));
  REQUIRE(m.size() == 1);
  CHECK(m[0] == "plans/initiatives.yaml: file is empty: expected plan sections");
  m = with_base_edit("first_period: 2024-H1", "first_period: 2024-Q1");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("first_period '2024-Q1' is not a semiannual period"));
}

TEST_CASE("duplicate YAML keys are errors, not silently merged", "[plan]") {
  auto m = with_initiative_edit("    kind: project\n", "    kind: project\n    kind: policy\n");
  REQUIRE(m.size() == 1);
  CHECK_THAT(m[0], Catch::Contains("duplicate key 'kind' in initiative (first at line 4)"));
}

TEST_CASE("chair terms must not overlap and chairs must be members", "[plan]") {
  std::string base = edit(kBaseFile, "      - {state: DZ, region: north_africa, role: observer}\n",
                          "      - {state: DZ, region: north_africa, role: observer}\n"
                          "    chairs:\n"
                          "      - {state: SN, from: 2020-01-01, to: 2020-12-31}\n"
                          "      - {state: FR, from: 2020-06-01, to: 2021-12-31}\n"
                          "      - {state: GB, from: 2022-01-01}\n");
  auto m = messages(load_texts(base, kInitiativesFile));
  REQUIRE(m.size() == 2);
  CHECK_THAT(m[0], Catch::Contains("chair term of 'FR' from 2020-06-01 overlaps the term of 'SN'"));
  CHECK_THAT(m[1], Catch::Contains("chair 'GB' is not a member of process 'rabat' on 2022-01-01"));
}
