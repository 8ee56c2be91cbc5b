// The plan's value types: processes and their members, domains and priorities, organisations,
// initiatives with budgets, indicators, targets and milestones. Plain values produced by the
// plan loader and read by every later stage (store, ingest, rules, report).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/calendar.hpp"

namespace jvap::model {

using calendar::Date;
using calendar::Period;

// Where a value came from in the plan files (1-based line and column; 0 when unknown).
struct SourceLoc {
  std::string file;
  int line = 0;
  int col = 0;
};

// Marks a fact that no primary source confirms, and where it comes from.
struct Provenance {
  bool confirmed = true;
  std::string source;
};

enum class Role { member, observer };
enum class Region { north_africa, west_africa, central_africa, east_africa, europe };
enum class FunderGroup {
  african_countries,
  african_organisations,
  eu_institutions,
  european_countries,
  international_organisations,
};
enum class InitiativeKind { project, policy };
enum class Aggregation { cumulative, per_period };

std::string_view to_string(Role v);
std::string_view to_string(Region v);
std::string_view to_string(FunderGroup v);
std::string_view to_string(InitiativeKind v);
std::string_view to_string(Aggregation v);
// Human labels: "African countries", "North Africa".
std::string_view label(FunderGroup v);
std::string_view label(Region v);

struct Member {
  std::string state;  // ISO 3166-1 alpha-2
  Role role = Role::member;
  Region region = Region::europe;
  Date joined;                // defaults to the process's founding date
  std::optional<Date> left;   // last day of membership
  Provenance provenance;
  SourceLoc loc;

  bool active_on(Date d) const { return joined <= d && (!left || d <= *left); }
};

struct Chair {
  std::string state;
  Date from;
  std::optional<Date> to;
  Provenance provenance;
  SourceLoc loc;
};

struct SteeringCommittee {
  int as_of = 0;  // year
  std::vector<std::string> members;  // state codes or organisation ids
  std::string note;
};

struct Process {
  std::string id;
  std::string name;
  Date founded;
  std::string source;
  std::vector<Member> members;
  std::vector<Chair> chairs;
  std::optional<SteeringCommittee> steering;
  Provenance provenance;
  SourceLoc loc;

  const Member* member(std::string_view state) const;
};

struct Priority {
  std::string id;
  std::string domain;
  std::string title;
  bool official = false;
  Provenance provenance;
  SourceLoc loc;
};

struct PriorityInitiative {
  std::string id;
  std::string domain;
  std::string title;
  std::optional<Date> due;
  bool official = false;
  Provenance provenance;
  SourceLoc loc;
};

struct Domain {
  std::string id;  // D1..D5
  std::string title;
  std::vector<Priority> priorities;
  std::vector<PriorityInitiative> priority_initiatives;
  SourceLoc loc;
};

struct Organisation {
  std::string id;
  std::string name;
  FunderGroup group = FunderGroup::international_organisations;
  SourceLoc loc;
};

struct IndicatorDef {
  std::string id;
  std::string title;
  std::string unit;
  Aggregation aggregation = Aggregation::cumulative;
  SourceLoc loc;
};

struct Target {
  Period period;
  double value = 0;
};

struct Indicator {
  std::string id;
  std::string ref;  // catalogue id, empty when defined inline
  std::string title;
  std::string unit;
  Aggregation aggregation = Aggregation::cumulative;
  double baseline = 0;
  std::vector<Target> targets;  // sorted by period
  SourceLoc loc;
};

struct Milestone {
  std::string id;
  std::string title;
  Date due;
  SourceLoc loc;
};

struct Money {
  std::int64_t amount = 0;  // minor units
  std::string currency;     // ISO 4217
};

struct Funder {
  std::string org;
  std::optional<std::int64_t> amount;  // minor units of the budget's currency
};

struct Initiative {
  std::string id;
  std::string title;
  InitiativeKind kind = InitiativeKind::project;
  std::vector<std::string> domains;
  std::vector<std::string> priorities;
  std::vector<std::string> processes;
  std::vector<std::string> countries;
  std::vector<std::string> implementers;
  std::vector<Funder> funders;
  std::optional<Money> budget;
  Date start;
  Date end;
  std::vector<std::string> reporting;
  std::vector<Indicator> indicators;
  std::vector<Milestone> milestones;
  SourceLoc loc;

  const Indicator* indicator(std::string_view id) const;
  const Milestone* milestone(std::string_view id) const;
  bool reports_by(std::string_view org) const;
  // True when the period overlaps the initiative's life [start, end].
  bool active_in(const Period& p) const;
};

struct PlanInfo {
  std::string id;
  std::string title;
  std::optional<Date> adopted;
  std::string source;
};

struct Plan {
  PlanInfo info;
  calendar::Calendar calendar;
  std::vector<Domain> domains;
  std::vector<Process> processes;
  std::vector<Organisation> organisations;
  std::vector<IndicatorDef> indicators;
  std::vector<Initiative> initiatives;
  std::vector<std::string> files;  // relative paths, sorted
  std::string content_hash;        // SHA-256 hex over the files' paths and bytes

  const Domain* domain(std::string_view id) const;
  const Process* process(std::string_view id) const;
  const Initiative* initiative(std::string_view id) const;
  const Organisation* organisation(std::string_view id) const;
  // The funder group of an organisation id or of a member state (by its region); nullopt if unknown.
  std::optional<FunderGroup> group_of(std::string_view org) const;
  // Every state code that is a member or observer of some process (sorted, unique).
  std::vector<std::string> states() const;
};

}  // namespace jvap::model
