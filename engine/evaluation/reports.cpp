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

namespace {

bool reports_for(const model::Initiative& ini, std::string_view org) {
  return org.empty() || std::find(ini.reporting.begin(), ini.reporting.end(), org) != ini.reporting.end();
}

void count_in(GroupTally& g, const model::Initiative& ini, const ReportStatus& s) {
  g.tally.add(s);
  if (s.state == ReportState::missing) g.missing.push_back(ini.id);
  if (s.state == ReportState::partial) g.partial.push_back(ini.id);
}

}  // namespace

std::vector<Owed> owed(const View& view, const model::Plan& plan, const calendar::Period& p,
                       std::string_view org) {
  std::vector<Owed> out;
  for (const auto& ini : plan.initiatives) {
    if (!reports_for(ini, org)) continue;
    auto s = report_status(view, plan, ini, p);
    if (s.expected() && s.state != ReportState::complete) out.push_back({&ini, std::move(s)});
  }
  return out;
}

Completeness completeness(const View& view, const model::Plan& plan, const calendar::Period& p,
                          std::string_view only_org) {
  Completeness c;
  c.period = p;
  c.due = plan.calendar.due(p);
  c.total.key = "all";
  std::map<std::string, GroupTally> process, country, domain, org;
  auto add = [](std::map<std::string, GroupTally>& groups, const std::vector<std::string>& keys,
                const model::Initiative& ini, const ReportStatus& s) {
    for (const auto& k : std::set<std::string>(keys.begin(), keys.end())) count_in(groups[k], ini, s);
  };
  for (const auto& ini : plan.initiatives) {
    if (!reports_for(ini, only_org)) continue;
    auto s = report_status(view, plan, ini, p);
    if (!s.expected()) continue;
    count_in(c.total, ini, s);
    add(process, ini.processes, ini, s);
    add(country, ini.countries, ini, s);
    add(domain, ini.domains, ini, s);
    add(org, ini.reporting, ini, s);
  }
  auto list = [](std::map<std::string, GroupTally>& groups) {
    std::vector<GroupTally> out;
    for (auto& [k, g] : groups) {
      g.key = k;
      std::sort(g.missing.begin(), g.missing.end());
      std::sort(g.partial.begin(), g.partial.end());
      out.push_back(std::move(g));
    }
    return out;
  };
  std::sort(c.total.missing.begin(), c.total.missing.end());
  std::sort(c.total.partial.begin(), c.total.partial.end());
  c.by_process = list(process);
  c.by_country = list(country);
  c.by_domain = list(domain);
  c.by_org = list(org);
  return c;
}

}  // namespace jvap::evaluation
