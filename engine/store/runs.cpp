// Stored check runs and findings.
#include "store/store_impl.hpp"

namespace jvap::store {


namespace {

const char* kFindingColumns =
    "fingerprint, rule, severity, subject, period, message, evidence, status, waiver";

StoredFinding read_finding(SQLite::Statement& q) {
  StoredFinding f;
  int i = 0;
  f.fingerprint = q.getColumn(i++).getString();
  f.rule = q.getColumn(i++).getString();
  f.severity = q.getColumn(i++).getString();
  f.subject = q.getColumn(i++).getString();
  f.period = q.getColumn(i++).getString();
  f.message = q.getColumn(i++).getString();
  f.evidence = q.getColumn(i++).getString();
  f.status = q.getColumn(i++).getString();
  f.waiver = q.getColumn(i++).getString();
  return f;
}

}  // namespace

std::int64_t Store::save_run(const StoredRun& run) {
  auto& db = *impl_->db;
  return guarded(impl_->file, [&]() -> std::int64_t {
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement r(db, "INSERT INTO check_run(period, as_of, rules_hash, plan_hash, inputs) VALUES (?, ?, ?, ?, ?)");
    r.bind(1, run.period);
    r.bind(2, calendar::to_string(run.as_of));
    r.bind(3, run.rules_hash);
    r.bind(4, run.plan_hash);
    r.bind(5, run.inputs);
    r.exec();
    auto id = db.getLastInsertRowid();
    SQLite::Statement f(db, std::string("INSERT INTO finding(run_id, ") + kFindingColumns +
                                ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& x : run.findings) {
      int i = 1;
      f.bind(i++, id);
      for (const auto* v : {&x.fingerprint, &x.rule, &x.severity, &x.subject, &x.period,
                            &x.message, &x.evidence, &x.status, &x.waiver})
        f.bind(i++, *v);
      f.exec();
      f.reset();
    }
    tx.commit();
    return id;
  });
}

namespace {

// The run the statement (id, period, as_of, rules_hash, plan_hash, inputs) selects, with its findings.
std::optional<StoredRun> read_run(SQLite::Database& db, SQLite::Statement& r) {
  if (!r.executeStep()) return std::nullopt;
  StoredRun run;
  run.id = r.getColumn(0).getInt64();
  run.period = r.getColumn(1).getString();
  run.as_of = calendar::parse_date(r.getColumn(2).getString()).value_or(calendar::Date{});
  run.rules_hash = r.getColumn(3).getString();
  run.plan_hash = r.getColumn(4).getString();
  run.inputs = r.getColumn(5).getString();
  SQLite::Statement f(db, std::string("SELECT ") + kFindingColumns +
                              " FROM finding WHERE run_id = ? ORDER BY fingerprint");
  f.bind(1, run.id);
  while (f.executeStep()) run.findings.push_back(read_finding(f));
  return run;
}

const char* kRunColumns = "SELECT id, period, as_of, rules_hash, plan_hash, inputs FROM check_run ";

}  // namespace

std::optional<StoredRun> Store::last_run(const std::string& period) const {
  auto& db = *impl_->db;
  return guarded(impl_->file, [&]() -> std::optional<StoredRun> {
    SQLite::Statement r(db, std::string(kRunColumns) + "WHERE period = ? ORDER BY id DESC LIMIT 1");
    r.bind(1, period);
    return read_run(db, r);
  });
}

std::optional<StoredRun> Store::find_run(const std::string& period, const std::string& inputs) const {
  // A database opened read-only may predate the inputs key (schema 3): nothing to reuse then.
  if (user_schema_version() < 3) return std::nullopt;
  auto& db = *impl_->db;
  return guarded(impl_->file, [&]() -> std::optional<StoredRun> {
    SQLite::Statement r(db, std::string(kRunColumns) +
                                "WHERE period = ? AND inputs = ? ORDER BY id DESC LIMIT 1");
    r.bind(1, period);
    r.bind(2, inputs);
    return read_run(db, r);
  });
}

std::optional<StoredRun> Store::run(std::int64_t id) const {
  auto& db = *impl_->db;
  return guarded(impl_->file, [&]() -> std::optional<StoredRun> {
    SQLite::Statement r(db, std::string(kRunColumns) + "WHERE id = ?");
    r.bind(1, id);
    return read_run(db, r);
  });
}

std::vector<Store::RunSummary> Store::runs(const std::string& period) const {
  auto& db = *impl_->db;
  return guarded(impl_->file, [&]() -> std::vector<RunSummary> {
    std::vector<RunSummary> out;
    SQLite::Statement r(db, std::string(kRunColumns) + "WHERE ? = '' OR period = ? ORDER BY id");
    r.bind(1, period);
    r.bind(2, period);
    while (r.executeStep()) {
      RunSummary s;
      s.run.id = r.getColumn(0).getInt64();
      s.run.period = r.getColumn(1).getString();
      s.run.as_of = calendar::parse_date(r.getColumn(2).getString()).value_or(calendar::Date{});
      s.run.rules_hash = r.getColumn(3).getString();
      s.run.plan_hash = r.getColumn(4).getString();
      s.run.inputs = r.getColumn(5).getString();
      out.push_back(std::move(s));
    }
    SQLite::Statement c(db, "SELECT run_id, status, severity, count(*) FROM finding GROUP BY run_id, status, severity");
    std::map<std::int64_t, RunSummary*> by_id;
    for (auto& s : out) by_id[s.run.id] = &s;
    while (c.executeStep()) {
      auto it = by_id.find(c.getColumn(0).getInt64());
      if (it == by_id.end()) continue;
      auto status = c.getColumn(1).getString();
      auto n = c.getColumn(3).getInt64();
      it->second->by_status[status] += n;
      if (status != "resolved") it->second->by_severity[c.getColumn(2).getString()] += n;
    }
    return out;
  });
}

std::int64_t Store::last_upload_id() const {
  return guarded(impl_->file, [&]() -> std::int64_t {
    return impl_->db->execAndGet("SELECT coalesce(max(id), 0) FROM upload").getInt64();
  });
}

std::optional<StoredFinding> Store::find_finding(const std::string& fingerprint) const {
  return guarded(impl_->file, [&]() -> std::optional<StoredFinding> {
    SQLite::Statement f(*impl_->db, std::string("SELECT ") + kFindingColumns +
                                        " FROM finding WHERE fingerprint >= ? AND fingerprint < ? "
                                        "ORDER BY run_id DESC, fingerprint");
    f.bind(1, fingerprint);
    f.bind(2, fingerprint + "\x7f");
    std::optional<StoredFinding> found;
    while (f.executeStep()) {
      auto x = read_finding(f);
      if (found && found->fingerprint != x.fingerprint) return std::nullopt;  // ambiguous prefix
      if (!found) found = std::move(x);
    }
    return found;
  });
}

}  // namespace jvap::store
