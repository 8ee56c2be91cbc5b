#include "ingest/ingest.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <streambuf>

#include "ingest/row_checker.hpp"
#include "ingest/row_source.hpp"
#include "model/sha256.hpp"

namespace jvap::ingest {

namespace fs = std::filesystem;

namespace {

// Problems kept in memory (and so listed); beyond this they are only counted, which keeps memory
// flat however broken a file is.
constexpr std::size_t kMaxProblemsKept = 10000;

// Reads a file through a fixed buffer and hashes every byte on the way.
class HashingBuf : public std::streambuf {
 public:
  explicit HashingBuf(std::FILE* f) : f_(f), buf_(1 << 20) {}
  std::string hex() { return sha_.hex(); }
  bool failed() const { return failed_; }

 protected:
  int_type underflow() override {
    std::size_t n = std::fread(buf_.data(), 1, buf_.size(), f_);
    if (n == 0) {
      failed_ = std::ferror(f_) != 0;
      return traits_type::eof();
    }
    sha_.update(std::string_view(buf_.data(), n));
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  std::FILE* f_;
  std::vector<char> buf_;
  model::Sha256 sha_;
  bool failed_ = false;
};

bool looks_like_json(const fs::path& file) {
  auto ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json";
}

}  // namespace

std::string format(const std::string& file, const Problem& p) {
  if (p.line == 0) return file + ": " + p.message;
  return file + ":" + std::to_string(p.line) + ": " + (p.column.empty() ? "" : p.column + ": ") +
         p.message;
}

Result ingest_file(store::Store& store, const model::Plan& plan, const fs::path& file,
                   const Options& options) {
  Result result;
  auto& up = result.upload;
  up.org = options.org;
  up.file_name = file.filename().string();
  up.format = looks_like_json(file) ? "json" : "csv";
  up.received_on = options.received_on;
  up.plan_hash = plan.content_hash;

  std::error_code ec;
  if (fs::is_directory(file, ec)) {
    result.file_unreadable = true;
    result.problems.push_back({0, "", "is a folder, not an upload file"});
    return result;
  }
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) {
    result.file_unreadable = true;
    result.problems.push_back({0, "", std::string("cannot read the file: ") + std::strerror(errno)});
    return result;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, std::fclose);
  std::uint64_t total = fs::file_size(file, ec);
  HashingBuf buf(f);
  std::istream in(&buf);

  auto writer = store.begin_upload(up);
  detail::RowChecker checker(plan, options);
  std::size_t problem_count = 0;
  std::int64_t last_bad_line = -1;
  std::vector<Problem> row_problems;
  auto add_problem = [&](Problem p) {
    if (!p.whole_file && p.line > 0 && p.line != last_bad_line) {
      ++up.rows_rejected;
      last_bad_line = p.line;
    }
    ++problem_count;
    if (result.problems.size() < kMaxProblemsKept) result.problems.push_back(std::move(p));
  };
  std::vector<std::int64_t> initiative_keys(plan.initiatives.size(), 0);
  std::unordered_map<std::string, std::int64_t, detail::StringHash, std::equal_to<>> measure_keys;

  auto on_row = [&](const detail::RawRow& raw) {
    ++up.rows;
    row_problems.clear();
    auto row = checker.check(raw, row_problems);
    if (!row) {
      for (auto& p : row_problems) add_problem(std::move(p));
      return;
    }
    auto& ikey = initiative_keys[row->initiative_index];
    if (ikey == 0) ikey = writer.initiative_key(row->initiative->id);
    auto mit = measure_keys.find(std::string_view(row->measure));
    if (mit == measure_keys.end())
      mit = measure_keys.emplace(row->measure, writer.measure_key(row->measure)).first;
    store::StagedRow staged{ikey, mit->second, raw.fields[detail::kPeriod], row->value, row->num,
                            raw.fields[detail::kComment], raw.line};
    writer.add(staged);
  };
  writer.on_conflict([&](std::int64_t line, std::int64_t earlier) {
    add_problem({line, "", "the same initiative, period and measure were already given on line " +
                               std::to_string(earlier) + " with another value or comment"});
  });
  auto on_problem = [&](Problem p) {
    if (!p.whole_file && p.line > 0 && p.line != last_bad_line) ++up.rows;
    add_problem(std::move(p));
  };
  auto on_progress = [&](std::uint64_t done) {
    if (options.progress) options.progress(done, total);
  };

  bool usable = up.format == "json" ? detail::read_json(in, on_row, on_problem, on_progress)
                                    : detail::read_csv(in, on_row, on_problem, on_progress);
  if (buf.failed()) {
    add_problem({0, "", std::string("read error: ") + std::strerror(errno)});
    usable = false;
  }
  (void)usable;
  up.sha256 = buf.hex();
  writer.flush();  // the last batch: conflicts within the file are found when rows are written

  if (auto earlier = store.find_upload(up.sha256, up.org)) {
    result.identical_to_earlier = true;
    up.note = "identical to upload " + std::to_string(earlier->id);
  }
  auto reject = [&]() -> Result {
    writer.rollback();
    std::stable_sort(result.problems.begin(), result.problems.end(),
                     [](const Problem& a, const Problem& b) {
                       return (a.line == 0 ? INT64_MAX : a.line) < (b.line == 0 ? INT64_MAX : b.line);
                     });
    if (problem_count > result.problems.size())
      result.problems.push_back({0, "", std::to_string(problem_count - result.problems.size()) +
                                            " more problems not listed"});
    up.outcome = store::Outcome::rejected;
    up.rows_new = up.rows_changed = up.rows_unchanged = 0;
    up.id = 0;
    if (!options.dry_run) up.id = store.record_upload(up);
    return result;
  };
  if (problem_count > 0) return reject();
  writer.set_details(up.sha256, up.note, up.rows);
  writer.settle();
  up = writer.info();
  if (options.dry_run) {
    writer.rollback();
    up.id = 0;
  } else {
    writer.commit();
  }
  return result;
}

}  // namespace jvap::ingest
