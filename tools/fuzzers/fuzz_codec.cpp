// libFuzzer target: decoding a (possibly damaged) plan snapshot from the cache (tools/fuzz).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/plan_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  jvap::store::detail::decode_plan(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
