// The partner service's tables: access tokens, submissions with their review history, and the
// archived original files (zlib-compressed). Statements here run inside the caller's transaction
// when there is one (an upload's, through ingest::Options::before_commit), else in their own.
#include <zlib.h>

#include "model/sha256.hpp"
#include "store/store_impl.hpp"

namespace jvap::store {

namespace {

std::optional<calendar::Date> date_column(SQLite::Statement& q, int i) {
  if (q.getColumn(i).isNull()) return std::nullopt;
  return calendar::parse_date(q.getColumn(i).getString());
}

void bind_date(SQLite::Statement& q, int i, const std::optional<calendar::Date>& d) {
  if (d) q.bind(i, calendar::to_string(*d));
  else q.bind(i);
}

// Runs `f` in a savepoint, so it is atomic inside or outside a transaction.
template <typename F>
auto atomically(SQLite::Database& db, const std::string& file, F&& f) -> decltype(f()) {
  return guarded(file, [&]() -> decltype(f()) {
    db.exec("SAVEPOINT jvap_access");
    try {
      if constexpr (std::is_void_v<decltype(f())>) {
        f();
        db.exec("RELEASE jvap_access");
      } else {
        auto r = f();
        db.exec("RELEASE jvap_access");
        return r;
      }
    } catch (...) {
      db.exec("ROLLBACK TO jvap_access");
      db.exec("RELEASE jvap_access");
      throw;
    }
  });
}

Token read_token(SQLite::Statement& q) {
  Token t;
  t.id = q.getColumn(0).getInt64();
  t.key = q.getColumn(1).getString();
  t.hash = q.getColumn(2).getString();
  t.org = q.getColumn(3).getString();
  t.role = q.getColumn(4).getString();
  t.label = q.getColumn(5).getString();
  t.created_on = date_column(q, 6).value_or(calendar::Date{});
  t.expires_on = date_column(q, 7);
  t.revoked_on = date_column(q, 8);
  return t;
}

constexpr const char* kTokenColumns = "id, key, hash, org, role, label, created_on, expires_on, revoked_on";
constexpr const char* kSubmissionColumns = "id, org, state, upload_id, created_on, updated_on";

Submission read_submission(SQLite::Statement& q) {
  Submission s;
  s.id = q.getColumn(0).getInt64();
  s.org = q.getColumn(1).getString();
  s.state = q.getColumn(2).getString();
  s.upload_id = q.getColumn(3).getInt64();
  s.created_on = date_column(q, 4).value_or(calendar::Date{});
  s.updated_on = date_column(q, 5).value_or(calendar::Date{});
  return s;
}

void add_event(SQLite::Database& db, std::int64_t submission, const std::string& action, const std::string& actor,
               calendar::Date on, std::int64_t upload, const std::string& comment) {
  SQLite::Statement ins(db, "INSERT INTO submission_event(submission_id, action, actor, on_date, upload_id, comment) "
                            "VALUES (?, ?, ?, ?, ?, ?)");
  ins.bind(1, submission);
  ins.bind(2, action);
  ins.bind(3, actor);
  ins.bind(4, calendar::to_string(on));
  ins.bind(5, upload);
  ins.bind(6, comment);
  ins.exec();
}

void set_review(SQLite::Database& db, std::int64_t upload, const std::string& review,
                std::optional<calendar::Date> on) {
  SQLite::Statement up(db, "UPDATE upload SET review = ?, verified_on = ? WHERE id = ?");
  up.bind(1, review);
  bind_date(up, 2, on);
  up.bind(3, upload);
  up.exec();
}

}  // namespace

std::int64_t Store::add_token(const Token& t) {
  return atomically(*impl_->db, impl_->file, [&] {
    SQLite::Statement ins(*impl_->db, "INSERT INTO access_token(key, hash, org, role, label, created_on, "
                                      "expires_on) VALUES (?, ?, ?, ?, ?, ?, ?)");
    ins.bind(1, t.key);
    ins.bind(2, t.hash);
    ins.bind(3, t.org);
    ins.bind(4, t.role);
    ins.bind(5, t.label);
    ins.bind(6, calendar::to_string(t.created_on));
    bind_date(ins, 7, t.expires_on);
    ins.exec();
    return impl_->db->getLastInsertRowid();
  });
}

std::vector<Token> Store::tokens() const {
  return guarded(impl_->file, [&] {
    std::vector<Token> out;
    if (user_schema_version() < 7) return out;
    SQLite::Statement q(*impl_->db, std::string("SELECT ") + kTokenColumns + " FROM access_token ORDER BY id");
    while (q.executeStep()) out.push_back(read_token(q));
    return out;
  });
}

std::optional<Token> Store::token(const std::string& key) const {
  return guarded(impl_->file, [&]() -> std::optional<Token> {
    if (user_schema_version() < 7) return std::nullopt;
    SQLite::Statement q(*impl_->db, std::string("SELECT ") + kTokenColumns + " FROM access_token WHERE key = ?");
    q.bind(1, key);
    if (q.executeStep()) return read_token(q);
    return std::nullopt;
  });
}

bool Store::revoke_token(const std::string& key, calendar::Date on) {
  return atomically(*impl_->db, impl_->file, [&] {
    SQLite::Statement up(*impl_->db, "UPDATE access_token SET revoked_on = ? WHERE key = ? AND revoked_on IS NULL");
    up.bind(1, calendar::to_string(on));
    up.bind(2, key);
    return up.exec() == 1;
  });
}

std::int64_t Store::add_submission(const std::string& org, std::int64_t upload_id, const std::string& actor,
                                   calendar::Date on, std::int64_t resubmits) {
  auto& db = *impl_->db;
  return atomically(db, impl_->file, [&]() -> std::int64_t {
    set_review(db, upload_id, "pending", std::nullopt);
    std::int64_t id = resubmits;
    if (resubmits) {
      SQLite::Statement up(db, "UPDATE submission SET state = 'submitted', upload_id = ?, updated_on = ? "
                               "WHERE id = ? AND state = 'returned'");
      up.bind(1, upload_id);
      up.bind(2, calendar::to_string(on));
      up.bind(3, resubmits);
      if (up.exec() != 1) throw StoreError("submission " + std::to_string(resubmits) + " is not awaiting resubmission");
    } else {
      SQLite::Statement ins(db, "INSERT INTO submission(org, state, upload_id, created_on, updated_on) "
                                "VALUES (?, 'submitted', ?, ?, ?)");
      ins.bind(1, org);
      ins.bind(2, upload_id);
      ins.bind(3, calendar::to_string(on));
      ins.bind(4, calendar::to_string(on));
      ins.exec();
      id = db.getLastInsertRowid();
    }
    add_event(db, id, resubmits ? "resubmitted" : "submitted", actor, on, upload_id, "");
    return id;
  });
}

bool Store::review_submission(std::int64_t id, bool verify, const std::string& actor, calendar::Date on,
                              const std::string& comment) {
  auto& db = *impl_->db;
  return atomically(db, impl_->file, [&] {
    SQLite::Statement q(db, "SELECT upload_id FROM submission WHERE id = ? AND state = 'submitted'");
    q.bind(1, id);
    if (!q.executeStep()) return false;
    const auto upload = q.getColumn(0).getInt64();
    SQLite::Statement up(db, "UPDATE submission SET state = ?, updated_on = ? WHERE id = ?");
    up.bind(1, verify ? "verified" : "returned");
    up.bind(2, calendar::to_string(on));
    up.bind(3, id);
    up.exec();
    set_review(db, upload, verify ? "verified" : "returned", verify ? std::optional(on) : std::nullopt);
    add_event(db, id, verify ? "verified" : "returned", actor, on, upload, comment);
    return true;
  });
}

std::optional<Submission> Store::submission(std::int64_t id) const {
  auto& db = *impl_->db;
  return guarded(impl_->file, [&]() -> std::optional<Submission> {
    if (user_schema_version() < 7) return std::nullopt;
    SQLite::Statement q(db, std::string("SELECT ") + kSubmissionColumns + " FROM submission WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    auto s = read_submission(q);
    SQLite::Statement e(db, "SELECT id, action, actor, on_date, upload_id, comment FROM submission_event "
                            "WHERE submission_id = ? ORDER BY id");
    e.bind(1, id);
    while (e.executeStep()) {
      SubmissionEvent ev;
      ev.id = e.getColumn(0).getInt64();
      ev.action = e.getColumn(1).getString();
      ev.actor = e.getColumn(2).getString();
      ev.on = date_column(e, 3).value_or(calendar::Date{});
      ev.upload_id = e.getColumn(4).getInt64();
      ev.comment = e.getColumn(5).getString();
      s.events.push_back(std::move(ev));
    }
    return s;
  });
}

std::int64_t Store::submission_of(std::int64_t upload_id) const {
  return guarded(impl_->file, [&]() -> std::int64_t {
    if (user_schema_version() < 7) return 0;
    SQLite::Statement q(*impl_->db, "SELECT submission_id FROM submission_event WHERE upload_id = ? LIMIT 1");
    q.bind(1, upload_id);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
  });
}

std::vector<Submission> Store::submissions(const std::string& org, const std::string& state) const {
  return guarded(impl_->file, [&] {
    std::vector<Submission> out;
    if (user_schema_version() < 7) return out;
    SQLite::Statement q(*impl_->db, std::string("SELECT ") + kSubmissionColumns +
                                        " FROM submission WHERE (?1 = '' OR org = ?1) AND (?2 = '' OR state = ?2)"
                                        " ORDER BY id DESC");
    q.bind(1, org);
    q.bind(2, state);
    while (q.executeStep()) out.push_back(read_submission(q));
    return out;
  });
}

std::int64_t Store::last_review_id() const {
  return guarded(impl_->file, [&]() -> std::int64_t {
    if (user_schema_version() < 7) return 0;
    return impl_->db->execAndGet("SELECT coalesce(max(id), 0) FROM submission_event WHERE action IN "
                                 "('verified', 'returned')").getInt64();
  });
}

void Store::archive_file(std::int64_t upload_id, const std::string& media_type, std::string_view bytes) {
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::string packed(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &size, reinterpret_cast<const Bytef*>(bytes.data()),
                static_cast<uLong>(bytes.size()), 6) != Z_OK)
    throw StoreError("the uploaded file could not be compressed for the archive");
  packed.resize(size);
  atomically(*impl_->db, impl_->file, [&] {
    SQLite::Statement ins(*impl_->db, "INSERT INTO upload_file(upload_id, media_type, bytes, sha256, data) "
                                      "VALUES (?, ?, ?, ?, ?)");
    ins.bind(1, upload_id);
    ins.bind(2, media_type);
    ins.bind(3, static_cast<std::int64_t>(bytes.size()));
    ins.bind(4, model::sha256_hex(bytes));
    ins.bind(5, packed.data(), static_cast<int>(packed.size()));
    ins.exec();
  });
}

std::optional<ArchivedFile> Store::archived_file(std::int64_t upload_id) const {
  return guarded(impl_->file, [&]() -> std::optional<ArchivedFile> {
    if (user_schema_version() < 7) return std::nullopt;
    SQLite::Statement q(*impl_->db, "SELECT u.file_name, f.media_type, f.sha256, f.bytes, f.data FROM upload_file f "
                                    "JOIN upload u ON u.id = f.upload_id WHERE f.upload_id = ?");
    q.bind(1, upload_id);
    if (!q.executeStep()) return std::nullopt;
    ArchivedFile f{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(), {}};
    auto n = static_cast<uLongf>(q.getColumn(3).getInt64());
    f.bytes.resize(n);
    const auto blob = q.getColumn(4);
    if (uncompress(reinterpret_cast<Bytef*>(f.bytes.data()), &n, static_cast<const Bytef*>(blob.getBlob()),
                   static_cast<uLong>(blob.getBytes())) != Z_OK ||
        n != f.bytes.size() || model::sha256_hex(f.bytes) != f.sha256)
      throw StoreError("the archived file of upload " + std::to_string(upload_id) + " is damaged");
    return f;
  });
}

}  // namespace jvap::store
