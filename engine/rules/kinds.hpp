// Internal to the rules module: the built-in rule kinds as set-based SQL over the evaluation
// tables (see store::Store::prepare_evaluation and docs/rules-format.md).
#pragma once

#include <string>

#include "rules/rules.hpp"

namespace jvap::rules::detail {

// The SQL for a rule of a built-in kind, with its scope and parameters filled in. Every query
// returns subject, period, message, evidence (a JSON array of {name, value[, upload, line]}).
std::string kind_sql(const Rule& rule);

// How many periods of record values the rule needs, ending with the checked period.
int lookback(const Rule& rule);

// SQL text literal.
std::string sql_quote(const std::string& s);

}  // namespace jvap::rules::detail
