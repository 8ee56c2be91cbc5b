// libFuzzer target "plan" (tools/fuzzers/targets.hpp; tools/fuzz).
#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jvap::fuzz::plan(data, size);
  return 0;
}
