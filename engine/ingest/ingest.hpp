// Uploads of progress records: reads a CSV or JSON file as a stream, validates every row against
// the plan, and stores the file's rows as new record versions atomically (all or nothing) and
// idempotently (values equal to the current ones add nothing). Second stage of the pipeline,
// between the plan and the store.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "calendar/calendar.hpp"
#include "model/model.hpp"
#include "store/store.hpp"

namespace jvap::ingest {

struct Options {
  std::string org;                // the reporting organisation uploading the file
  calendar::Date received_on;     // when the secretariat received it
  calendar::Date as_of;           // periods starting after this date are rejected
  bool dry_run = false;           // validate and count, store nothing
  // Called now and then with bytes read so far and the file size (for a progress bar).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  // The text encoding of a CSV file: UTF-8, or Windows-1252 (read as such, stored as UTF-8).
  bool windows_1252 = false;
  bool cumulative = true;  // keep Result::cumulative (for the decrease warnings)
  std::string sheet;       // XLSX, ODS: the sheet to read ("" = the first)
  // The upload's review state (store::UploadInfo::review): "verified" (the CLI's default) or
  // "pending" (a submission awaiting the secretariat's review).
  std::string review = "verified";
  // Called with the upload's id inside its transaction, just before it commits (the service
  // records the submission and archives the file there, so all of it is stored or none).
  std::function<void(std::int64_t upload_id)> before_commit;
  bool log_rejected = true;  // false: a rejected upload is not added to the audit log either
};

// One rejected row (or a problem with the whole file when line is 0).
struct Problem {
  std::int64_t line = 0;
  std::string column;  // header name, or "" for the row or file as a whole
  std::string message;
  bool whole_file = false;  // the file cannot be read as an upload (header, syntax, encoding)
  std::int64_t col = 0;     // byte in the line, when known (JSON values)
  std::int64_t record = 0;  // JSON: the record's place in the array, from 1
  std::string sheet;        // XLSX, ODS: the sheet's name (line is its row, col its column)
  bool not_theirs = false;  // the row is for a subject the uploading organisation does not report on
};

struct Result {
  store::UploadInfo upload;        // counts and outcome; id 0 for a dry run
  std::int64_t rows_not_reported = 0;  // rows with a blank value: skipped, never stored
  std::vector<std::string> periods;    // the periods of the accepted rows, sorted
  std::vector<std::string> subjects;   // the initiatives, commitments and activities of the accepted rows, sorted
  // The accepted values of cumulative measures (disbursed, cumulative indicators), for the
  // caller to compare with the period before (a decrease is a warning at ingest).
  // 40 bytes a row: a million-row upload keeps them in 40 MB at most.
  struct Cumulative {
    std::uint32_t initiative = 0;  // index in plan.initiatives
    std::uint32_t measure = 0;     // index in cumulative_measures
    calendar::Period period;
    double num = 0;
    std::int64_t line = 0;
  };
  std::vector<Cumulative> cumulative;  // empty unless Options::cumulative
  std::vector<std::string> cumulative_measures;
  std::vector<Problem> problems;   // sorted by line; empty when accepted
  bool identical_to_earlier = false;  // same bytes as an earlier upload by the same org
  bool file_unreadable = false;    // nothing could be read (missing file, permissions)
};

// Validates and stores one file. Throws store::StoreError for database problems.
Result ingest_file(store::Store& store, const model::Plan& plan, const std::filesystem::path& file,
                   const Options& options);

// `file:line[:col]: [record N: ][column: ]message` (or `file: message` for whole-file problems);
// in a spreadsheet `file:Sheet!C7: column: message` (`file:Sheet!row 7: ...` for a whole row).
std::string format(const std::string& file, const Problem& p);

}  // namespace jvap::ingest
