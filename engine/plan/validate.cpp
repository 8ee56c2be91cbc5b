// The cross-file checks of a plan: unique ids, references that resolve, memberships on the
// initiative's start date, targets in the reporting calendar. Builds the final model::Plan.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "model/codes.hpp"
#include "model/text.hpp"
#include "plan/raw_plan.hpp"

namespace jvap::plan::detail {

using namespace jvap::yaml;

using model::Diagnostic;
using model::quote;
using model::SourceLoc;

namespace {

std::string at(const SourceLoc& loc) {
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
      error(loc, "duplicate " + std::string(what) + " id " + quote(id) + " (first defined at " +
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
    error(loc, "unknown " + std::string(what) + " " + quote(value) + hint);
  }

 private:
  std::vector<Diagnostic>& errors_;
  const std::set<std::string>& broken_;
};

std::vector<std::string> values(const std::vector<LocatedId>& ids) {
  std::vector<std::string> out;
  for (const auto& i : ids) out.push_back(i.value);
  return out;
}

}  // namespace

std::optional<model::Plan> validate(RawPlan raw, const std::string& label,
                                    std::vector<Diagnostic>& errors) {
  Checker c(errors, raw.broken);
  std::size_t errors_before = errors.size();
  model::Plan plan;

  if (!raw.info) errors.push_back({label, 0, 0, "no 'plan' section in any plan file"});
  else plan.info = *raw.info;

  bool calendar_ok = false;
  if (!raw.calendar) {
    errors.push_back({label, 0, 0, "no 'calendar' section in any plan file"});
  } else if (raw.calendar->ok) {
    auto freq = calendar::parse_frequency(raw.calendar->frequency);
    auto first = calendar::parse_period(raw.calendar->first_period);
    if (!first) {
      c.error(raw.calendar->first_loc, "invalid period id " + quote(raw.calendar->first_period) +
                                           ": expected 2025-03, 2025-Q1, 2025-H1 or 2025");
    } else if (first->frequency != *freq) {
      c.error(raw.calendar->first_loc,
              "first_period " + quote(raw.calendar->first_period) + " is not a " +
                  std::string(calendar::to_string(*freq)) + " period");
    } else {
      plan.calendar = {*freq, *first, raw.calendar->grace_days};
      calendar_ok = true;
    }
  }

  // Domains, priorities and priority initiatives.
  std::map<std::string, SourceLoc> domain_ids, priority_ids, pi_ids;
  std::map<std::string, std::string> priority_domain;
  for (auto& d : raw.domains) {
    if (!c.unique(domain_ids, d.id, d.loc, "domain")) continue;
    for (const auto& p : d.priorities)
      if (c.unique(priority_ids, p.id, p.loc, "priority")) priority_domain[p.id] = d.id;
    for (const auto& p : d.priority_initiatives) c.unique(pi_ids, p.id, p.loc, "priority initiative");
    plan.domains.push_back(std::move(d));
  }
  std::sort(plan.domains.begin(), plan.domains.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });

  // Organisations, then processes (a state code may not double as an organisation id).
  std::map<std::string, SourceLoc> org_ids, process_ids, state_ids;
  for (auto& o : raw.organisations)
    if (c.unique(org_ids, o.id, o.loc, "organisation")) plan.organisations.push_back(std::move(o));
  std::unordered_map<std::string, const RawProcess*> process_by_id;
  for (const auto& p : raw.processes) {
    if (!c.unique(process_ids, p.m.id, p.m.loc, "process")) continue;
    process_by_id[p.m.id] = &p;
    for (const auto& m : p.members) {
      state_ids.emplace(m.m.state, m.m.loc);
      if (org_ids.count(m.m.state))
        c.error(org_ids[m.m.state], "organisation id " + quote(m.m.state) +
                                        " is also a member state's code; use another id");
    }
  }
  std::map<std::string, SourceLoc> party_ids = org_ids;  // organisations and member states
  party_ids.insert(state_ids.begin(), state_ids.end());

  for (auto& p : raw.processes) {
    if (!process_by_id.count(p.m.id) || process_by_id[p.m.id] != &p) continue;
    for (const auto& ch : p.m.chairs) {
      auto it = std::find_if(p.members.begin(), p.members.end(),
                             [&](const RawMember& m) { return m.m.state == ch.state; });
      if (it == p.members.end())
        c.error(ch.loc, "chair " + quote(ch.state) + " is not a member of process " +
                            quote(p.m.id));
      else if (!it->m.active_on(ch.from))
        c.error(ch.loc, "chair " + quote(ch.state) + " is not a member of process " +
                            quote(p.m.id) + " on " + calendar::to_string(ch.from));
    }
    for (const auto& s : p.steering)
      if (!org_ids.count(s.value) && !p.m.member(s.value) &&
          std::none_of(p.members.begin(), p.members.end(),
                       [&](const RawMember& m) { return m.m.state == s.value; }))
        c.unknown(s.loc, "steering committee member (not a member state or organisation)",
                  s.value, party_ids);
    for (auto& m : p.members) p.m.members.push_back(m.m);
  }

  std::map<std::string, SourceLoc> indicator_ids;
  std::unordered_map<std::string, const model::IndicatorDef*> catalogue;
  for (auto& d : raw.indicators)
    if (c.unique(indicator_ids, d.id, d.loc, "indicator")) plan.indicators.push_back(d);
  for (const auto& d : plan.indicators) catalogue[d.id] = &d;

  auto broken_state = [&](const std::string& state) {
    return std::any_of(raw.processes.begin(), raw.processes.end(),
                       [&](const RawProcess& p) { return p.broken_states.count(state) > 0; });
  };

  // Initiatives.
  std::map<std::string, SourceLoc> initiative_ids;
  for (auto& ri : raw.initiatives) {
    auto& m = ri.m;
    if (!c.unique(initiative_ids, m.id, m.loc, "initiative")) continue;
    bool domains_known = !ri.domains.empty();
    for (const auto& d : ri.domains)
      if (!domain_ids.count(d.value)) {
        if (!c.broken("domain", d.value)) c.unknown(d.loc, "domain", d.value, domain_ids);
        domains_known = false;
      }
    for (const auto& p : ri.priorities) {
      auto it = priority_domain.find(p.value);
      if (it == priority_domain.end()) {
        if (!c.broken("priority", p.value)) c.unknown(p.loc, "priority", p.value, priority_ids);
      }
      else if (domains_known && std::none_of(ri.domains.begin(), ri.domains.end(),
                            [&](const LocatedId& d) { return d.value == it->second; }))
        c.error(p.loc, "priority " + quote(p.value) + " belongs to domain " + it->second +
                           ", which is not among the initiative's domains");
    }
    for (const auto& p : ri.processes)
      if (!process_by_id.count(p.value) && !c.broken("process", p.value))
        c.unknown(p.loc, "process", p.value, process_ids);
    for (const auto& country : ri.countries) {
      if (!model::country_name(country.value)) {
        c.error(country.loc, "unknown country code " + quote(country.value) +
                                 ": expected an ISO 3166-1 alpha-2 code such as 'ET' or 'DE'");
        continue;
      }
      bool member = false, known_processes = ri.dates_ok;
      for (const auto& p : ri.processes) {
        auto it = process_by_id.find(p.value);
        // An unknown or broken process, or a member dropped for its own error: nothing to say.
        if (it == process_by_id.end() || it->second->broken_states.count(country.value)) {
          known_processes = false;
          break;
        }
        const auto* mem = it->second->m.member(country.value);
        if (mem && mem->active_on(m.start)) member = true;
      }
      if (known_processes && !member)
        c.error(country.loc, "country " + quote(country.value) + " is not a member of " +
                                 (ri.processes.size() == 1 ? "process " : "processes ") +
                                 [&] {
                                   std::string s;
                                   for (const auto& p : ri.processes)
                                     s += (s.empty() ? "" : ", ") + p.value;
                                   return s;
                                 }() +
                                 " on the initiative's start date " +
                                 calendar::to_string(m.start));
    }
    for (auto* list : {&ri.implementers, &ri.reporting})
      for (const auto& o : *list)
        if (!party_ids.count(o.value) && !c.broken("party", o.value) && !broken_state(o.value))
          c.unknown(o.loc, "organisation (not an organisation id or member state)", o.value,
                    party_ids);
    for (const auto& f : ri.funders)
      if (!party_ids.count(f.m.org) && !c.broken("party", f.m.org) && !broken_state(f.m.org))
        c.unknown(f.loc, "funder (not an organisation id or member state)", f.m.org, party_ids);

    for (auto& ind : ri.indicators) {
      if (!ind.m.ref.empty()) {
        auto it = catalogue.find(ind.m.ref);
        if (it == catalogue.end()) {
          if (!c.broken("indicator", ind.m.ref))
            c.unknown(ind.ref_loc, "catalogue indicator", ind.m.ref, indicator_ids);
        } else {
          ind.m.title = it->second->title;
          ind.m.unit = it->second->unit;
          ind.m.aggregation = it->second->aggregation;
        }
      }
      for (const auto& t : ind.targets) {
        auto period = calendar::parse_period(t.period_id);
        if (!period) {
          c.error(t.loc, "invalid period id " + quote(t.period_id) +
                             ": expected 2025-03, 2025-Q1, 2025-H1 or 2025");
          continue;
        }
        if (!calendar_ok) continue;
        if (period->frequency != plan.calendar.frequency) {
          c.error(t.loc, "target period " + quote(t.period_id) + " is not a " +
                             std::string(calendar::to_string(plan.calendar.frequency)) +
                             " reporting period");
        } else if (*period < plan.calendar.first) {
          c.error(t.loc, "target period " + quote(t.period_id) +
                             " is before the first reporting period " +
                             calendar::to_string(plan.calendar.first));
        } else if (ri.dates_ok && !m.active_in(*period)) {
          c.error(t.loc, "target period " + quote(t.period_id) +
                             " is outside the initiative's life (" +
                             calendar::to_string(m.start) + " to " + calendar::to_string(m.end) +
                             ")");
        } else {
          ind.m.targets.push_back({*period, t.value});
        }
      }
      std::sort(ind.m.targets.begin(), ind.m.targets.end(),
                [](const auto& a, const auto& b) { return a.period < b.period; });
      m.indicators.push_back(std::move(ind.m));
    }
    m.domains = values(ri.domains);
    m.priorities = values(ri.priorities);
    m.processes = values(ri.processes);
    m.countries = values(ri.countries);
    m.implementers = values(ri.implementers);
    m.reporting = values(ri.reporting);
    for (const auto& f : ri.funders) m.funders.push_back(f.m);
    plan.initiatives.push_back(std::move(m));
  }
  for (auto& p : raw.processes)
    if (process_by_id.count(p.m.id) && process_by_id[p.m.id] == &p)
      plan.processes.push_back(std::move(p.m));

  if (errors.size() != errors_before) return std::nullopt;
  return plan;
}

}  // namespace jvap::plan::detail
