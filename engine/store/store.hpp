// The SQLite store: schema and migrations, the plan snapshot cache, uploads and record versions,
// stored check runs, and the scratch tables an evaluation is materialised into. Sits between
// ingest (which writes through UploadWriter) and the evaluation view, the rules and the reports
// (which read). Raw storage only: what was known when is decided by the evaluation view. SQLiteCpp
// types never leave it.
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
#include "model/error.hpp"
#include "model/model.hpp"

namespace jvap::store {

// A problem with the database itself (cannot open, read-only, locked too long, corrupt, newer
// schema). The message says what and where; the CLI maps it to exit code 2.
class StoreError : public model::Error {
 public:
  using model::Error::Error;
};

// A query that cannot run as asked (jvap's own or a custom rule's): the message is SQLite's.
class QueryError : public model::Error {
 public:
  using model::Error::Error;
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
  // Its review by the secretariat: verified (a CLI upload, unless told otherwise), pending (a
  // submission through the service awaiting review) or returned; verified_on once verified.
  std::string review = "verified";
  std::optional<calendar::Date> verified_on;
};

// An access token of the partner service (only a hash of its secret is kept).
struct Token {
  std::int64_t id = 0;
  std::string key;   // the public part, "jvap_" + 8 characters: names the token in lists and logs
  std::string hash;  // SHA-256 (hex) of the whole token
  std::string org, role, label;
  calendar::Date created_on;
  std::optional<calendar::Date> expires_on, revoked_on;
};

// One step in a submission's history.
struct SubmissionEvent {
  std::int64_t id = 0;
  std::string action;  // submitted | resubmitted | verified | returned
  std::string actor;   // the token key and organisation, or "cli"
  calendar::Date on;
  std::int64_t upload_id = 0;  // the upload it concerns
  std::string comment;
};

// An upload through the service and its review: submitted, then verified or returned (with a
// comment), then resubmitted (a new upload in the same submission), until verified.
struct Submission {
  std::int64_t id = 0;
  std::string org;
  std::string state;  // submitted | verified | returned
  std::int64_t upload_id = 0;  // the current upload
  calendar::Date created_on, updated_on;
  std::vector<SubmissionEvent> events;  // oldest first
};

// The original file of an upload, as archived (compressed in the database).
struct ArchivedFile {
  std::string name, media_type, sha256;
  std::string bytes;  // decompressed
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

// Bounds on one query, so a runaway statement (a recursive CTE that never ends) is stopped.
struct QueryLimits {
  std::chrono::milliseconds time = std::chrono::seconds(120);
  std::size_t rows = 1'000'000;
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

// A value bound to a scratch-table row: null, an integer, a real or text (copied when added).
using Param = std::variant<std::nullptr_t, std::int64_t, double, std::string_view>;

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
  // `name` is how messages name the database (default: `file`).
  Store(const std::filesystem::path& file, Access access,
        std::chrono::milliseconds wait = std::chrono::seconds(60), std::string name = "");
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  static int schema_version();
  int user_schema_version() const;  // the version of the open database

  // The plan in `dir`: its files are read and hashed every time; a snapshot with that content hash
  // is decoded from the cache, else the YAML is parsed with plan::load and cached. On plan errors
  // returns nullopt and fills `errors`.
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

  // Every upload in the audit log; in verified-only mode (below) only those verified by then.
  std::vector<UploadInfo> uploads() const;
  // From now on this connection reads only uploads verified on or before `by` (nullopt: every
  // upload again). The evaluation view reads uploads() only, so every view built on this store
  // (reports, rules, completeness) then sees verified data only.
  void set_verified_only(std::optional<calendar::Date> by);
  std::optional<calendar::Date> verified_only() const;

  // ---- the partner service's tokens and submissions (access.cpp) ----
  std::int64_t add_token(const Token& t);
  std::vector<Token> tokens() const;
  std::optional<Token> token(const std::string& key) const;
  // false when there is no such token or it was revoked already.
  bool revoke_token(const std::string& key, calendar::Date on);

  // Starts a submission for `upload_id` (inside the upload's transaction when called from
  // ingest::Options::before_commit), or adds a resubmission to submission `resubmits`.
  std::int64_t add_submission(const std::string& org, std::int64_t upload_id, const std::string& actor,
                              calendar::Date on, std::int64_t resubmits = 0);
  // Verifies or returns the submission's current upload; false when it is not awaiting review.
  bool review_submission(std::int64_t id, bool verify, const std::string& actor, calendar::Date on,
                         const std::string& comment);
  std::optional<Submission> submission(std::int64_t id) const;
  // The submission an upload belongs to (0 when none).
  std::int64_t submission_of(std::int64_t upload_id) const;
  // Without events; `org` and `state` filter when not empty; newest first.
  std::vector<Submission> submissions(const std::string& org = "", const std::string& state = "") const;
  void archive_file(std::int64_t upload_id, const std::string& media_type, std::string_view bytes);
  std::optional<ArchivedFile> archived_file(std::int64_t upload_id) const;
  // Version of the reviews: changes whenever a submission is verified or returned.
  std::int64_t last_review_id() const;
  std::optional<UploadInfo> upload(std::int64_t id) const;

  // ---- reading ----
  // Runs one read-only statement with named parameters (":name"). Throws QueryError when the
  // statement does not run, runs longer than the limit or returns more rows.
  QueryResult query(const std::string& sql, const std::map<std::string, Value>& params,
                    const QueryLimits& limits = {}) const;
  // The result columns of `sql` when it is exactly one read-only SELECT that compiles against
  // the tables of this connection (the evaluation tables included); otherwise throws QueryError
  // saying what is wrong.
  std::vector<std::string> check_query(const std::string& sql) const;

  // One stored record version, raw: the views are valid during the callback only.
  struct Version {
    std::string_view initiative, period, measure, value, comment;
    std::int64_t initiative_key = 0, measure_key = 0;  // the dictionaries' keys of the two
    std::optional<double> num;
    std::int64_t upload_id = 0;
    std::int64_t line = 0;
  };
  struct VersionFilter {
    std::string first_period, last_period;  // inclusive period ids; empty = unbounded
    std::string initiative;                 // one initiative; empty = every one
    // Only these measures (a name ending in '.' is a prefix: "milestone."); empty = all. The
    // filter is on the index, so the other versions cost almost nothing.
    std::vector<std::string> measures;
    bool comments = false;  // read the comment column too
  };
  // Every stored version the filter selects, in key order (initiative, period, measure, then
  // upload id, so the versions of a key come together, oldest upload first). One ordered pass,
  // no copies. Which versions were known on a date is the evaluation view's to decide.
  void scan_versions(const VersionFilter& filter, const std::function<void(const Version&)>& fn) const;

  // ---- check runs ----
  std::int64_t save_run(const StoredRun& run);
  // The latest stored run for `period`, if any (with its findings).
  std::optional<StoredRun> last_run(const std::string& period) const;
  // The latest stored run for `period` with this inputs key, if any.
  std::optional<StoredRun> find_run(const std::string& period, const std::string& inputs) const;
  // The run with this id, if any (with its findings).
  std::optional<StoredRun> run(std::int64_t id) const;
  // Every stored run, oldest first, without findings but with their counts by status and severity.
  struct RunSummary {
    StoredRun run;  // findings empty
    std::map<std::string, std::int64_t> by_status, by_severity;  // severity: current findings only
  };
  std::vector<RunSummary> runs(const std::string& period = "") const;
  // The id of the latest upload in the audit log (0 when none).
  std::int64_t last_upload_id() const;
  // The latest stored finding with this fingerprint (or a unique prefix of it).
  std::optional<StoredFinding> find_finding(const std::string& fingerprint) const;

  // Writes everything into the main file (checkpoint, rollback journal mode), so the file alone is
  // the whole database and can be moved; StoreError when that fails (a full disk).
  void make_self_contained();

  // ---- maintenance (maintenance.cpp) ----
  struct Health {
    std::vector<std::string> problems;  // empty when healthy
    std::int64_t uploads = 0, versions = 0, runs = 0;
    std::uintmax_t bytes = 0;
  };
  // SQLite's full integrity check, the foreign keys, and jvap's own invariants (every version has
  // its dictionary keys and upload; each upload's stored versions are what its audit row counts;
  // plan snapshots hold the plan of their hash).
  Health check_health() const;
  // A copy of the database made with SQLite's online backup (consistent while others write),
  // checked, then put in place at `target`, which must not exist.
  void backup(const std::filesystem::path& target) const;

  // An in-memory store with the schema, for checking rule SQL before any database exists.
  static std::unique_ptr<Store> memory();

  // Writes the scratch tables an evaluation is materialised into (TEMP: in memory, this
  // connection only, never the database file): jvap's own SQL and rows, in one transaction that
  // commit() ends; an uncommitted Scratch rolls back.
  class Scratch {
   public:
    explicit Scratch(Store& store);
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

    // jvap's own statements on TEMP tables (never user input).
    void exec(const std::string& sql);
    // Rows go to `table`, which has `columns` columns, from now on (batched).
    void into(const std::string& table, int columns);
    void add(std::initializer_list<Param> row);
    void commit();

   private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
  };

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace jvap::store
