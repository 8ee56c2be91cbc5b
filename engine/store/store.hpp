// The SQLite store: schema and migrations, the plan snapshot cache, uploads and record versions.
// Sits between ingest (which writes through UploadWriter) and rules/reports (which read). The only
// module besides rules that speaks SQL; SQLiteCpp types never leave it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <variant>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "calendar/calendar.hpp"
#include "model/diagnostic.hpp"
#include "model/model.hpp"

namespace jvap::store {

// A problem with the database itself (cannot open, read-only, locked too long, corrupt, newer
// schema). The message says what and where; the CLI maps it to exit code 2.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class Access { read, write };

enum class Outcome { accepted, unchanged, rejected };
std::string_view to_string(Outcome o);

// One upload as recorded in the audit log.
struct UploadInfo {
  std::int64_t id = 0;
  std::string org;
  std::string file_name;
  std::string sha256;
  std::string format;  // csv | json
  calendar::Date received_on;
  std::string plan_hash;
  Outcome outcome = Outcome::accepted;
  std::int64_t rows = 0;       // data rows in the file
  std::int64_t rows_new = 0;   // keys with no earlier version
  std::int64_t rows_changed = 0;
  std::int64_t rows_unchanged = 0;
  std::int64_t rows_rejected = 0;
  std::string note;  // e.g. "identical to upload 3"
};

// One stored value: the key, the value, and where it came from.
struct RecordRow {
  std::string initiative;
  std::string period;
  std::string measure;
  std::string value;
  std::string comment;
  std::int64_t upload_id = 0;
  std::string file_name;
  std::int64_t line = 0;
  calendar::Date received_on;
  std::string org;
};

struct RecordQuery {
  std::string initiative;  // empty = any
  std::string period;
  std::string measure;     // exact, or a prefix ending in '.' ("indicator.")
  std::optional<calendar::Date> as_known_on;  // latest version received on or before
  std::int64_t limit = 0;  // 0 = all
};

// A row ready to store: `initiative` and `measure` are the store's keys (see UploadWriter::key_of).
struct StagedRow {
  std::int64_t initiative = 0;
  std::int64_t measure = 0;
  std::string_view period;
  std::string_view value;
  std::optional<double> num;  // numeric value, for indicators and money (minor units)
  std::string_view comment;
  std::int64_t line = 0;
};

class Store;

// A value read by a query: null, integer, real or text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
std::string to_text(const Value& v);  // "" for null; numbers in their shortest exact form

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

// What the evaluation tables are built for (see docs/rules-format.md for the tables).
struct EvaluationWindow {
  calendar::Period period;  // the period checked
  calendar::Date as_of;     // records as known on this date
  int lookback = 4;         // periods of record values loaded, ending with `period`
  // Records as known on this date instead (uploads received by then); deadlines still use as_of.
  std::optional<calendar::Date> known_on;
};

// A stored check run and its findings (the rules module owns their meaning).
struct StoredFinding {
  std::string fingerprint, rule, severity, subject, period, message, evidence, status, waiver;
};
struct StoredRun {
  std::int64_t id = 0;
  std::string period;
  calendar::Date as_of;
  std::string rules_hash, plan_hash;
  std::string inputs;  // a key over everything the findings depend on (rules::inputs_key)
  std::vector<StoredFinding> findings;
};

// Writes one upload inside one transaction. Nothing is visible to others until commit(); the
// destructor rolls back whatever was not committed.
class UploadWriter {
 public:
  ~UploadWriter();
  UploadWriter(UploadWriter&&) noexcept;
  UploadWriter& operator=(UploadWriter&&) = delete;

  std::int64_t initiative_key(const std::string& code);  // from the plan snapshot
  std::int64_t measure_key(const std::string& name);     // created on first use

  // Called for a row whose key the file already gave with a different value or comment (the
  // row is not stored). A repeat with the same value and comment is dropped silently.
  using ConflictFn = std::function<void(std::int64_t line, std::int64_t earlier_line)>;
  void on_conflict(ConflictFn fn);

  // Adds a row (copied; rows are written in batches).
  void add(const StagedRow& row);
  // Writes the rows still batched (and so reports their conflicts).
  void flush();

  // What is known only once the whole file is read.
  void set_details(const std::string& sha256, const std::string& note, std::int64_t rows);
  // Drops rows equal to the current stored value and counts new / changed / unchanged.
  void settle();
  const UploadInfo& info() const;

  std::int64_t commit();  // returns the upload id
  void rollback();

 private:
  friend class Store;
  struct Impl;
  explicit UploadWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class Store {
 public:
  // Opens (and for write access creates and migrates) the database. `wait` bounds how long a
  // writer waits for another writer before failing with a clear StoreError.
  Store(const std::filesystem::path& file, Access access,
        std::chrono::milliseconds wait = std::chrono::seconds(60));
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  static int schema_version();
  int user_schema_version() const;  // the version of the open database

  // The plan in `dir`, from the snapshot cache when its files are unchanged (matched by their size
  // and modification time, then by content hash), else parsed with plan::load and cached. On
  // plan errors returns nullopt and fills `errors`.
  struct PlanLoad {
    std::optional<model::Plan> plan;
    std::vector<model::Diagnostic> errors;
    bool from_cache = false;
  };
  PlanLoad load_plan(const std::filesystem::path& dir);

  // Starts an upload (takes the write lock; waits up to `wait`).
  UploadWriter begin_upload(UploadInfo info);
  // Records an upload that stored no records (rejected, or unchanged by hash) in the audit log.
  std::int64_t record_upload(const UploadInfo& info);
  // The accepted or unchanged upload with this content hash and org, if any.
  std::optional<UploadInfo> find_upload(const std::string& sha256, const std::string& org);

  std::vector<UploadInfo> uploads() const;
  std::optional<UploadInfo> upload(std::int64_t id) const;

  // ---- evaluation (used by the rules module) ----
  // An in-memory store with the schema, for checking rule SQL before any database exists.
  static std::unique_ptr<Store> memory();
  // (Re)builds the temporary evaluation tables (e_*) from the plan and the records.
  void prepare_evaluation(const model::Plan& plan, const EvaluationWindow& window);
  // Runs one read-only statement with named parameters (":name").
  QueryResult query(const std::string& sql, const std::map<std::string, Value>& params) const;
  // Empty when `sql` is exactly one read-only statement that compiles against the evaluation
  // tables; otherwise what is wrong. Fills `columns` with its result columns.
  std::string check_query(const std::string& sql, std::vector<std::string>& columns) const;

  std::int64_t save_run(const StoredRun& run);
  // The latest stored run for `period`, if any (with its findings).
  std::optional<StoredRun> last_run(const std::string& period) const;
  // The latest stored run for `period` with this inputs key, if any.
  std::optional<StoredRun> find_run(const std::string& period, const std::string& inputs) const;
  // The id of the latest upload in the audit log (0 when none).
  std::int64_t last_upload_id() const;
  // The latest stored finding with this fingerprint (or a unique prefix of it).
  std::optional<StoredFinding> find_finding(const std::string& fingerprint) const;
  std::vector<RecordRow> records(const RecordQuery& q) const;

  // Every stored version whose period lies in [first, last] (period ids) and whose upload was
  // received on or before `known_on`, in key order (initiative, period, measure, then upload, so
  // the last version of a key is its value as known on that date). One pass, no copies: the views
  // are valid during the call only. For reports, which need the values and receipts of a window.
  struct Version {
    std::string_view initiative, period, measure, value;
    std::optional<double> num;
    std::int64_t upload_id = 0;
    std::string_view received_on;
  };
  // `measures`, when not empty, keeps only these measures (a name ending in '.' is a prefix:
  // "milestone."); the filter is on the index, so the other versions cost almost nothing.
  void scan_versions(const std::string& first, const std::string& last, calendar::Date known_on,
                     const std::function<void(const Version&)>& fn,
                     const std::vector<std::string>& measures = {}) const;
  std::int64_t count_versions() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace jvap::store
