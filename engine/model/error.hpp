// The one base of the errors jvap reports to its user: what is wrong, the exit code the command
// ends with, where in the input the problem is (when one place is to blame) and, for an input
// with many problems, every one of them. The plan, ingest, store, rule, report and usage errors
// derive from it; the CLI prints any of them the same way.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"

namespace jvap::model {

// The exit codes of every command (documented in --help and README).
enum ExitCode : int {
  kOk = 0,
  kFailed = 1,      // findings or rejections the user asked to fail on
  kInputError = 2,  // usage or input error
  kInternal = 3,    // a bug or an environment failure
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, int exit_code = kInputError,
                 std::optional<SourceLoc> where = std::nullopt,
                 std::vector<Diagnostic> details = {})
      : std::runtime_error(message),
        exit_code_(exit_code),
        where_(std::move(where)),
        details_(std::move(details)) {}

  int exit_code() const noexcept { return exit_code_; }
  // The place to blame, printed before the message as `file:line:col: `.
  const std::optional<SourceLoc>& where() const noexcept { return where_; }
  // Every located problem (a plan or rule file with several mistakes), printed first.
  const std::vector<Diagnostic>& details() const noexcept { return details_; }

 private:
  int exit_code_;
  std::optional<SourceLoc> where_;
  std::vector<Diagnostic> details_;
};

// The message as the user reads it: `file:line:col: message` when located.
std::string describe(const Error& e);

}  // namespace jvap::model
