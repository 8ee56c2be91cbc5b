// Internal to the report module: the facts a report is built from (the plan in scope, each
// initiative's values for the trend window, the findings) and the tables computed from them.
#pragma once

#include <algorithm>
#include <array>
#include <functional>
#include <set>
#include <map>
#include <unordered_map>
#include <optional>
#include <string>
#include <vector>

#include "evaluation/view.hpp"
#include "report/report.hpp"

namespace jvap::report::detail {

struct StatusName {
  const char* key;
  const char* label;  // as reported in the `status` measure
};
inline constexpr std::array<StatusName, 6> kStatuses{{{"planned", "planned"},
                                                      {"ongoing", "ongoing"},
                                                      {"completed", "completed"},
                                                      {"suspended", "suspended"},
                                                      {"cancelled", "cancelled"},
                                                      {"not_reported", "not reported"}}};

// Small helpers of the table builders.
inline Column col(std::string key, std::string label, Type type = Type::text) {
  return {std::move(key), std::move(label), type};
}
// A row from values of mixed types. (A braced list of Cells trips a false -Wmaybe-uninitialized
// in g++ 12.)
template <typename... A>
std::vector<Cell> cells(A&&... a) {
  std::vector<Cell> v;
  v.reserve(sizeof...(a));
  (v.emplace_back(std::forward<A>(a)), ...);
  return v;
}
// sum += amount, in minor units of `currency`, never wrapping: an amount that would overflow is a
// ReportError naming the currency and the initiative that brought it.
void add_money(std::int64_t& sum, std::int64_t amount, const std::string& currency,
               const std::string& initiative);
// part/whole as a percentage with one decimal; empty when there is no whole.
Cell pct(std::int64_t part, std::int64_t whole);
inline bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}


// What the report reads of each initiative for its period, from the evaluation view.
struct InitiativeFacts {
  const model::Initiative* ini = nullptr;
  bool in_scope = false;       // of the report's scope
  bool active = false;         // in the report's period
  std::string status;          // reported for the period, else "not reported" / "not started" / "ended"
  std::optional<std::int64_t> disbursed;  // latest reported on or before the period (minor units)
  std::map<std::string, double> indicator;  // reported values for the period, by indicator id
  evaluation::Records records;  // in the view: values, receipts, disbursed, milestones
};

// Budget and disbursed over initiatives with a budget in one currency. A disbursed share is of
// the budget of the initiatives that report disbursement (on or before the period); the others
// are "no data", shown beside it, never counted as 0% disbursed.
struct Spend {
  std::int64_t initiatives = 0, budget = 0;            // every initiative with a budget
  std::int64_t reporting = 0, reporting_budget = 0, disbursed = 0;  // those reporting disbursed
  std::int64_t no_data = 0, no_data_budget = 0;        // those that never did
  void add(const InitiativeFacts& x);
};
// The spend columns of a table (after its own), and one row's cells.
std::vector<Column> spend_columns();
std::vector<Cell> spend_cells(const Spend& s, const std::string& currency);
// "Disbursed: 80.1% of the budget of the 31 initiatives reporting disbursement; no data from 33
// (EUR 184,000,000)": what a disbursed percentage covers, for a key figure or a note.
std::string spend_coverage(const Spend& s, const std::string& currency);

struct Progress {
  std::string target_period;
  std::optional<double> target, actual, share;
  std::string assessment;
};

class Facts {
 public:
  Facts(store::Store& store, const model::Plan& plan, const rules::RuleSet& rules,
        const Request& req, const Findings& findings);

  const model::Plan& plan;
  const Request& req;
  std::vector<const model::Domain*> domains;     // in scope
  std::vector<const model::Process*> processes;  // in scope
  std::vector<const InitiativeFacts*> in_scope;  // sorted by id

  Cover cover() const;
  std::vector<Highlight> highlights() const;

  std::vector<const InitiativeFacts*> in_domain(const std::string& domain) const;
  std::vector<const rules::Finding*> findings_in_scope() const;
  std::vector<const rules::Finding*> findings_in_domain(const std::string& domain) const;

  std::string report_state(const InitiativeFacts& x) const;  // for the report's period
  // "new this period", "carried over" (from the previous period) or "waived".
  std::string since(const rules::Finding& f) const;
  // The previous period ("2025-H2"), or "the previous period" before the calendar's first.
  std::string previous_period_text() const;
  std::string fix_of(const rules::Finding& f) const;
  std::string rule_title(const std::string& rule) const;  // "" for a rule no longer in the set
  Progress progress(const InitiativeFacts& x, const model::Indicator& ind) const;

  // What the summary's tables and charts break figures down by: the domains in scope, or in a
  // domain report the domain's priorities (a one-bar chart says nothing).
  struct Group {
    std::string id, title;
    std::vector<const InitiativeFacts*> list;  // in scope
  };
  std::vector<Group> groups() const;
  std::string group_kind() const { return req.kind == Kind::domain ? "priority" : "domain"; }
  Table budget_by_group() const;
  Table budget_by_funder_group() const;
  Table completeness_by_process() const;
  Table findings_by_rule() const;
  Section executive() const;  // executive.cpp
  Table info_matrix() const;  // executive.cpp
  Section processes_side_by_side() const;
  Section coverage() const;
  Section regions() const;
  Section trends() const;
  std::vector<Section> partner_sections() const;
  std::string owed_csv() const;
  // Commitments and work plans (work.cpp).
  Section commitments() const;
  Section work_plan() const;
  Section participation() const;
  Section outputs() const;
  std::vector<Highlight> work_plan_highlights() const;
  Cover work_plan_cover(Cover c) const;
  const model::WorkPlan* chosen_work_plan() const { return work_plan_; }

 private:
  void read_values(const store::Store& store);
  Table domain_status() const;  // the executive page's tables (executive.cpp)
  Table attention() const;
  Table changes() const;
  evaluation::Tally reports(const std::vector<const InitiativeFacts*>& list, const calendar::Period& p) const;
  std::vector<const InitiativeFacts*> where(const std::function<bool(const model::Initiative&)>& pred) const;
  bool finding_in_scope(const rules::Finding& f) const;
  // Whether a finding counts for a process: one about an initiative of it, about the process, or
  // about no process at all (an uncovered priority across the processes). The process report and
  // the joint side-by-side count by this one rule.
  bool finding_in_process(const rules::Finding& f, const std::string& process) const;
  std::vector<std::string> finding_domains(const rules::Finding& f) const;
  std::vector<std::string> finding_processes(const rules::Finding& f) const;

  const InitiativeFacts* find(const std::string& id) const;  // any initiative of the plan
  bool commitment_in_scope(const model::Commitment& c) const;
  std::vector<const evaluation::ActivityProgress*> activities() const;  // of the chosen work plan
  std::vector<const rules::Finding*> findings_about(const std::function<bool(const std::string&)>& subject) const;

  const rules::RuleSet& rules_;
  const Findings& findings_;
  evaluation::View view_;  // the records of the trend window as known on req.known_on
  const std::string period_id_;  // the report's period, its due date, and that date as text
  const calendar::Date due_;
  const std::string due_text_;
  std::unordered_map<std::string, InitiativeFacts*> by_id_;  // every initiative
  std::vector<InitiativeFacts> all_;  // by plan order
  std::vector<calendar::Period> window_;  // trend periods, oldest first, ending with req.period
  std::set<std::string> previous_keys_, current_keys_;  // rule + subject
  std::vector<const rules::Finding*> current_in_scope_;
  evaluation::Progress progress_;  // commitments and activities as known on req.known_on
  const model::WorkPlan* work_plan_ = nullptr;  // Kind::work_plan
};

// A finding's identity across periods: its rule and subject.
inline std::string key_of(const rules::Finding& f) { return f.rule + '\0' + f.subject; }

// The parts of `s` between `sep`s ("a/b" gives a, b; "" gives one empty part).
std::vector<std::string> split(const std::string& s, char sep);

// The subject a finding is about (an expired waiver's: the waived finding's subject).
std::string subject_of(const rules::Finding& f);

// Table builders shared by build.cpp and facts.cpp.
// `annex` adds the domains, processes, countries and reporting organisations.
Table initiatives_table(const Facts& f, std::string id, const std::vector<const InitiativeFacts*>& list,
                        bool annex);
Table findings_table(const Facts& f, std::string id, const std::vector<const rules::Finding*>& list,
                     bool with_fix);
Table indicators_table(const Facts& f, std::string id, const std::vector<const InitiativeFacts*>& list);

}  // namespace jvap::report::detail
