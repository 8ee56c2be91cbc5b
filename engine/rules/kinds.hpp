// Internal to the rules module: the built-in rule kinds, as one table. Each kind has a name, its
// parameters (type, range, default), how many periods of values it looks back over, and one
// short function that builds its set-based SQL over the evaluation tables (evaluation::materialize,
// docs/rules-format.md). Adding a kind is one entry and one function here, its rule tests, the
// default rules and the docs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "rules/rules.hpp"

namespace jvap::rules::detail {

enum class ParamType {
  share,     // a number from 0 to 1
  days,      // an integer from 0 to 366
  periods,   // an integer from 2 to 12
  boolean,
  regions,   // a non-empty list of region ids
};

struct ParamSpec {
  std::string name;
  ParamType type;
  std::string default_value;  // as the loader stores it (lists comma-separated)
};

// What a kind's SQL builder reads: the rule and its parameters (defaults filled in).
class KindRule {
 public:
  explicit KindRule(const Rule& r) : rule(r) {}
  const Rule& rule;
  std::string param(const std::string& name) const;
  int integer(const std::string& name) const { return std::stoi(param(name)); }
};

// What a finding's subject names (docs/report-format.md, "Finding subjects"), and so which
// placeholders a fix text may use besides {subject} and {period}.
enum class Subject {
  initiative,          // "R-01": {initiative}
  initiative_measure,  // "R-01/indicator.jobs", "R-01/milestone.M1": {initiative}, {measure}
  priority,            // "D1.P1", or "D1.P1/rabat" per process
  member_domain,       // "rabat/SN/D2": a member state of a process and a domain
  commitment,          // "D2.PI1": {commitment}
  activity,            // "KP25-TM1", a work-plan activity: {activity}
  chairmanship,        // "khartoum/EG/2024-04-01": a process, its chair and the term's start
  process_domain,      // "khartoum/D5": a process and a domain of its framework
  any,                 // a custom SQL rule's own subjects
};

struct KindSpec {
  std::string name;
  Subject subject;
  std::vector<ParamSpec> params;
  // Periods of values the kind reads, ending with the period checked (at least 1).
  int (*lookback)(const KindRule&);
  // The query; it returns subject, period, message and evidence (a JSON array of
  // {name, value[, upload, line]}).
  std::string (*sql)(const KindRule&);
};

// The table of built-in kinds, sorted by name.
const std::vector<KindSpec>& kind_table();
const KindSpec* find_kind(std::string_view name);
const ParamSpec* find_param(const KindSpec& kind, std::string_view name);

// The SQL for a rule of a built-in kind, with its scope and parameters filled in.
std::string kind_sql(const Rule& rule);
// How many periods of values the rule needs, ending with the checked period.
int lookback(const Rule& rule);

// SQL text literal.
std::string sql_quote(const std::string& s);

}  // namespace jvap::rules::detail
