// Every kept fuzz input (tests/fuzz-regressions/<target>/) through its target: a crash fixed once
// stays fixed. A folder without a target is an error, so inputs cannot be kept in the wrong place.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "targets.hpp"

TEST_CASE("fuzz regressions: every kept input runs through its target", "[fuzz]") {
  const auto root = std::filesystem::path(JVAP_SOURCE_DIR) / "tests/fuzz-regressions";
  std::size_t inputs = 0;
  for (const auto& dir : std::filesystem::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    auto name = dir.path().filename().string();
    INFO(name);
    REQUIRE(jvap::fuzz::all().count(name) == 1);
    for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
      std::ifstream in(f.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      std::string bytes = ss.str();
      INFO(f.path().filename().string());
      jvap::fuzz::all().at(name)(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++inputs;
    }
  }
  CHECK(inputs >= 4);
}
