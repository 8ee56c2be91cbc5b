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

std::string_view to_string(Role v) { return v == Role::member ? "member" : "observer"; }

std::string_view to_string(Region v) {
  switch (v) {
    case Region::north_africa: return "north_africa";
    case Region::west_africa: return "west_africa";
    case Region::central_africa: return "central_africa";
    case Region::east_africa: return "east_africa";
    case Region::europe: return "europe";
  }
  return "europe";
}

std::string_view label(Region v) {
  switch (v) {
    case Region::north_africa: return "North Africa";
    case Region::west_africa: return "West Africa";
    case Region::central_africa: return "Central Africa";
    case Region::east_africa: return "East Africa and the Horn";
    case Region::europe: return "Europe";
  }
  return "Europe";
}

std::string_view to_string(FunderGroup v) {
  switch (v) {
    case FunderGroup::african_countries: return "african_countries";
    case FunderGroup::african_organisations: return "african_organisations";
    case FunderGroup::eu_institutions: return "eu_institutions";
    case FunderGroup::european_countries: return "european_countries";
    case FunderGroup::international_organisations: return "international_organisations";
  }
  return "international_organisations";
}

std::string_view label(FunderGroup v) {
  switch (v) {
    case FunderGroup::african_countries: return "African countries";
    case FunderGroup::african_organisations: return "African organisations";
    case FunderGroup::eu_institutions: return "EU institutions";
    case FunderGroup::european_countries: return "European countries";
    case FunderGroup::international_organisations: return "International organisations";
  }
  return "International organisations";
}

std::string_view to_string(InitiativeKind v) {
  return v == InitiativeKind::project ? "project" : "policy";
}

std::string_view to_string(Aggregation v) {
  return v == Aggregation::cumulative ? "cumulative" : "per_period";
}

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
