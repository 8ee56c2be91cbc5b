#include "model/diagnostic.hpp"

#include "model/error.hpp"

#include <algorithm>
#include <tuple>

namespace jvap::model {

std::string format(const Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ':' + std::to_string(d.line);
    if (d.col > 0) out += ':' + std::to_string(d.col);
  }
  return out + ": " + d.message;
}

std::string describe(const Error& e) {
  if (!e.where()) return e.what();
  return format(Diagnostic{e.where()->file, e.where()->line, e.where()->col, e.what()});
}

void sort_unique(std::vector<Diagnostic>& ds) {
  auto key = [](const Diagnostic& d) { return std::tie(d.file, d.line, d.col, d.message); };
  std::stable_sort(ds.begin(), ds.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  ds.erase(std::unique(ds.begin(), ds.end(),
                       [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
           ds.end());
}

}  // namespace jvap::model
