// Internal to the store: the state behind Store and UploadWriter.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <optional>
#include <vector>
#include <string>
#include <unordered_map>

#include "store/store.hpp"

namespace jvap::store {

namespace detail {
std::string describe_sqlite_error(const SQLite::Exception& e, const std::string& file);
}

// Runs `f`, turning a SQLite error into a StoreError that names the database and what went wrong.
template <typename F>
auto guarded(const std::string& file, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const SQLite::Exception& e) {
    throw StoreError(detail::describe_sqlite_error(e, file));
  }
}

struct Store::Impl {
  std::string file;  // as messages name it
  std::string path;  // as it is opened
  Access access = Access::read;
  std::unique_ptr<SQLite::Database> db;

  void open(std::chrono::milliseconds wait, bool immutable = false);
  void migrate();
  void verify_for_write();
  void check_version();
  void save_plan(const model::Plan& plan, const std::string& folder);
  std::int64_t insert_upload(const UploadInfo& info);
  // The upload columns read_upload expects; a database older than schema 7 (opened to read)
  // gives every upload as verified on the day it was received.
  std::string upload_columns() const;
  std::optional<calendar::Date> verified_only;
};

// A staged row with its own copies of the text (the caller's buffers are reused).
struct BufferedRow {
  std::int64_t initiative = 0, measure = 0, line = 0;
  std::string period, value, comment;
  std::optional<double> num;
};

// Rows pass from the thread that reads and validates the file to a writer thread in chunks, so
// parsing and SQLite work overlap on two cores. The queue is bounded, so memory stays flat.
struct UploadWriter::Impl {
  static constexpr std::size_t kBatch = 64;    // rows per INSERT statement
  static constexpr std::size_t kChunk = 2048;  // rows handed to the writer thread at once
  static constexpr std::size_t kQueued = 4;    // chunks waiting at most

  struct Chunk {
    std::vector<BufferedRow> rows{kChunk};
    std::size_t n = 0;
  };

  Store::Impl& store;
  std::unique_ptr<SQLite::Transaction> tx;
  UploadInfo info;
  std::unique_ptr<SQLite::Statement> insert_batch, insert_one, find_in_upload, new_measure;
  std::unordered_map<std::string, std::int64_t> initiatives, measures;
  std::int64_t last_id_before = 0;  // rows of this upload have larger ids
  std::int64_t stored = 0;          // written by the writer thread; read after flush()
  UploadWriter::ConflictFn conflict;
  bool store_had_versions = false;
  bool settled = false;

  std::unique_ptr<Chunk> filling = std::make_unique<Chunk>();
  std::mutex m;  // guards the fields below
  std::condition_variable cv;
  std::deque<std::unique_ptr<Chunk>> queue;
  std::vector<std::unique_ptr<Chunk>> spare;
  std::vector<std::pair<std::int64_t, std::int64_t>> conflicts;  // (line, earlier line)
  std::int64_t repeats = 0;  // rows equal to an earlier row of the same file
  std::exception_ptr error;
  bool busy = false, stopping = false, abandon = false;
  std::thread worker;
  std::mutex db;  // one thread at a time on the connection

  explicit Impl(Store::Impl& s) : store(s) {}
  ~Impl() { stop(true); }
  void hand_off();                 // queues the filling chunk (starts the writer thread)
  void flush();                    // writes everything queued and filled; reports conflicts
  void stop(bool drop_pending);    // ends the writer thread
  void write_rows(const Chunk& c);  // on the connection; caller holds `db`
  void insert_single(const BufferedRow& r);
  void run_worker();
};

}  // namespace jvap::store
