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
    std::string values;
    for (std::size_t i = 0; i < UploadWriter::Impl::kBatch; ++i)
      values += std::string(i ? "," : "") + "(?,?,?,?,?,?,?,?)";
    const std::string insert =
        "INSERT INTO record_version(upload_id, initiative, period, measure, value, num, comment, "
        "line) VALUES ";
    const std::string on_conflict = " ON CONFLICT(initiative, period, measure, upload_id) DO NOTHING";
    w->insert_batch = std::make_unique<SQLite::Statement>(db, insert + values + on_conflict);
    w->insert_one = std::make_unique<SQLite::Statement>(db, insert + "(?,?,?,?,?,?,?,?)" + on_conflict);
    w->last_id_before = db.execAndGet("SELECT coalesce(max(id), 0) FROM record_version").getInt64();
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
  std::lock_guard lock(impl_->db);
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

void UploadWriter::on_conflict(ConflictFn fn) { impl_->conflict = std::move(fn); }

void UploadWriter::add(const StagedRow& row) {
  auto& c = *impl_->filling;
  auto& b = c.rows[c.n++];
  b.initiative = row.initiative;
  b.measure = row.measure;
  b.line = row.line;
  b.period.assign(row.period);
  b.value.assign(row.value);
  b.comment.assign(row.comment);
  b.num = row.num;
  if (c.n == Impl::kChunk) impl_->hand_off();
}

namespace {

void bind_row(SQLite::Statement& s, int base, std::int64_t upload, const BufferedRow& r) {
  s.bind(base + 1, upload);
  s.bind(base + 2, r.initiative);
  s.bindNoCopy(base + 3, r.period);
  s.bind(base + 4, r.measure);
  s.bindNoCopy(base + 5, r.value);
  if (r.num) s.bind(base + 6, *r.num);
  else s.bind(base + 6);
  s.bindNoCopy(base + 7, r.comment);
  s.bind(base + 8, r.line);
}

}  // namespace

void UploadWriter::Impl::insert_single(const BufferedRow& r) {
  bind_row(*insert_one, 0, info.id, r);
  insert_one->exec();
  insert_one->reset();
  if (store.db->getChanges() == 1) {
    ++stored;
    return;
  }
  // The key is already in this upload: a repeat, or a conflict if the value differs.
  auto& f = *find_in_upload;
  f.bind(1, r.initiative);
  f.bindNoCopy(2, r.period);
  f.bind(3, r.measure);
  f.bind(4, info.id);
  if (f.executeStep()) {
    bool same = f.getColumn(1).getString() == r.value && f.getColumn(2).getString() == r.comment;
    std::lock_guard lock(m);
    if (same) ++repeats;
    else conflicts.emplace_back(r.line, f.getColumn(0).getInt64());
  }
  f.reset();
}

void UploadWriter::Impl::write_rows(const Chunk& c) {
  try {
    std::size_t i = 0;
    for (; i + kBatch <= c.n; i += kBatch) {
      for (std::size_t k = 0; k < kBatch; ++k)
        bind_row(*insert_batch, static_cast<int>(k * 8), info.id, c.rows[i + k]);
      insert_batch->exec();
      insert_batch->reset();
      auto changes = store.db->getChanges();
      stored += changes;
      if (changes == static_cast<int>(kBatch)) continue;
      // Some keys were repeats: this rare batch is redone row by row to tell which, after
      // removing what it stored (the rows of this batch are the newest ones).
      SQLite::Statement undo(*store.db,
                             "DELETE FROM record_version WHERE id > (SELECT max(id) FROM record_version) - ?");
      undo.bind(1, changes);
      undo.exec();
      stored -= changes;
      for (std::size_t k = 0; k < kBatch; ++k) insert_single(c.rows[i + k]);
    }
    for (; i < c.n; ++i) insert_single(c.rows[i]);
  } catch (const SQLite::Exception& e) {
    insert_batch->tryReset();
    insert_one->tryReset();
    throw StoreError(detail::describe_sqlite_error(e, store.file));
  }
}

void UploadWriter::Impl::run_worker() {
  for (;;) {
    std::unique_ptr<Chunk> c;
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return !queue.empty() || stopping; });
      if (abandon || (queue.empty() && stopping)) return;
      c = std::move(queue.front());
      queue.pop_front();
      busy = true;
    }
    try {
      std::lock_guard lock(db);
      write_rows(*c);
    } catch (...) {
      std::lock_guard lock(m);
      if (!error) error = std::current_exception();
      abandon = stopping = true;  // nothing more is written after a failure
    }
    std::lock_guard lock(m);
    busy = false;
    c->n = 0;
    spare.push_back(std::move(c));
    cv.notify_all();
  }
}

void UploadWriter::Impl::hand_off() {
  std::unique_lock lock(m);
  if (error) std::rethrow_exception(error);
  if (!worker.joinable()) worker = std::thread([this] { run_worker(); });
  cv.wait(lock, [&] { return queue.size() < kQueued || error; });
  queue.push_back(std::move(filling));
  if (!spare.empty()) {
    filling = std::move(spare.back());
    spare.pop_back();
  } else {
    filling = std::make_unique<Chunk>();
  }
  cv.notify_all();
}

void UploadWriter::Impl::flush() {
  {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return (queue.empty() && !busy) || error; });
    if (error) std::rethrow_exception(error);
  }
  {
    std::lock_guard lock(db);
    write_rows(*filling);
    filling->n = 0;
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> found;
  {
    std::lock_guard lock(m);
    found.swap(conflicts);
  }
  if (conflict)
    for (const auto& [line, earlier] : found) conflict(line, earlier);
}

void UploadWriter::Impl::stop(bool drop_pending) {
  {
    std::lock_guard lock(m);
    stopping = true;
    abandon = drop_pending;
    cv.notify_all();
  }
  if (worker.joinable()) worker.join();
}

void UploadWriter::flush() { impl_->flush(); }

void UploadWriter::set_details(const std::string& sha256, const std::string& note,
                               std::int64_t rows) {
  impl_->info.sha256 = sha256;
  impl_->info.note = note;
  impl_->info.rows = rows;
}

void UploadWriter::settle() {
  auto& db = *impl_->store.db;
  auto& info = impl_->info;
  impl_->flush();
  try {
    std::int64_t stored = impl_->stored;
    if (impl_->store_had_versions && stored > 0) {
      // A row equal (value and comment) to the key's version as known when this upload was
      // received is not a new version. "As known" is the evaluation view's order (see
      // evaluation/view.hpp): of the versions received by then, the one received last, and on
      // the same day the one ingested last. (Versions received later do not count: a copy
      // received earlier but ingested late still records when the value was first known.)
      // Only verified uploads count here: a row repeating a value still awaiting review (or
      // returned) is stored, so a report of verified data sees it once this upload is verified.
      SQLite::Statement del(db, R"sql(
DELETE FROM record_version WHERE id IN (
  SELECT v.id FROM record_version v
  JOIN record_version p ON p.initiative = v.initiative AND p.period = v.period
                       AND p.measure = v.measure
  WHERE v.id > :first
    AND p.upload_id = (SELECT q.upload_id FROM record_version q JOIN upload qu ON qu.id = q.upload_id
                       WHERE q.initiative = v.initiative AND q.period = v.period
                         AND q.measure = v.measure AND q.upload_id < :u
                         AND qu.received_on <= :received AND qu.review = 'verified'
                       ORDER BY qu.received_on DESC, q.upload_id DESC LIMIT 1)
    AND p.value = v.value AND p.comment = v.comment))sql");
      del.bind(":first", impl_->last_id_before);
      del.bind(":u", info.id);
      del.bind(":received", calendar::to_string(info.received_on));
      info.rows_unchanged = del.exec();
      SQLite::Statement changed(db, R"sql(
SELECT count(*) FROM record_version v
WHERE v.id > :first
  AND EXISTS (SELECT 1 FROM record_version p WHERE p.initiative = v.initiative
              AND p.period = v.period AND p.measure = v.measure AND p.upload_id < :u))sql");
      changed.bind(":first", impl_->last_id_before);
      changed.bind(":u", info.id);
      changed.executeStep();
      info.rows_changed = changed.getColumn(0).getInt64();
    }
    info.rows_new = stored - info.rows_unchanged - info.rows_changed;
    info.rows_unchanged += impl_->repeats;  // rows repeating an earlier row of the file
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
  impl_->stop(false);
  try {
    impl_->insert_batch.reset();
    impl_->insert_one.reset();
    impl_->find_in_upload.reset();
    impl_->new_measure.reset();
    impl_->tx->commit();
  } catch (const SQLite::Exception& e) {
    throw StoreError(describe_sqlite_error(e, impl_->store.file));
  }
  return impl_->info.id;
}

void UploadWriter::rollback() {
  impl_->stop(true);
  impl_->insert_batch.reset();
  impl_->insert_one.reset();
  impl_->find_in_upload.reset();
  impl_->new_measure.reset();
  impl_->tx.reset();  // rolls back
}

}  // namespace jvap::store
