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
    case ReportState::on_time: return "on time";
    case ReportState::late: return "late";
  }
  return "not expected";
}

ReportStatus report_status(const Records& records, const model::Plan& plan,
                           const model::Initiative& ini, const calendar::Period& p,
                           calendar::Date as_of) {
  ReportStatus s;
  s.due = plan.calendar.due(p);
  if (!ini.active_in(p)) return s;
  s.received = records.first_receipt(p);
  if (s.received) s.state = s.received->on <= s.due ? ReportState::on_time : ReportState::late;
  else s.state = as_of > s.due ? ReportState::missing : ReportState::not_yet_due;
  return s;
}

ReportStatus report_status(const View& view, const model::Plan& plan, const model::Initiative& ini,
                           const calendar::Period& p) {
  return report_status(view.of(ini.id), plan, ini, p, view.window().as_of);
}

void Tally::add(const ReportStatus& s) {
  switch (s.state) {
    case ReportState::not_expected: return;
    case ReportState::not_yet_due: break;
    case ReportState::missing: ++missing; break;
    case ReportState::on_time: ++received, ++on_time; break;
    case ReportState::late: ++received, ++late; break;
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
