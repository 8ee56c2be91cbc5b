#include "model/model.hpp"

#include <algorithm>
#include <set>

namespace jvap::model {

namespace {

template <typename T>
const T* find_by_id(const std::vector<T>& items, std::string_view id) {
  auto it = std::find_if(items.begin(), items.end(), [&](const T& x) { return x.id == id; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

template <>
const std::vector<EnumName<Role>>& names<Role>() {
  static const std::vector<EnumName<Role>> k{{Role::member, "member", "member"},
                                             {Role::observer, "observer", "observer"}};
  return k;
}

template <>
const std::vector<EnumName<Region>>& names<Region>() {
  static const std::vector<EnumName<Region>> k{
      {Region::north_africa, "north_africa", "North Africa"},
      {Region::west_africa, "west_africa", "West Africa"},
      {Region::central_africa, "central_africa", "Central Africa"},
      {Region::east_africa, "east_africa", "East Africa and the Horn"},
      {Region::europe, "europe", "Europe"},
  };
  return k;
}

template <>
const std::vector<EnumName<FunderGroup>>& names<FunderGroup>() {
  static const std::vector<EnumName<FunderGroup>> k{
      {FunderGroup::african_countries, "african_countries", "African countries"},
      {FunderGroup::african_organisations, "african_organisations", "African organisations"},
      {FunderGroup::eu_institutions, "eu_institutions", "EU institutions"},
      {FunderGroup::european_countries, "european_countries", "European countries"},
      {FunderGroup::international_organisations, "international_organisations",
       "International organisations"},
  };
  return k;
}

template <>
const std::vector<EnumName<InitiativeKind>>& names<InitiativeKind>() {
  static const std::vector<EnumName<InitiativeKind>> k{
      {InitiativeKind::project, "project", "project"}, {InitiativeKind::policy, "policy", "policy"}};
  return k;
}

template <>
const std::vector<EnumName<Aggregation>>& names<Aggregation>() {
  static const std::vector<EnumName<Aggregation>> k{
      {Aggregation::cumulative, "cumulative", "cumulative"},
      {Aggregation::per_period, "per_period", "per period"}};
  return k;
}

template <>
const std::vector<EnumName<CommitmentKind>>& names<CommitmentKind>() {
  static const std::vector<EnumName<CommitmentKind>> k{
      {CommitmentKind::priority_initiative, "priority_initiative", "Valletta priority initiative"},
      {CommitmentKind::action_plan_action, "action_plan_action", "action plan action"},
      {CommitmentKind::state_commitment, "state_commitment", "state's commitment"}};
  return k;
}

template <>
const std::vector<EnumName<ActivityKind>>& names<ActivityKind>() {
  static const std::vector<EnumName<ActivityKind>> k{
      {ActivityKind::thematic_meeting, "thematic_meeting", "thematic meeting"},
      {ActivityKind::senior_officials_meeting, "senior_officials_meeting", "senior officials' meeting"},
      {ActivityKind::steering_committee, "steering_committee", "steering committee meeting"},
      {ActivityKind::training, "training", "training"},
      {ActivityKind::fact_finding_mission, "fact_finding_mission", "fact-finding mission"},
      {ActivityKind::study, "study", "study"},
      {ActivityKind::other, "other", "other activity"}};
  return k;
}

bool african(Region r) { return r != Region::europe; }

const Member* Process::member(std::string_view state) const {
  auto it = std::find_if(members.begin(), members.end(),
                         [&](const Member& m) { return m.state == state; });
  return it == members.end() ? nullptr : &*it;
}

const Indicator* Initiative::indicator(std::string_view ind) const {
  return find_by_id(indicators, ind);
}

const Milestone* Initiative::milestone(std::string_view ms) const {
  return find_by_id(milestones, ms);
}

bool Initiative::reports_by(std::string_view org) const {
  return std::find(reporting.begin(), reporting.end(), org) != reporting.end();
}

bool Initiative::active_in(const Period& p) const {
  return calendar::start_of(p) <= end && start <= calendar::end_of(p);
}

const Domain* Plan::domain(std::string_view id) const { return find_by_id(domains, id); }
const Process* Plan::process(std::string_view id) const { return find_by_id(processes, id); }
const Initiative* Plan::initiative(std::string_view id) const {
  return find_by_id(initiatives, id);
}
const Organisation* Plan::organisation(std::string_view id) const {
  return find_by_id(organisations, id);
}

const Commitment* Plan::commitment(std::string_view id) const { return find_by_id(commitments, id); }

std::pair<const WorkPlan*, const Activity*> Plan::activity(std::string_view id) const {
  for (const auto& w : work_plans)
    for (const auto& a : w.activities)
      if (a.id == id) return {&w, &a};
  return {nullptr, nullptr};
}

bool Commitment::reports_by(std::string_view org) const {
  return std::find(reporting.begin(), reporting.end(), org) != reporting.end();
}

std::optional<FunderGroup> Plan::group_of(std::string_view org) const {
  if (const auto* o = organisation(org)) return o->group;
  for (const auto& p : processes)
    if (const auto* m = p.member(org))
      return m->region == Region::europe ? FunderGroup::european_countries
                                         : FunderGroup::african_countries;
  return std::nullopt;
}

std::vector<std::string> Plan::states() const {
  std::set<std::string> out;
  for (const auto& p : processes)
    for (const auto& m : p.members) out.insert(m.state);
  return {out.begin(), out.end()};
}

}  // namespace jvap::model
