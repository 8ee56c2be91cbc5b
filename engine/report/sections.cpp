// The cover, the key figures and the sections that look across the plan: the processes side by
// side, the coverage of member states by domain, the regions, the trends, and the partner pack.
#include <algorithm>
#include <cmath>

#include "model/codes.hpp"
#include "model/money.hpp"
#include "model/text.hpp"
#include "report/facts.hpp"

namespace jvap::report::detail {

Cover Facts::cover() const {
  Cover c;
  const std::string period = calendar::to_string(req.period);
  switch (req.kind) {
    case Kind::joint:
      c.title = "Joint Rabat-Khartoum monitoring report";
      c.scope = "Rabat and Khartoum Processes, all domains";
      break;
    case Kind::process:
      c.title = plan.process(req.process)->name + " monitoring report";
      c.scope = plan.process(req.process)->name + ", all domains";
      break;
    case Kind::domain:
      c.title = "Domain report: " + req.domain + " " + plan.domain(req.domain)->title;
      c.scope = "Domain " + req.domain + ", both processes";
      break;
    case Kind::work_plan: break;  // Facts::work_plan_cover
    case Kind::partner: {
      const auto* o = plan.organisation(req.partner);
      c.title = "Feedback pack for " + (o ? o->name : req.partner);
      c.scope = "Initiatives that " + req.partner + " reports on, implements or funds";
      break;
    }
  }
  c.kind = std::string(to_string(req.kind));
  c.period = period;
  c.period_start = calendar::to_string(calendar::start_of(req.period));
  c.period_end = calendar::to_string(calendar::end_of(req.period));
  c.due = calendar::to_string(plan.calendar.due(req.period));
  c.as_of = calendar::to_string(req.as_of);
  c.known_on = calendar::to_string(req.known_on);
  c.plan_id = plan.info.id;
  c.plan_title = plan.info.title;
  c.plan_hash = plan.content_hash;
  c.rules_hash = rules_.hash;
  c.findings_source = "the rules (" + std::to_string(rules_.rules.size()) + ") evaluated for " + period +
                      (findings_.previous.empty() && plan.calendar.first == req.period
                           ? ""
                           : " and the period before") +
                      " as of " + c.as_of + ", over the records known on " + c.known_on;
  c.generator = "jvap " + req.version;
  c.records = req.verified_only ? "verified data only: the uploads the secretariat verified by " + c.known_on
                                : "every upload received by " + c.known_on + ", verified or not";
  return c;
}

std::vector<Highlight> Facts::highlights() const {
  std::vector<Highlight> h;
  std::int64_t active = 0;
  for (const auto* x : in_scope) active += x->active ? 1 : 0;
  h.push_back({"active_initiatives", "Initiatives active in the period", active, Type::integer,
               "of " + std::to_string(in_scope.size()) + " in scope"});
  // A partner pack counts the reports the organisation owes (those of the initiatives it reports
  // on), as `jvap completeness` does per organisation; it implements or funds the others.
  std::vector<const InitiativeFacts*> owing;
  for (const auto* x : in_scope)
    if (req.kind != Kind::partner || contains(x->ini->reporting, req.partner)) owing.push_back(x);
  auto r = reports(owing, req.period);
  if (view_.initiatives().empty())  // an empty database is a state: say so, and what is expected
    h.push_back({"nothing_received", "Nothing received yet", std::int64_t{0}, Type::integer,
                 "no upload holds a record for the periods of this report; " +
                     model::count_label(r.expected, "report is", "reports are") + " expected for " +
                     period_id_ + ", due " + due_text_});
  h.push_back({"completeness",
               req.kind == Kind::partner ? "Reports complete (of those " + req.partner + " sends)" : "Reports complete",
               pct(r.complete, r.expected), Type::percent,
               std::to_string(r.complete) + " of " + std::to_string(r.expected) + " expected, " +
                   std::to_string(r.on_time) + " on time; " + std::to_string(r.partial) +
                   " partial, " + std::to_string(r.missing) + " missing"});
  std::map<std::string, Spend> money;  // by currency
  for (const auto* x : in_scope)
    if (x->ini->budget) money[x->ini->budget->currency].add(*x);
  for (const auto& [ccy, m] : money)
    h.push_back({"disbursed_" + ccy, "Disbursed (" + ccy + ", of those reporting)",
                 pct(m.disbursed, m.reporting_budget), Type::percent, spend_coverage(m, ccy)});
  std::map<rules::Severity, std::int64_t> open, fresh;
  for (const auto* f : current_in_scope_) {
    if (f->status == rules::Status::waived) continue;
    open[f->severity]++;
    if (since(*f) == "new this period") fresh[f->severity]++;
  }
  for (auto s : {rules::Severity::error, rules::Severity::warning})
    h.push_back({std::string(rules::to_string(s)) + "s",
                 s == rules::Severity::error ? "Open errors" : "Open warnings", open[s], Type::integer,
                 "of which " + std::to_string(fresh[s]) + " new this period"});
  return h;
}

namespace {

using RowAdder = std::function<void(const std::string&, const std::function<Cell(std::size_t)>&, Type)>;

// The side-by-side table's money rows for one currency, one column per list of initiatives.
void spend_rows(const RowAdder& row, const std::vector<std::vector<const InitiativeFacts*>>& lists,
                const std::string& ccy) {
  std::vector<Spend> spend(lists.size());
  for (std::size_t k = 0; k < lists.size(); ++k)
    for (const auto* x : lists[k])
      if (x->ini->budget && x->ini->budget->currency == ccy) spend[k].add(*x);
  auto money = [&](std::int64_t Spend::*field) {
    return [&, field](std::size_t k) { return Cell(model::major_units(spend[k].*field, ccy)); };
  };
  row("Budget (" + ccy + ")", money(&Spend::budget), Type::money);
  row("Budget of those reporting disbursement (" + ccy + ")", money(&Spend::reporting_budget), Type::money);
  row("Disbursed (" + ccy + ")", money(&Spend::disbursed), Type::money);
  row("Disbursed % (of those reporting, " + ccy + ")",
      [&](std::size_t k) { return pct(spend[k].disbursed, spend[k].reporting_budget); }, Type::percent);
  row("No disbursement data (" + ccy + ", initiatives)", [&](std::size_t k) { return Cell(spend[k].no_data); },
      Type::integer);
  row("No disbursement data (" + ccy + ", budget)", money(&Spend::no_data_budget), Type::money);
}

}  // namespace

Section Facts::processes_side_by_side() const {
  Section s{"processes", "Rabat and Khartoum side by side", "", {}, {}};
  Table t{"processes.side_by_side", "The processes side by side",
          "An initiative under both processes counts in each; so does a finding about no process."
          " Disbursed % is of the budget of the initiatives reporting disbursement.", {}, {}};
  t.columns = {col("measure", "Measure")};
  for (const auto* p : processes) t.columns.push_back(col(p->id, p->name, Type::number));
  const auto end = calendar::end_of(req.period);
  std::vector<std::vector<const InitiativeFacts*>> lists;
  for (const auto* p : processes)
    lists.push_back(where([&](const model::Initiative& i) { return contains(i.processes, p->id); }));
  auto row = [&](const std::string& label, const std::function<Cell(std::size_t)>& value,
                 Type type = Type::integer) {
    std::vector<Cell> r{label};
    for (std::size_t k = 0; k < processes.size(); ++k) r.push_back(value(k));
    t.rows.push_back(std::move(r));
    t.row_types.push_back(type);
  };
  row("Member states", [&](std::size_t k) {
    return static_cast<std::int64_t>(std::count_if(
        processes[k]->members.begin(), processes[k]->members.end(),
        [&](const model::Member& m) { return m.role == model::Role::member && m.active_on(end); }));
  });
  row("Initiatives", [&](std::size_t k) { return static_cast<std::int64_t>(lists[k].size()); });
  row("Active in the period", [&](std::size_t k) {
    return static_cast<std::int64_t>(std::count_if(lists[k].begin(), lists[k].end(),
                                                   [](const auto* x) { return x->active; }));
  });
  std::set<std::string> currencies;
  for (const auto* x : in_scope)
    if (x->ini->budget) currencies.insert(x->ini->budget->currency);
  for (const auto& ccy : currencies)
    spend_rows([&](const std::string& l, const std::function<Cell(std::size_t)>& v, Type type) { row(l, v, type); },
               lists, ccy);
  std::vector<evaluation::Tally> rep;
  for (const auto& list : lists) rep.push_back(reports(list, req.period));
  row("Reports expected", [&](std::size_t k) { return Cell(rep[k].expected); });
  row("Complete on time", [&](std::size_t k) { return Cell(rep[k].on_time); });
  row("Complete late", [&](std::size_t k) { return Cell(rep[k].late); });
  row("Partial", [&](std::size_t k) { return Cell(rep[k].partial); });
  row("Missing", [&](std::size_t k) { return Cell(rep[k].missing); });
  row("Completeness %", [&](std::size_t k) { return pct(rep[k].complete, rep[k].expected); }, Type::percent);
  for (auto sev : {rules::Severity::error, rules::Severity::warning, rules::Severity::info}) {
    std::string label = std::string(rules::to_string(sev)) + " findings";
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
    row(label, [&](std::size_t k) {
      std::int64_t n = 0;
      for (const auto* f : current_in_scope_)
        if (f->severity == sev && f->status != rules::Status::waived &&
            finding_in_process(*f, processes[k]->id))
          ++n;
      return Cell(n);
    });
  }
  s.tables.push_back(std::move(t));

  Table by_domain{"processes.by_domain", "Active initiatives per domain and process", "", {}, {}};
  by_domain.columns = {col("domain", "Domain", Type::code)};
  for (const auto* p : processes) by_domain.columns.push_back(col(p->id, p->name, Type::integer));
  std::vector<std::string> series;
  for (const auto* p : processes) series.push_back(p->id);
  for (const auto* d : domains) {
    std::vector<Cell> r{d->id};
    for (const auto& list : lists)
      r.push_back(static_cast<std::int64_t>(std::count_if(list.begin(), list.end(), [&](const auto* x) {
        return x->active && contains(x->ini->domains, d->id);
      })));
    by_domain.rows.push_back(std::move(r));
  }
  s.tables.push_back(std::move(by_domain));
  s.charts.push_back({"processes.by_domain_chart", "Active initiatives per domain, Rabat and Khartoum",
                      ChartKind::bars, "processes.by_domain", "domain", series, "", ""});
  return s;
}

Section Facts::coverage() const {
  Section s{"coverage", "Coverage of member states by domain", "", {}, {}};
  Table t{"coverage.matrix", "Active initiatives per African member state and domain",
          "African member states of the processes in scope on the last day of the period (European "
          "states fund and co-implement; the regions table counts them); an initiative counts for "
          "every country it names, in each of its domains; the total counts each initiative once.",
          {}, {}};
  t.columns = {col("state", "State", Type::code), col("name", "Name"), col("region", "Region"),
               col("processes", "Processes")};
  std::vector<std::string> series;
  for (const auto* d : domains) {
    t.columns.push_back(col(d->id, d->id, Type::integer));
    series.push_back(d->id);
  }
  t.columns.push_back(col("total", "Initiatives (distinct)", Type::integer));
  const auto end = calendar::end_of(req.period);
  std::map<std::string, std::pair<model::Region, std::vector<std::string>>> states;
  for (const auto* p : processes)
    for (const auto& m : p->members)
      if (m.role == model::Role::member && m.active_on(end) && m.region != model::Region::europe) {
        auto& e = states[m.state];
        e.first = m.region;
        e.second.push_back(p->id);
      }
  std::map<std::string, std::map<std::string, std::int64_t>> counts;  // state -> domain -> n
  std::map<std::string, std::set<std::string>> distinct;                // state -> initiatives
  for (const auto* x : in_scope) {
    if (!x->active) continue;
    for (const auto& c : x->ini->countries) {
      for (const auto& d : x->ini->domains)
        if (std::any_of(domains.begin(), domains.end(), [&](const auto* dm) { return dm->id == d; }))
          counts[c][d]++, distinct[c].insert(x->ini->id);
    }
  }
  for (const auto& [state, e] : states) {
    std::string procs;
    for (const auto& p : e.second) procs += (procs.empty() ? "" : ", ") + p;
    std::vector<Cell> r{state, std::string(model::country_name(state).value_or(state)),
                        std::string(model::label(e.first)), procs};
    for (const auto* d : domains) r.push_back(counts[state][d->id]);
    r.push_back(static_cast<std::int64_t>(distinct[state].size()));
    t.rows.push_back(std::move(r));
  }
  s.tables.push_back(std::move(t));
  if (domains.size() > 1)
    s.charts.push_back({"coverage.heatmap", "Active initiatives per African member state and domain",
                        ChartKind::heatmap, "coverage.matrix", "state", series, "", ""});
  else  // one domain: a heat map of one column says less than bars
    s.charts.push_back({"coverage.bars", "Active initiatives per African member state in " + series.front(),
                        ChartKind::bars, "coverage.matrix", "state", series, "", ""});
  return s;
}

Section Facts::regions() const {
  Section s{"regions", "Regions", "", {}, {}};
  Table t{"regions.breakdown", "Per region",
          "Member states on the last day of the period; an initiative counts once in every region "
          "where it names a country, whether or not that country is still a member. A finding "
          "counts once per region it concerns.", {}, {}};
  t.columns = {col("region", "Region"), col("states", "Member states", Type::integer),
               col("states_active", "States with an active initiative", Type::integer),
               col("coverage_pct", "States covered %", Type::percent),
               col("active_initiatives", "Active initiatives", Type::integer),
               col("findings", "Open findings", Type::integer)};
  const auto end = calendar::end_of(req.period);
  std::map<model::Region, std::set<std::string>> states;
  std::map<std::string, model::Region> region_of;
  for (const auto* p : processes)
    for (const auto& m : p->members)
      if (m.role == model::Role::member && m.active_on(end)) states[m.region].insert(m.state);
  // A country's region from any membership, past or future, of any process: an initiative in a
  // state that has left stays in its region.
  for (const auto& p : plan.processes)
    for (const auto& m : p.members) region_of.emplace(m.state, m.region);
  std::map<model::Region, std::set<std::string>> active_states, initiatives;
  for (const auto* x : in_scope) {
    if (!x->active) continue;
    for (const auto& c : x->ini->countries)
      if (auto it = region_of.find(c); it != region_of.end()) {
        active_states[it->second].insert(c);
        initiatives[it->second].insert(x->ini->id);
      }
  }
  std::map<model::Region, std::int64_t> findings;
  for (const auto* f : current_in_scope_) {
    if (f->status == rules::Status::waived) continue;
    std::set<model::Region> seen;
    auto head = f->subject.substr(0, f->subject.find('/'));
    if (const auto* x = find(head)) {
      for (const auto& c : x->ini->countries)
        if (auto it = region_of.find(c); it != region_of.end()) seen.insert(it->second);
    } else {
      for (const auto& [state, region] : region_of)
        if (f->subject.find("/" + state + "/") != std::string::npos) seen.insert(region);
    }
    for (auto r : seen) findings[r]++;
  }
  for (const auto& [region, st] : states) {
    auto n = static_cast<std::int64_t>(st.size());
    auto a = static_cast<std::int64_t>(active_states[region].size());
    t.rows.push_back({std::string(model::label(region)), n, a, pct(a, n),
                      static_cast<std::int64_t>(initiatives[region].size()), findings[region]});
  }
  s.tables.push_back(std::move(t));
  s.charts.push_back({"regions.chart", "Active initiatives per region", ChartKind::bars,
                      "regions.breakdown", "region", {"active_initiatives"}, "", ""});
  return s;
}

Section Facts::trends() const {
  Section s{"trends", "Trends", "", {}, {}};
  Table t{"trends.reporting", "Reporting and disbursement over the last periods",
          "Each period as known on " + calendar::to_string(req.known_on) +
              "; disbursed is the latest cumulative amount reported in the window up to the period.",
          {}, {}};
  t.columns = {col("period", "Period", Type::code), col("due", "Due", Type::date),
               col("expected", "Expected", Type::integer), col("complete", "Complete", Type::integer),
               col("on_time", "On time", Type::integer), col("partial", "Partial", Type::integer),
               col("missing", "Missing", Type::integer),
               col("completeness_pct", "Completeness %", Type::percent),
               col("timeliness_pct", "Timeliness %", Type::percent)};
  std::set<std::string> currencies;
  for (const auto* x : in_scope)
    if (x->ini->budget) currencies.insert(x->ini->budget->currency);
  for (const auto& ccy : currencies)
    t.columns.push_back(col("disbursed_" + ccy, "Disbursed (" + ccy + ")", Type::money));
  for (const auto& p : window_) {
    auto r = reports(in_scope, p);
    const auto id = calendar::to_string(p);
    auto row = cells(id, calendar::to_string(plan.calendar.due(p)), r.expected, r.complete, r.on_time,
                     r.partial, r.missing, pct(r.complete, r.expected), pct(r.on_time, r.expected));
    for (const auto& ccy : currencies) {
      std::int64_t total = 0;
      for (const auto* x : in_scope) {
        if (!x->ini->budget || x->ini->budget->currency != ccy) continue;
        if (auto d = x->records.disbursed_to_date(p)) add_money(total, d->minor, ccy, x->ini->id);
      }
      row.push_back(model::major_units(total, ccy));
    }
    t.rows.push_back(std::move(row));
  }
  s.tables.push_back(std::move(t));
  s.charts.push_back({"trends.chart", "Completeness and timeliness over the last periods",
                      ChartKind::lines, "trends.reporting", "period",
                      {"completeness_pct", "timeliness_pct"}, "", ""});
  return s;
}

std::vector<Section> Facts::partner_sections() const {
  Section s{"partner", "Your initiatives and what is still owed", "", {}, {}};
  s.tables.push_back(initiatives_table(*this, "partner.initiatives", in_scope, false));
  s.tables.back().title = "Initiatives";
  Table owed{"partner.reports", "Reports for the period",
             "The measures still owed are those the plan requires for the period and not yet "
             "reported: the status, each indicator with a target in the period, disbursed (a project "
             "with a budget) and each milestone falling due in it. The owed file (the upload "
             "template) adds the other measures of a full report.", {}, {}};
  owed.columns = {col("initiative", "Initiative", Type::code), col("title", "Title"),
                  col("state", "Report"), col("owed", "Measures still owed")};
  for (const auto* x : in_scope) {
    if (!x->active || !contains(x->ini->reporting, req.partner)) continue;
    auto st = evaluation::report_status(x->records, plan, *x->ini, req.period, req.as_of);
    if (!st.expected()) continue;
    std::string list;
    for (const auto& m : st.missing) list += (list.empty() ? "" : ", ") + m;
    owed.rows.push_back({x->ini->id, x->ini->title, report_state(*x), list});
  }
  s.tables.push_back(std::move(owed));
  s.tables.push_back(findings_table(*this, "partner.findings", findings_in_scope(), true));
  s.tables.push_back(indicators_table(*this, "partner.indicators", in_scope));
  return {s};
}

std::string Facts::owed_csv() const { return template_csv(view_, progress_, plan, req.period, req.partner); }

}  // namespace jvap::report::detail
