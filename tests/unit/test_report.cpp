// The report module: the figures build() computes on the report fixture (tests/golden/report-
// fixture), the renderers, the charts' text alternatives and the XLSX writer.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ingest/ingest.hpp"
#include "plan/plan.hpp"
#include "report/facts.hpp"
#include "report/report.hpp"
#include "temp_dir.hpp"

using namespace jvap;

namespace {

const std::filesystem::path kFixture = std::filesystem::path(JVAP_SOURCE_DIR) / "tests/golden/report-fixture";
const std::filesystem::path kTemplates = std::filesystem::path(JVAP_SOURCE_DIR) / "reports";

calendar::Date day(const char* s) { return *calendar::parse_date(s); }

struct Fixture {
  test::TempDir dir;
  model::Plan plan;
  std::unique_ptr<store::Store> db;
  rules::RuleSet rules;

  Fixture() {
    db = std::make_unique<store::Store>(dir / "jvap.db", store::Access::write);
    auto loaded = db->load_plan(kFixture / "plans");
    REQUIRE(loaded.plan);
    plan = *loaded.plan;
    auto r = rules::load(std::filesystem::path(JVAP_SOURCE_DIR) / "rules");
    REQUIRE(r.rules);
    rules = *r.rules;
    ingest("iom-2024-H2.csv", "IOM", "2025-02-01");
    ingest("unhcr-2024-H2.csv", "UNHCR", "2025-02-10");
    ingest("iom-2025-H1.csv", "IOM", "2025-08-01");
    ingest("unhcr-2025-H1.csv", "UNHCR", "2025-08-20");
  }
  void ingest(const char* file, const char* org, const char* received) {
    ingest::Options o;
    o.org = org;
    o.received_on = day(received);
    o.as_of = day("2025-12-31");
    auto r = ingest::ingest_file(*db, plan, kFixture / "uploads" / file, o);
    REQUIRE(r.problems.empty());
  }
  report::Report build(report::Request req) {
    if (req.period.year == 0) req.period = *calendar::parse_period("2025-H1");
    if (req.as_of == calendar::Date{}) req.as_of = day("2025-09-30");
    if (req.known_on == calendar::Date{}) req.known_on = req.as_of;
    req.version = "test";
    auto f = report::gather_findings(*db, plan, rules, req);
    return report::build(*db, plan, rules, req, f);
  }
};

const report::Table& table(const report::Report& r, const std::string& section, const std::string& id) {
  const auto* s = r.section(section);
  REQUIRE(s);
  const auto* t = s->table(id);
  REQUIRE(t);
  return *t;
}

// The row whose first cell is `key`, as text cells.
std::vector<std::string> row(const report::Table& t, const std::string& key) {
  for (const auto& r : t.rows)
    if (report::format_cell(r[0], t.columns[0].type) == key) {
      std::vector<std::string> out;
      for (std::size_t i = 0; i < r.size(); ++i) out.push_back(report::format_cell(r[i], t.columns[i].type));
      return out;
    }
  FAIL("no row " << key << " in " << t.id);
  return {};
}

}  // namespace

TEST_CASE("report: completeness and timeliness per process", "[report]") {
  Fixture f;
  auto r = f.build({});
  const auto& t = table(r, "summary", "summary.completeness");
  // rabat, R-3 (missing), J-1; khartoum: K-1 (late), K-2, J-1.
  CHECK(row(t, "rabat") == std::vector<std::string>{"rabat", "Rabat Process", "4", "3", "3", "0", "0", "1", "0", "75.0%", "75.0%"});
  CHECK(row(t, "khartoum") ==
        std::vector<std::string>{"khartoum", "Khartoum Process", "3", "3", "2", "1", "0", "0", "0", "100.0%", "66.7%"});
  CHECK(row(t, "all")[2] == "6");
}

TEST_CASE("report: budgets per funder group follow stated amounts, then equal shares", "[report]") {
  Fixture f;
  auto r = f.build({});
  const auto& t = table(r, "summary", "summary.budget_by_funder_group");
  // EU: R-1 600,000 + R-2 400,000 + J-1 500,000; European countries: R-1's FR 400,000 (the rest),
  // K-1's IT 200,000, K-2's IT 250,000; K-1's last 100,000 has no funder.
  CHECK(row(t, "EU institutions")[3] == "1,500,000");
  CHECK(row(t, "European countries")[3] == "850,000");
  CHECK(row(t, "(not attributed)")[3] == "100,000");
  // Disbursed in the same shares: R-1's 550,000 gives France 220,000; K-1's 210,000 of 300,000
  // gives Italy 140,000; K-2's 240,000 is all Italy's.
  const auto disbursed = static_cast<std::size_t>(t.column("disbursed"));
  CHECK(row(t, "European countries")[disbursed] == "600,000");
  CHECK(row(t, "EU institutions")[disbursed] == "500,000");  // 330,000 of R-1, all of R-2 and J-1
}

TEST_CASE("report: a missing report, a late one and the reported status", "[report]") {
  Fixture f;
  auto r = f.build({});
  const auto& t = table(r, "annex", "annex.initiatives");
  auto status = t.column("status"), state = t.column("report");
  CHECK(row(t, "R-3")[static_cast<std::size_t>(status)] == "not reported");
  CHECK(row(t, "R-3")[static_cast<std::size_t>(state)] == "missing");
  CHECK(row(t, "K-1")[static_cast<std::size_t>(state)] == "complete, late: 2025-08-20, 6 days after the due date");
  CHECK(row(t, "K-2")[static_cast<std::size_t>(status)] == "completed");
  CHECK(row(t, "R-1")[static_cast<std::size_t>(state)] == "complete, on time: 2025-08-01");
}

TEST_CASE("report: indicator progress and its assessment", "[report]") {
  Fixture f;
  auto r = f.build({});
  const auto& t = table(r, "D1", "D1.indicators");
  auto r1 = row(t, "R-1");
  CHECK(r1[7] == "70");
  CHECK(r1[8] == "70.0%");
  CHECK(r1[9] == "below target");
  auto r2 = row(t, "R-2");  // baseline 10, target 60 in 2025-H2, actual 30: 40%
  CHECK(r2[8] == "40.0%");
  CHECK(r2[9] == "in progress");
  const auto& k = table(r, "D3", "D3.indicators");
  CHECK(row(k, "K-1")[9] == "target met");
}

TEST_CASE("report: new and resolved findings compare with the previous period", "[report]") {
  Fixture f;
  auto r = f.build({});
  const auto& t = table(r, "summary", "summary.findings_by_rule");
  auto missing = row(t, "error");  // the first error row is missing-report
  CHECK(missing[1] == "missing-report");
  CHECK(missing[3] == "1");
  CHECK(missing[4] == "1");
}

TEST_CASE("report: as known on an earlier date leaves later corrections out", "[report]") {
  Fixture f;
  auto before = report::to_json(f.build({}));
  f.ingest("iom-2025-H1-correction.csv", "IOM", "2025-10-05");
  report::Request later;
  later.as_of = day("2025-10-10");
  auto after = f.build(later);
  CHECK(row(table(after, "D1", "D1.indicators"), "R-1")[7] == "95");
  report::Request earlier;
  earlier.as_of = day("2025-09-30");
  earlier.known_on = day("2025-09-30");
  CHECK(report::to_json(f.build(earlier)) == before);
}

TEST_CASE("report: scopes select initiatives and sections", "[report]") {
  Fixture f;
  report::Request k;
  k.kind = report::Kind::process;
  k.process = "khartoum";
  auto r = f.build(k);
  CHECK(r.section("processes") == nullptr);  // side by side only in the joint report
  const auto& annex = table(r, "annex", "annex.initiatives");
  REQUIRE(annex.rows.size() == 3);  // K-1, K-2, J-1
  report::Request d;
  d.kind = report::Kind::domain;
  d.domain = "D2";
  auto rd = f.build(d);
  CHECK(rd.section("D1") == nullptr);
  CHECK(rd.section("D2") != nullptr);
  report::Request p;
  p.kind = report::Kind::partner;
  p.partner = "UNHCR";
  auto rp = f.build(p);
  CHECK(rp.owed_csv.rfind("initiative,period,measure,value,comment,initiative_title,", 0) == 0);
  CHECK(rp.owed_csv.find("R-3,2025-H1,status,,") != std::string::npos);
  CHECK(rp.owed_csv.find("R-3,2025-H1,stage,,") != std::string::npos);
  CHECK(rp.owed_csv.find("K-1,") == std::string::npos);  // K-1 reported everything
}

TEST_CASE("report: JSON is valid, typed and byte-stable", "[report]") {
  Fixture f;
  auto r = f.build({});
  auto text = report::to_json(r);
  CHECK(text == report::to_json(f.build({})));
  auto j = nlohmann::json::parse(text);
  CHECK(j["schema"] == "jvap-report/1");
  CHECK(j["cover"]["plan_hash"] == f.plan.content_hash);
  CHECK(j["cover"]["rules_hash"] == f.rules.hash);
  CHECK(j["sections"][0]["id"] == "executive");  // the executive page first
  const auto& rows = j["sections"][1]["tables"][0]["rows"];
  CHECK(rows[0]["projects"].is_number_integer());
  // Numbers in fixed notation, never an exponent.
  CHECK(text.find("e+") == std::string::npos);
}

TEST_CASE("report: Markdown and HTML from the templates", "[report]") {
  Fixture f;
  auto r = f.build({});
  auto md = report::to_markdown(r, kTemplates);
  CHECK(md.find("# Joint Rabat-Khartoum monitoring report") != std::string::npos);
  CHECK(md.find("| rabat | Rabat Process | 4 | 3 |") != std::string::npos);
  auto html = report::to_html(r, kTemplates);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("<desc id=") != std::string::npos);
  CHECK(html.find("@page") != std::string::npos);  // the print stylesheet is inlined
  CHECK(html == report::to_html(f.build({}), kTemplates));
}

TEST_CASE("report: a broken template is reported with its line and column", "[report]") {
  test::TempDir dir;
  dir.write("md/report.md.mustache", "# {{cover.title}}\n{{#sections}}\n## {{title}}\n");
  report::Report r;
  try {
    report::to_markdown(r, dir.path());
    FAIL("no error");
  } catch (const report::ReportError& e) {
    std::string what = e.what();
    CHECK(what.find("report.md.mustache:2:1: Unclosed section") != std::string::npos);
  }
  CHECK_THROWS_AS(report::to_html(r, dir.path()), report::ReportError);  // no HTML template there
}

TEST_CASE("report: cells as readers see them", "[report]") {
  using report::Type;
  CHECK(report::format_cell(std::int64_t{1234567}, Type::integer) == "1,234,567");
  CHECK(report::format_cell(-1234.0, Type::money) == "-1,234");
  CHECK(report::format_cell(85.26, Type::percent) == "85.3%");
  CHECK(report::format_cell(12.5, Type::number) == "12.5");
  CHECK(report::format_cell(1000.0, Type::number) == "1,000");
  CHECK(report::format_cell(report::Cell{}, Type::number).empty());
  CHECK(report::format_cell(std::string("x|y"), Type::text) == "x|y");
  CHECK(report::format_cell(29.996, Type::number) == "30");
  CHECK(report::format_cell(-0.5, Type::number) == "-0.5");
  CHECK(report::format_cell(-0.25, Type::number) == "-0.25");
  CHECK(report::format_cell(-1234567.891, Type::number) == "-1,234,567.89");
  CHECK(report::format_cell(-0.001, Type::number) == "0");
}

TEST_CASE("report: charts carry a title and a text alternative with the figures", "[report]") {
  report::Table t{"t", "Budget", "", {{"domain", "Domain", report::Type::code},
                                      {"budget", "Budget", report::Type::money}}, {}};
  t.rows.push_back({std::string("D1"), 1500000.0});
  t.rows.push_back({std::string("D2"), 250000.0});
  report::Chart c{"t.chart", "Budget per domain", report::ChartKind::bars, "t", "domain", {"budget"}, "", ""};
  auto desc = report::chart_description(c, t);
  CHECK(desc == "Bar chart: Budget per domain. D1: Budget 1,500,000; D2: Budget 250,000.");
  for (auto kind : {report::ChartKind::bars, report::ChartKind::stacked, report::ChartKind::heatmap,
                    report::ChartKind::lines}) {
    c.kind = kind;
    auto svg = report::chart_svg(c, t);
    CHECK(svg.rfind("<svg", 0) == 0);
    CHECK(svg.find("role=\"img\"") != std::string::npos);
    CHECK(svg.find("<title id=\"c-t-chart-t\">Budget per domain</title>") != std::string::npos);
    CHECK(svg.find("</svg>") != std::string::npos);
  }
}

TEST_CASE("report: XLSX is a zip with a sheet per table, the same bytes every time", "[report]") {
  Fixture f;
  auto r = f.build({});
  report::write_xlsx(r, f.dir / "a.xlsx");
  report::write_xlsx(r, f.dir / "b.xlsx");
  auto read = [](const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  };
  auto a = read(f.dir / "a.xlsx");
  CHECK(a.rfind("PK", 0) == 0);
  CHECK(a == read(f.dir / "b.xlsx"));
  CHECK(a.find("xl/worksheets/sheet2.xml") != std::string::npos);
  CHECK_THROWS_AS(report::write_xlsx(r, f.dir / "no/such/folder/x.xlsx"), report::ReportError);
}

TEST_CASE("report: a stored check run is reused only while its inputs are unchanged", "[report]") {
  Fixture f;
  report::Request req;
  req.period = *calendar::parse_period("2025-H1");
  req.as_of = req.known_on = day("2025-09-30");
  CHECK(report::gather_findings(*f.db, f.plan, f.rules, req).source ==
        "period evaluated, previous period evaluated");
  auto fresh = report::gather_findings(*f.db, f.plan, f.rules, req).current.size();
  rules::evaluate(*f.db, f.plan, f.rules, req.period, req.as_of);
  auto stored = report::gather_findings(*f.db, f.plan, f.rules, req);
  CHECK(stored.source == "period stored, previous period evaluated");
  CHECK(stored.current.size() == fresh);
  req.known_on = day("2025-09-29");  // another data cut: never from a stored run
  CHECK(report::gather_findings(*f.db, f.plan, f.rules, req).source.rfind("period evaluated", 0) == 0);
  req.known_on = req.as_of;
  f.ingest("iom-2025-H1-correction.csv", "IOM", "2025-09-30");  // an upload since the run
  CHECK(report::gather_findings(*f.db, f.plan, f.rules, req).source.rfind("period evaluated", 0) == 0);
}

TEST_CASE("report: PDF without Chromium is a clear error, and nothing is written", "[report]") {
  test::TempDir dir;
  std::string saved = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", dir.path().c_str(), 1);  // a folder with no browser in it
  CHECK_FALSE(report::find_chromium());
  try {
    report::write_pdf(report::Report{}, dir / "templates", dir / "r.pdf");
    FAIL("no error");
  } catch (const report::ReportError& e) {
    CHECK(std::string(e.what()).find("PDF needs Chromium, which is not installed") != std::string::npos);
  }
  ::setenv("PATH", saved.c_str(), 1);
  CHECK_FALSE(std::filesystem::exists(dir / "r.pdf"));
}

TEST_CASE("report: disbursed is the latest running total, whatever the trend window", "[report]") {
  Fixture f;
  report::Request one;
  one.trend_periods = 1;
  one.period = *calendar::parse_period("2025-H2");
  one.as_of = day("2026-03-01");
  report::Request four = one;
  four.trend_periods = 4;
  auto a = f.build(one), b = f.build(four);
  // No 2025-H2 uploads: R-1's disbursed is its 2025-H1 figure in both.
  auto r1 = [](const report::Report& r) { return row(table(r, "annex", "annex.initiatives"), "R-1"); };
  CHECK(r1(a)[12] == "550,000");
  CHECK(r1(a) == r1(b));
  CHECK(table(a, "summary", "summary.budget_by_domain").rows == table(b, "summary", "summary.budget_by_domain").rows);
}

TEST_CASE("report: a milestone reported achieved in a later period is not owed", "[report]") {
  Fixture f;
  report::Request p;
  p.kind = report::Kind::partner;
  p.partner = "IOM";
  p.period = *calendar::parse_period("2024-H1");
  auto r = f.build(p);
  CHECK(r.owed_csv.find("milestone.M1") == std::string::npos);  // achieved 2024-06-20, reported in 2024-H2
  CHECK(r.owed_csv.find("R-1,2024-H1,status,,") != std::string::npos);
}

TEST_CASE("report: amounts in different currencies get a chart each", "[report]") {
  report::Table t{"t", "Budget", "", {{"domain", "Domain", report::Type::code},
                                      {"currency", "Currency", report::Type::code},
                                      {"budget", "Budget", report::Type::money}}, {}};
  t.rows.push_back({std::string("D1"), std::string("EUR"), 100.0});
  t.rows.push_back({std::string("D1"), std::string("USD"), 200.0});
  report::Chart c{"c", "Budget (USD)", report::ChartKind::bars, "t", "domain", {"budget"}, "currency", "USD"};
  CHECK(report::chart_description(c, t) == "Bar chart: Budget (USD). D1: Budget 200.");
}

TEST_CASE("report: an expired waiver is about the finding it waived", "[report]") {
  rules::Finding f;
  f.rule = "waiver-expired";
  f.subject = "missing-report:R-3";
  CHECK(report::detail::subject_of(f) == "R-3");
  f.subject = "0123456789abcdef";  // a waiver given by fingerprint
  CHECK(report::detail::subject_of(f).empty());
  f.rule = "late-report";
  f.subject = "K-1";
  CHECK(report::detail::subject_of(f) == "K-1");
}

TEST_CASE("report: a disbursed share is over the initiatives reporting disbursement", "[report]") {
  // Hand-computed: A (budget 1,000.00, disbursed 500.00) and B (budget 3,000.00, disbursed
  // 2,400.00) report; C (budget 6,000.00) never did. Disbursed: 2,900.00 of 4,000.00 = 72.5%, not
  // 2,900 of 10,000 = 29%; C is "no data".
  auto ini = [](const char* id, std::int64_t budget) {
    model::Initiative i;
    i.id = id;
    i.budget = model::Money{budget, "EUR"};
    return i;
  };
  model::Initiative a = ini("A", 100000), b = ini("B", 300000), c = ini("C", 600000);
  report::detail::InitiativeFacts xa{&a}, xb{&b}, xc{&c};
  xa.disbursed = 50000;
  xb.disbursed = 240000;
  report::detail::Spend s;
  for (const auto* x : {&xa, &xb, &xc}) s.add(*x);
  CHECK(s.initiatives == 3);
  CHECK(s.reporting == 2);
  CHECK(s.reporting_budget == 400000);
  CHECK(s.disbursed == 290000);
  CHECK(s.no_data == 1);
  CHECK(s.no_data_budget == 600000);
  auto row = report::detail::spend_cells(s, "EUR");
  CHECK(std::get<double>(row[4]) == Approx(72.5));
  CHECK(report::detail::spend_coverage(s, "EUR") ==
        "EUR 2,900 of EUR 4,000, the budget of the 2 initiatives reporting disbursement; no data "
        "from 1 initiative (EUR 6,000)");
}
