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

// Maps a header's fields to the upload columns (kColumns), kIgnored for a template's context
// columns, -1 for an unknown one; `names` gets each trimmed, lower-case name. Reports unknown,
// repeated and missing columns through `problem` (with the field concerned, "" for a missing
// one); false when there was any.
inline constexpr int kIgnored = -2;
// A header name as matched: trimmed, in lower case.
std::string header_key(std::string_view name);
bool map_header(const std::vector<std::string>& fields, std::vector<int>& columns, std::vector<std::string>& names,
                const std::function<void(std::string, const std::string&)>& problem);

// A spreadsheet upload (sheet_reader.cpp): the first sheet, or the one named `sheet`, of an XLSX
// or ODS file held in `bytes`. Problems carry the sheet's name (Problem::sheet) and the cell.
enum class SheetFormat { xlsx, ods };
inline constexpr std::uint64_t kMaxSheetFileBytes = 64u << 20;  // the file itself, compressed
// "C7" for row 7, column 3 (both from 1).
std::string cell_name(std::int64_t row, std::int64_t col);
// `chosen` gets the name of the sheet read.
bool read_sheet(std::string_view bytes, SheetFormat format, const std::string& sheet, const RowFn& row,
                const ProblemFn& problem, std::string& chosen);

using model::valid_utf8;

}  // namespace jvap::ingest::detail
