// Internal to the store: the state behind Store and UploadWriter.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <optional>
#include <vector>
#include <string>
#include <unordered_map>

#include "store/store.hpp"

namespace jvap::store {

namespace detail {
std::string describe_sqlite_error(const SQLite::Exception& e, const std::string& file);
}

struct Store::Impl {
  std::string file;
  Access access = Access::read;
  std::unique_ptr<SQLite::Database> db;

  void open(std::chrono::milliseconds wait, bool immutable = false);
  void migrate();
  void check_version();
  void save_plan(const model::Plan& plan, const std::string& folder, const std::string& signature,
                 bool snapshot);
  std::int64_t insert_upload(const UploadInfo& info);
};

// A staged row with its own copies of the text (the caller's buffers are reused).
struct BufferedRow {
  std::int64_t initiative = 0, measure = 0, line = 0;
  std::string period, value, comment;
  std::optional<double> num;
};

struct UploadWriter::Impl {
  static constexpr std::size_t kBatch = 64;  // rows per INSERT statement

  Store::Impl& store;
  std::unique_ptr<SQLite::Transaction> tx;
  UploadInfo info;
  std::unique_ptr<SQLite::Statement> insert_batch, insert_one, find_in_upload, new_measure;
  std::unordered_map<std::string, std::int64_t> initiatives, measures;
  std::vector<BufferedRow> batch{kBatch};
  std::size_t batched = 0;
  std::int64_t last_id_before = 0;  // rows of this upload have larger ids
  std::int64_t stored = 0;
  UploadWriter::ConflictFn conflict;
  bool store_had_versions = false;
  bool settled = false;

  explicit Impl(Store::Impl& s) : store(s) {}
  void flush();
  void insert_single(const BufferedRow& r);
};

}  // namespace jvap::store
