// The reports the plan expects and their states, counted per group for completeness.
#include <algorithm>
#include <map>
#include <set>

#include "evaluation/view.hpp"

namespace jvap::evaluation {

std::string_view to_string(ReportState s) {
  switch (s) {
    case ReportState::not_expected: return "not expected";
    case ReportState::not_yet_due: return "not yet due";
    case ReportState::missing: return "missing";
    case ReportState::partial: return "partial";
    case ReportState::complete: return "complete";
  }
  return "not expected";
}

bool report_expected(const model::Plan& plan, const model::Initiative& ini, const calendar::Period& p) {
  if (!ini.active_in(p) || p < plan.calendar.monitored_from()) return false;
  return !ini.monitoring_from || *ini.monitoring_from <= p;
}

std::vector<std::string> required_measures(const model::Initiative& ini, const calendar::Period& p) {
  std::vector<std::string> out{"status"};
  for (const auto& ind : ini.indicators)
    if (std::any_of(ind.targets.begin(), ind.targets.end(), [&](const model::Target& t) { return t.period == p; }))
      out.push_back("indicator." + ind.id);
  if (ini.kind == model::InitiativeKind::project && ini.budget) out.push_back("disbursed");
  const auto start = calendar::start_of(p), end = calendar::end_of(p);
  for (const auto& m : ini.milestones)
    if (start <= m.due && m.due <= end) out.push_back("milestone." + m.id);
  return out;
}

ReportStatus report_status(const Records& records, const model::Plan& plan,
                           const model::Initiative& ini, const calendar::Period& p,
                           calendar::Date as_of) {
  ReportStatus s;
  s.due = plan.calendar.due(p);
  if (!report_expected(plan, ini, p)) return s;
  s.received = records.first_receipt(p);
  calendar::Date last{};
  for (const auto& m : required_measures(ini, p)) {
    std::optional<calendar::Date> arrived;
    if (m.rfind("milestone.", 0) == 0) {
      if (auto a = records.achieved(m.substr(10))) arrived = a->source.received_on;
    } else if (const auto* v = records.value(p, m)) {
      arrived = v->first_received;
    }
    if (!arrived) s.missing.push_back(m);
    else last = std::max(last, *arrived);
  }
  if (!s.received) s.state = as_of > s.due ? ReportState::missing : ReportState::not_yet_due;
  else if (!s.missing.empty()) s.state = ReportState::partial;
  else {
    s.state = ReportState::complete;
    s.completed_on = std::max(last, s.received->on);
  }
  return s;
}

ReportStatus report_status(const View& view, const model::Plan& plan, const model::Initiative& ini,
                           const calendar::Period& p) {
  return report_status(view.of(ini.id), plan, ini, p, view.window().as_of);
}

void Tally::add(const ReportStatus& s) {
  switch (s.state) {
    case ReportState::not_expected: return;
    case ReportState::not_yet_due: ++not_yet_due; break;
    case ReportState::missing: ++missing; break;
    case ReportState::partial: ++partial; break;
    case ReportState::complete: ++complete, ++(s.on_time() ? on_time : late); break;
  }
  ++expected;
}

Completeness completeness(const View& view, const model::Plan& plan, const calendar::Period& p) {
  Completeness c;
  c.period = p;
  c.due = plan.calendar.due(p);
  std::map<std::string, Tally> process, country, domain, org;
  auto add = [](std::map<std::string, Tally>& groups, const std::vector<std::string>& keys,
                const ReportStatus& s) {
    for (const auto& k : std::set<std::string>(keys.begin(), keys.end())) groups[k].add(s);
  };
  for (const auto& ini : plan.initiatives) {
    auto s = report_status(view, plan, ini, p);
    if (!s.expected()) continue;
    c.total.add(s);
    add(process, ini.processes, s);
    add(country, ini.countries, s);
    add(domain, ini.domains, s);
    add(org, ini.reporting, s);
  }
  auto list = [](const std::map<std::string, Tally>& groups) {
    std::vector<GroupTally> out;
    for (const auto& [k, t] : groups) out.push_back({k, t});
    return out;
  };
  c.by_process = list(process);
  c.by_country = list(country);
  c.by_domain = list(domain);
  c.by_org = list(org);
  return c;
}

}  // namespace jvap::evaluation
