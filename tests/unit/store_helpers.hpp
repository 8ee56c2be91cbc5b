// Test helpers over a store: counting the stored versions, and the current values through the
// evaluation view (as known now, or on a date), flattened for assertions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "evaluation/view.hpp"
#include "store/store.hpp"

namespace jvap::test {

inline std::int64_t count_versions(const store::Store& db) {
  auto r = db.query("SELECT count(*) FROM record_version", {});
  return std::get<std::int64_t>(r.rows.at(0).at(0));
}

struct Current {
  std::string initiative, period, measure, value, file_name;
  std::int64_t upload_id = 0;
};

// Every current value (sorted by initiative, period, measure) as known on `known_on` (every
// upload when not given); `measures` filters as the view does.
inline std::vector<Current> current(const store::Store& db,
                                    std::optional<calendar::Date> known_on = std::nullopt,
                                    std::vector<std::string> measures = {}) {
  evaluation::Options o;
  o.measures = std::move(measures);
  evaluation::View view(db, {std::nullopt, std::nullopt, calendar::Date::max(),
                             known_on.value_or(calendar::Date::max())}, o);
  std::vector<Current> out;
  for (auto code : view.initiatives())
    for (const auto& v : view.of(code).values()) {
      const auto* u = view.upload(v.source.upload_id);
      out.push_back({std::string(code), calendar::to_string(v.period), std::string(v.measure),
                     std::string(v.value), u ? u->file_name : "", v.source.upload_id});
    }
  return out;
}

}  // namespace jvap::test
