#include "store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <unistd.h>

#include <fstream>
#include <thread>
#include <unordered_map>
#include <sstream>

#include "plan/plan.hpp"
#include "store/plan_codec.hpp"
#include "store/schema.hpp"
#include "store/store_impl.hpp"

namespace jvap::store {

namespace fs = std::filesystem;

std::string_view to_string(Outcome o) {
  switch (o) {
    case Outcome::accepted: return "accepted";
    case Outcome::unchanged: return "unchanged";
    case Outcome::rejected: return "rejected";
  }
  return "rejected";
}

namespace detail {

Outcome parse_outcome(const std::string& s) {
  if (s == "accepted") return Outcome::accepted;
  if (s == "unchanged") return Outcome::unchanged;
  return Outcome::rejected;
}

std::string describe_sqlite_error(const SQLite::Exception& e, const std::string& file) {
  int code = e.getErrorCode() & 0xff;
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "database " + file + " is locked by another writer and stayed locked too long; "
             "try again when the other command has finished";
    case SQLITE_READONLY:
      return "database " + file + " is read-only: cannot store anything (check the file's and "
             "its folder's permissions)";
    case SQLITE_FULL: return "database " + file + " cannot grow: the disk is full";
    case SQLITE_IOERR: return "database " + file + ": input/output error (" + e.what() + ")";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return "database " + file + " is not a jvap database or is corrupt";
    case SQLITE_CANTOPEN: return "cannot open database " + file + " (" + e.what() + ")";
    default: return "database " + file + ": " + e.what();
  }
}

}  // namespace detail

using detail::describe_sqlite_error;

Store::Store(const fs::path& file, Access access, std::chrono::milliseconds wait, std::string name)
    : impl_(std::make_unique<Impl>()) {
  impl_->path = file.generic_string();
  impl_->file = name.empty() ? impl_->path : name;
  impl_->access = access;
  std::error_code ec;
  const bool memory = impl_->path == ":memory:";
  fs::path parent = file.has_parent_path() ? file.parent_path() : fs::path(".");
  if (!memory) {
    auto st = fs::status(file, ec);
    if (fs::exists(st) && !fs::is_regular_file(st))
      throw StoreError("database " + impl_->file + " is not a regular file (" +
                       (fs::is_directory(st) ? "a folder" : "a pipe or a device") + ")");
    // Reading a database that does not exist yet is reading an empty one: nothing is uploaded
    // yet, and a command that only reads creates nothing on disk.
    if (access == Access::read && !fs::exists(st)) {
      impl_->path = ":memory:";
      impl_->access = Access::write;
    } else if (!fs::is_directory(parent, ec)) {
      throw StoreError("cannot open database " + impl_->file + ": folder " + parent.generic_string() +
                       " does not exist");
    }
  }
  // Opening can meet SQLITE_BUSY without SQLite's busy handler being called (another process
  // creating the database, switching it to WAL or recovering its WAL), so the set-up is retried
  // until the wait is used up.
  auto deadline = std::chrono::steady_clock::now() + wait;
  for (int attempt = 0;; ++attempt) {
    try {
      impl_->open(wait);
      return;
    } catch (const SQLite::Exception& e) {
      int code = e.getErrorCode() & 0xff;
      bool busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
      if (busy && std::chrono::steady_clock::now() < deadline) {
        impl_->db.reset();
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(100, 5 << std::min(attempt, 4))));
        continue;
      }
      // Reading a database whose folder or WAL files we may not write: open it as immutable.
      if (access == Access::read && (code == SQLITE_READONLY || code == SQLITE_CANTOPEN) &&
          ::access(file.c_str(), W_OK) != 0) {
        try {
          impl_->db.reset();
          impl_->open(wait, true);
          return;
        } catch (const SQLite::Exception& e2) {
          throw StoreError(describe_sqlite_error(e2, impl_->file));
        }
      }
      throw StoreError(describe_sqlite_error(e, impl_->file));
    }
  }
}

void Store::Impl::open(std::chrono::milliseconds wait, bool immutable) {
  // One connection per process, used from one thread: no SQLite mutexes needed.
  int flags = (access == Access::write ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE
                                       : SQLite::OPEN_READONLY) |
              SQLite::OPEN_NOMUTEX;
  std::string name = path;
  if (immutable) {
    flags |= SQLite::OPEN_URI;
    name = "file:" + fs::absolute(path).generic_string() + "?immutable=1";
  }
  db = std::make_unique<SQLite::Database>(name, flags, static_cast<int>(wait.count()));
  db->exec("PRAGMA foreign_keys = ON");
  db->exec("PRAGMA cache_size = -8192");  // 8 MiB: enough for appending in key order
  if (access == Access::write) {
    if (db->execAndGet("PRAGMA journal_mode").getString() != "wal") {
      // 64 KiB pages (only takes effect before the first table exists): a million-row upload
      // writes a sixteenth of the WAL frames that 4 KiB pages need (tools/bench-ingest: system
      // time 0.8 s -> 0.45 s). WAL lets readers work while one writer ingests.
      db->exec("PRAGMA page_size = 65536");
      db->exec("PRAGMA journal_mode = WAL");
    }
    db->exec("PRAGMA synchronous = FULL");  // each commit reaches the disk
    migrate();
    verify_for_write();
  } else {
    check_version();
  }
}

Store::~Store() = default;

int Store::schema_version() { return detail::migrations().back().version; }

int Store::user_schema_version() const {
  return impl_->db->execAndGet("PRAGMA user_version").getInt();
}

void Store::Impl::check_version() {
  int v = db->execAndGet("PRAGMA user_version").getInt();
  if (v > Store::schema_version())
    throw StoreError("database " + file + " has schema version " + std::to_string(v) +
                     ", newer than this jvap understands (" +
                     std::to_string(Store::schema_version()) + "); upgrade jvap");
  if (v == 0 && access == Access::read) {
    // An empty file or a database of another program.
    bool has_tables = db->execAndGet("SELECT count(*) FROM sqlite_master").getInt() > 0;
    throw StoreError("database " + file + (has_tables ? " is not a jvap database" : " is empty"));
  }
}

namespace {

const char* kTables[] = {"schema_migration", "plan_snapshot", "plan_folder", "initiative", "measure",
                         "upload", "record_version", "check_run", "finding",
                         "access_token", "submission", "submission_event", "upload_file"};
// The table quick-checked on every write only while the file is small (see verify_for_write).
constexpr std::uintmax_t kQuickCheckAll = 64u << 20;

}  // namespace

// A writer refuses a damaged database, before writing anything: the schema must be jvap's, and
// SQLite's quick check must find nothing wrong in the tables (record_version only while the file
// is at most 64 MiB: 0.3 s of the 0.5 s a quick check takes at 1M records; larger databases are
// checked in full by 'jvap db check').
void Store::Impl::verify_for_write() {
  if (path == ":memory:") return;
  auto damaged = [&](const std::string& what) {
    throw StoreError("database " + file + " is damaged (" + what + "); nothing was written. " +
                     "See 'jvap db check', and restore it from a backup ('jvap db backup')");
  };
  try {
    for (const char* t : kTables) {
      SQLite::Statement q(*db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
      q.bind(1, t);
      q.executeStep();
      if (q.getColumn(0).getInt() != 1) damaged(std::string("table ") + t + " is missing");
    }
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    for (const char* t : kTables) {
      if (std::string_view(t) == "record_version" && (ec || size > kQuickCheckAll)) continue;
      std::string result = db->execAndGet(std::string("PRAGMA quick_check(") + t + ")").getString();
      if (result == "ok") continue;
      // SQLite's first message, on one line: "Page 20: btreeInitPage() returns error code 11".
      if (auto head = result.find("***\n"); head != std::string::npos) result.erase(0, head + 4);
      for (auto& c : result)
        if (c == '\n') c = ' ';
      damaged("table " + std::string(t) + ": " + result);
    }
  } catch (const SQLite::Exception& e) {
    damaged(e.what());
  }
}

void Store::Impl::migrate() {
  // Up to date: no write transaction, so opening never waits for another writer.
  if (db->execAndGet("PRAGMA user_version").getInt() == Store::schema_version()) return;
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  check_version();
  int v = db->execAndGet("PRAGMA user_version").getInt();
  if (v == 0 && db->execAndGet("SELECT count(*) FROM sqlite_master").getInt() > 0)
    throw StoreError("database " + file + " is not a jvap database");
  for (const auto& m : detail::migrations()) {
    if (m.version <= v) continue;
    db->exec(m.sql);
    SQLite::Statement ins(*db, "INSERT INTO schema_migration(version, applied_by) VALUES (?, ?)");
    ins.bind(1, m.version);
    ins.bind(2, std::string("jvap ") + JVAP_VERSION);
    ins.exec();
    db->exec("PRAGMA user_version = " + std::to_string(m.version));
    // A migration may edit a table's schema text (6: a CHECK); a new schema_version makes SQLite
    // read the schema again before the next migration alters that table.
    int sv = db->execAndGet("PRAGMA schema_version").getInt();
    db->exec("PRAGMA schema_version = " + std::to_string(sv + 1));
  }
  tx.commit();
}

// ---- plan snapshot cache -------------------------------------------------------------------

namespace {

}  // namespace

Store::PlanLoad Store::load_plan(const fs::path& dir) {
  PlanLoad out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    auto r = plan::load(dir);  // reports the folder problem as a diagnostic
    out.errors = std::move(r.errors);
    return out;
  }
  std::string folder = fs::weakly_canonical(dir, ec).generic_string();
  auto& db = *impl_->db;
  try {
    // The content decides, never file sizes or times: an edit that keeps both still changes the
    // hash (reading and hashing a 20,000-initiative plan, 11 MB, takes about 0.03 s).
    std::vector<plan::SourceFile> sources = plan::read_sources(dir);
    std::string hash = plan::content_hash(sources);
    {
      SQLite::Statement q(db, "SELECT data FROM plan_snapshot WHERE hash = ?");
      q.bind(1, hash);
      if (q.executeStep()) {
        auto col = q.getColumn(0);
        auto plan = detail::decode_plan(
            std::string_view(static_cast<const char*>(col.getBlob()), col.getBytes()));
        if (plan && plan->content_hash == hash) {
          out.plan = std::move(plan);
          out.from_cache = true;
        }
      }
    }
    if (!out.plan) {
      auto r = plan::load_sources(sources, dir.generic_string());
      if (!r.plan) {
        out.errors = std::move(r.errors);
        return out;
      }
      out.plan = std::move(r.plan);
      hash = out.plan->content_hash;
    }
    if (impl_->access == Access::write && !out.from_cache) impl_->save_plan(*out.plan, folder);
  } catch (const SQLite::Exception& e) {
    throw StoreError(describe_sqlite_error(e, impl_->file));
  }
  return out;
}

void Store::Impl::save_plan(const model::Plan& plan, const std::string& folder) {
  SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
  {
    SQLite::Statement ins(*db,
                          "INSERT INTO plan_snapshot(hash, plan_id, initiatives, data) "
                          "VALUES (?, ?, ?, ?) ON CONFLICT(hash) DO UPDATE SET "
                          "plan_id = excluded.plan_id, initiatives = excluded.initiatives, "
                          "data = excluded.data");
    std::string data = detail::encode_plan(plan);
    ins.bind(1, plan.content_hash);
    ins.bind(2, plan.info.id);
    ins.bind(3, static_cast<std::int64_t>(plan.initiatives.size()));
    ins.bind(4, data.data(), static_cast<int>(data.size()));
    ins.exec();
    SQLite::Statement key(*db, "INSERT OR IGNORE INTO initiative(code) VALUES (?)");
    // Every id an upload may name: initiatives, commitments and work-plan activities.
    auto add_key = [&](const std::string& code) {
      key.bind(1, code);
      key.exec();
      key.reset();
    };
    for (const auto& i : plan.initiatives) add_key(i.id);
    for (const auto& c : plan.commitments) add_key(c.id);
    for (const auto& w : plan.work_plans)
      for (const auto& a : w.activities) add_key(a.id);
  }
  SQLite::Statement up(*db,
                       "INSERT INTO plan_folder(folder, hash, files) VALUES (?, ?, ?) "
                       "ON CONFLICT(folder) DO UPDATE SET hash = excluded.hash, "
                       "files = excluded.files WHERE hash != excluded.hash OR files != excluded.files");
  std::string files;  // the plan folder last seen at this path, with its files
  for (const auto& f : plan.files) files += f + "\n";
  up.bind(1, folder);
  up.bind(2, plan.content_hash);
  up.bind(3, files);
  up.exec();
  tx.commit();
}

// ---- audit log and queries -----------------------------------------------------------------

std::int64_t Store::record_upload(const UploadInfo& info) {
  return guarded(impl_->file, [&]() -> std::int64_t {
    SQLite::Transaction tx(*impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    auto id = impl_->insert_upload(info);
    tx.commit();
    return id;
  });
}

std::int64_t Store::Impl::insert_upload(const UploadInfo& info) {
  SQLite::Statement ins(*db, R"sql(
INSERT INTO upload(org, file_name, sha256, format, received_on, plan_hash, outcome, rows, rows_new,
                   rows_changed, rows_unchanged, rows_rejected, note, review, verified_on)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql");
  int i = 1;
  ins.bind(i++, info.org);
  ins.bind(i++, info.file_name);
  ins.bind(i++, info.sha256);
  ins.bind(i++, info.format);
  ins.bind(i++, calendar::to_string(info.received_on));
  ins.bind(i++, info.plan_hash);
  ins.bind(i++, std::string(to_string(info.outcome)));
  ins.bind(i++, info.rows);
  ins.bind(i++, info.rows_new);
  ins.bind(i++, info.rows_changed);
  ins.bind(i++, info.rows_unchanged);
  ins.bind(i++, info.rows_rejected);
  ins.bind(i++, info.note);
  ins.bind(i++, info.review);
  if (info.review == "verified") ins.bind(i++, calendar::to_string(info.verified_on.value_or(info.received_on)));
  else ins.bind(i++);
  ins.exec();
  return db->getLastInsertRowid();
}

namespace {

const char* kUploadColumns =
    "id, org, file_name, sha256, format, received_on, plan_hash, outcome, rows, rows_new, "
    "rows_changed, rows_unchanged, rows_rejected, note";

}  // namespace

std::string Store::Impl::upload_columns() const {
  if (db->execAndGet("PRAGMA user_version").getInt() >= 7)
    return std::string(kUploadColumns) + ", review, verified_on";
  return std::string(kUploadColumns) + ", 'verified', CASE WHEN outcome != 'rejected' THEN received_on END";
}

void Store::set_verified_only(std::optional<calendar::Date> by) { impl_->verified_only = by; }
std::optional<calendar::Date> Store::verified_only() const { return impl_->verified_only; }

namespace {

UploadInfo read_upload(SQLite::Statement& q) {
  UploadInfo u;
  int i = 0;
  u.id = q.getColumn(i++).getInt64();
  u.org = q.getColumn(i++).getString();
  u.file_name = q.getColumn(i++).getString();
  u.sha256 = q.getColumn(i++).getString();
  u.format = q.getColumn(i++).getString();
  u.received_on = calendar::parse_date(q.getColumn(i++).getString()).value_or(calendar::Date{});
  u.plan_hash = q.getColumn(i++).getString();
  u.outcome = detail::parse_outcome(q.getColumn(i++).getString());
  u.rows = q.getColumn(i++).getInt64();
  u.rows_new = q.getColumn(i++).getInt64();
  u.rows_changed = q.getColumn(i++).getInt64();
  u.rows_unchanged = q.getColumn(i++).getInt64();
  u.rows_rejected = q.getColumn(i++).getInt64();
  u.note = q.getColumn(i++).getString();
  u.review = q.getColumn(i++).getString();
  if (!q.getColumn(i).isNull()) u.verified_on = calendar::parse_date(q.getColumn(i).getString());
  return u;
}

}  // namespace

std::optional<UploadInfo> Store::find_upload(const std::string& sha256, const std::string& org) {
  return guarded(impl_->file, [&]() -> std::optional<UploadInfo> {
    // A returned upload is no copy to compare with: sending the same file again resubmits it.
    SQLite::Statement q(*impl_->db, "SELECT " + impl_->upload_columns() +
                                        " FROM upload WHERE sha256 = ? AND org = ? AND outcome "
                                        "!= 'rejected' AND review != 'returned' ORDER BY id LIMIT 1");
    q.bind(1, sha256);
    q.bind(2, org);
    if (q.executeStep()) return read_upload(q);
    return std::nullopt;
  });
}

std::vector<UploadInfo> Store::uploads() const {
  return guarded(impl_->file, [&]() -> std::vector<UploadInfo> {
    std::vector<UploadInfo> out;
    const auto& by = impl_->verified_only;
    SQLite::Statement q(*impl_->db, "SELECT " + impl_->upload_columns() + " FROM upload" +
                                        (by ? " WHERE review = 'verified' AND verified_on <= ?" : "") +
                                        " ORDER BY id");
    if (by) q.bind(1, calendar::to_string(*by));
    while (q.executeStep()) out.push_back(read_upload(q));
    return out;
  });
}

std::optional<UploadInfo> Store::upload(std::int64_t id) const {
  return guarded(impl_->file, [&]() -> std::optional<UploadInfo> {
    SQLite::Statement q(*impl_->db, "SELECT " + impl_->upload_columns() + " FROM upload WHERE id = ?");
    q.bind(1, id);
    if (q.executeStep()) return read_upload(q);
    return std::nullopt;
  });
}

void Store::scan_versions(const VersionFilter& f, const std::function<void(const Version&)>& fn) const {
  auto& db = *impl_->db;
  guarded(impl_->file, [&]() -> void {
    // The dictionaries are small: read them once, then stream the versions.
    std::unordered_map<std::int64_t, std::string> initiatives, measures;
    std::string wanted_initiative;
    // One initiative: its own entry only (a view of some subjects scans once per subject, so
    // reading the whole dictionary each time would cost more than the versions).
    SQLite::Statement dict(db, f.initiative.empty() ? "SELECT id, code FROM initiative"
                                                    : "SELECT id, code FROM initiative WHERE code = ?");
    if (!f.initiative.empty()) dict.bind(1, f.initiative);
    while (dict.executeStep()) {
      auto code = dict.getColumn(1).getString();
      if (!f.initiative.empty()) wanted_initiative = dict.getColumn(0).getString();
      initiatives[dict.getColumn(0).getInt64()] = std::move(code);
    }
    if (!f.initiative.empty() && wanted_initiative.empty()) return;  // never stored
    std::string wanted;  // measure ids, when filtered
    for (SQLite::Statement q(db, "SELECT id, name FROM measure ORDER BY id"); q.executeStep();) {
      auto id = q.getColumn(0).getInt64();
      auto name = q.getColumn(1).getString();
      for (const auto& m : f.measures)
        if (name == m || (!m.empty() && m.back() == '.' && name.rfind(m, 0) == 0)) {
          wanted += (wanted.empty() ? "" : ",") + std::to_string(id);
          break;
        }
      measures[id] = std::move(name);
    }
    if (!f.measures.empty() && wanted.empty()) return;  // none of those measures was ever stored
    std::string sql = std::string("SELECT initiative, period, measure, upload_id, value, num, line") +
                      (f.comments ? ", comment" : "") + " FROM record_version WHERE 1 = 1";
    if (!f.first_period.empty()) sql += " AND period >= :first";
    if (!f.last_period.empty()) sql += " AND period <= :last";
    if (!wanted_initiative.empty()) sql += " AND initiative = " + wanted_initiative;
    if (!wanted.empty()) sql += " AND measure IN (" + wanted + ")";
    sql += " ORDER BY initiative, period, measure, upload_id";
    SQLite::Statement q(db, sql);
    if (!f.first_period.empty()) q.bind(":first", f.first_period);
    if (!f.last_period.empty()) q.bind(":last", f.last_period);
    auto text = [](const SQLite::Column& c) {
      return std::string_view(static_cast<const char*>(c.getBlob()), c.getBytes());
    };
    Version v;
    std::int64_t ini_key = -1, measure_key = -1;
    while (q.executeStep()) {
      auto ik = q.getColumn(0).getInt64(), mk = q.getColumn(2).getInt64();
      if (ik != ini_key) {
        auto it = initiatives.find(ik);
        v.initiative = it == initiatives.end() ? std::string_view() : std::string_view(it->second);
        ini_key = ik;
      }
      if (mk != measure_key) {
        auto it = measures.find(mk);
        v.measure = it == measures.end() ? std::string_view() : std::string_view(it->second);
        measure_key = mk;
      }
      auto num = q.getColumn(5);
      v.initiative_key = ik;
      v.measure_key = mk;
      v.period = text(q.getColumn(1));
      v.upload_id = q.getColumn(3).getInt64();
      v.value = text(q.getColumn(4));
      v.num = num.isNull() ? std::nullopt : std::optional<double>(num.getDouble());
      v.line = q.getColumn(6).getInt64();
      v.comment = f.comments ? text(q.getColumn(7)) : std::string_view();
      fn(v);
    }
  });
}

}  // namespace jvap::store
