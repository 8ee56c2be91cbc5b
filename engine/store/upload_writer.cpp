// UploadWriter: one upload's record versions, written in one transaction.
#include <sqlite3.h>

#include "store/store_impl.hpp"

namespace jvap::store {

using detail::describe_sqlite_error;

UploadWriter::UploadWriter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
UploadWriter::UploadWriter(UploadWriter&&) noexcept = default;
UploadWriter::~UploadWriter() = default;  // an uncommitted Transaction rolls back

UploadWriter Store::begin_upload(UploadInfo info) {
  auto w = std::make_unique<UploadWriter::Impl>(*impl_);
  auto& db = *impl_->db;
  try {
    w->tx = std::make_unique<SQLite::Transaction>(db, SQLite::TransactionBehavior::IMMEDIATE);
    info.id = impl_->insert_upload(info);
    w->info = std::move(info);
    w->store_had_versions = db.execAndGet("SELECT EXISTS (SELECT 1 FROM record_version)").getInt();
    SQLite::Statement ini(db, "SELECT code, id FROM initiative");
    while (ini.executeStep()) w->initiatives.emplace(ini.getColumn(0).getString(), ini.getColumn(1).getInt64());
    SQLite::Statement mea(db, "SELECT name, id FROM measure");
    while (mea.executeStep()) w->measures.emplace(mea.getColumn(0).getString(), mea.getColumn(1).getInt64());
    w->insert = std::make_unique<SQLite::Statement>(db, R"sql(
INSERT INTO record_version(upload_id, initiative, period, measure, value, num, comment, line)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(initiative, period, measure, upload_id) DO NOTHING)sql");
    w->insert->bind(1, w->info.id);
    w->find_in_upload = std::make_unique<SQLite::Statement>(db, R"sql(
SELECT line, value, comment FROM record_version
WHERE initiative = ? AND period = ? AND measure = ? AND upload_id = ?)sql");
    w->new_measure = std::make_unique<SQLite::Statement>(db, "INSERT INTO measure(name) VALUES (?)");
  } catch (const SQLite::Exception& e) {
    throw StoreError(describe_sqlite_error(e, impl_->file));
  }
  return UploadWriter(std::move(w));
}

std::int64_t UploadWriter::initiative_key(const std::string& code) {
  auto it = impl_->initiatives.find(code);
  if (it == impl_->initiatives.end())
    throw StoreError("initiative '" + code + "' is not in the stored plan snapshot");
  return it->second;
}

std::int64_t UploadWriter::measure_key(const std::string& name) {
  auto it = impl_->measures.find(name);
  if (it != impl_->measures.end()) return it->second;
  try {
    impl_->new_measure->bind(1, name);
    impl_->new_measure->exec();
    impl_->new_measure->reset();
  } catch (const SQLite::Exception& e) {
    throw StoreError(describe_sqlite_error(e, impl_->store.file));
  }
  auto id = impl_->store.db->getLastInsertRowid();
  impl_->measures.emplace(name, id);
  return id;
}

UploadWriter::Added UploadWriter::add(const StagedRow& row) {
  auto& s = *impl_->insert;
  try {
    s.bind(2, row.initiative);
    s.bindNoCopy(3, row.period.data(), static_cast<int>(row.period.size()));
    s.bind(4, row.measure);
    s.bindNoCopy(5, row.value.data(), static_cast<int>(row.value.size()));
    if (row.num) s.bind(6, *row.num);
    else s.bind(6);
    s.bindNoCopy(7, row.comment.data(), static_cast<int>(row.comment.size()));
    s.bind(8, row.line);
    s.exec();
    s.reset();
    if (impl_->store.db->getChanges() == 1) {
      auto id = impl_->store.db->getLastInsertRowid();
      if (impl_->first_row == 0) impl_->first_row = id;
      impl_->last_row = id;
      return {};
    }
    auto& f = *impl_->find_in_upload;
    f.bind(1, row.initiative);
    f.bindNoCopy(2, row.period.data(), static_cast<int>(row.period.size()));
    f.bind(3, row.measure);
    f.bind(4, impl_->info.id);
    Added out{false, 0, false};
    if (f.executeStep()) {
      out.earlier_line = f.getColumn(0).getInt64();
      out.same_value = f.getColumn(1).getString() == row.value &&
                       f.getColumn(2).getString() == row.comment;
    }
    f.reset();
    return out;
  } catch (const SQLite::Exception& e) {
    s.tryReset();
    throw StoreError(describe_sqlite_error(e, impl_->store.file));
  }
}

void UploadWriter::set_details(const std::string& sha256, const std::string& note,
                               std::int64_t rows) {
  impl_->info.sha256 = sha256;
  impl_->info.note = note;
  impl_->info.rows = rows;
}

void UploadWriter::settle() {
  auto& db = *impl_->store.db;
  auto& info = impl_->info;
  try {
    std::int64_t stored =
        impl_->first_row == 0 ? 0 : impl_->last_row - impl_->first_row + 1;
    if (impl_->store_had_versions && stored > 0) {
      // A row equal (value and comment) to the key's current version is not a new version.
      SQLite::Statement del(db, R"sql(
DELETE FROM record_version WHERE id IN (
  SELECT v.id FROM record_version v
  JOIN record_version p ON p.initiative = v.initiative AND p.period = v.period
                       AND p.measure = v.measure
  WHERE v.id BETWEEN :first AND :last
    AND p.upload_id = (SELECT max(q.upload_id) FROM record_version q
                       WHERE q.initiative = v.initiative AND q.period = v.period
                         AND q.measure = v.measure AND q.upload_id < :u)
    AND p.value = v.value AND p.comment = v.comment))sql");
      del.bind(":first", impl_->first_row);
      del.bind(":last", impl_->last_row);
      del.bind(":u", info.id);
      info.rows_unchanged = del.exec();
      SQLite::Statement changed(db, R"sql(
SELECT count(*) FROM record_version v
WHERE v.id BETWEEN :first AND :last
  AND EXISTS (SELECT 1 FROM record_version p WHERE p.initiative = v.initiative
              AND p.period = v.period AND p.measure = v.measure AND p.upload_id < :u))sql");
      changed.bind(":first", impl_->first_row);
      changed.bind(":last", impl_->last_row);
      changed.bind(":u", info.id);
      changed.executeStep();
      info.rows_changed = changed.getColumn(0).getInt64();
    }
    info.rows_new = stored - info.rows_unchanged - info.rows_changed;
    info.outcome = info.rows_new + info.rows_changed > 0 ? Outcome::accepted : Outcome::unchanged;
    SQLite::Statement up(db, R"sql(
UPDATE upload SET outcome = ?, rows = ?, rows_new = ?, rows_changed = ?, rows_unchanged = ?,
                  rows_rejected = ?, note = ?, sha256 = ? WHERE id = ?)sql");
    up.bind(1, std::string(to_string(info.outcome)));
    up.bind(2, info.rows);
    up.bind(3, info.rows_new);
    up.bind(4, info.rows_changed);
    up.bind(5, info.rows_unchanged);
    up.bind(6, info.rows_rejected);
    up.bind(7, info.note);
    up.bind(8, info.sha256);
    up.bind(9, info.id);
    up.exec();
    impl_->settled = true;
  } catch (const SQLite::Exception& e) {
    throw StoreError(describe_sqlite_error(e, impl_->store.file));
  }
}

const UploadInfo& UploadWriter::info() const { return impl_->info; }

std::int64_t UploadWriter::commit() {
  if (!impl_->settled) settle();
  try {
    impl_->insert.reset();
    impl_->find_in_upload.reset();
    impl_->new_measure.reset();
    impl_->tx->commit();
  } catch (const SQLite::Exception& e) {
    throw StoreError(describe_sqlite_error(e, impl_->store.file));
  }
  return impl_->info.id;
}

void UploadWriter::rollback() {
  impl_->insert.reset();
  impl_->find_in_upload.reset();
  impl_->new_measure.reset();
  impl_->tx.reset();  // rolls back
}

}  // namespace jvap::store
