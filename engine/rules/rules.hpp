// The rule engine: declarative rules (rules/*.yaml) with built-in kinds compiled to set-based SQL
// or custom read-only SQL, evaluated over the store as of a date; findings with stable
// fingerprints, statuses against the previous run, and waivers that expire. Third stage of the
// pipeline, between the store and the reports.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "calendar/calendar.hpp"
#include "model/diagnostic.hpp"
#include "model/error.hpp"
#include "model/model.hpp"
#include "store/store.hpp"

namespace jvap::rules {

enum class Severity { info = 0, warning = 1, error = 2 };
std::string_view to_string(Severity s);
std::optional<Severity> parse_severity(std::string_view s);

struct Scope {
  std::vector<std::string> domains;    // empty = all
  std::vector<std::string> processes;  // empty = all
  std::vector<std::string> kinds;      // project / policy; empty = both
};

struct Rule {
  std::string id;
  std::string title;
  std::string description;
  Severity severity = Severity::warning;
  Scope scope;
  std::string fix;
  std::string kind;  // a built-in kind, or "sql" for a custom query
  std::map<std::string, std::string> params;  // validated per kind; numbers kept as text
  std::string sql;
  model::SourceLoc loc;
};

struct Waiver {
  std::string fingerprint;  // either this ...
  std::string rule;         // ... or rule + subject
  std::string subject;
  std::string reason;
  std::string who;
  calendar::Date expires;
  model::SourceLoc loc;
};

struct RuleSet {
  std::vector<Rule> rules;
  std::vector<Waiver> waivers;
  std::string hash;  // SHA-256 over the rule files (not the waivers, nor the tests)
  store::QueryLimits limits;  // for each rule's query (check --rule-timeout)
};

struct LoadResult {
  std::optional<RuleSet> rules;
  std::vector<model::Diagnostic> errors;
};

// The names of the built-in kinds (rules/kinds.hpp has their table).
std::vector<std::string> kind_names();

// Rule files that cannot be loaded (every problem in `details()`), or a rule that cannot be
// evaluated (located at the rule).
class RuleError : public model::Error {
 public:
  using model::Error::Error;
};

// Loads rules/*.yaml (not rules/tests/) and rules/waivers.yaml; custom SQL is checked against
// the evaluation schema and must be one read-only statement returning the finding columns.
LoadResult load(const std::filesystem::path& dir);

// A finding's status against the last check of the same period (docs/rules-format.md, "Findings,
// runs and statuses"): new since it, carried over from it, resolved since it, or waived. "Open"
// means new or carried over: current and not waived, everywhere (check, reports, JSON).
enum class Status { new_, carried_over, resolved, waived };
inline bool is_open(Status s) { return s == Status::new_ || s == Status::carried_over; }
std::string_view to_string(Status s);

struct Evidence {
  std::string name;
  std::string value;
  std::int64_t upload_id = 0;  // where the value came from, when it is a record
  std::int64_t line = 0;
};

struct Finding {
  std::string rule;
  Severity severity = Severity::warning;
  std::string subject;  // e.g. "DEMO-P001" or "DEMO-P001/indicator.I1" or "rabat/SN/D2"
  std::string period;
  std::string message;
  std::vector<Evidence> evidence;
  std::string fingerprint;
  Status status = Status::new_;
  std::string waiver;  // reason, when waived
};

// The fix text of the finding's rule, its placeholders filled from the finding: {subject},
// {period}, and where the kind's subjects name them {initiative} and {measure} (the subject's
// parts before and after its first '/'). Rule load rejects any other placeholder.
std::string fix_for(const RuleSet& rules, const std::string& rule, const std::string& subject,
                    const std::string& period);
inline std::string fix_for(const RuleSet& rules, const Finding& f) {
  return fix_for(rules, f.rule, f.subject, f.period);
}

// What a finding's subject concerns in the plan (the grammar in docs/rules-format.md): its
// initiative, if it names one, and the domains and processes it is about (an initiative's own,
// or those its parts name: a priority's domain, a process, a domain). An expired waiver's subject
// ("rule:subject") concerns what the waived finding's does.
struct Concerns {
  const model::Initiative* initiative = nullptr;
  std::vector<std::string> domains, processes;
  // Who reports on the subject: an initiative's, a commitment's or a work plan's organisations
  // (empty for subjects nobody reports on, such as a priority).
  std::vector<std::string> reporting;
};
Concerns concerns(const model::Plan& plan, const std::string& subject);

// The filters of `jvap findings` and of the service's findings, each empty for "any": severity,
// rule and status by value (`open` is new or carried over); organisation and domain through what
// the subject concerns (an initiative, commitment or activity the organisation reports on, a
// domain it is about).
struct FindingFilter {
  std::string org, severity, rule, domain, status;
  bool matches(const model::Plan& plan, std::string_view severity, std::string_view rule,
               std::string_view status, const std::string& subject) const;
};

// Stable across runs: a hash of rule, subject and period.
std::string fingerprint(const std::string& rule, const std::string& subject,
                        const std::string& period);

struct Run {
  std::int64_t id = 0;  // 0 when not stored
  std::string period;
  calendar::Date as_of;
  std::string rules_hash;
  std::string plan_hash;
  std::vector<Finding> findings;  // current ones (new, carried over, waived), then resolved ones
  std::int64_t previous_run = 0;  // the last check of the period the statuses compare with (0: none)
  calendar::Date previous_as_of;
};

// The findings of every rule (or those in `only`) for `period`, over the records as known on
// `known_on` (as_of when not given), with waivers applied and expired waivers as findings. Nothing
// is compared with earlier runs or stored: statuses are new or waived.
std::vector<Finding> find(store::Store& store, const model::Plan& plan, const RuleSet& rules,
                          const calendar::Period& period, calendar::Date as_of,
                          std::optional<calendar::Date> known_on = std::nullopt,
                          const std::vector<std::string>& only = {});
// The findings that concern `subjects` (initiatives, commitments, activities: those an upload
// touched), evaluated over their records only and the plan reduced to them: the same findings
// as find() gives for them when a rule's result for a subject depends on that subject alone (every
// built-in kind whose subject names an initiative, commitment or activity). Findings about
// groups (a priority, a country, a process) are left to the full check. Milliseconds at the
// million-record size (tools/bench-serve), for the service's feedback after an upload.
std::vector<Finding> find_for(store::Store& store, const model::Plan& plan, const RuleSet& rules,
                              const calendar::Period& period, calendar::Date as_of,
                              const std::vector<std::string>& subjects);
// A key over everything the findings for `period` depend on: the rules (with the SQL this jvap
// builds for their kinds) and waivers, the plan, the as-of date and the last upload. A stored run with the same key has exactly the findings
// that evaluating now would give.
std::string inputs_key(const store::Store& store, const model::Plan& plan, const RuleSet& rules,
                       const calendar::Period& period, calendar::Date as_of);
// The parsed evidence of a stored finding.
std::vector<Evidence> parse_evidence(const std::string& json_text);
// The evidence a rule returned: RuleError (located at the rule) when it nests too deeply.
std::vector<Evidence> parse_evidence(const std::string& json_text, const Rule& rule);

// Evaluates every rule for `period` over the records as known on `as_of`, compares with the
// previous stored run for that period and applies waivers. `only` restricts to some rule ids.
// With `store_run` false nothing is written (the run's id stays 0; `check --no-store`).
Run evaluate(store::Store& store, const model::Plan& plan, const RuleSet& rules,
             const calendar::Period& period, calendar::Date as_of,
             const std::vector<std::string>& only = {}, bool store_run = true);

}  // namespace jvap::rules
