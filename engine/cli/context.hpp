// Internal to the CLI: the options every command has, what a command runs with, the one function
// that opens the plan, the store and the rules for it, and the helpers that print the engine's
// values. Only the CLI prints.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "calendar/calendar.hpp"
#include "model/diagnostic.hpp"
#include "model/error.hpp"
#include "model/model.hpp"
#include "model/text.hpp"
#include "rules/rules.hpp"
#include "store/store.hpp"

namespace jvap::cli {

using Json = nlohmann::ordered_json;
using model::ExitCode;
using model::kFailed;
using model::kInputError;
using model::kInternal;
using model::kOk;

// The options every command takes (before or after its name).
struct Options {
  std::string plans = "plans";
  std::string db = "jvap.db";
  std::string as_of;   // YYYY-MM-DD; empty = today
  std::string format;  // empty = the command's default
  int verbose = 0;
  bool quiet = false;
};

struct Context {
  Options opts;
  calendar::Date as_of;
  std::string format;  // the output format chosen (one the command supports)
  std::ostream& out;
  std::ostream& err;

  bool json() const { return format == "json"; }
};

// A usage error found by a command (a bad option value): exit code 2.
class UsageError : public model::Error {
 public:
  using model::Error::Error;
};

// What a command needs opened, in this order: the rules, the store, the plan.
struct Needs {
  enum class Db { none, read, write };
  Db db = Db::none;
  bool plan = false;       // through the store's snapshot cache when a store is opened
  std::string rules;       // the rules folder; "" = none
  std::string done = "done";  // what did not happen when the plan has errors ("checked")
  int wait_seconds = 60;   // for a writer waiting for another
  std::string db_path;     // the database to open instead of --db ("" = --db)
};

struct Session {
  std::unique_ptr<store::Store> db;
  std::optional<model::Plan> plan;
  std::optional<rules::RuleSet> rules;
};

// Opens what `needs` says; throws an Error (with every plan or rule problem in its details) when
// something cannot be opened.
Session open(Context& ctx, const Needs& needs);

// The reporting period `id` of the plan, started by the as-of date; throws UsageError otherwise.
calendar::Period checked_period(Context& ctx, const model::Plan& plan, const std::string& id);

// Prints diagnostics as `file:line:col: message` lines to ctx.err.
void print_diagnostics(Context& ctx, const std::vector<model::Diagnostic>& ds);
Json to_json(const std::vector<model::Diagnostic>& ds);
Json to_json(const store::UploadInfo& u);
void print_json(Context& ctx, const Json& j);

// "1 error", "3 errors".
using model::count_label;

// A data folder given by its default relative name ("rules", "reports"): the folder itself when
// it exists here, else the installed one beside the binary (<prefix>/share/jvap/<name>, found from
// /proc/self/exe, so an installation can move). A path given otherwise is returned as it is.
std::string data_folder(const std::string& path, const std::string& default_name);
// jvap's own data folder `name` ("rules", "reports", "plans/reference"): installed under
// <prefix>/share/jvap beside the binary, else the source tree of a build run where it was built.
std::optional<std::filesystem::path> installed_data(const std::string& name);

// Rows as CSV (the first row is the header), every field through model::csv_field.
void print_csv(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

// A UsageError (with "did you mean") unless `org` is an organisation id or a member state code of
// the plan; an empty `org` (no filter) passes.
void check_org(const model::Plan& plan, const std::string& org, const std::string& option = "--org");
// The same for a domain id, a rule id of `known`, a value of `allowed`.
void check_choice(const std::string& option, const std::string& value, const std::vector<std::string>& allowed,
                  const std::string& what);

// A plain text table: the first row is the header; columns after the first are right-aligned
// when `numeric` says so.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows,
                 const std::vector<bool>& numeric, const std::string& indent = "  ");

}  // namespace jvap::cli
