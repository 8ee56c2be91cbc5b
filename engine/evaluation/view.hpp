// The evaluation view: the plan plus the records as known on a date, for a window of reporting
// periods. The one place that decides which stored version of a value counts on a date, when a
// period's report first arrived, what has been disbursed to date, which milestones are achieved
// and the state of each expected report. Rules (through the tables it materialises), completeness,
// reports and the partner pack all read it. Sits between the store (raw versions) and the rules.
//
// As known on D: a version counts when its upload was received on or before D; of the versions of
// one key (initiative, period, measure) that count, the one received last is the value (on the
// same day, the one ingested last). UploadWriter::settle applies the same order when it decides
// that an uploaded row repeats the value known on its received date.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.hpp"
#include "model/model.hpp"
#include "store/store.hpp"

namespace jvap::evaluation {

struct Window {
  std::optional<calendar::Period> first;  // oldest period whose values are read; nullopt: any
  std::optional<calendar::Period> last;   // newest; nullopt: any
  calendar::Date as_of;                   // deadlines are judged on this date
  calendar::Date known_on;                // the records as known on this date
};

struct Options {
  std::string initiative;             // only this initiative ("" = every one)
  std::vector<std::string> measures;  // only these (a name ending in '.' is a prefix); empty = all
  bool comments = false;              // keep each value's comment
  // Measures (a name ending in '.' is a prefix) also read for every period before and after the
  // window: disbursed-to-date needs "disbursed" and achieved milestones "milestone." when they
  // were reported outside it.
  std::vector<std::string> history;
  // Only these subjects (initiatives, commitments, activities), each read with its own index
  // lookup (its history too); empty = every one.
  std::vector<std::string> subjects;
};

// Where a value came from.
struct Source {
  std::int64_t upload_id = 0;
  std::int64_t line = 0;
  calendar::Date received_on;
};

// One key's value as known on the date. The text lives in the view (valid while it lives).
struct Value {
  calendar::Period period;
  std::string_view measure;    // "status", "indicator.jobs", "milestone.M1"
  std::string_view value;      // canonical text
  std::optional<double> num;   // numbers; money in minor units
  std::string_view comment;    // with Options::comments
  Source source;               // of the version that is the value
  calendar::Date first_received;  // when any version of this key was first received
};

// When a period's report first arrived: the earliest receipt of any of its records.
struct Receipt {
  calendar::Date on;
  std::int64_t upload_id = 0;
};

// The latest cumulative amount disbursed, reported for a period up to the one asked.
struct Disbursed {
  std::int64_t minor = 0;
  calendar::Period period;  // the period it was reported for
  Source source;
};

// A milestone reported achieved (the earliest date any period's current value gives).
struct Achieved {
  calendar::Date on;
  Source source;
};

// One initiative's records in the view: a cheap handle, valid while the view lives (and until its
// history is read).
class Records {
 public:
  Records() = default;  // an initiative with no records

  // The values of the window, sorted by period and measure.
  std::span<const Value> values() const { return window_; }
  // A value of the window, or (for disbursed and milestones) of the history.
  const Value* value(const calendar::Period& p, std::string_view measure) const;
  std::optional<Receipt> first_receipt(const calendar::Period& p) const;
  // Needs the history when the latest report is older than the window.
  std::optional<Disbursed> disbursed_to_date(const calendar::Period& p) const;
  // Needs the history for milestones reported outside the window.
  std::optional<Achieved> achieved(std::string_view milestone) const;

 private:
  friend class View;
  std::span<const Value> window_, history_;
  std::span<const std::pair<calendar::Period, Receipt>> receipts_;
  bool receipts_known_ = true;  // false when a measure filter hid some records
};

class View {
 public:
  View(const store::Store& store, const Window& window, const Options& options = {});
  ~View();
  View(View&&) noexcept;
  View& operator=(View&&) noexcept;

  // Reads the history of `measures` (see Options::history) now, unless the view has it already.
  void read_history(const store::Store& store, const std::vector<std::string>& measures);

  const Window& window() const;
  // The initiatives that have values, sorted by code.
  std::vector<std::string_view> initiatives() const;
  // One initiative's records (empty when it has none).
  Records of(std::string_view initiative) const;
  // The upload a value came from (nullptr for an unknown id).
  const store::UploadInfo* upload(std::int64_t id) const;

  struct Impl;  // view.cpp

 private:
  std::unique_ptr<Impl> impl_;
};

// ---- the reports the plan expects (reports.cpp) ----

// The one definition of a report's state (docs/records-format.md, "Reports and their state").
// A report is expected from an initiative for a period that overlaps its life, from the plan's
// (or the initiative's) monitoring start on. It requires: the status; each indicator with a target
// in the period; disbursed, for a project with a budget; each milestone falling due in the
// period (reported achieved in any period). Complete: every required measure reported; partial:
// some records for the period, not all of them; missing: nothing once the due date has passed;
// not yet due: nothing, before it. A complete report is on time when its last required measure
// arrived by the due date.
enum class ReportState { not_expected, not_yet_due, missing, partial, complete };
std::string_view to_string(ReportState s);

struct ReportStatus {
  ReportState state = ReportState::not_expected;
  calendar::Date due;
  std::optional<Receipt> received;             // the period's first record
  std::optional<calendar::Date> completed_on;  // when the last required measure arrived
  std::vector<std::string> missing;            // required measures not reported

  bool expected() const { return state != ReportState::not_expected; }
  bool on_time() const { return state == ReportState::complete && *completed_on <= due; }
  bool late() const { return state == ReportState::complete && *completed_on > due; }
};

// The measures a report of `ini` for `p` requires (see ReportState).
std::vector<std::string> required_measures(const model::Initiative& ini, const calendar::Period& p);
// Whether the plan expects a report of `ini` for `p` at all.
bool report_expected(const model::Plan& plan, const model::Initiative& ini, const calendar::Period& p);

// The report initiative `ini` owes for period `p`, judged on the window's as-of date. Milestones
// reported in other periods count when the view read the milestone history.
ReportStatus report_status(const View& view, const model::Plan& plan, const model::Initiative& ini,
                           const calendar::Period& p);
// The same for records already looked up (in a loop over many periods or initiatives).
ReportStatus report_status(const Records& records, const model::Plan& plan,
                           const model::Initiative& ini, const calendar::Period& p,
                           calendar::Date as_of);

// Reports counted over a set of initiatives. expected = complete + partial + missing + not_yet_due;
// complete = on_time + late.
struct Tally {
  std::int64_t expected = 0, complete = 0, on_time = 0, late = 0, partial = 0, missing = 0,
               not_yet_due = 0;
  void add(const ReportStatus& s);
};

struct GroupTally {
  std::string key;  // a process, country, domain or organisation id
  Tally tally;
  std::vector<std::string> missing, partial;  // the initiatives, sorted
};

// Reporting completeness for a period: over every initiative of the plan, and per process,
// country, domain and reporting organisation (each sorted by key; a group counts an initiative
// once, and an initiative counts in every group it belongs to).
struct Completeness {
  calendar::Period period;
  calendar::Date due;
  GroupTally total;  // key "all"
  std::vector<GroupTally> by_process, by_country, by_domain, by_org;
};
// `org`, when given, keeps the initiatives that organisation reports on.
Completeness completeness(const View& view, const model::Plan& plan, const calendar::Period& p,
                          std::string_view org = "");

// A report still owed: expected and not complete (missing, partial, or nothing yet before its
// due date), with the required measures not reported.
struct Owed {
  const model::Initiative* initiative = nullptr;
  ReportStatus status;
};
// In plan order; `org`, when given, keeps the initiatives that organisation reports on.
std::vector<Owed> owed(const View& view, const model::Plan& plan, const calendar::Period& p,
                       std::string_view org = "");

// ---- commitments and work plans (progress.cpp) ----

// A commitment's progress as known: its latest reported `progress` (not_started, in_progress,
// fulfilled, dropped) for a period up to the one asked, and the latest period with any record.
struct CommitmentProgress {
  const model::Commitment* commitment = nullptr;
  std::string progress;  // "" when never reported
  std::optional<calendar::Period> progress_period;
  Source source;
  std::optional<calendar::Period> last_reported;
  std::string narrative;  // the latest
  // Past its due date on the as-of date and not reported fulfilled or dropped.
  bool overdue = false;
};

// What happened to a planned activity. planned: its date has not passed and no outcome is
// reported; not_held: its date (or the date it was postponed to) has passed with no outcome
// since; held, postponed (to a date still to come, or with no new date) and cancelled as reported.
enum class ActivityState { planned, held, postponed, cancelled, not_held };
std::string_view to_string(ActivityState s);

struct Output {
  std::string key, title, reference;
};

struct ActivityProgress {
  const model::WorkPlan* work_plan = nullptr;
  const model::Activity* activity = nullptr;
  ActivityState state = ActivityState::planned;
  std::string outcome;  // as reported ("" none)
  std::optional<calendar::Date> held_on, postponed_to;
  std::vector<std::string> participants;  // sorted
  std::vector<Output> outputs;            // by key
  std::optional<calendar::Period> reported_for;  // the period of the latest outcome
  Source source;                                 // of the latest outcome
};

struct Progress {
  std::vector<CommitmentProgress> commitments;  // in plan order
  std::vector<ActivityProgress> activities;     // work plan by work plan, in plan order
};

// The progress of every commitment and activity from the records of periods up to `last` as
// known on `known_on`, judged on `as_of` (the one reading that rules, reports and the service use).
Progress progress(const store::Store& store, const model::Plan& plan, const calendar::Period& last,
                  calendar::Date as_of, calendar::Date known_on);

// ---- the SQL face of the view, for rules (tables.cpp) ----

// Builds the TEMP evaluation tables (docs/rules-format.md) for checking `period`: the plan, the
// calendar and the view's values, first receipts and achieved milestones.
void materialize(store::Store& store, const model::Plan& plan, const View& view,
                 const calendar::Period& period);
// The same tables, empty: what rule SQL is compiled against at load.
void create_tables(store::Store& store);

}  // namespace jvap::evaluation
