#include <catch2/catch.hpp>

#include "model/codes.hpp"
#include "model/diagnostic.hpp"
#include "model/sha256.hpp"
#include "model/text.hpp"

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
