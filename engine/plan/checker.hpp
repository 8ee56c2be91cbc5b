// Internal to the plan module: the located error reporting the cross-file checks share
// (validate.cpp, validate_work.cpp), and the ids the first phases know.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "model/text.hpp"
#include "plan/raw_plan.hpp"

namespace jvap::plan::detail {

using model::Diagnostic;
using model::SourceLoc;

inline std::string at(const SourceLoc& loc) {
  return loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

class Checker {
 public:
  Checker(std::vector<Diagnostic>& errors, const std::set<std::string>& broken)
      : errors_(errors), broken_(broken) {}

  // True when `id` of `kind` was dropped for its own error (already reported).
  bool broken(std::string_view kind, const std::string& id) const {
    return broken_.count(std::string(kind) + ":" + id) > 0;
  }

  void error(const SourceLoc& loc, std::string message) {
    errors_.push_back({loc.file, loc.line, loc.col, std::move(message)});
  }

  // Registers `id` of kind `what` in `index`; reports a duplicate.
  bool unique(std::map<std::string, SourceLoc>& index, const std::string& id,
              const SourceLoc& loc, std::string_view what) {
    auto [pos, fresh] = index.emplace(id, loc);
    if (!fresh)
      error(loc, "duplicate " + std::string(what) + " id " + model::quote(id) + " (first defined at " +
                     at(pos->second) + ")");
    return fresh;
  }

  void unknown(const SourceLoc& loc, std::string_view what, const std::string& value,
               const std::map<std::string, SourceLoc>& known) {
    std::vector<std::string> names;
    for (const auto& [k, v] : known) names.push_back(k);
    std::string hint = model::did_you_mean(value, names);
    if (hint.empty() && !names.empty() && names.size() <= 8) {
      hint = " (known: ";
      for (std::size_t i = 0; i < names.size(); ++i) hint += (i ? ", " : "") + names[i];
      hint += ")";
    }
    error(loc, "unknown " + std::string(what) + " " + model::quote(value) + model::invisible_note(value) + hint);
  }

 private:
  std::vector<Diagnostic>& errors_;
  const std::set<std::string>& broken_;
};

// The ids the phases before commitments and work plans registered, by kind.
struct KnownIds {
  const std::map<std::string, SourceLoc>& domains;
  const std::map<std::string, SourceLoc>& priorities;
  const std::map<std::string, std::string>& priority_domain;
  const std::map<std::string, SourceLoc>& processes;
  const std::map<std::string, SourceLoc>& parties;  // organisations and member states
  const std::unordered_map<std::string, const RawProcess*>& process_by_id;
};

// Commitments (their ids, made_by, domains, reporting), before the initiatives that name them.
void validate_commitments(RawPlan& raw, model::Plan& plan, Checker& c, const KnownIds& known);
// The initiatives' `commitments` lists resolve; Commitment::initiatives is filled; then the work
// plans and their activities. Ids of initiatives, commitments and activities are one namespace:
// an upload's `initiative` column names any of them.
void validate_links(RawPlan& raw, model::Plan& plan, Checker& c, const KnownIds& known);

}  // namespace jvap::plan::detail
