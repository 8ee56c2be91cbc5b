// Internal to ingest: streaming readers that turn a CSV or JSON upload into raw rows of the five
// upload columns, with the line each row starts on. Structural problems (bad quoting, invalid
// UTF-8, oversized fields) are reported per row or for the file; values are checked later.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/ingest.hpp"
#include "model/text.hpp"

namespace jvap::ingest::detail {

enum Column { kInitiative, kPeriod, kMeasure, kValue, kComment, kColumns };
extern const std::array<std::string, kColumns> kColumnNames;

inline constexpr std::size_t kMaxFieldBytes = 64 * 1024;
inline constexpr std::size_t kMaxColumns = 64;

struct RawRow {
  std::int64_t line = 0;
  std::array<std::string, kColumns> fields;
  std::array<bool, kColumns> present{};
  std::array<std::int64_t, kColumns> lines{}, cols{};  // JSON: where each value starts
  std::int64_t record = 0;                    // JSON: the record's place in the array
};

// Reads the whole stream; calls `row` for each structurally sound row and `problem` for each
// problem. Returns false when the file as a whole is unusable (then no row was accepted).
using RowFn = std::function<void(const RawRow&)>;
using ProblemFn = std::function<void(Problem)>;
using ProgressFn = std::function<void(std::uint64_t)>;

// With `windows_1252` the bytes are read as Windows-1252 and handed on as UTF-8.
bool read_csv(std::istream& in, bool windows_1252, const RowFn& row, const ProblemFn& problem,
              const ProgressFn& progress);
bool read_json(std::istream& in, const RowFn& row, const ProblemFn& problem,
               const ProgressFn& progress);

using model::valid_utf8;

}  // namespace jvap::ingest::detail
