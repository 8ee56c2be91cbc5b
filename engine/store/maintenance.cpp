// Maintenance of the database: the full health check and the online backup (jvap db check,
// jvap db backup).
#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstring>
#include <random>

#include "store/plan_codec.hpp"
#include "store/store_impl.hpp"

namespace jvap::store {

namespace fs = std::filesystem;

namespace {

// Rows of a query of jvap's own, each turned into a problem by `describe`.
template <typename F>
void each_row(SQLite::Database& db, const std::string& sql, F describe) {
  for (SQLite::Statement q(db, sql); q.executeStep();) describe(q);
}

void sqlite_checks(SQLite::Database& db, std::vector<std::string>& problems) {
  each_row(db, "PRAGMA integrity_check(100)", [&](SQLite::Statement& q) {
    std::string text = q.getColumn(0).getString();
    if (text == "ok") return;
    std::size_t at = 0;
    while (at < text.size()) {  // one problem a line, without SQLite's "*** in database main ***"
      auto end = std::min(text.find('\n', at), text.size());
      std::string line = text.substr(at, end - at);
      if (!line.empty() && line.rfind("*** in database", 0) != 0) problems.push_back("integrity: " + line);
      at = end + 1;
    }
  });
  each_row(db, "PRAGMA foreign_key_check", [&](SQLite::Statement& q) {
    problems.push_back("foreign key: a row of " + q.getColumn(0).getString() + " (rowid " +
                       q.getColumn(1).getString() + ") refers to a missing row of " +
                       q.getColumn(2).getString());
  });
}

// jvap's own invariants: every version has its dictionary keys and its upload, and the audit
// log's counts are the versions stored.
void invariants(SQLite::Database& db, std::vector<std::string>& problems) {
  each_row(db, R"sql(SELECT count(*) FROM record_version v
    WHERE NOT EXISTS (SELECT 1 FROM initiative i WHERE i.id = v.initiative)
       OR NOT EXISTS (SELECT 1 FROM measure m WHERE m.id = v.measure))sql",
           [&](SQLite::Statement& q) {
             if (auto n = q.getColumn(0).getInt64())
               problems.push_back(std::to_string(n) + " record versions name an initiative or a measure the dictionaries do not have");
           });
  each_row(db, R"sql(SELECT u.id, u.outcome, u.rows_new + u.rows_changed,
           (SELECT count(*) FROM record_version v WHERE v.upload_id = u.id)
    FROM upload u)sql",
           [&](SQLite::Statement& q) {
             auto expected = q.getColumn(1).getString() == "accepted" ? q.getColumn(2).getInt64() : 0;
             auto stored = q.getColumn(3).getInt64();
             if (stored != expected)
               problems.push_back("upload " + q.getColumn(0).getString() + " (" + q.getColumn(1).getString() +
                                  ") stored " + std::to_string(stored) + " versions; its audit row says " +
                                  std::to_string(expected));
           });
  each_row(db, "SELECT hash, data FROM plan_snapshot", [&](SQLite::Statement& q) {
    auto col = q.getColumn(1);
    auto plan = detail::decode_plan(std::string_view(static_cast<const char*>(col.getBlob()), col.getBytes()));
    if (plan && plan->content_hash != q.getColumn(0).getString())
      problems.push_back("plan snapshot " + q.getColumn(0).getString().substr(0, 12) + " holds another plan");
  });
}

}  // namespace

void Store::make_self_contained() {
  auto& db = *impl_->db;
  guarded(impl_->file, [&] {
    SQLite::Statement cp(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    if (!cp.executeStep() || cp.getColumn(0).getInt() != 0)
      throw StoreError("database " + impl_->file + ": could not write it out whole (is the disk full?)");
    cp.reset();
    if (db.execAndGet("PRAGMA journal_mode = DELETE").getString() != "delete")
      throw StoreError("database " + impl_->file + ": could not write it out whole (is the disk full?)");
  });
}

Store::Health Store::check_health() const {
  auto& db = *impl_->db;
  Health h;
  // Each part on its own: damage that stops one still lets the others report.
  auto part = [&](auto f) {
    try {
      f();
    } catch (const SQLite::Exception& e) {
      h.problems.push_back(std::string("cannot read it all: ") + e.what());
    }
  };
  part([&] {
    int v = db.execAndGet("PRAGMA user_version").getInt();
    if (v != schema_version())
      h.problems.push_back("schema version " + std::to_string(v) + ", this jvap writes " +
                           std::to_string(schema_version()) + " (a writing command migrates it)");
  });
  part([&] { sqlite_checks(db, h.problems); });
  part([&] { invariants(db, h.problems); });
  part([&] {
    h.uploads = db.execAndGet("SELECT count(*) FROM upload").getInt64();
    h.versions = db.execAndGet("SELECT count(*) FROM record_version").getInt64();
    h.runs = db.execAndGet("SELECT count(*) FROM check_run").getInt64();
  });
  std::error_code ec;
  h.bytes = fs::file_size(impl_->path, ec);
  return h;
}

void Store::backup(const fs::path& target) const {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec)))
    throw StoreError(target.string() + " exists already: give the backup a new name");
  fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec))
    throw StoreError("cannot write the backup " + target.string() + ": the folder " +
                     folder.string() + " does not exist");
  std::random_device rd;
  fs::path temp = folder / ("." + target.filename().string() + ".partial-" + std::to_string(rd()));
  auto cleanup = [&] {
    for (const char* ext : {"", "-wal", "-shm", "-journal"}) fs::remove(temp.string() + ext, ec);
  };
  try {
    {
      SQLite::Database dest(temp.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      // One step copies every page inside one read transaction: a consistent copy, and in WAL
      // mode writers go on meanwhile.
      SQLite::Backup copy(dest, *impl_->db);
      copy.executeStep(-1);
      if (dest.execAndGet("PRAGMA quick_check").getString() != "ok")
        throw StoreError("the backup did not check out; nothing was written");
      dest.exec("PRAGMA journal_mode = DELETE");  // one self-contained file
    }
    // Never over another file: link() fails if the target appeared meanwhile.
    if (::link(temp.c_str(), target.c_str()) != 0)
      throw StoreError("cannot write the backup " + target.string() + ": " + std::strerror(errno));
    cleanup();
  } catch (const SQLite::Exception& e) {
    cleanup();
    throw StoreError(detail::describe_sqlite_error(e, target.string()));
  } catch (...) {
    cleanup();
    throw;
  }
}

}  // namespace jvap::store
