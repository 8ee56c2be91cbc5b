// libFuzzer target: the streaming CSV reader of uploads (tools/fuzz).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "ingest/row_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  jvap::ingest::detail::read_csv(
      in, [](const jvap::ingest::detail::RawRow&) {}, [](jvap::ingest::Problem) {}, {});
  return 0;
}
