// Reading with SQL (the rules' queries and their compile-time check) and writing the scratch
// tables an evaluation is materialised into.
#include <sqlite3.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

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

std::unique_ptr<Store> Store::memory() { return std::make_unique<Store>(":memory:", Access::write); }

namespace {

Value column_value(const SQLite::Column& c) {
  switch (c.getType()) {
    case SQLITE_INTEGER: return c.getInt64();
    case SQLITE_FLOAT: return c.getDouble();
    case SQLITE_NULL: return std::monostate{};
    default: return c.getString();
  }
}

QueryResult read_rows(SQLite::Database& db, const std::string& sql,
                      const std::map<std::string, Value>& params, const QueryLimits& limits);

// Stops a statement past its time: SQLite calls this every few thousand virtual machine steps.
struct Deadline {
  std::chrono::steady_clock::time_point at;
  bool passed = false;
  static int check(void* self) {
    auto* d = static_cast<Deadline*>(self);
    d->passed = std::chrono::steady_clock::now() > d->at;
    return d->passed ? 1 : 0;
  }
};

QueryResult run_query(SQLite::Database& db, const std::string& sql,
                      const std::map<std::string, Value>& params, const QueryLimits& limits) {
  Deadline deadline{std::chrono::steady_clock::now() + limits.time};
  sqlite3_progress_handler(db.getHandle(), 10000, &Deadline::check, &deadline);
  struct Off {  // the handler goes with the query
    sqlite3* h;
    ~Off() { sqlite3_progress_handler(h, 0, nullptr, nullptr); }
  } off{db.getHandle()};
  try {
    return read_rows(db, sql, params, limits);
  } catch (const SQLite::Exception& e) {
    if (deadline.passed)
      throw QueryError("the query ran for more than " +
                       std::to_string(std::chrono::duration_cast<std::chrono::seconds>(limits.time).count()) +
                       " s and was stopped (does it loop, such as a recursive WITH without an end?)");
    throw;
  }
}

QueryResult read_rows(SQLite::Database& db, const std::string& sql,
                      const std::map<std::string, Value>& params, const QueryLimits& limits) {
  SQLite::Statement q(db, sql);
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
    if (out.rows.size() == limits.rows)
      throw QueryError("the query returned more than " + std::to_string(limits.rows) + " rows and was stopped");
    std::vector<Value> row;
    for (int i = 0; i < q.getColumnCount(); ++i) row.push_back(column_value(q.getColumn(i)));
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace

QueryResult Store::query(const std::string& sql, const std::map<std::string, Value>& params,
                         const QueryLimits& limits) const {
  try {
    return run_query(*impl_->db, sql, params, limits);
  } catch (const SQLite::Exception& e) {
    // The statement's own fault (SQL error, a value too big, a type mismatch) is the query's;
    // anything else (locked, corrupt, input/output) is the database's.
    switch (e.getErrorCode() & 0xff) {
      case SQLITE_ERROR:
      case SQLITE_INTERRUPT:
      case SQLITE_NOMEM:
      case SQLITE_TOOBIG:
      case SQLITE_MISMATCH:
      case SQLITE_RANGE:
      case SQLITE_CONSTRAINT: throw QueryError(e.what());
      default: throw StoreError(detail::describe_sqlite_error(e, impl_->file));
    }
  }
}

std::vector<std::string> Store::check_query(const std::string& sql) const {
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(impl_->db->getHandle(), sql.c_str(), static_cast<int>(sql.size()),
                              &stmt, &tail);
  if (rc != SQLITE_OK) throw QueryError(sqlite3_errmsg(impl_->db->getHandle()));
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(stmt, sqlite3_finalize);
  if (!stmt) throw QueryError("the query is empty");
  for (; tail && *tail; ++tail)
    if (!std::isspace(static_cast<unsigned char>(*tail)) && *tail != ';')
      throw QueryError("only one statement is allowed");
  // A read-only statement that is a query: sqlite3_stmt_readonly() alone also passes BEGIN,
  // ATTACH and some PRAGMAs.
  std::string head;
  for (const char* p = sql.c_str(); *p && head.size() < 6; ++p) {
    if (std::isspace(static_cast<unsigned char>(*p)) && head.empty()) continue;
    if (!std::isalpha(static_cast<unsigned char>(*p))) break;
    head += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  }
  if (!sqlite3_stmt_readonly(stmt) || (head != "SELECT" && head.rfind("WITH", 0) != 0))
    throw QueryError("the query must be one SELECT (or WITH ... SELECT) that only reads");
  std::vector<std::string> columns;
  for (int i = 0; i < sqlite3_column_count(stmt); ++i) columns.push_back(sqlite3_column_name(stmt, i));
  return columns;
}

// ---- scratch tables ------------------------------------------------------------------------

struct Store::Scratch::Impl {
  static constexpr int kBatch = 64;  // rows per INSERT statement

  SQLite::Database& db;
  std::string file;
  std::unique_ptr<SQLite::Transaction> tx;
  std::string table;
  int columns = 0;
  std::unique_ptr<SQLite::Statement> batch, one;
  // The rows waiting for a batch, with their own copies of the text.
  std::vector<Param> values;
  std::vector<std::string> texts;
  int rows = 0;

  void bind(SQLite::Statement& q, int base, int row) {
    for (int c = 0; c < columns; ++c) {
      const int i = base + c + 1;
      const auto at = static_cast<std::size_t>(row * columns + c);
      const auto& v = values[at];
      if (std::holds_alternative<std::int64_t>(v)) q.bind(i, std::get<std::int64_t>(v));
      else if (std::holds_alternative<double>(v)) q.bind(i, std::get<double>(v));
      else if (std::holds_alternative<std::string_view>(v)) q.bindNoCopy(i, texts[at]);
      else q.bind(i);
    }
  }
  void flush() {
    if (rows == kBatch) {
      bind(*batch, 0, 0);
      for (int r = 1; r < rows; ++r) bind(*batch, r * columns, r);
      batch->exec();
      batch->reset();
    } else {
      for (int r = 0; r < rows; ++r) {
        bind(*one, 0, r);
        one->exec();
        one->reset();
      }
    }
    rows = 0;
  }
};

Store::Scratch::Scratch(Store& store) : impl_(std::make_unique<Impl>(Impl{*store.impl_->db, store.impl_->file, {}, {}, 0, {}, {}, {}, {}, 0})) {
  guarded(impl_->file, [&] {
    // Scratch tables live in memory, never in the database file.
    impl_->db.exec("PRAGMA temp_store = MEMORY");
    impl_->tx = std::make_unique<SQLite::Transaction>(impl_->db);
  });
}

Store::Scratch::~Scratch() = default;  // an uncommitted Transaction rolls back

void Store::Scratch::exec(const std::string& sql) {
  guarded(impl_->file, [&] { impl_->db.exec(sql); });
}

void Store::Scratch::into(const std::string& table, int columns) {
  guarded(impl_->file, [&] {
    if (impl_->rows > 0) impl_->flush();
    std::string row = "(";
    for (int i = 0; i < columns; ++i) row += i ? ",?" : "?";
    row += ")";
    std::string many;
    for (int r = 0; r < Impl::kBatch; ++r) many += (r ? "," : "") + row;
    impl_->table = table;
    impl_->columns = columns;
    impl_->one = std::make_unique<SQLite::Statement>(impl_->db, "INSERT OR IGNORE INTO " + table + " VALUES " + row);
    impl_->batch = std::make_unique<SQLite::Statement>(impl_->db, "INSERT OR IGNORE INTO " + table + " VALUES " + many);
    impl_->values.assign(static_cast<std::size_t>(Impl::kBatch * columns), nullptr);
    impl_->texts.assign(static_cast<std::size_t>(Impl::kBatch * columns), std::string());
  });
}

void Store::Scratch::add(std::initializer_list<Param> row) {
  auto& im = *impl_;
  if (static_cast<int>(row.size()) != im.columns)
    throw std::logic_error("scratch row for " + im.table + " has " + std::to_string(row.size()) +
                           " values, the table " + std::to_string(im.columns) + " columns");
  std::size_t at = static_cast<std::size_t>(im.rows * im.columns);
  for (const auto& v : row) {
    if (std::holds_alternative<std::string_view>(v)) {
      im.texts[at].assign(std::get<std::string_view>(v));  // bound from texts[at]
      im.values[at] = v;
    } else {
      im.values[at] = v;
    }
    ++at;
  }
  if (++im.rows == Impl::kBatch) guarded(im.file, [&] { im.flush(); });
}

void Store::Scratch::commit() {
  guarded(impl_->file, [&] {
    if (impl_->rows > 0) impl_->flush();
    impl_->tx->commit();
  });
}

}  // namespace jvap::store
