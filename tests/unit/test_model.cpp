#include <catch2/catch.hpp>

#include "model/codes.hpp"
#include "model/diagnostic.hpp"
#include "model/sha256.hpp"
#include "model/money.hpp"
#include "model/text.hpp"
#include <climits>

using namespace jvap::model;

TEST_CASE("ISO codes", "[model]") {
  CHECK(country_name("ET") == "Ethiopia");
  CHECK(country_name("SN") == "Senegal");
  CHECK_FALSE(country_name("XX"));
  CHECK_FALSE(country_name("et"));
  CHECK_FALSE(country_name("UK"));  // the ISO code is GB
  CHECK(currency_minor_units("EUR") == 2);
  CHECK(currency_minor_units("XOF") == 0);
  CHECK(currency_minor_units("TND") == 3);
  CHECK_FALSE(currency_minor_units("EURO"));
  CHECK_FALSE(currency_minor_units("XXX"));
}

TEST_CASE("did you mean", "[model]") {
  std::vector<std::string> keys{"title", "domains", "priorities", "processes", "countries"};
  CHECK(closest("titel", keys) == "title");
  CHECK(closest("domain", keys) == "domains");
  CHECK(closest("zzz", keys).empty());
  CHECK(did_you_mean("proceses", keys) == " (did you mean 'processes'?)");
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("quote escapes control characters and shortens", "[model]") {
  CHECK(quote("a\tb") == "'a\\x09b'");
  CHECK(quote(std::string(100, 'x')).size() == 60 + 5);
}

TEST_CASE("diagnostics format and sort", "[model]") {
  std::vector<Diagnostic> ds{{"b.yaml", 1, 1, "x"}, {"a.yaml", 10, 2, "y"}, {"a.yaml", 2, 5, "z"},
                             {"a.yaml", 2, 5, "z"}};
  sort_unique(ds);
  REQUIRE(ds.size() == 3);
  CHECK(format(ds[0]) == "a.yaml:2:5: z");
  CHECK(format(ds[2]) == "b.yaml:1:1: x");
  CHECK(format(Diagnostic{"plans", 0, 0, "empty"}) == "plans: empty");
}

TEST_CASE("sha256 known answer", "[model]") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.update("a");
  h.update("bc");
  CHECK(h.hex() == sha256_hex("abc"));
}

TEST_CASE("money: exact text, grouping and sums that never wrap", "[model]") {
  CHECK(jvap::model::format_money(123456789, "EUR") == "1,234,567.89 EUR");
  CHECK(jvap::model::format_money(5, "EUR") == "0.05 EUR");
  CHECK(jvap::model::format_money(-100, "EUR") == "-1.00 EUR");
  CHECK(jvap::model::format_money(1500000, "XOF") == "1,500,000 XOF");
  CHECK(jvap::model::format_money(1234, "TND") == "1.234 TND");
  CHECK(jvap::model::decimal_text(INT64_MIN, "EUR") == "-92233720368547758.08");
  CHECK(jvap::model::checked_add(INT64_MAX, 1) == std::nullopt);
  CHECK(jvap::model::checked_add(40, 2) == 42);
}

TEST_CASE("text: control and invisible characters, printable output, CSV cells", "[model]") {
  CHECK(jvap::model::find_control("ok\ttext", "\t") == std::string::npos);
  CHECK(jvap::model::find_control("a\x01" "b") == 1);
  CHECK(jvap::model::find_control("a\xc2\x85" "b") == 1);  // C1 (NEL)
  CHECK(jvap::model::invisible_note("I-1\xc2\xa0").find("no-break space (U+00A0) as character 4") != std::string::npos);
  CHECK(jvap::model::invisible_note("\xe2\x80\x8bI-1").find("zero-width space") != std::string::npos);
  CHECK(jvap::model::invisible_note("I-1") == "");
  CHECK(jvap::model::printable("a\x1b[31m") == "a\\x1b[31m");
  CHECK(jvap::model::printable("caf\xe9") == "caf\\xe9");  // not UTF-8: escaped, never passed on
  CHECK(jvap::model::printable("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(jvap::model::quote(std::string(100, 'x')).size() == 60 + 5);
  CHECK(jvap::model::csv_field("=SUM(A1)") == "'=SUM(A1)");
  CHECK(jvap::model::csv_field("-1+2") == "'-1+2");
  CHECK(jvap::model::csv_field("@x,y") == "\"'@x,y\"");
  CHECK(jvap::model::csv_field("plain") == "plain");
}
