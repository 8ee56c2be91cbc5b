// Internal to the CLI: a file a command writes (a report, a template), put in place atomically.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "model/text.hpp"
#include "report/report.hpp"

namespace jvap::cli {

// An output file written through a unique temporary file beside it and renamed into place on
// commit(), so a failure or a concurrent writer never leaves a partial file. The target must be
// a regular file (or not exist); a symbolic link is followed. The temporary file is removed
// unless committed.
class Output {
 public:
  explicit Output(const std::filesystem::path& path) : shown_(model::printable(path.string())) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (path.empty() || !path.has_filename())
      throw report::ReportError(shown_ + ": names a folder; give the path of a file to write");
    target_ = fs::weakly_canonical(fs::absolute(path), ec);
    if (ec) target_ = fs::absolute(path);
    auto st = fs::status(target_, ec);
    if (fs::exists(st) && !fs::is_regular_file(st))
      throw report::ReportError(shown_ + ": " + (fs::is_directory(st) ? "is a folder" : "is not a regular file") +
                                "; give the path of a file to write");
    make_folders(target_.parent_path());
    std::string pattern = target_.string() + ".tmp-XXXXXX";
    int fd = ::mkstemp(pattern.data());
    if (fd < 0) fail(std::strerror(errno));
    ::close(fd);
    temp_ = pattern;
  }
  // A failure leaves nothing behind: not the temporary file, nor the folders made for it.
  ~Output() {
    if (committed_) return;
    std::error_code ec;
    if (!temp_.empty()) std::filesystem::remove(temp_, ec);
    for (auto it = made_.rbegin(); it != made_.rend(); ++it) std::filesystem::remove(*it, ec);
  }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  const std::filesystem::path& temp() const { return temp_; }
  void write(const std::string& bytes) const {
    std::ofstream out(temp_, std::ios::binary | std::ios::trunc);
    out << bytes;
    out.flush();
    if (!out) fail(errno == EFBIG ? "the file is larger than this system allows"
                   : errno == ENOSPC ? "the disk is full" : std::strerror(errno));
  }
  // Adds to the file (a stream kept open until commit), for outputs made piece by piece.
  void append(std::string_view bytes) {
    if (!stream_.is_open()) stream_.open(temp_, std::ios::binary | std::ios::trunc);
    stream_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!stream_) fail(errno == ENOSPC ? "the disk is full" : std::strerror(errno));
  }
  void commit() {
    if (stream_.is_open()) {
      stream_.close();
      if (!stream_) fail(errno == ENOSPC ? "the disk is full" : std::strerror(errno));
    }
    ::chmod(temp_.c_str(), 0644);  // mkstemp creates it 0600
    if (::rename(temp_.c_str(), target_.c_str()) != 0) fail(std::strerror(errno));
    committed_ = true;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw report::ReportError("cannot write " + shown_ + ": " + why + "; nothing was written");
  }
  // The missing folders of `dir`, made from the outermost in (and remembered, to be removed).
  void make_folders(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> missing;
    std::error_code ec;
    for (auto p = dir; !p.empty() && !std::filesystem::exists(p, ec); p = p.parent_path()) {
      missing.push_back(p);
      if (p == p.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
      if (!std::filesystem::create_directory(*it, ec) && ec) fail("cannot make the folder " + it->string() + ": " + ec.message());
      made_.push_back(*it);
    }
  }

  std::string shown_;
  std::ofstream stream_;
  std::filesystem::path target_, temp_;
  std::vector<std::filesystem::path> made_;
  bool committed_ = false;
};

}  // namespace jvap::cli
