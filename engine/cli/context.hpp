// Internal to the CLI: options shared by every command, the exit codes, and the helpers that
// turn the engine's values into printed output. Only the CLI prints.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/calendar.hpp"
#include "model/diagnostic.hpp"
#include "model/model.hpp"
#include "rules/rules.hpp"
#include "store/store.hpp"

namespace jvap::cli {

using Json = nlohmann::ordered_json;

enum ExitCode : int {
  kOk = 0,
  kFailed = 1,      // findings or rejections the user asked to fail on
  kInputError = 2,  // usage or input error
  kInternal = 3,    // a bug or an environment failure
};

struct Options {
  std::string plans = "plans";
  std::string db = "jvap.db";
  std::string as_of;  // YYYY-MM-DD; empty = today
  std::string format = "text";
  int verbose = 0;
  bool quiet = false;
};

struct Context {
  Options opts;
  calendar::Date as_of;
  std::ostream& out;
  std::ostream& err;

  bool json() const { return opts.format == "json"; }
};

// Prints diagnostics as `file:line:col: message` lines to ctx.err.
void print_diagnostics(Context& ctx, const std::vector<model::Diagnostic>& ds);
Json to_json(const std::vector<model::Diagnostic>& ds);
void print_json(Context& ctx, const Json& j);

// Loads the plan of --plans; on errors prints them with a hint and returns nullopt.
std::optional<model::Plan> load_plan(Context& ctx);
// The same through the store's snapshot cache; `done` names what did not happen ("checked").
std::optional<model::Plan> load_plan(Context& ctx, store::Store& db, const std::string& done);

// Loads the rules of `dir`; on errors prints them and returns nullopt.
std::optional<rules::RuleSet> load_rules(Context& ctx, const std::string& dir);
// The reporting period `id` of the plan, started by the as-of date; else prints why and nullopt.
std::optional<calendar::Period> checked_period(Context& ctx, const model::Plan& plan,
                                               const std::string& id);

// Formats money in minor units as "1,234,567.89 EUR".
std::string format_money(std::int64_t minor, const std::string& currency);

// A plain text table: the first row is the header; columns after the first are right-aligned
// when `numeric` says so.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& numeric, const std::string& indent = "  ");

}  // namespace jvap::cli
