// The evaluation tables: the plan, the calendar and the record values as known on a date, as
// TEMP tables that built-in rule kinds and custom rules query set-wise.
#include <sqlite3.h>

#include <cmath>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "model/codes.hpp"
#include "store/store_impl.hpp"

namespace jvap::store {


std::string to_text(const Value& v) {
  if (std::holds_alternative<std::int64_t>(v)) return std::to_string(std::get<std::int64_t>(v));
  if (std::holds_alternative<double>(v)) {
    double d = std::get<double>(v);
    if (std::floor(d) == d && std::fabs(d) < 1e15) return std::to_string(static_cast<std::int64_t>(d));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.15g", d);
    return buf;
  }
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  return "";
}

namespace {

const char* kEvaluationSchema = R"sql(
DROP TABLE IF EXISTS temp.e_param;
DROP TABLE IF EXISTS temp.e_period;
DROP TABLE IF EXISTS temp.e_domain;
DROP TABLE IF EXISTS temp.e_priority;
DROP TABLE IF EXISTS temp.e_process;
DROP TABLE IF EXISTS temp.e_member;
DROP TABLE IF EXISTS temp.e_initiative;
DROP TABLE IF EXISTS temp.e_initiative_domain;
DROP TABLE IF EXISTS temp.e_initiative_priority;
DROP TABLE IF EXISTS temp.e_initiative_process;
DROP TABLE IF EXISTS temp.e_initiative_country;
DROP TABLE IF EXISTS temp.e_reporting;
DROP TABLE IF EXISTS temp.e_indicator;
DROP TABLE IF EXISTS temp.e_target;
DROP TABLE IF EXISTS temp.e_milestone;
DROP TABLE IF EXISTS temp.e_value;
DROP TABLE IF EXISTS temp.e_received;
DROP TABLE IF EXISTS temp.e_milestone_done;
CREATE TEMP TABLE e_param (name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TEMP TABLE e_period (period TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, start TEXT, end TEXT, due TEXT);
CREATE TEMP TABLE e_domain (id TEXT PRIMARY KEY, title TEXT);
CREATE TEMP TABLE e_priority (id TEXT PRIMARY KEY, domain TEXT, title TEXT);
CREATE TEMP TABLE e_process (id TEXT PRIMARY KEY, name TEXT);
CREATE TEMP TABLE e_member (process TEXT, state TEXT, role TEXT, region TEXT, joined TEXT, left TEXT,
                            active INTEGER, PRIMARY KEY (process, state));
CREATE TEMP TABLE e_initiative (id TEXT PRIMARY KEY, title TEXT, kind TEXT, start TEXT, end TEXT,
                                start_seq INTEGER, end_seq INTEGER, budget INTEGER, currency TEXT,
                                active INTEGER, elapsed_share REAL, budget_text TEXT);
CREATE TEMP TABLE e_initiative_domain (initiative TEXT, domain TEXT, PRIMARY KEY (initiative, domain));
CREATE TEMP TABLE e_initiative_priority (initiative TEXT, priority TEXT, PRIMARY KEY (initiative, priority));
CREATE TEMP TABLE e_initiative_process (initiative TEXT, process TEXT, PRIMARY KEY (initiative, process));
CREATE TEMP TABLE e_initiative_country (initiative TEXT, country TEXT, PRIMARY KEY (initiative, country));
CREATE TEMP TABLE e_reporting (initiative TEXT, org TEXT, PRIMARY KEY (initiative, org));
CREATE TEMP TABLE e_indicator (initiative TEXT, indicator TEXT, title TEXT, unit TEXT,
                               aggregation TEXT, baseline REAL, PRIMARY KEY (initiative, indicator));
CREATE TEMP TABLE e_target (initiative TEXT, indicator TEXT, period TEXT, seq INTEGER, value REAL,
                            PRIMARY KEY (initiative, indicator, period));
CREATE TEMP TABLE e_milestone (initiative TEXT, milestone TEXT, title TEXT, due TEXT,
                               PRIMARY KEY (initiative, milestone));
CREATE TEMP TABLE e_value (initiative TEXT, period TEXT, measure TEXT, value TEXT, num,
                           upload_id INTEGER, line INTEGER, received_on TEXT,
                           PRIMARY KEY (initiative, period, measure));
CREATE TEMP TABLE e_received (initiative TEXT, period TEXT, first_received TEXT, first_upload INTEGER,
                              PRIMARY KEY (initiative, period));
CREATE INDEX temp.e_initiative_country_by_country ON e_initiative_country (country, initiative);
CREATE INDEX temp.e_initiative_domain_by_domain ON e_initiative_domain (domain, initiative);
CREATE TEMP TABLE e_milestone_done (initiative TEXT, milestone TEXT, achieved TEXT, upload_id INTEGER,
                                    line INTEGER, PRIMARY KEY (initiative, milestone));
)sql";

// Sequence number of a period, so that windows and distances are arithmetic.
std::int64_t seq(const calendar::Period& p) {
  int per_year = p.frequency == calendar::Frequency::monthly     ? 12
                 : p.frequency == calendar::Frequency::quarterly ? 4
                 : p.frequency == calendar::Frequency::semiannual ? 2
                                                                   : 1;
  return static_cast<std::int64_t>(p.year) * per_year + (p.index - 1);
}

class Inserter {
 public:
  Inserter(SQLite::Database& db, const std::string& table, int columns) {
    std::string sql = "INSERT OR IGNORE INTO " + table + " VALUES (";
    for (int i = 0; i < columns; ++i) sql += i ? ",?" : "?";
    stmt_ = std::make_unique<SQLite::Statement>(db, sql + ")");
  }
  template <typename... Args>
  void operator()(const Args&... args) {
    int i = 1;
    (bind(i++, args), ...);
    stmt_->exec();
    stmt_->reset();
  }

 private:
  void bind(int i, const std::string& v) { stmt_->bind(i, v); }
  void bind(int i, const char* v) { stmt_->bind(i, v); }
  void bind(int i, std::int64_t v) { stmt_->bind(i, v); }
  void bind(int i, int v) { stmt_->bind(i, v); }
  void bind(int i, double v) { stmt_->bind(i, v); }
  void bind(int i, std::nullptr_t) { stmt_->bind(i); }
  void bind(int i, const Value& v) {
    if (std::holds_alternative<std::int64_t>(v)) stmt_->bind(i, std::get<std::int64_t>(v));
    else if (std::holds_alternative<double>(v)) stmt_->bind(i, std::get<double>(v));
    else if (std::holds_alternative<std::string>(v)) stmt_->bind(i, std::get<std::string>(v));
    else stmt_->bind(i);
  }
  void bind(int i, const std::optional<std::string>& v) {
    if (v) stmt_->bind(i, *v);
    else stmt_->bind(i);
  }
  std::unique_ptr<SQLite::Statement> stmt_;
};

// "12345.67" for 1234567 minor units of a 2-decimal currency; "500000" for JPY.
std::string major_units(std::int64_t minor, const std::string& currency) {
  int units = model::currency_minor_units(currency).value_or(2);
  std::int64_t scale = 1;
  for (int i = 0; i < units; ++i) scale *= 10;
  std::string out = (minor < 0 ? "-" : "") + std::to_string(std::llabs(minor) / scale);
  if (units > 0) {
    std::string frac = std::to_string(std::llabs(minor) % scale);
    out += "." + std::string(units - frac.size(), '0') + frac;
  }
  return out;
}

std::optional<std::string> opt_date(const std::optional<calendar::Date>& d) {
  if (!d) return std::nullopt;
  return calendar::to_string(*d);
}

}  // namespace

std::unique_ptr<Store> Store::memory() { return std::make_unique<Store>(":memory:", Access::write); }

void Store::prepare_evaluation(const model::Plan& plan, const EvaluationWindow& w) {
  auto& db = *impl_->db;
  return guarded(impl_->file, [&]() -> void {
    // The evaluation tables are scratch: kept in memory, never written to disk.
    db.exec("PRAGMA temp_store = MEMORY");
    db.exec(kEvaluationSchema);
    SQLite::Transaction tx(db);
    const auto& cal = plan.calendar;
    const calendar::Date known_on = w.known_on.value_or(w.as_of);
    auto p_start = calendar::start_of(w.period), p_end = calendar::end_of(w.period);

    // The calendar from its first period through the last period any initiative or target reaches.
    calendar::Date last = p_end;
    for (const auto& i : plan.initiatives) last = std::max(last, i.end);
    Inserter period(db, "e_period", 5);
    for (auto p = cal.first; calendar::start_of(p) <= last; p = calendar::next(p))
      period(calendar::to_string(p), seq(p), calendar::to_string(calendar::start_of(p)),
             calendar::to_string(calendar::end_of(p)), calendar::to_string(cal.due(p)));
    std::int64_t pseq = seq(w.period);
    calendar::Period window_first = w.period;
    for (int i = 1; i < w.lookback && cal.first < window_first; ++i) {
      // previous period: the one whose next is window_first
      calendar::Period prev = cal.first;
      while (calendar::next(prev) < window_first) prev = calendar::next(prev);
      window_first = prev;
    }
    Inserter param(db, "e_param", 2);
    param("period", calendar::to_string(w.period));
    param("seq", pseq);
    param("as_of", calendar::to_string(w.as_of));
    param("known_on", calendar::to_string(known_on));
    param("start", calendar::to_string(p_start));
    param("end", calendar::to_string(p_end));
    param("due", calendar::to_string(cal.due(w.period)));
    param("window_first", calendar::to_string(window_first));
    param("window_seq", seq(window_first));
    param("grace_days", cal.grace_days);

    Inserter domain(db, "e_domain", 2), priority(db, "e_priority", 3);
    for (const auto& d : plan.domains) {
      domain(d.id, d.title);
      for (const auto& p : d.priorities) priority(p.id, d.id, p.title);
    }
    Inserter process(db, "e_process", 2), member(db, "e_member", 7);
    for (const auto& p : plan.processes) {
      process(p.id, p.name);
      for (const auto& m : p.members)
        member(p.id, m.state, std::string(model::to_string(m.role)),
               std::string(model::to_string(m.region)), calendar::to_string(m.joined),
               opt_date(m.left), m.active_on(p_end) ? 1 : 0);
    }
    Inserter ini(db, "e_initiative", 12), ini_domain(db, "e_initiative_domain", 2),
        ini_priority(db, "e_initiative_priority", 2), ini_process(db, "e_initiative_process", 2),
        ini_country(db, "e_initiative_country", 2), reporting(db, "e_reporting", 2),
        indicator(db, "e_indicator", 6), target(db, "e_target", 5), milestone(db, "e_milestone", 4);
    for (const auto& i : plan.initiatives) {
      double life = static_cast<double>((i.end - i.start).count());
      double elapsed = static_cast<double>((std::min(p_end, i.end) - i.start).count());
      double share = life <= 0 ? 1.0 : std::clamp(elapsed / life, 0.0, 1.0);
      std::optional<std::string> ccy;
      if (i.budget) ccy = i.budget->currency;
      ini(i.id, i.title, std::string(model::to_string(i.kind)), calendar::to_string(i.start),
          calendar::to_string(i.end), seq(calendar::period_containing(cal.frequency, i.start)),
          seq(calendar::period_containing(cal.frequency, i.end)),
          i.budget ? Value(i.budget->amount) : Value(), ccy, i.active_in(w.period) ? 1 : 0, share,
          i.budget ? Value(major_units(i.budget->amount, i.budget->currency)) : Value());
      for (const auto& d : i.domains) ini_domain(i.id, d);
      for (const auto& p : i.priorities) ini_priority(i.id, p);
      for (const auto& p : i.processes) ini_process(i.id, p);
      for (const auto& c : i.countries) ini_country(i.id, c);
      for (const auto& r : i.reporting) reporting(i.id, r);
      for (const auto& ind : i.indicators) {
        indicator(i.id, ind.id, ind.title, ind.unit, std::string(model::to_string(ind.aggregation)),
                  ind.baseline);
        for (const auto& t : ind.targets)
          target(i.id, ind.id, calendar::to_string(t.period), seq(t.period), t.value);
      }
      for (const auto& m : i.milestones) milestone(i.id, m.id, m.title, calendar::to_string(m.due));
    }

    // Record values as known on known_on (as_of unless told): the latest version per key among
    // uploads received by then, for the periods of the window; the first receipt per initiative
    // and period; milestones achieved in any period.
    // When no upload was received after as_of (the usual case) the date filter is skipped.
    bool all_known = db.execAndGet("SELECT coalesce(max(received_on), '') FROM upload").getString() <=
                     calendar::to_string(known_on);
    // SQLite's min()/max() aggregates take the other (bare) columns from the row they pick, so
    // one ordered pass over the record_by_key index gives the latest version of every key.
    std::string known = all_known ? "" : " AND v.upload_id IN (SELECT id FROM upload WHERE received_on <= :known_on)";
    SQLite::Statement values(db, R"sql(
INSERT INTO e_value
SELECT i.code, v.period, m.name, v.value, v.num, v.upload_id, v.line, u.received_on
FROM (SELECT v.initiative, v.period, v.measure, v.value, v.num, max(v.upload_id) AS upload_id, v.line
      FROM record_version v
      WHERE v.period >= :first AND v.period <= :last)sql" + known + R"sql(
      GROUP BY v.initiative, v.period, v.measure) v
JOIN upload u ON u.id = v.upload_id
JOIN initiative i ON i.id = v.initiative
JOIN measure m ON m.id = v.measure)sql");
    if (!all_known) values.bind(":known_on", calendar::to_string(known_on));
    values.bind(":first", calendar::to_string(window_first));
    values.bind(":last", calendar::to_string(w.period));
    values.exec();
    SQLite::Statement received(db, R"sql(
INSERT INTO e_received
SELECT i.code, v.period, min(u.received_on), u.id  -- the bare u.id comes from the min() row
FROM (SELECT initiative, period, upload_id FROM record_version v
      WHERE v.period = :last)sql" + known + R"sql(
      GROUP BY initiative, period, upload_id) v
JOIN upload u ON u.id = v.upload_id JOIN initiative i ON i.id = v.initiative
GROUP BY v.initiative, v.period)sql");
    if (!all_known) received.bind(":known_on", calendar::to_string(known_on));
    received.bind(":last", calendar::to_string(w.period));
    received.exec();
    std::string milestone_ids;
    for (SQLite::Statement m(db, "SELECT id FROM measure WHERE name LIKE 'milestone.%'"); m.executeStep();)
      milestone_ids += (milestone_ids.empty() ? "" : ",") + m.getColumn(0).getString();
    if (!milestone_ids.empty()) {
      SQLite::Statement done(db, R"sql(
INSERT INTO e_milestone_done
SELECT i.code, substr(m.name, 11), min(v.value), min(v.upload_id), min(v.line)
FROM record_version v JOIN upload u ON u.id = v.upload_id JOIN initiative i ON i.id = v.initiative
JOIN measure m ON m.id = v.measure
WHERE u.received_on <= :known_on AND v.measure IN ()sql" + milestone_ids + R"sql()
GROUP BY v.initiative, v.measure)sql");
      done.bind(":known_on", calendar::to_string(known_on));
      done.exec();
    }
    tx.commit();
  });
}

namespace {

Value column_value(const SQLite::Column& c) {
  switch (c.getType()) {
    case SQLITE_INTEGER: return c.getInt64();
    case SQLITE_FLOAT: return c.getDouble();
    case SQLITE_NULL: return std::monostate{};
    default: return c.getString();
  }
}

}  // namespace

QueryResult Store::query(const std::string& sql, const std::map<std::string, Value>& params) const {
  return guarded(impl_->file, [&]() -> QueryResult {
    SQLite::Statement q(*impl_->db, sql);
    for (const auto& [name, v] : params) {
      int i = q.getIndex((":" + name).c_str());
      if (i == 0) continue;  // not used by this query; its unbound parameters are NULL
      if (std::holds_alternative<std::int64_t>(v)) q.bind(i, std::get<std::int64_t>(v));
      else if (std::holds_alternative<double>(v)) q.bind(i, std::get<double>(v));
      else if (std::holds_alternative<std::string>(v)) q.bind(i, std::get<std::string>(v));
    }
    QueryResult out;
    for (int i = 0; i < q.getColumnCount(); ++i) out.columns.push_back(q.getColumnName(i));
    while (q.executeStep()) {
      std::vector<Value> row;
      for (int i = 0; i < q.getColumnCount(); ++i) row.push_back(column_value(q.getColumn(i)));
      out.rows.push_back(std::move(row));
    }
    return out;
  });
}

std::string Store::check_query(const std::string& sql, std::vector<std::string>& columns) const {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(impl_->db->getHandle(), sql.c_str(), static_cast<int>(sql.size()),
                              &stmt, &tail);
  if (rc != SQLITE_OK) return sqlite3_errmsg(impl_->db->getHandle());
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(stmt, sqlite3_finalize);
  if (!stmt) return "the query is empty";
  for (; tail && *tail; ++tail)
    if (!std::isspace(static_cast<unsigned char>(*tail)) && *tail != ';')
      return "only one statement is allowed";
  // A read-only statement that is a query: sqlite3_stmt_readonly() alone also passes BEGIN,
  // ATTACH and some PRAGMAs.
  std::string head;
  for (const char* p = sql.c_str(); *p && head.size() < 6; ++p) {
    if (std::isspace(static_cast<unsigned char>(*p)) && head.empty()) continue;
    if (!std::isalpha(static_cast<unsigned char>(*p))) break;
    head += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  }
  if (!sqlite3_stmt_readonly(stmt) || (head != "SELECT" && head.rfind("WITH", 0) != 0))
    return "the query must be one SELECT (or WITH ... SELECT) that only reads";
  columns.clear();
  for (int i = 0; i < sqlite3_column_count(stmt); ++i) columns.push_back(sqlite3_column_name(stmt, i));
  return "";
}

}  // namespace jvap::store
