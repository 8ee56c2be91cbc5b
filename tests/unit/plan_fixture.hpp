// A small valid plan for unit tests, split over two files, that tests can break one edit at a time.
#pragma once

#include <string>
#include <vector>

#include "plan/plan.hpp"

namespace jvap::test {

inline const char* kBaseFile = R"(plan:
  id: t
  title: Test plan
calendar:
  frequency: semiannual
  first_period: 2024-H1
  grace_days: 45
domains:
  - id: D1
    title: Development
    priorities:
      - {id: D1.P1, title: Jobs}
  - id: D4
    title: Irregular migration
    priorities:
      - {id: D4.P1, title: Smuggling}
processes:
  - id: rabat
    name: Rabat Process
    founded: 2006-07-10
    members:
      - {state: SN, region: west_africa}
      - {state: FR, region: europe}
      - {state: GB, region: europe, left: 2020-12-31}
      - {state: DZ, region: north_africa, role: observer}
organisations:
  - {id: IOM, name: International Organization for Migration, group: international_organisations}
indicators:
  - {id: jobs, title: Jobs created, unit: jobs, aggregation: cumulative}
)";

inline const char* kInitiativesFile = R"(initiatives:
  - id: I-1
    title: Jobs in Senegal
    kind: project
    domains: [D1]
    priorities: [D1.P1]
    processes: [rabat]
    countries: [SN]
    implementers: [IOM]
    funders: [{org: FR, amount: 1000}]
    budget: {amount: 5000, currency: EUR}
    start: 2024-01-01
    end: 2025-12-31
    reporting: [IOM]
    indicators:
      - {id: jobs, ref: jobs, baseline: 0, targets: {2024-H2: 10, 2025-H2: 20}}
    milestones:
      - {id: M1, title: Launch, due: 2024-03-01}
)";

inline plan::LoadResult load_texts(const std::string& base, const std::string& initiatives) {
  return plan::load_sources({{"plans/base.yaml", "base.yaml", base},
                             {"plans/initiatives.yaml", "initiatives.yaml", initiatives}},
                            "plans");
}

// Replaces the first occurrence of `from` in `text` (the test fails loudly if it is absent).
inline std::string edit(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  if (pos == std::string::npos) throw std::runtime_error("fixture has no '" + from + "'");
  return text.replace(pos, from.size(), to);
}

}  // namespace jvap::test
