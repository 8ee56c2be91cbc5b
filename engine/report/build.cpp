// build(): the plan, the record values of the trend window (from the evaluation view) and the
// findings, turned into the sections of a report (one table of sections, below).
#include <algorithm>
#include <cmath>
#include <set>

#include "model/codes.hpp"
#include "model/money.hpp"
#include "report/facts.hpp"

namespace jvap::report {

namespace {

using detail::Facts;
using detail::InitiativeFacts;
using detail::col;
using detail::contains;
using detail::pct;

Cell money(std::int64_t minor, const std::string& currency) {
  return model::major_units(minor, currency);
}

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}


std::string severity_label(rules::Severity s) { return std::string(rules::to_string(s)); }

}  // namespace

// The tables sections share (declared in facts.hpp).
namespace detail {

Table initiatives_table(const Facts& f, std::string id, const std::vector<const InitiativeFacts*>& list,
                        bool annex) {
  Table t{std::move(id), annex ? "Every initiative" : "Initiatives", "", {}, {}};
  t.columns = {col("initiative", "Initiative", Type::code), col("title", "Title"),
               col("kind", "Kind"), col("status", "Status")};
  if (annex)
    t.columns.insert(t.columns.end(), {col("domains", "Domains"), col("processes", "Processes"),
                                       col("countries", "Countries"), col("reporting", "Reporting")});
  t.columns.insert(t.columns.end(),
                   {col("start", "Start", Type::date), col("end", "End", Type::date),
                    col("currency", "Currency", Type::code), col("budget", "Budget", Type::money),
                    col("disbursed", "Disbursed", Type::money),
                    col("disbursed_pct", "Disbursed %", Type::percent),
                    col("report", "Report for the period")});
  t.rows.reserve(list.size());
  for (const auto* x : list) {
    const auto& i = *x->ini;
    std::vector<Cell> row;
    row.reserve(t.columns.size());
    row.insert(row.end(), {i.id, i.title, std::string(model::to_string(i.kind)), x->status});
    if (annex) {
      row.push_back(join(i.domains));
      row.push_back(join(i.processes));
      row.push_back(join(i.countries));
      row.push_back(join(i.reporting));
    }
    row.push_back(calendar::to_string(i.start));
    row.push_back(calendar::to_string(i.end));
    if (i.budget) {
      row.push_back(i.budget->currency);
      row.push_back(money(i.budget->amount, i.budget->currency));
      row.push_back(x->disbursed ? money(*x->disbursed, i.budget->currency) : Cell{});
      row.push_back(x->disbursed ? pct(*x->disbursed, i.budget->amount) : Cell{});
    } else {
      row.insert(row.end(), {Cell{}, Cell{}, Cell{}, Cell{}});
    }
    row.push_back(f.report_state(*x));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table findings_table(const Facts& f, std::string id, const std::vector<const rules::Finding*>& list,
                     bool with_fix) {
  Table t{std::move(id), "Findings",
          "Status: new this period (not found for " + f.previous_period_text() +
              "), carried over (found for it too) or waived.", {}, {}};
  t.columns = {col("severity", "Severity"), col("rule", "Rule", Type::code),
               col("subject", "Subject", Type::code), col("period", "Period", Type::code),
               col("message", "Finding"), col("since", "Status")};
  if (with_fix) t.columns.push_back(col("fix", "What to do"));
  for (const auto* x : list) {
    std::vector<Cell> row{severity_label(x->severity), x->rule, x->subject, x->period, x->message,
                          f.since(*x)};
    if (with_fix) row.push_back(f.fix_of(*x));
    t.rows.push_back(std::move(row));
  }
  return t;
}

Table indicators_table(const Facts& f, std::string id, const std::vector<const InitiativeFacts*>& list) {
  Table t{std::move(id), "Indicator progress against targets",
          "Progress is the share of the way from the baseline to the target.", {}, {}};
  t.columns = {col("initiative", "Initiative", Type::code), col("indicator", "Indicator", Type::code),
               col("title", "Title"), col("unit", "Unit"), col("baseline", "Baseline", Type::number),
               col("target_period", "Target period", Type::code), col("target", "Target", Type::number),
               col("actual", "Actual", Type::number), col("progress_pct", "Progress %", Type::percent),
               col("assessment", "Assessment")};
  for (const auto* x : list)
    for (const auto& ind : x->ini->indicators) {
      auto p = f.progress(*x, ind);
      t.rows.push_back({x->ini->id, ind.id, ind.title, ind.unit, ind.baseline,
                        p.target_period.empty() ? Cell{} : Cell(p.target_period),
                        p.target ? Cell(*p.target) : Cell{}, p.actual ? Cell(*p.actual) : Cell{},
                        p.share ? Cell(std::round(*p.share * 1000.0) / 10.0) : Cell{}, p.assessment});
    }
  return t;
}

}  // namespace detail

namespace {

using detail::findings_table;
using detail::indicators_table;
using detail::initiatives_table;


// ---- tables shared by several sections ----

// ---- sections ----

Section summary(const Facts& f) {
  Section s{"summary", "Executive summary", "", {}, {}};
  // Initiatives per domain (per priority in a domain report), by kind and by status.
  const auto kind = f.group_kind();
  const std::string label = kind == "domain" ? "Domain" : "Priority";
  Table kinds{"summary.initiatives", "Initiatives per " + kind,
              "An initiative under several " + std::string(kind == "domain" ? "domains" : "priorities") +
                  " counts in each.", {}, {}};
  kinds.columns = {col(kind, label, Type::code), col("title", "Title"),
                   col("projects", "Projects", Type::integer), col("policies", "Policies", Type::integer),
                   col("active", "Active in the period", Type::integer),
                   col("total", "Total", Type::integer)};
  Table status{"summary.status", "Initiatives active in the period, by reported status", "", {}, {}};
  status.columns = {col(kind, label, Type::code)};
  for (const auto& st : detail::kStatuses) status.columns.push_back(col(st.key, st.label, Type::integer));
  for (const auto& g : f.groups()) {
    std::int64_t projects = 0, policies = 0, active = 0;
    std::map<std::string, std::int64_t> by_status;
    for (const auto* x : g.list) {
      (x->ini->kind == model::InitiativeKind::project ? projects : policies)++;
      if (x->active) {
        ++active;
        by_status[x->status]++;
      }
    }
    kinds.rows.push_back(detail::cells(g.id, g.title, projects, policies, active, projects + policies));
    std::vector<Cell> row{g.id};
    for (const auto& st : detail::kStatuses) row.push_back(by_status[st.label]);
    status.rows.push_back(std::move(row));
  }
  s.tables.push_back(std::move(kinds));
  s.tables.push_back(std::move(status));
  s.charts.push_back({"summary.status_chart", "Active initiatives per " + kind + " by reported status",
                      ChartKind::stacked, "summary.status", kind,
                      [] {
                        std::vector<std::string> keys;
                        for (const auto& st : detail::kStatuses) keys.push_back(st.key);
                        return keys;
                      }(), "", ""});
  s.tables.push_back(f.budget_by_group());
  // One chart per currency: amounts in different currencies never share an axis. The bars are
  // the budget of the initiatives reporting disbursement and what they disbursed, so their ratio
  // is the disbursed percentage.
  std::set<std::string> currencies;
  const auto& budget = s.tables.back();
  for (const auto& row : budget.rows) currencies.insert(format_cell(row[budget.column("currency")], Type::code));
  for (const auto& ccy : currencies)
    s.charts.push_back({"summary.budget_chart" + std::string(currencies.size() > 1 ? "_" + ccy : ""),
                        "Disbursed against the budget of the initiatives reporting it, per " + kind + " (" + ccy + ")",
                        ChartKind::bars, budget.id, kind, {"reporting_budget", "disbursed"}, "currency", ccy});
  s.tables.push_back(f.budget_by_funder_group());
  s.tables.push_back(f.completeness_by_process());
  s.tables.push_back(f.findings_by_rule());
  s.tables.push_back(f.info_matrix());
  return s;
}

Section domain_section(const Facts& f, const model::Domain& d) {
  Section s{d.id, "Domain " + d.id + ": " + d.title, "", {}, {}};
  auto list = f.in_domain(d.id);
  std::vector<const InitiativeFacts*> current;
  for (const auto* x : list)
    if (x->active) current.push_back(x);
  Table pr{d.id + ".priorities", "Priority coverage", "", {}, {}};
  pr.columns = {col("priority", "Priority", Type::code), col("title", "Title"),
                col("initiatives", "Initiatives", Type::integer),
                col("active", "Active in the period", Type::integer), col("covered", "Covered")};
  for (const auto& p : d.priorities) {
    std::int64_t all = 0, active = 0;
    for (const auto* x : list)
      if (std::count(x->ini->priorities.begin(), x->ini->priorities.end(), p.id)) {
        ++all;
        if (x->active) ++active;
      }
    pr.rows.push_back({p.id, p.title, all, active, std::string(active > 0 ? "yes" : "no")});
  }
  s.tables.push_back(std::move(pr));
  s.tables.push_back(initiatives_table(f, d.id + ".initiatives", current, false));
  s.tables.back().title = "Initiatives active in the period";
  s.tables.back().note = "Every initiative of the domain, active or not, is in the annex.";
  s.tables.push_back(indicators_table(f, d.id + ".indicators", current));
  std::vector<const rules::Finding*> serious;
  for (const auto* x : f.findings_in_domain(d.id))
    if (x->severity != rules::Severity::info) serious.push_back(x);
  s.tables.push_back(findings_table(f, d.id + ".findings", serious, false));
  s.tables.back().title = "Errors and warnings";
  s.tables.back().note += " Info findings are counted in the executive summary's matrix and listed in the annex.";
  return s;
}

Section annex(const Facts& f) {
  Section s{"annex", "Annex", "", {}, {}};
  s.tables.push_back(findings_table(f, "annex.findings", f.findings_in_scope(), true));
  s.tables.back().title = "Every finding";
  s.tables.push_back(initiatives_table(f, "annex.initiatives", f.in_scope, true));
  return s;
}

// The sections of the reports, in the order they appear, with the kinds of report that carry
// each. "domains" stands for one section per domain in scope, whose ids are the domains' ids.
struct SectionSpec {
  std::string id;
  std::vector<Kind> kinds;
  std::vector<Section> (*build)(const Facts&);
};

const std::vector<SectionSpec>& section_table() {
  using K = Kind;
  static const std::vector<SectionSpec> k{
      {"executive", {K::joint, K::process, K::domain}, [](const Facts& f) { return std::vector{f.executive()}; }},
      {"summary", {K::joint, K::process, K::domain}, [](const Facts& f) { return std::vector{summary(f)}; }},
      {"commitments", {K::joint, K::process, K::domain}, [](const Facts& f) { return std::vector{f.commitments()}; }},
      {"domains", {K::joint, K::process, K::domain},
       [](const Facts& f) {
         std::vector<Section> out;
         for (const auto* d : f.domains) out.push_back(domain_section(f, *d));
         return out;
       }},
      {"processes", {K::joint}, [](const Facts& f) { return std::vector{f.processes_side_by_side()}; }},
      {"coverage", {K::joint, K::process, K::domain}, [](const Facts& f) { return std::vector{f.coverage()}; }},
      {"regions", {K::joint, K::process, K::domain}, [](const Facts& f) { return std::vector{f.regions()}; }},
      {"trends", {K::joint, K::process, K::domain}, [](const Facts& f) { return std::vector{f.trends()}; }},
      {"annex", {K::joint, K::process, K::domain}, [](const Facts& f) { return std::vector{annex(f)}; }},
      {"work_plan", {K::work_plan}, [](const Facts& f) { return std::vector{f.work_plan()}; }},
      {"participation", {K::work_plan}, [](const Facts& f) { return std::vector{f.participation()}; }},
      {"outputs", {K::work_plan}, [](const Facts& f) { return std::vector{f.outputs()}; }},
      {"partner", {K::partner}, [](const Facts& f) { return f.partner_sections(); }},
  };
  return k;
}

}  // namespace

std::vector<std::string> note_sections(const model::Plan& plan) {
  std::vector<std::string> out;
  for (const auto& spec : section_table()) {
    if (spec.id != "domains") out.push_back(spec.id);
    else
      for (const auto& d : plan.domains) out.push_back(d.id);
  }
  return out;
}

Report build(store::Store& store, const model::Plan& plan, const rules::RuleSet& rules,
             const Request& req, const Findings& findings) {
  Facts f(store, plan, rules, req, findings);
  Report r;
  const bool work_plan = req.kind == Kind::work_plan;
  r.cover = work_plan ? f.work_plan_cover(f.cover()) : f.cover();
  r.highlights = work_plan ? f.work_plan_highlights() : f.highlights();
  for (const auto& spec : section_table()) {
    if (std::find(spec.kinds.begin(), spec.kinds.end(), req.kind) == spec.kinds.end()) continue;
    for (auto& s : spec.build(f)) r.sections.push_back(std::move(s));
  }
  if (req.kind == Kind::partner) r.owed_csv = f.owed_csv();
  for (auto& s : r.sections)
    if (auto it = req.notes.find(s.id); it != req.notes.end()) s.notes = it->second;
  return r;
}

}  // namespace jvap::report
