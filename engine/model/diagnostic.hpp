// A located problem in user input (plan, upload or rule file). Every stage reports all its
// problems as Diagnostics at once; the CLI prints them as `file:line:col: message`.
#pragma once

#include <string>
#include <vector>

namespace jvap::model {

// Where a value came from in an input file (1-based line and column; 0 when unknown).
struct SourceLoc {
  std::string file;
  int line = 0;
  int col = 0;

  bool operator==(const SourceLoc&) const = default;
};

struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem is about the whole file
  int col = 0;   // 1-based; 0 when unknown
  std::string message;

  bool operator==(const Diagnostic&) const = default;
};

// `file:line:col: message`, or `file: message` when the line is unknown.
std::string format(const Diagnostic& d);

// Sorts by file, line, column and message, and drops exact repeats.
void sort_unique(std::vector<Diagnostic>& ds);

}  // namespace jvap::model
