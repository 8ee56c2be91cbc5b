// IATI import: reads IATI 2.03 activity files as a stream (expat) and turns each activity that a
// mapping file can place into a plan initiative (YAML, for the secretariat to review before adding
// it to plans/) and progress records (upload CSV files, one per reporting organisation). An
// activity that cannot be mapped is listed with why, never guessed. Sits beside ingest: it reads
// the plan (for ids, members and the calendar) and writes files; it stores nothing.
// docs/iati-import.md lists the elements read and those ignored.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/model.hpp"

namespace jvap::iati {

// Where a sector or tag places an activity.
struct Placement {
  std::vector<std::string> domains, priorities;
};

// One activity's own mapping (by its iati-identifier): the id to give it, and what to add.
struct ActivityMapping {
  std::string id;  // "" = from the iati-identifier
  Placement place;
  std::vector<std::string> implementers;  // when the file names no implementing organisation
};

struct Mapping {
  std::map<std::string, std::string> organisations;  // IATI organisation identifier -> plan id
  std::map<std::string, Placement> sectors;          // "code" (DAC 5-digit) or "vocabulary:code"
  std::map<std::string, Placement> tags;             // "vocabulary:code"
  std::map<std::string, ActivityMapping> activities;
};

// Reads a mapping file strictly against the plan; every problem located in `errors`.
std::optional<Mapping> load_mapping(const std::filesystem::path& file, const model::Plan& plan,
                                    std::vector<model::Diagnostic>& errors);

struct Options {
  calendar::Date as_of;  // the status is reported for the period containing this date
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

struct Unmapped {
  std::string identifier;
  std::int64_t line = 0;
  std::vector<std::string> reasons;
};

struct Result {
  std::int64_t activities = 0, mapped = 0;
  std::map<std::string, std::int64_t> upload_rows;  // by reporting organisation
  std::vector<Unmapped> unmapped;
  std::vector<model::Diagnostic> errors;  // malformed XML (file:line:col); nothing usable then
};

// Where the outputs go as they are made: the plan fragment's text, and each upload's lines (its
// header first) by reporting organisation.
struct Sink {
  std::function<void(std::string_view)> plan_fragment;
  std::function<void(const std::string& org, std::string_view line)> upload;
};

// Reads `file` as a stream, handing the outputs to `sink` as it goes: memory stays bounded by one
// activity (and the list of unmapped ones).
Result import_file(const std::filesystem::path& file, const model::Plan& plan, const Mapping& mapping,
                   const Options& options, const Sink& sink);

// ---- internal: one activity as read (reader.cpp), and its conversion (convert.cpp) ----
namespace detail {

struct Money {
  double value = 0;
  std::string currency;  // "" = the activity's default currency
  std::string date;      // value-date or transaction date
};

struct Budget {
  int type = 1;  // 1 original, 2 revised
  std::string start, end;
  Money value;
};

struct Transaction {
  int type = 0;
  std::string date;
  Money value;
};

struct IndicatorPeriod {
  std::string start, end;
  std::optional<double> target, actual;
};

struct Indicator {
  std::string title;
  int measure = 1;  // 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative
  bool ascending = true;
  std::optional<double> baseline;
  std::vector<IndicatorPeriod> periods;
};

struct Activity {
  std::int64_t line = 0;
  std::string identifier, title, default_currency, last_updated;
  std::string reporting_org;
  int status = 0;
  std::map<int, std::string> dates;  // activity-date type -> iso-date
  std::multimap<int, std::string> orgs;  // role -> ref
  std::vector<std::string> countries;
  std::vector<std::pair<std::string, std::string>> sectors, tags;  // (vocabulary, code)
  std::vector<Budget> budgets;
  std::vector<Transaction> transactions;
  std::vector<Indicator> indicators;
  std::vector<std::string> problems;  // values that could not be read
};

// Calls `each` for every activity of the stream; returns the XML errors (empty when well formed).
std::vector<model::Diagnostic> read_activities(std::istream& in, const std::string& file,
                                               const std::function<void(Activity&)>& each,
                                               const std::function<void(std::uint64_t)>& progress);

// An initiative's YAML and its upload rows, or the reasons it cannot be mapped.
struct Converted {
  std::string id, reporting;
  std::string yaml;
  std::vector<std::string> rows;  // CSV lines without the header
  std::vector<std::string> reasons;
};
Converted convert(const Activity& a, const model::Plan& plan, const Mapping& m, calendar::Date as_of);

}  // namespace detail

}  // namespace jvap::iati
