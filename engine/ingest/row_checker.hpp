// Internal to ingest: checks one raw row against the plan and turns it into a row to store, with
// its value in canonical form (so "1200.0" and "1200" are the same value, and not a new version).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/ingest.hpp"
#include "ingest/row_source.hpp"
#include "store/store.hpp"

namespace jvap::ingest::detail {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// What an upload row's `initiative` column names: an initiative, a commitment or a work-plan
// activity (the plan keeps their ids distinct).
struct Subject {
  enum class Kind { initiative, commitment, activity } kind = Kind::initiative;
  std::string_view code;
  const model::Initiative* initiative = nullptr;
  const model::Commitment* commitment = nullptr;
  const model::WorkPlan* work_plan = nullptr;
  const model::Activity* activity = nullptr;
  const std::vector<std::string>* reporting = nullptr;
};

struct CheckedRow {
  const model::Initiative* initiative = nullptr;  // nullptr for a commitment or an activity
  std::size_t initiative_index = 0;               // the subject's index (RowChecker::subjects)
  std::string_view code;                          // the subject's id
  std::string measure;  // canonical measure name
  std::string value;    // canonical value
  std::optional<double> num;
  bool not_reported = false;  // a blank value: the row is skipped, not stored
};

class RowChecker {
 public:
  RowChecker(const model::Plan& plan, const Options& options);

  // The checked row, or nullopt after adding its problems to `problems`.
  std::optional<CheckedRow> check(const RawRow& row, std::vector<Problem>& problems);
  // How many subjects rows may name (initiatives first, in plan order).
  std::size_t subjects() const { return subjects_.size(); }

 private:
  using ProblemAt = std::function<void(Column, std::string)>;
  const Subject* subject(const RawRow& row, const ProblemAt& problem);
  void period(const RawRow& row, const Subject* s, const ProblemAt& problem);
  bool measure(const std::string& measure, const model::Initiative* ini, const ProblemAt& problem) const;
  bool known_target(const std::string& measure, const model::Initiative* ini,
                    const ProblemAt& problem) const;
  std::optional<std::string> check_value(const model::Initiative& ini, const std::string& measure,
                                         const std::string& value, std::optional<double>& num,
                                         std::string& error) const;

  const model::Plan& plan_;
  const Options& options_;
  std::vector<Subject> subjects_;
  std::unordered_map<std::string, std::size_t, StringHash, std::equal_to<>> index_;
  std::vector<std::string> ids_;  // for "did you mean", built on the first unknown id
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::string last_code_;
  std::size_t last_index_ = kNone;
  std::string last_period_;
  std::optional<calendar::Period> last_parsed_;
  bool not_theirs_ = false;  // the problem being added is Problem::not_theirs
};

// The measures of commitments and activities (work_rows.cpp): whether `measure` is one of the
// subject's, and its value in canonical form; both give nullopt / false with `error` set.
bool is_work_measure(const std::string& measure);  // of some commitment or activity
bool work_measure(const Subject& s, const std::string& measure, std::string& error);
std::optional<std::string> work_value(const model::Plan& plan, const Subject& s, const std::string& measure,
                                      const std::string& value, calendar::Date as_of, std::string& error);
// Whether a period may carry records of the subject ("" when it may; else the reason).
std::string work_period_problem(const Subject& s, const calendar::Period& p);

}  // namespace jvap::ingest::detail
