// The facts of a report: the plan in scope, each initiative's record values over the trend window
// (read from the evaluation view), the findings, and the summary tables computed from them.
#include "report/facts.hpp"

#include <algorithm>
#include <cstdint>
#include <cmath>
#include <functional>
#include <tuple>
#include <unordered_map>

#include "model/codes.hpp"
#include "model/money.hpp"
#include "model/text.hpp"

namespace jvap::report::detail {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

namespace {

}  // namespace

void add_money(std::int64_t& sum, std::int64_t amount, const std::string& currency,
               const std::string& initiative) {
  auto total = model::checked_add(sum, amount);
  if (!total)
    throw ReportError("the amounts in " + currency + " add up to more than jvap can count (" +
                      model::format_money(INT64_MAX, currency) + ") with initiative " + initiative +
                      "; check its budget and disbursed figures");
  sum = *total;
}

Cell pct(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return {};
  return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10.0;
}

void Spend::add(const InitiativeFacts& x) {
  const auto& b = *x.ini->budget;
  ++initiatives;
  add_money(budget, b.amount, b.currency, x.ini->id);
  if (x.disbursed) {
    ++reporting;
    add_money(reporting_budget, b.amount, b.currency, x.ini->id);
    add_money(disbursed, *x.disbursed, b.currency, x.ini->id);
  } else {
    ++no_data;
    add_money(no_data_budget, b.amount, b.currency, x.ini->id);
  }
}

std::vector<Column> spend_columns() {
  return {col("initiatives", "Initiatives", Type::integer), col("budget", "Budget", Type::money),
          col("reporting_budget", "Budget of those reporting", Type::money),
          col("disbursed", "Disbursed", Type::money),
          col("disbursed_pct", "Disbursed % (of those reporting)", Type::percent),
          col("no_data", "No data (initiatives)", Type::integer),
          col("no_data_budget", "No data (budget)", Type::money)};
}

std::vector<Cell> spend_cells(const Spend& s, const std::string& ccy) {
  return cells(s.initiatives, model::major_units(s.budget, ccy), model::major_units(s.reporting_budget, ccy),
               model::major_units(s.disbursed, ccy), pct(s.disbursed, s.reporting_budget), s.no_data,
               model::major_units(s.no_data_budget, ccy));
}

std::string spend_coverage(const Spend& s, const std::string& ccy) {
  auto money = [&](std::int64_t minor) {
    return ccy + " " + format_cell(model::major_units(minor, ccy), Type::money);
  };
  std::string out = s.reporting == 0
                        ? std::string("no initiative has reported disbursement yet")
                        : money(s.disbursed) + " of " + money(s.reporting_budget) + ", the budget of the " +
                              model::count_label(s.reporting, "initiative", "initiatives") + " reporting disbursement";
  if (s.no_data > 0)
    out += "; no data from " + model::count_label(s.no_data, "initiative", "initiatives") + " (" +
           money(s.no_data_budget) + ")";
  return out;
}

namespace {

std::vector<calendar::Period> trend_window(const model::Plan& plan, const Request& req) {
  std::vector<calendar::Period> out = plan.calendar.periods_through(calendar::start_of(req.period));
  // Trends start at the monitoring start: no report was expected before it.
  std::erase_if(out, [&](const calendar::Period& p) { return p < plan.calendar.monitored_from(); });
  if (out.empty()) out.push_back(req.period);
  if (static_cast<int>(out.size()) > req.trend_periods)
    out.erase(out.begin(), out.end() - req.trend_periods);
  return out;
}

}  // namespace

Facts::Facts(store::Store& store, const model::Plan& p, const rules::RuleSet& rules,
             const Request& r, const Findings& findings)
    : plan(p), req(r), rules_(rules), findings_(findings),
      view_(store, {trend_window(p, r).front(), r.period, r.as_of, r.known_on}),
      period_id_(calendar::to_string(r.period)), due_(p.calendar.due(r.period)),
      due_text_(calendar::to_string(due_)) {
  for (const auto& d : plan.domains)
    if (req.kind != Kind::domain || d.id == req.domain) domains.push_back(&d);
  for (const auto& pr : plan.processes)
    if ((req.kind != Kind::process && req.kind != Kind::work_plan) || pr.id == req.process) processes.push_back(&pr);
  for (const auto& w : plan.work_plans)
    if (req.kind == Kind::work_plan && w.id == req.work_plan) work_plan_ = &w;
  progress_ = evaluation::progress(store, plan, req.period, req.as_of, req.known_on);

  const auto end = calendar::end_of(req.period);
  all_.reserve(plan.initiatives.size());
  for (const auto& i : plan.initiatives) {
    InitiativeFacts x;
    x.ini = &i;
    x.active = i.active_in(req.period);
    x.status = x.active ? "not reported" : i.start > end ? "not started" : "ended";
    all_.push_back(std::move(x));
  }
  for (auto& x : all_) by_id_[x.ini->id] = &x;
  for (auto& x : all_) {
    const auto& i = *x.ini;
    bool in = req.kind == Kind::joint ||
              ((req.kind == Kind::process || req.kind == Kind::work_plan) && contains(i.processes, req.process)) ||
              (req.kind == Kind::domain && contains(i.domains, req.domain)) ||
              (req.kind == Kind::partner &&
               (contains(i.reporting, req.partner) || contains(i.implementers, req.partner) ||
                std::any_of(i.funders.begin(), i.funders.end(),
                            [&](const model::Funder& f) { return f.org == req.partner; })));
    if (!in) continue;
    x.in_scope = true;
    in_scope.push_back(&x);
  }
  std::sort(in_scope.begin(), in_scope.end(),
            [](const auto* a, const auto* b) { return a->ini->id < b->ini->id; });

  window_ = trend_window(plan, req);

  read_values(store);

  for (const auto& f : findings_.previous) previous_keys_.insert(key_of(f));
  for (const auto& f : findings_.current) {
    current_keys_.insert(key_of(f));
    if (finding_in_scope(f)) current_in_scope_.push_back(&f);
  }
  // A total order, so stored and evaluated findings (which arrive in different orders) print alike.
  std::sort(current_in_scope_.begin(), current_in_scope_.end(), [](const auto* a, const auto* b) {
    return std::tie(b->severity, a->rule, a->subject, a->period, a->message, a->fingerprint) <
           std::tie(a->severity, b->rule, b->subject, b->period, b->message, b->fingerprint);
  });
}

void Facts::read_values(const store::Store& store) {
  // The history of disbursed and milestones (outside the trend window): disbursed to date may
  // come from an older period, and a milestone falling due counts when it was reported achieved
  // in any period (the definition of a complete report, evaluation/view.hpp).
  view_.read_history(store, {"disbursed", "milestone."});
  for (auto& x : all_) {  // handles taken once the history is read
    if (!x.in_scope) continue;
    x.records = view_.of(x.ini->id);
    if (const auto* v = x.records.value(req.period, "status")) x.status = v->value;
    if (auto d = x.records.disbursed_to_date(req.period)) x.disbursed = d->minor;
    for (const auto& v : x.records.values())
      if (v.period == req.period && v.num && v.measure.rfind("indicator.", 0) == 0)
        x.indicator[std::string(v.measure.substr(10))] = *v.num;
  }
}

// ---- scope of findings ----

const InitiativeFacts* Facts::find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

// The subject a finding is about: an expired waiver's is the waived finding's subject
// ("rule:subject"); a waiver given by fingerprint names no subject ("").
std::string subject_of(const rules::Finding& f) {
  if (f.rule != "waiver-expired") return f.subject;
  auto colon = f.subject.find(':');
  return colon == std::string::npos ? std::string() : f.subject.substr(colon + 1);
}

std::vector<std::string> Facts::finding_domains(const rules::Finding& f) const {
  return rules::concerns(plan, subject_of(f)).domains;
}

std::vector<std::string> Facts::finding_processes(const rules::Finding& f) const {
  return rules::concerns(plan, subject_of(f)).processes;
}

bool Facts::finding_in_process(const rules::Finding& f, const std::string& process) const {
  auto ps = finding_processes(f);
  return ps.empty() || contains(ps, process);  // about no process: about each of them
}

bool Facts::finding_in_scope(const rules::Finding& f) const {
  auto parts = split(subject_of(f), '/');
  if (parts[0].empty()) return req.kind == Kind::joint;  // about no known subject: joint only
  if (req.kind == Kind::work_plan) {  // its activities, the process's chairs and domains
    auto [w, a] = plan.activity(parts[0]);
    if (a) return w == work_plan_;
    // <process>/<domain> (a framework domain) and <process>/<chair>/<term start> (a chairmanship)
    bool domain = parts.size() == 2 && plan.domain(parts[1]);
    bool term = parts.size() == 3 && calendar::parse_date(parts[2]).has_value();
    return parts[0] == req.process && (domain || term);
  }
  if (const auto* x = find(parts[0])) return x->in_scope;
  switch (req.kind) {
    case Kind::joint: return true;
    case Kind::partner: return contains(rules::concerns(plan, subject_of(f)).reporting, req.partner);
    case Kind::domain: return contains(finding_domains(f), req.domain);
    case Kind::process: return finding_in_process(f, req.process);
    case Kind::work_plan: return false;
  }
  return false;
}

std::vector<const rules::Finding*> Facts::findings_in_scope() const { return current_in_scope_; }

std::vector<const rules::Finding*> Facts::findings_in_domain(const std::string& domain) const {
  std::vector<const rules::Finding*> out;
  for (const auto* f : current_in_scope_)
    if (contains(finding_domains(*f), domain)) out.push_back(f);
  return out;
}

std::vector<const InitiativeFacts*> Facts::in_domain(const std::string& domain) const {
  return where([&](const model::Initiative& i) { return contains(i.domains, domain); });
}

std::vector<const InitiativeFacts*> Facts::where(
    const std::function<bool(const model::Initiative&)>& pred) const {
  std::vector<const InitiativeFacts*> out;
  for (const auto* x : in_scope)
    if (pred(*x->ini)) out.push_back(x);
  return out;
}

std::string Facts::rule_title(const std::string& rule) const {
  for (const auto& r : rules_.rules)
    if (r.id == rule) return r.title;
  return rule == "waiver-expired" ? "Expired waiver" : "";
}

std::string Facts::previous_period_text() const {
  if (req.period <= plan.calendar.first) return "the previous period";
  return calendar::to_string(calendar::previous(req.period));
}

std::string Facts::since(const rules::Finding& f) const {
  if (f.status == rules::Status::waived) return "waived";
  return previous_keys_.count(key_of(f)) ? "carried over" : "new this period";
}

std::string Facts::fix_of(const rules::Finding& f) const { return rules::fix_for(rules_, f); }

std::string Facts::report_state(const InitiativeFacts& x) const {
  auto s = evaluation::report_status(x.records, plan, *x.ini, req.period, req.as_of);
  if (s.on_time()) return "complete, on time: " + calendar::to_string(*s.completed_on);
  if (s.late())
    return "complete, late: " + calendar::to_string(*s.completed_on) + ", " +
           model::count_label((*s.completed_on - s.due).count(), "day", "days") + " after the due date";
  if (s.state == evaluation::ReportState::partial) return "partial: " + model::count_label(static_cast<long long>(s.missing.size()), "measure", "measures") + " missing";
  return std::string(evaluation::to_string(s.state));
}

Progress Facts::progress(const InitiativeFacts& x, const model::Indicator& ind) const {
  Progress p;
  const model::Target* t = nullptr;
  for (const auto& target : ind.targets)
    if (target.period >= req.period) {
      t = &target;
      break;
    }
  if (!t && !ind.targets.empty()) t = &ind.targets.back();
  if (t) {
    p.target_period = calendar::to_string(t->period);
    p.target = t->value;
  }
  if (auto it = x.indicator.find(ind.id); it != x.indicator.end()) p.actual = it->second;
  if (p.actual && p.target && *p.target != ind.baseline)
    p.share = (*p.actual - ind.baseline) / (*p.target - ind.baseline);
  if (!x.active) p.assessment = "not active";
  else if (!p.actual) p.assessment = "not reported";
  else if (!t) p.assessment = "no target";
  else if (t->period > req.period) p.assessment = "in progress";
  else if (p.share ? *p.share >= 1.0 : *p.actual == *p.target) p.assessment = "target met";
  else p.assessment = t->period == req.period ? "below target" : "below final target";
  return p;
}

evaluation::Tally Facts::reports(const std::vector<const InitiativeFacts*>& list,
                                 const calendar::Period& period) const {
  evaluation::Tally t;
  for (const auto* x : list) t.add(evaluation::report_status(x->records, plan, *x->ini, period, req.as_of));
  return t;
}

// ---- summary tables ----

std::vector<Facts::Group> Facts::groups() const {
  std::vector<Group> out;
  if (req.kind != Kind::domain) {
    for (const auto* d : domains) out.push_back({d->id, d->title, in_domain(d->id)});
    return out;
  }
  for (const auto* d : domains)
    for (const auto& p : d->priorities)
      out.push_back({p.id, p.title, where([&](const model::Initiative& i) { return contains(i.priorities, p.id); })});
  return out;
}

Table Facts::budget_by_group() const {
  const auto kind = group_kind();
  Table t{"summary.budget_by_" + kind, "Budget and disbursed per " + kind,
          "Disbursed is the latest cumulative amount reported on or before the period; its share "
          "is of the budget of the initiatives reporting disbursement, and those that never did are "
          "shown as no data. An initiative under several " + std::string(kind == "domain" ? "domains" : "priorities") +
              " counts in each.", {}, {}};
  t.columns = {col(kind, kind == "domain" ? "Domain" : "Priority", Type::code), col("title", "Title"),
               col("currency", "Currency", Type::code)};
  for (auto& c : spend_columns()) t.columns.push_back(std::move(c));
  for (const auto& g : groups()) {
    std::map<std::string, Spend> by_ccy;
    for (const auto* x : g.list)
      if (x->ini->budget) by_ccy[x->ini->budget->currency].add(*x);
    for (const auto& [ccy, spend] : by_ccy) {
      auto row = cells(g.id, g.title, ccy);
      for (auto& c : spend_cells(spend, ccy)) row.push_back(std::move(c));
      t.rows.push_back(std::move(row));
    }
  }
  return t;
}

Table Facts::budget_by_funder_group() const {
  Table t{"summary.budget_by_funder_group", "Budget and disbursed per funder group",
          "Each budget is attributed to its funders by their stated amounts, the remainder shared "
          "equally among funders without one; disbursements follow the same shares. The disbursed "
          "share is of the budget attributed from initiatives reporting disbursement.", {}, {}};
  t.columns = {col("funder_group", "Funder group"), col("currency", "Currency", Type::code)};
  for (auto& c : spend_columns()) t.columns.push_back(std::move(c));
  struct Sum {
    std::set<std::string> initiatives, no_data;
    double budget = 0, reporting_budget = 0, disbursed = 0, no_data_budget = 0;
  };
  std::map<std::pair<std::string, std::string>, Sum> sums;
  for (const auto* x : in_scope) {
    const auto& i = *x->ini;
    if (!i.budget) continue;
    std::int64_t stated = 0, without = 0;
    for (const auto& f : i.funders) {
      if (f.amount) add_money(stated, *f.amount, i.budget->currency, i.id);
      else ++without;
    }
    auto rest = static_cast<double>(std::max<std::int64_t>(0, i.budget->amount - stated));
    auto attribute = [&](const std::string& group, double amount) {
      auto& s = sums[{group, i.budget->currency}];
      s.initiatives.insert(i.id);
      s.budget += amount;
      if (!x->disbursed) {
        s.no_data.insert(i.id);
        s.no_data_budget += amount;
        return;
      }
      s.reporting_budget += amount;
      if (i.budget->amount > 0)
        s.disbursed += amount * static_cast<double>(*x->disbursed) / static_cast<double>(i.budget->amount);
    };
    if (i.funders.empty()) attribute("(no funder stated)", static_cast<double>(i.budget->amount));
    for (const auto& f : i.funders) {
      auto g = plan.group_of(f.org);
      std::string group = g ? std::string(model::label(*g)) : "(unknown group)";
      attribute(group, f.amount ? static_cast<double>(*f.amount) : rest / static_cast<double>(without));
    }
    if (without == 0 && stated < i.budget->amount && !i.funders.empty())
      attribute("(not attributed)", static_cast<double>(i.budget->amount - stated));
  }
  for (const auto& [k, s] : sums) {
    Spend sp;
    sp.initiatives = static_cast<std::int64_t>(s.initiatives.size());
    sp.no_data = static_cast<std::int64_t>(s.no_data.size());
    sp.reporting = sp.initiatives - sp.no_data;
    sp.budget = std::llround(s.budget);
    sp.reporting_budget = std::llround(s.reporting_budget);
    sp.disbursed = std::llround(s.disbursed);
    sp.no_data_budget = std::llround(s.no_data_budget);
    auto row = cells(k.first, k.second);
    for (auto& c : spend_cells(sp, k.second)) row.push_back(std::move(c));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table Facts::completeness_by_process() const {
  Table t{"summary.completeness", "Reporting completeness and timeliness per process",
          "A report is expected from each initiative active in the period (from the monitoring "
          "start " + calendar::to_string(plan.calendar.monitored_from()) + " on). Complete: every "
          "measure the plan requires for the period was reported; partial: some; missing: none "
          "once the due date " + calendar::to_string(plan.calendar.due(req.period)) +
              " has passed. On time: complete by the due date. Completeness % and timeliness % are "
              "of the reports expected.", {}, {}};
  t.columns = {col("process", "Process", Type::code), col("name", "Name"),
               col("expected", "Expected", Type::integer), col("complete", "Complete", Type::integer),
               col("on_time", "On time", Type::integer), col("late", "Late", Type::integer),
               col("partial", "Partial", Type::integer), col("missing", "Missing", Type::integer),
               col("not_yet_due", "Not yet due", Type::integer),
               col("completeness_pct", "Completeness %", Type::percent),
               col("timeliness_pct", "Timeliness %", Type::percent)};
  auto add = [&](const std::string& id, const std::string& name, const auto& list) {
    auto r = reports(list, req.period);
    t.rows.push_back({id, name, r.expected, r.complete, r.on_time, r.late, r.partial, r.missing,
                      r.not_yet_due, pct(r.complete, r.expected), pct(r.on_time, r.expected)});
  };
  for (const auto* p : processes)
    add(p->id, p->name, where([&](const model::Initiative& i) { return contains(i.processes, p->id); }));
  add("all", "All initiatives in scope", in_scope);
  return t;
}

Table Facts::findings_by_rule() const {
  Table t{"summary.findings_by_rule", "Findings by severity and rule",
          "Open: current findings not waived. New this period: open findings not found for " +
              previous_period_text() + "; resolved: found for " + previous_period_text() +
              " and no longer.", {}, {}};
  t.columns = {col("severity", "Severity"), col("rule", "Rule", Type::code), col("title", "Title"),
               col("open", "Open", Type::integer), col("new", "New this period", Type::integer),
               col("resolved", "Resolved since the previous period", Type::integer),
               col("waived", "Waived", Type::integer)};
  struct Count {
    std::int64_t open = 0, fresh = 0, resolved = 0, waived = 0;
    rules::Severity severity = rules::Severity::info;
  };
  std::map<std::string, Count> counts;
  for (const auto* f : current_in_scope_) {
    auto& c = counts[f->rule];
    c.severity = f->severity;
    if (f->status == rules::Status::waived) ++c.waived;
    else {
      ++c.open;
      if (!previous_keys_.count(key_of(*f))) ++c.fresh;
    }
  }
  for (const auto& f : findings_.previous)
    if (!current_keys_.count(key_of(f)) && finding_in_scope(f)) {
      auto& c = counts[f.rule];
      c.severity = f.severity;
      ++c.resolved;
    }
  std::vector<std::pair<std::string, Count>> rows(counts.begin(), counts.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second.severity > b.second.severity;
  });
  for (const auto& [rule, c] : rows) {
    t.rows.push_back({std::string(rules::to_string(c.severity)), rule, rule_title(rule), c.open, c.fresh,
                      c.resolved, c.waived});
  }
  return t;
}

}  // namespace jvap::report::detail
