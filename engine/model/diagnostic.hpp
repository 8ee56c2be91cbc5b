// A located problem in user input (plan, upload or rule file). Every stage reports all its
// problems as Diagnostics at once; the CLI prints them as `file:line:col: message`.
#pragma once

#include <string>
#include <vector>

namespace jvap::model {

struct Diagnostic {
  std::string file;
  int line = 0;  // 1-based; 0 when the problem is about the whole file
  int col = 0;   // 1-based; 0 when unknown
  std::string message;
};

// `file:line:col: message`, or `file: message` when the line is unknown.
std::string format(const Diagnostic& d);

// Sorts by file, line, column and message, and drops exact repeats.
void sort_unique(std::vector<Diagnostic>& ds);

}  // namespace jvap::model
