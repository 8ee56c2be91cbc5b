// libFuzzer target: the plan loader on one arbitrary YAML file (tools/fuzz).
#include <cstddef>
#include <cstdint>
#include <string>

#include "plan/plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  jvap::plan::load_sources({{"fuzz.yaml", "fuzz.yaml", text}}, "fuzz");
  return 0;
}
