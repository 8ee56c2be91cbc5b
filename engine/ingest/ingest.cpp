#include "ingest/ingest.hpp"

#include <set>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <streambuf>

#include "ingest/row_checker.hpp"
#include "ingest/row_source.hpp"
#include "model/sha256.hpp"
#include "model/text.hpp"

namespace jvap::ingest {

namespace fs = std::filesystem;

namespace {

bool is_cumulative(const model::Initiative& ini, const std::string& measure) {
  if (measure == "disbursed") return true;
  if (measure.rfind("indicator.", 0) != 0) return false;
  for (const auto& ind : ini.indicators)
    if (measure.compare(10, std::string::npos, ind.id) == 0) return ind.aggregation == model::Aggregation::cumulative;
  return false;
}

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

// The upload's format, by its extension: json, xlsx, ods, else csv.
std::string format_of(const fs::path& file) {
  auto ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* f : {"json", "xlsx", "ods"})
    if (ext == std::string(".") + f) return f;
  return "csv";
}

}  // namespace

std::string format(const std::string& file, const Problem& p) {
  const std::string name = model::printable(file);
  if (p.line == 0) return name + ": " + p.message;
  if (!p.sheet.empty())
    return name + ":" + model::printable(p.sheet) + "!" +
           (p.col > 0 ? detail::cell_name(p.line, p.col) : "row " + std::to_string(p.line)) + ": " +
           (p.column.empty() ? "" : p.column + ": ") + p.message;
  return name + ":" + std::to_string(p.line) + (p.col > 0 ? ":" + std::to_string(p.col) : "") + ": " +
         (p.record > 0 ? "record " + std::to_string(p.record) + ": " : "") +
         (p.column.empty() ? "" : p.column + ": ") + p.message;
}

namespace {

// One upload in progress: the rows as they stream in, their problems, and the writer that stores
// them once the whole file has been read without one.
class Ingestion {
 public:
  Ingestion(store::Store& store, const model::Plan& plan, const Options& options, Result& result)
      : store_(store), options_(options), result_(result), up_(result.upload),
        writer_(store.begin_upload(up_)), checker_(plan, options),
        initiative_keys_(checker_.subjects(), 0) {
    writer_.on_conflict([this](std::int64_t line, std::int64_t earlier) {
      add_problem({line, "", "the same initiative, period and measure were already given on line " +
                                 std::to_string(earlier) + " with another value or comment"});
    });
  }

  // Reads the whole stream (hashed by `buf`) through the CSV or JSON reader.
  void read(std::istream& in, HashingBuf& buf, std::uint64_t total) {
    auto on_row = [this](const detail::RawRow& raw) { row(raw); };
    auto on_problem = [this](Problem p) {
      if (!p.whole_file && p.line > 0 && row_of(p) != last_bad_row_) ++up_.rows;
      add_problem(std::move(p));
    };
    auto on_progress = [&](std::uint64_t done) {
      if (options_.progress) options_.progress(done, total);
    };
    if (up_.format == "json") {
      detail::read_json(in, on_row, on_problem, on_progress);
    } else if (up_.format == "xlsx" || up_.format == "ods") {
      read_sheet(in, total, on_row, on_problem);
    } else {
      detail::read_csv(in, options_.windows_1252, on_row, on_problem, on_progress);
    }
    // A reader that gave up on the file stops early: the audit hash still covers every byte.
    in.clear();
    in.ignore(std::numeric_limits<std::streamsize>::max());
    if (buf.failed()) add_problem({0, "", std::string("read error: ") + std::strerror(errno)});
    up_.sha256 = buf.hex();
    writer_.flush();  // the last batch: conflicts within the file are found when rows are written
  }

  // A spreadsheet is a zip archive: read whole (within a limit), then cell by cell.
  void read_sheet(std::istream& in, std::uint64_t total, const detail::RowFn& on_row, const detail::ProblemFn& on_problem) {
    if (total > detail::kMaxSheetFileBytes) {
      on_problem({0, "", "the spreadsheet is " + std::to_string(total >> 20) + " MiB; at most " +
                             std::to_string(detail::kMaxSheetFileBytes >> 20) + " MiB (split it, or save it as CSV)", true});
      return;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto format = up_.format == "xlsx" ? detail::SheetFormat::xlsx : detail::SheetFormat::ods;
    detail::read_sheet(bytes, format, options_.sheet, on_row, on_problem, sheet_name_);
  }

  // Stores the upload, or rejects it (logging the attempt) when any row had a problem.
  void finish() {
    if (auto earlier = store_.find_upload(up_.sha256, up_.org)) {
      result_.identical_to_earlier = true;
      up_.note = "identical to upload " + std::to_string(earlier->id);
    }
    if (problem_count_ > 0) return reject();
    result_.periods.assign(periods_.begin(), periods_.end());
    result_.subjects.assign(subjects_.begin(), subjects_.end());
    writer_.set_details(up_.sha256, up_.note, up_.rows);
    writer_.settle();
    up_ = writer_.info();
    if (options_.dry_run) {
      writer_.rollback();
      up_.id = 0;
    } else {
      if (options_.before_commit) options_.before_commit(up_.id);
      writer_.commit();
    }
  }

 private:
  // A row is its line (CSV) or its record (JSON, whose values may span lines).
  static std::int64_t row_of(const Problem& p) { return p.record > 0 ? -p.record : p.line; }

  void add_problem(Problem p) {
    if (!sheet_name_.empty() && p.line > 0 && p.sheet.empty()) p.sheet = sheet_name_;  // rows checked later
    if (!p.whole_file && p.line > 0 && row_of(p) != last_bad_row_) {
      ++up_.rows_rejected;
      last_bad_row_ = row_of(p);
    }
    ++problem_count_;
    if (result_.problems.size() < kMaxProblemsKept) result_.problems.push_back(std::move(p));
  }

  void row(const detail::RawRow& raw) {
    ++up_.rows;
    row_problems_.clear();
    auto row = checker_.check(raw, row_problems_);
    if (!row) {
      for (auto& p : row_problems_) add_problem(std::move(p));
      return;
    }
    if (row->not_reported) {
      ++result_.rows_not_reported;
      return;
    }
    periods_.insert(raw.fields[detail::kPeriod]);
    if (row->code != last_subject_) {
      last_subject_ = row->code;
      subjects_.emplace(row->code);
    }
    if (options_.cumulative && row->num && row->initiative && is_cumulative(*row->initiative, row->measure)) {
      auto [it, added] = cumulative_ids_.try_emplace(row->measure, result_.cumulative_measures.size());
      if (added) result_.cumulative_measures.push_back(row->measure);
      result_.cumulative.push_back({static_cast<std::uint32_t>(row->initiative_index), it->second,
                                    *calendar::parse_period(raw.fields[detail::kPeriod]), *row->num, raw.line});
    }
    auto& ikey = initiative_keys_[row->initiative_index];
    if (ikey == 0) ikey = writer_.initiative_key(std::string(row->code));
    auto mit = measure_keys_.find(std::string_view(row->measure));
    if (mit == measure_keys_.end())
      mit = measure_keys_.emplace(row->measure, writer_.measure_key(row->measure)).first;
    writer_.add({ikey, mit->second, raw.fields[detail::kPeriod], row->value, row->num,
                 raw.fields[detail::kComment], raw.line});
  }

  void reject() {
    writer_.rollback();
    auto& problems = result_.problems;
    std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
      return std::make_pair(a.line == 0 ? INT64_MAX : a.line, a.col) <
             std::make_pair(b.line == 0 ? INT64_MAX : b.line, b.col);
    });
    if (problem_count_ > problems.size())
      problems.push_back({0, "", std::to_string(problem_count_ - problems.size()) + " more problems not listed"});
    up_.outcome = store::Outcome::rejected;
    up_.rows_new = up_.rows_changed = up_.rows_unchanged = 0;
    up_.id = 0;
    if (!options_.dry_run && options_.log_rejected) up_.id = store_.record_upload(up_);
  }

  store::Store& store_;
  const Options& options_;
  Result& result_;
  store::UploadInfo& up_;
  store::UploadWriter writer_;
  detail::RowChecker checker_;
  std::vector<std::int64_t> initiative_keys_;
  std::unordered_map<std::string, std::int64_t, detail::StringHash, std::equal_to<>> measure_keys_;
  std::vector<Problem> row_problems_;
  std::set<std::string> periods_;
  std::set<std::string, std::less<>> subjects_;
  std::string last_subject_;
  std::unordered_map<std::string, std::uint32_t> cumulative_ids_;  // measure -> cumulative_measures index
  std::size_t problem_count_ = 0;
  std::int64_t last_bad_row_ = INT64_MIN;
  std::string sheet_name_;  // XLSX, ODS: the sheet read
};

}  // namespace

Result ingest_file(store::Store& store, const model::Plan& plan, const fs::path& file,
                   const Options& options) {
  Result result;
  auto& up = result.upload;
  up.org = options.org;
  up.file_name = file.filename().string();
  up.format = format_of(file);
  up.review = options.review;
  if (!options.sheet.empty() && up.format != "xlsx" && up.format != "ods") {
    result.file_unreadable = true;
    result.problems.push_back({0, "", "--sheet is for XLSX and ODS files; this one is read as " + up.format});
    return result;
  }
  up.received_on = options.received_on;
  up.plan_hash = plan.content_hash;

  std::error_code ec;
  std::size_t bad = 0;
  if (!model::valid_utf8(up.file_name, bad)) {  // the name goes into the audit log
    result.file_unreadable = true;
    result.problems.push_back({0, "", "the file name is not valid UTF-8: rename the file"});
    return result;
  }
  auto status = fs::status(file, ec);
  if (fs::is_directory(status)) {
    result.file_unreadable = true;
    result.problems.push_back({0, "", "is a folder, not an upload file"});
    return result;
  }
  if (fs::exists(status) && !fs::is_regular_file(status)) {  // a FIFO would block, holding the lock
    result.file_unreadable = true;
    result.problems.push_back({0, "", "is not a regular file (a pipe or a device): give a file"});
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
  Ingestion run(store, plan, options, result);
  run.read(in, buf, total);
  run.finish();
  return result;
}

}  // namespace jvap::ingest
