// The cross-file checks of a plan: unique ids, references that resolve, memberships on the
// initiative's start date, targets in the reporting calendar. Builds the final model::Plan.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <unordered_map>

#include "model/codes.hpp"
#include "model/money.hpp"
#include "model/text.hpp"
#include "plan/checker.hpp"

namespace jvap::plan::detail {

using namespace jvap::yaml;

using model::Diagnostic;
using model::quote;
using model::SourceLoc;

namespace {

std::vector<std::string> values(const std::vector<LocatedId>& ids) {
  std::vector<std::string> out;
  for (const auto& i : ids) out.push_back(i.value);
  return out;
}

// The checks across files, one phase per part of the plan; each fills its part of `plan_` and the
// id indexes the later phases resolve references against.
class Validator {
 public:
  Validator(RawPlan& raw, const std::string& label, std::vector<Diagnostic>& errors)
      : raw_(raw), label_(label), errors_(errors), c_(errors, raw.broken) {}

  std::optional<model::Plan> run() {
    std::size_t errors_before = errors_.size();
    info_and_calendar();
    domains();
    parties();
    process_links();
    indicators();
    KnownIds known{domain_ids_, priority_ids_, priority_domain_, process_ids_, party_ids_, process_by_id_};
    validate_commitments(raw_, plan_, c_, known);
    for (auto& ri : raw_.initiatives) initiative(ri);
    for (auto& p : raw_.processes)
      if (own(p)) plan_.processes.push_back(std::move(p.m));
    validate_links(raw_, plan_, c_, known);
    if (errors_.size() != errors_before) return std::nullopt;
    return std::move(plan_);
  }

 private:
  void info_and_calendar();
  void domains();
  void parties();
  void process_links();
  void indicators();
  void initiative(RawInitiative& ri);
  void references(const RawInitiative& ri);
  void countries(const RawInitiative& ri);
  void organisations(const RawInitiative& ri);
  void targets(const RawInitiative& ri, RawIndicator& ind);
  void budget_total(const RawInitiative& ri);
  // A period id of the calendar's frequency, not before its first period; nullopt (reported).
  std::optional<calendar::Period> reporting_period(const std::string& id, const SourceLoc& loc,
                                                   const char* key);

  // The process registered under its id (the first of duplicates).
  bool own(const RawProcess& p) const {
    auto it = process_by_id_.find(p.m.id);
    return it != process_by_id_.end() && it->second == &p;
  }
  bool broken_state(const std::string& state) const {
    return std::any_of(raw_.processes.begin(), raw_.processes.end(),
                       [&](const RawProcess& p) { return p.broken_states.count(state) > 0; });
  }

  RawPlan& raw_;
  const std::string& label_;
  std::vector<Diagnostic>& errors_;
  Checker c_;
  model::Plan plan_;
  bool calendar_ok_ = false;
  std::map<std::string, SourceLoc> domain_ids_, priority_ids_, org_ids_, process_ids_,
      state_ids_, party_ids_, indicator_ids_, initiative_ids_;
  std::map<std::string, std::string> priority_domain_;
  std::map<std::string, std::int64_t> budget_totals_;  // currency -> every budget so far
  std::unordered_map<std::string, const RawProcess*> process_by_id_;
  std::unordered_map<std::string, const model::IndicatorDef*> catalogue_;
};

void Validator::info_and_calendar() {
  if (!raw_.info) errors_.push_back({label_, 0, 0, "no 'plan' section in any plan file"});
  else plan_.info = *raw_.info;
  if (!raw_.calendar) {
    errors_.push_back({label_, 0, 0, "no 'calendar' section in any plan file"});
    return;
  }
  const auto& cal = *raw_.calendar;
  if (!cal.ok) return;
  auto freq = calendar::parse_frequency(cal.frequency);
  auto first = calendar::parse_period(cal.first_period);
  if (!first) {
    c_.error(cal.first_loc, "invalid period id " + quote(cal.first_period) +
                                ": expected 2025-03, 2025-Q1, 2025-H1 or 2025");
  } else if (first->frequency != *freq) {
    c_.error(cal.first_loc, "first_period " + quote(cal.first_period) + " is not a " +
                                std::string(calendar::to_string(*freq)) + " period");
  } else {
    plan_.calendar = {*freq, *first, cal.grace_days, std::nullopt};
    calendar_ok_ = true;
    if (!cal.monitoring_from.empty())
      plan_.calendar.monitoring_from = reporting_period(cal.monitoring_from, cal.monitoring_loc, "monitoring_from");
  }
}

// Domains and priorities.
void Validator::domains() {
  for (auto& d : raw_.domains) {
    if (!c_.unique(domain_ids_, d.id, d.loc, "domain")) continue;
    for (const auto& p : d.priorities)
      if (c_.unique(priority_ids_, p.id, p.loc, "priority")) priority_domain_[p.id] = d.id;
    plan_.domains.push_back(std::move(d));
  }
  std::sort(plan_.domains.begin(), plan_.domains.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
}

// Organisations, then processes (a state code may not double as an organisation id).
void Validator::parties() {
  for (auto& o : raw_.organisations)
    if (c_.unique(org_ids_, o.id, o.loc, "organisation")) plan_.organisations.push_back(std::move(o));
  for (const auto& p : raw_.processes) {
    if (!c_.unique(process_ids_, p.m.id, p.m.loc, "process")) continue;
    process_by_id_[p.m.id] = &p;
    for (const auto& m : p.members) {
      state_ids_.emplace(m.m.state, m.m.loc);
      if (org_ids_.count(m.m.state))
        c_.error(org_ids_[m.m.state], "organisation id " + quote(m.m.state) +
                                          " is also a member state's code; use another id");
    }
  }
  party_ids_ = org_ids_;  // organisations and member states
  party_ids_.insert(state_ids_.begin(), state_ids_.end());
}

// Chairs are members when their term starts; steering committees name parties.
void Validator::process_links() {
  for (auto& p : raw_.processes) {
    if (!own(p)) continue;
    for (const auto& ch : p.m.chairs) {
      auto it = std::find_if(p.members.begin(), p.members.end(),
                             [&](const RawMember& m) { return m.m.state == ch.state; });
      if (it == p.members.end())
        c_.error(ch.loc, "chair " + quote(ch.state) + " is not a member of process " + quote(p.m.id));
      else if (!it->m.active_on(ch.from))
        c_.error(ch.loc, "chair " + quote(ch.state) + " is not a member of process " + quote(p.m.id) +
                             " on " + calendar::to_string(ch.from));
    }
    for (const auto& s : p.steering) {
      if (!org_ids_.count(s.value) &&
          std::none_of(p.members.begin(), p.members.end(),
                       [&](const RawMember& m) { return m.m.state == s.value; }))
        c_.unknown(s.loc, "steering committee member (not a member state or organisation)", s.value,
                   party_ids_);
      else if (p.m.steering)
        p.m.steering->members.push_back(s.value);
    }
    for (const auto& o : p.secretariat)
      if (!org_ids_.count(o.value)) {
        if (!c_.broken("party", o.value)) c_.unknown(o.loc, "secretariat organisation", o.value, org_ids_);
      } else {
        p.m.secretariat.push_back(o.value);
      }
    for (const auto& d : p.domains)
      if (!domain_ids_.count(d.value)) {
        if (!c_.broken("domain", d.value)) c_.unknown(d.loc, "domain", d.value, domain_ids_);
      } else {
        p.m.domains.push_back(d.value);
      }
    if (p.domains.empty())
      for (const auto& [id, loc] : domain_ids_) p.m.domains.push_back(id);
    std::sort(p.m.domains.begin(), p.m.domains.end());
    for (auto& m : p.members) p.m.members.push_back(m.m);
  }
}

void Validator::indicators() {
  for (auto& d : raw_.indicators)
    if (c_.unique(indicator_ids_, d.id, d.loc, "indicator")) plan_.indicators.push_back(d);
  for (const auto& d : plan_.indicators) catalogue_[d.id] = &d;
}

void Validator::initiative(RawInitiative& ri) {
  auto& m = ri.m;
  if (!c_.unique(initiative_ids_, m.id, m.loc, "initiative")) return;
  references(ri);
  countries(ri);
  organisations(ri);
  budget_total(ri);
  for (auto& ind : ri.indicators) {
    if (!ind.m.ref.empty()) {
      auto it = catalogue_.find(ind.m.ref);
      if (it == catalogue_.end()) {
        if (!c_.broken("indicator", ind.m.ref))
          c_.unknown(ind.ref_loc, "catalogue indicator", ind.m.ref, indicator_ids_);
      } else {
        ind.m.title = it->second->title;
        ind.m.unit = it->second->unit;
        ind.m.aggregation = it->second->aggregation;
      }
    }
    targets(ri, ind);
    m.indicators.push_back(std::move(ind.m));
  }
  if (!ri.monitoring_from.empty() && calendar_ok_)
    m.monitoring_from = reporting_period(ri.monitoring_from, ri.monitoring_loc, "monitoring_from");
  m.domains = values(ri.domains);
  m.priorities = values(ri.priorities);
  m.processes = values(ri.processes);
  m.countries = values(ri.countries);
  m.implementers = values(ri.implementers);
  m.reporting = values(ri.reporting);
  m.commitments = values(ri.commitments);
  for (const auto& f : ri.funders) m.funders.push_back(f.m);
  plan_.initiatives.push_back(std::move(m));
}

// Domains, priorities (of one of those domains) and processes.
void Validator::references(const RawInitiative& ri) {
  bool domains_known = !ri.domains.empty();
  for (const auto& d : ri.domains)
    if (!domain_ids_.count(d.value)) {
      if (!c_.broken("domain", d.value)) c_.unknown(d.loc, "domain", d.value, domain_ids_);
      domains_known = false;
    }
  for (const auto& p : ri.priorities) {
    auto it = priority_domain_.find(p.value);
    if (it == priority_domain_.end()) {
      if (!c_.broken("priority", p.value)) c_.unknown(p.loc, "priority", p.value, priority_ids_);
    } else if (domains_known && std::none_of(ri.domains.begin(), ri.domains.end(),
                                             [&](const LocatedId& d) { return d.value == it->second; })) {
      c_.error(p.loc, "priority " + quote(p.value) + " belongs to domain " + it->second +
                          ", which is not among the initiative's domains");
    }
  }
  for (const auto& p : ri.processes)
    if (!process_by_id_.count(p.value) && !c_.broken("process", p.value))
      c_.unknown(p.loc, "process", p.value, process_ids_);
}

// Each country is an ISO code and a member of one of the initiative's processes on its start date.
void Validator::countries(const RawInitiative& ri) {
  std::string process_list;
  for (const auto& p : ri.processes) process_list += (process_list.empty() ? "" : ", ") + p.value;
  for (const auto& country : ri.countries) {
    if (!model::country_name(country.value)) {
      c_.error(country.loc, "unknown country code " + quote(country.value) +
                                ": expected an ISO 3166-1 alpha-2 code such as 'ET' or 'DE'");
      continue;
    }
    bool member = false, known_processes = ri.dates_ok;
    for (const auto& p : ri.processes) {
      auto it = process_by_id_.find(p.value);
      // An unknown or broken process, or a member dropped for its own error: nothing to say.
      if (it == process_by_id_.end() || it->second->broken_states.count(country.value)) {
        known_processes = false;
        break;
      }
      const auto* mem = it->second->m.member(country.value);
      if (mem && mem->active_on(ri.m.start)) member = true;
    }
    if (known_processes && !member)
      c_.error(country.loc, "country " + quote(country.value) + " is not a member of " +
                                (ri.processes.size() == 1 ? "process " : "processes ") + process_list +
                                " on the initiative's start date " + calendar::to_string(ri.m.start));
  }
}

// Implementers, reporting organisations and funders are organisations or member states.
void Validator::organisations(const RawInitiative& ri) {
  for (auto* list : {&ri.implementers, &ri.reporting})
    for (const auto& o : *list)
      if (!party_ids_.count(o.value) && !c_.broken("party", o.value) && !broken_state(o.value))
        c_.unknown(o.loc, "organisation (not an organisation id or member state)", o.value, party_ids_);
  for (const auto& f : ri.funders)
    if (!party_ids_.count(f.m.org) && !c_.broken("party", f.m.org) && !broken_state(f.m.org))
      c_.unknown(f.loc, "funder (not an organisation id or member state)", f.m.org, party_ids_);
}

std::optional<calendar::Period> Validator::reporting_period(const std::string& id, const SourceLoc& loc,
                                                            const char* key) {
  auto p = calendar::parse_period(id);
  if (!p) {
    c_.error(loc, "invalid period id " + quote(id) + ": expected 2025-03, 2025-Q1, 2025-H1 or 2025");
  } else if (p->frequency != plan_.calendar.frequency) {
    c_.error(loc, std::string(key) + " " + quote(id) + " is not a " +
                      std::string(calendar::to_string(plan_.calendar.frequency)) + " period");
  } else if (*p < plan_.calendar.first) {
    c_.error(loc, std::string(key) + " " + quote(id) + " is before the first reporting period " +
                      calendar::to_string(plan_.calendar.first));
  } else {
    return p;
  }
  return std::nullopt;
}

// Every sum of budgets in a currency (in reports, per domain, process or funder) fits in 64 bits
// when their total over the plan does: budgets are never negative.
void Validator::budget_total(const RawInitiative& ri) {
  if (!ri.m.budget) return;
  auto& total = budget_totals_[ri.m.budget->currency];
  if (total < 0) return;  // already reported
  auto sum = model::checked_add(total, ri.m.budget->amount);
  if (!sum) {
    c_.error(ri.budget_loc, "with this budget the plan's budgets in " + ri.m.budget->currency +
                                " add up to more than jvap can count (" +
                                model::format_money(INT64_MAX, ri.m.budget->currency) + ")");
    total = -1;
    return;
  }
  total = *sum;
}

// Targets are for reporting periods of the calendar within the initiative's life.
void Validator::targets(const RawInitiative& ri, RawIndicator& ind) {
  for (const auto& t : ind.targets) {
    auto period = calendar::parse_period(t.period_id);
    if (!period) {
      c_.error(t.loc, "invalid period id " + quote(t.period_id) +
                          ": expected 2025-03, 2025-Q1, 2025-H1 or 2025");
      continue;
    }
    if (!calendar_ok_) continue;
    if (period->frequency != plan_.calendar.frequency) {
      c_.error(t.loc, "target period " + quote(t.period_id) + " is not a " +
                          std::string(calendar::to_string(plan_.calendar.frequency)) + " reporting period");
    } else if (*period < plan_.calendar.first) {
      c_.error(t.loc, "target period " + quote(t.period_id) + " is before the first reporting period " +
                          calendar::to_string(plan_.calendar.first));
    } else if (ri.dates_ok && !ri.m.active_in(*period)) {
      c_.error(t.loc, "target period " + quote(t.period_id) + " is outside the initiative's life (" +
                          calendar::to_string(ri.m.start) + " to " + calendar::to_string(ri.m.end) + ")");
    } else {
      ind.m.targets.push_back({*period, t.value});
    }
  }
  std::sort(ind.m.targets.begin(), ind.m.targets.end(),
            [](const auto& a, const auto& b) { return a.period < b.period; });
}

}  // namespace

std::optional<model::Plan> validate(RawPlan raw, const std::string& label,
                                    std::vector<Diagnostic>& errors) {
  return Validator(raw, label, errors).run();
}

}  // namespace jvap::plan::detail
