// Internal to the store: the state behind Store and UploadWriter.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
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

  void migrate();
  void check_version();
  void save_plan(const model::Plan& plan, const std::string& folder, const std::string& signature,
                 bool snapshot);
  std::int64_t insert_upload(const UploadInfo& info);
};

struct UploadWriter::Impl {
  Store::Impl& store;
  std::unique_ptr<SQLite::Transaction> tx;
  UploadInfo info;
  std::unique_ptr<SQLite::Statement> insert, find_in_upload, new_measure;
  std::unordered_map<std::string, std::int64_t> initiatives, measures;
  std::int64_t first_row = 0, last_row = 0;
  bool store_had_versions = false;
  bool settled = false;

  explicit Impl(Store::Impl& s) : store(s) {}
};

}  // namespace jvap::store
