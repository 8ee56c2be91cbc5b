#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/app.hpp"
#include "cli/context.hpp"

using namespace jvap;

namespace {

struct Run {
  int code;
  std::string out, err;
};

Run run(std::vector<const char*> args) {
  args.insert(args.begin(), "jvap");
  std::ostringstream out, err;
  int code = cli::run(static_cast<int>(args.size()), args.data(), out, err);
  return {code, out.str(), err.str()};
}

const std::string kPlans = std::string(JVAP_SOURCE_DIR) + "/plans";

}  // namespace

TEST_CASE("tables align by display width", "[cli]") {
  std::ostringstream out;
  cli::print_table(out, {{"a", "n"}, {"Côte", "10"}}, {false, true}, "");
  CHECK(out.str() == "a      n\nCôte  10\n");
}

TEST_CASE("plan show --format json on the bundled plan is parseable and consistent", "[cli]") {
  auto r = run({"plan", "show", "--plans", kPlans.c_str(), "--as-of", "2025-06-01", "--format",
                "json"});
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  int by_domain_total = 0;
  for (const auto& d : j["by_domain"]) by_domain_total += d["total"].get<int>();
  CHECK(j["by_domain"].size() == 5);
  CHECK(by_domain_total >= j["initiatives"]["total"].get<int>());  // multi-domain initiatives
  CHECK(j["initiatives"]["projects"].get<int>() >= 60);
  CHECK(j["initiatives"]["policies"].get<int>() >= 10);
  for (const auto& p : j["processes"]) {
    if (p["id"] == "rabat") CHECK(p["members"].get<int>() + p["observers"].get<int>() == 57);
    if (p["id"] == "khartoum") CHECK(p["chair"] == "FR");  // France from April 2025
  }
}

TEST_CASE("periods --format json lists due dates", "[cli]") {
  auto r = run({"periods", "--plans", kPlans.c_str(), "--as-of", "2016-09-01", "--format", "json"});
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["periods"].size() == 2);
  CHECK(j["periods"][0]["period"] == "2016-H1");
  CHECK(j["periods"][0]["due"] == "2016-08-14");
  CHECK(j["periods"][0]["status"] == "closed");
  CHECK(j["periods"][1]["status"] == "open");
}

TEST_CASE("usage errors exit 2 with a hint", "[cli]") {
  auto r = run({"plan", "chek"});
  CHECK(r.code == 2);
  CHECK(r.err.find("did you mean 'check'?") != std::string::npos);
  CHECK(run({"periods", "--as-of", "yesterday"}).code == 2);
  CHECK(run({"--version"}).code == 0);
}
