// libFuzzer target "sheet" (tools/fuzzers/targets.hpp; tools/fuzz).
#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jvap::fuzz::sheet(data, size);
  return 0;
}
