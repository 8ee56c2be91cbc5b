// libFuzzer target: the rule loader (YAML, parameters, SQL checked against the evaluation
// tables) on one arbitrary rule file (tools/fuzz).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "rules/rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("jvap-fuzz-rules-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "r.yaml", std::ios::binary).write(reinterpret_cast<const char*>(data),
                                                        static_cast<std::streamsize>(size));
  jvap::rules::load(dir);
  return 0;
}
