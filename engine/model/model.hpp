// The plan's value types: processes and their members, domains and priorities, organisations,
// initiatives with budgets, indicators, targets and milestones. Plain values produced by the
// plan loader and read by every later stage (store, ingest, rules, report).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "calendar/calendar.hpp"
#include "model/diagnostic.hpp"

namespace jvap::model {

using calendar::Date;
using calendar::Period;

// Marks a fact that no primary source confirms, and where it comes from.
struct Provenance {
  bool confirmed = true;
  std::string source;

  bool operator==(const Provenance&) const = default;
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
enum class CommitmentKind { priority_initiative, action_plan_action, state_commitment };
enum class ActivityKind {
  thematic_meeting,
  senior_officials_meeting,
  steering_committee,
  training,
  fact_finding_mission,
  study,
  other,
};

// The one table of each enum's names: the id used in plan files and JSON ("north_africa") and
// the label shown to readers ("North Africa"), in declaration order.
template <typename E>
struct EnumName {
  E value;
  std::string_view id;
  std::string_view label;
};
// The enums that have a names table.
template <typename E>
concept Named = std::is_same_v<E, Role> || std::is_same_v<E, Region> ||
                std::is_same_v<E, FunderGroup> || std::is_same_v<E, InitiativeKind> ||
                std::is_same_v<E, Aggregation> || std::is_same_v<E, CommitmentKind> ||
                std::is_same_v<E, ActivityKind>;
template <Named E>
const std::vector<EnumName<E>>& names();
template <> const std::vector<EnumName<Role>>& names<Role>();
template <> const std::vector<EnumName<Region>>& names<Region>();
template <> const std::vector<EnumName<FunderGroup>>& names<FunderGroup>();
template <> const std::vector<EnumName<InitiativeKind>>& names<InitiativeKind>();
template <> const std::vector<EnumName<Aggregation>>& names<Aggregation>();
template <> const std::vector<EnumName<CommitmentKind>>& names<CommitmentKind>();
template <> const std::vector<EnumName<ActivityKind>>& names<ActivityKind>();

template <Named E>
std::string_view to_string(E v) {
  for (const auto& n : names<E>())
    if (n.value == v) return n.id;
  return names<E>().front().id;
}
template <Named E>
std::string_view label(E v) {
  for (const auto& n : names<E>())
    if (n.value == v) return n.label;
  return names<E>().front().label;
}
template <Named E>
std::optional<E> parse(std::string_view id) {
  for (const auto& n : names<E>())
    if (n.id == id) return n.value;
  return std::nullopt;
}
// Every id of E, for messages and "did you mean".
template <Named E>
std::vector<std::string> ids() {
  std::vector<std::string> out;
  for (const auto& n : names<E>()) out.emplace_back(n.id);
  return out;
}
// The African regions (every region but Europe).
bool african(Region r);

struct Member {
  std::string state;  // ISO 3166-1 alpha-2
  Role role = Role::member;
  Region region = Region::europe;
  Date joined;                // defaults to the process's founding date
  std::optional<Date> left;   // last day of membership
  Provenance provenance;
  SourceLoc loc;

  bool active_on(Date d) const { return joined <= d && (!left || d <= *left); }

  bool operator==(const Member&) const = default;
};

struct Chair {
  std::string state;
  Date from;
  std::optional<Date> to;
  Provenance provenance;
  SourceLoc loc;

  bool operator==(const Chair&) const = default;
};

struct SteeringCommittee {
  int as_of = 0;  // year
  std::vector<std::string> members;  // state codes or organisation ids
  std::string note;

  bool operator==(const SteeringCommittee&) const = default;
};

struct Process {
  std::string id;
  std::string name;
  Date founded;
  std::string source;
  std::vector<Member> members;
  std::vector<Chair> chairs;
  std::optional<SteeringCommittee> steering;
  std::vector<std::string> secretariat;  // organisation ids; they report on its commitments and work plans
  std::vector<std::string> domains;      // the domains of its framework (default: all five)
  Provenance provenance;
  SourceLoc loc;

  const Member* member(std::string_view state) const;

  bool operator==(const Process&) const = default;
};

struct Priority {
  std::string id;
  std::string domain;
  std::string title;
  bool official = false;
  Provenance provenance;
  SourceLoc loc;

  bool operator==(const Priority&) const = default;
};

struct Domain {
  std::string id;  // D1..D5
  std::string title;
  std::vector<Priority> priorities;
  SourceLoc loc;

  bool operator==(const Domain&) const = default;
};

struct Organisation {
  std::string id;
  std::string name;
  FunderGroup group = FunderGroup::international_organisations;
  SourceLoc loc;

  bool operator==(const Organisation&) const = default;
};

struct IndicatorDef {
  std::string id;
  std::string title;
  std::string unit;
  Aggregation aggregation = Aggregation::cumulative;
  SourceLoc loc;

  bool operator==(const IndicatorDef&) const = default;
};

struct Target {
  Period period;
  double value = 0;

  bool operator==(const Target&) const = default;
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

  bool operator==(const Indicator&) const = default;
};

struct Milestone {
  std::string id;
  std::string title;
  Date due;
  SourceLoc loc;

  bool operator==(const Milestone&) const = default;
};

struct Money {
  std::int64_t amount = 0;  // minor units
  std::string currency;     // ISO 4217

  bool operator==(const Money&) const = default;
};

struct Funder {
  std::string org;
  std::optional<std::int64_t> amount;  // minor units of the budget's currency

  bool operator==(const Funder&) const = default;
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
  // The first period this initiative's reports are expected for (later than the plan's
  // monitoring start, e.g. for an initiative that joined the monitoring later); none: the plan's.
  std::optional<Period> monitoring_from;
  std::vector<std::string> commitments;  // the commitments it implements
  SourceLoc loc;

  const Indicator* indicator(std::string_view id) const;
  const Milestone* milestone(std::string_view id) const;
  bool reports_by(std::string_view org) const;
  // True when the period overlaps the initiative's life [start, end].
  bool active_in(const Period& p) const;

  bool operator==(const Initiative&) const = default;
};

// A commitment: a Valletta priority initiative, an action of a process's action plan, or a state's
// commitment. Initiatives name the commitments they implement (Initiative::commitments); the
// plan loader fills `initiatives` from them.
struct Commitment {
  std::string id;
  std::string title;
  CommitmentKind kind = CommitmentKind::priority_initiative;
  std::string document;             // the declaration or action plan it comes from
  std::optional<Date> declared_on;  // that document's date
  std::vector<std::string> made_by;  // process ids, state codes or organisation ids
  std::vector<std::string> domains;
  std::vector<std::string> priorities;
  std::optional<Date> due;
  std::vector<std::string> outputs;    // expected outputs
  std::vector<std::string> reporting;  // who reports its progress (given, or the secretariats)
  std::vector<std::string> initiatives;  // the initiatives that implement it, in plan order
  Provenance provenance;
  SourceLoc loc;

  bool reports_by(std::string_view org) const;
  bool operator==(const Commitment&) const = default;
};

// One activity of a work plan, planned on a date (from == to) or in a window.
struct Activity {
  std::string id;
  std::string title;
  ActivityKind kind = ActivityKind::other;
  Date from, to;
  std::string host;  // state code, "" when none
  std::string lead;  // state code or organisation id, "" when none
  std::vector<std::string> commitments;
  std::vector<std::string> domains;  // its own and those of its commitments, sorted
  std::vector<std::string> outputs;  // expected outputs
  SourceLoc loc;

  bool operator==(const Activity&) const = default;
};

// A process's work plan: for one chairmanship (its term) or a multiannual framework.
struct WorkPlan {
  std::string id;
  std::string process;
  std::string title;
  std::string chair;       // the chair's state, for a chairmanship's work plan ("" otherwise)
  std::string framework;   // the framework's name, for a multiannual work plan ("" otherwise)
  Date from;
  std::optional<Date> to;  // none: the chair's term is open
  std::vector<std::string> reporting;
  std::vector<Activity> activities;
  Provenance provenance;
  SourceLoc loc;

  bool covers(Date d) const { return from <= d && (!to || d <= *to); }
  bool operator==(const WorkPlan&) const = default;
};

struct PlanInfo {
  std::string id;
  std::string title;
  std::optional<Date> adopted;
  std::string source;

  bool operator==(const PlanInfo&) const = default;
};

struct Plan {
  PlanInfo info;
  calendar::Calendar calendar;
  std::vector<Domain> domains;
  std::vector<Process> processes;
  std::vector<Organisation> organisations;
  std::vector<IndicatorDef> indicators;
  std::vector<Initiative> initiatives;
  std::vector<Commitment> commitments;
  std::vector<WorkPlan> work_plans;
  std::vector<std::string> files;  // relative paths, sorted
  std::string content_hash;        // SHA-256 hex over the files' paths and bytes

  const Domain* domain(std::string_view id) const;
  const Process* process(std::string_view id) const;
  const Initiative* initiative(std::string_view id) const;
  const Organisation* organisation(std::string_view id) const;
  const Commitment* commitment(std::string_view id) const;
  // The work-plan activity with this id and its work plan; {nullptr, nullptr} when none.
  std::pair<const WorkPlan*, const Activity*> activity(std::string_view id) const;
  // The funder group of an organisation id or of a member state (by its region); nullopt if unknown.
  std::optional<FunderGroup> group_of(std::string_view org) const;
  // Every state code that is a member or observer of some process (sorted, unique).
  std::vector<std::string> states() const;

  bool operator==(const Plan&) const = default;
};

}  // namespace jvap::model
