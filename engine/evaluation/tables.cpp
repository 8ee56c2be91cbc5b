// The SQL face of the evaluation view: TEMP tables of the plan, the calendar and the view's
// values, first receipts and achieved milestones, which built-in rule kinds and custom rules
// query set-wise (docs/rules-format.md lists them).
#include <algorithm>
#include <cmath>

#include "evaluation/view.hpp"
#include "model/money.hpp"

namespace jvap::evaluation {

namespace {

const char* kSchema = R"sql(
DROP TABLE IF EXISTS temp.e_param;
DROP TABLE IF EXISTS temp.e_period;
DROP TABLE IF EXISTS temp.e_domain;
DROP TABLE IF EXISTS temp.e_priority;
DROP TABLE IF EXISTS temp.e_process;
DROP TABLE IF EXISTS temp.e_member;
DROP TABLE IF EXISTS temp.e_initiative;
DROP TABLE IF EXISTS temp.e_initiative_domain;
DROP TABLE IF EXISTS temp.e_initiative_priority;
DROP TABLE IF EXISTS temp.e_initiative_process;
DROP TABLE IF EXISTS temp.e_initiative_country;
DROP TABLE IF EXISTS temp.e_reporting;
DROP TABLE IF EXISTS temp.e_indicator;
DROP TABLE IF EXISTS temp.e_target;
DROP TABLE IF EXISTS temp.e_milestone;
DROP TABLE IF EXISTS temp.e_value;
DROP TABLE IF EXISTS temp.e_received;
DROP TABLE IF EXISTS temp.e_milestone_done;
DROP TABLE IF EXISTS temp.e_report;
DROP TABLE IF EXISTS temp.e_process_domain;
DROP TABLE IF EXISTS temp.e_chair;
DROP TABLE IF EXISTS temp.e_commitment;
DROP TABLE IF EXISTS temp.e_commitment_domain;
DROP TABLE IF EXISTS temp.e_commitment_initiative;
DROP TABLE IF EXISTS temp.e_work_plan;
DROP TABLE IF EXISTS temp.e_activity;
DROP TABLE IF EXISTS temp.e_activity_domain;
CREATE TEMP TABLE e_param (name TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TEMP TABLE e_period (period TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, start TEXT, end TEXT, due TEXT);
CREATE TEMP TABLE e_domain (id TEXT PRIMARY KEY, title TEXT);
CREATE TEMP TABLE e_priority (id TEXT PRIMARY KEY, domain TEXT, title TEXT);
CREATE TEMP TABLE e_process (id TEXT PRIMARY KEY, name TEXT);
CREATE TEMP TABLE e_member (process TEXT, state TEXT, role TEXT, region TEXT, joined TEXT, left TEXT,
                            active INTEGER, PRIMARY KEY (process, state));
CREATE TEMP TABLE e_initiative (id TEXT PRIMARY KEY, title TEXT, kind TEXT, start TEXT, end TEXT,
                                start_seq INTEGER, end_seq INTEGER, budget INTEGER, currency TEXT,
                                active INTEGER, elapsed_share REAL, budget_text TEXT);
CREATE TEMP TABLE e_initiative_domain (initiative TEXT, domain TEXT, PRIMARY KEY (initiative, domain));
CREATE TEMP TABLE e_initiative_priority (initiative TEXT, priority TEXT, PRIMARY KEY (initiative, priority));
CREATE TEMP TABLE e_initiative_process (initiative TEXT, process TEXT, PRIMARY KEY (initiative, process));
CREATE TEMP TABLE e_initiative_country (initiative TEXT, country TEXT, PRIMARY KEY (initiative, country));
CREATE TEMP TABLE e_reporting (initiative TEXT, org TEXT, PRIMARY KEY (initiative, org));
CREATE TEMP TABLE e_indicator (initiative TEXT, indicator TEXT, title TEXT, unit TEXT,
                               aggregation TEXT, baseline REAL, PRIMARY KEY (initiative, indicator));
CREATE TEMP TABLE e_target (initiative TEXT, indicator TEXT, period TEXT, seq INTEGER, value REAL,
                            PRIMARY KEY (initiative, indicator, period));
CREATE TEMP TABLE e_milestone (initiative TEXT, milestone TEXT, title TEXT, due TEXT,
                               PRIMARY KEY (initiative, milestone));
CREATE TEMP TABLE e_value (initiative TEXT, period TEXT, measure TEXT, value TEXT, num,
                           upload_id INTEGER, line INTEGER, received_on TEXT,
                           PRIMARY KEY (initiative, period, measure));
CREATE TEMP TABLE e_received (initiative TEXT, period TEXT, first_received TEXT, first_upload INTEGER,
                              PRIMARY KEY (initiative, period));
CREATE INDEX temp.e_initiative_country_by_country ON e_initiative_country (country, initiative);
CREATE INDEX temp.e_initiative_domain_by_domain ON e_initiative_domain (domain, initiative);
CREATE TEMP TABLE e_milestone_done (initiative TEXT, milestone TEXT, achieved TEXT, upload_id INTEGER,
                                    line INTEGER, PRIMARY KEY (initiative, milestone));
CREATE TEMP TABLE e_report (initiative TEXT, period TEXT, state TEXT, due TEXT, first_received TEXT,
                            first_upload INTEGER, completed_on TEXT, missing TEXT,
                            PRIMARY KEY (initiative, period));
CREATE TEMP TABLE e_process_domain (process TEXT, domain TEXT, PRIMARY KEY (process, domain));
CREATE TEMP TABLE e_chair (process TEXT, state TEXT, start TEXT, end TEXT, PRIMARY KEY (process, start));
CREATE TEMP TABLE e_commitment (id TEXT PRIMARY KEY, title TEXT, kind TEXT, document TEXT, declared_on TEXT,
                                due TEXT, initiatives INTEGER, progress TEXT, progress_period TEXT,
                                upload_id INTEGER, line INTEGER, last_reported TEXT, last_seq INTEGER);
CREATE TEMP TABLE e_commitment_domain (commitment TEXT, domain TEXT, PRIMARY KEY (commitment, domain));
CREATE TEMP TABLE e_commitment_initiative (commitment TEXT, initiative TEXT, PRIMARY KEY (commitment, initiative));
CREATE TEMP TABLE e_work_plan (id TEXT PRIMARY KEY, process TEXT, chair TEXT, framework TEXT, start TEXT, end TEXT);
CREATE TEMP TABLE e_activity (id TEXT PRIMARY KEY, work_plan TEXT, process TEXT, kind TEXT, title TEXT,
                              planned_from TEXT, planned_to TEXT, host TEXT, lead TEXT, outcome TEXT,
                              held_on TEXT, postponed_to TEXT, reported_for TEXT, upload_id INTEGER,
                              line INTEGER, state TEXT);
CREATE TEMP TABLE e_activity_domain (activity TEXT, domain TEXT, PRIMARY KEY (activity, domain));
)sql";

using store::Param;

Param text(const std::string& s) { return std::string_view(s); }
Param opt_text(const std::optional<std::string>& s) { return s ? Param(std::string_view(*s)) : Param(nullptr); }

// A number as the store keeps it (NUMERIC): integral values as integers, so text built from them
// in SQL reads "1200", not "1200.0".
Param number(const std::optional<double>& v) {
  if (!v) return nullptr;
  if (std::floor(*v) == *v && std::fabs(*v) < 9.0e15) return static_cast<std::int64_t>(*v);
  return *v;
}

// The calendar from its first period through the last period any initiative reaches, and the
// parameters of the check.
void fill_calendar(store::Store::Scratch& s, const model::Plan& plan, const View& view,
                   const calendar::Period& period) {
  const auto& cal = plan.calendar;
  const auto p_end = calendar::end_of(period);
  calendar::Date last = p_end;
  for (const auto& i : plan.initiatives) last = std::max(last, i.end);
  s.into("e_period", 5);
  for (auto p = cal.first; calendar::start_of(p) <= last; p = calendar::next(p))
    s.add({text(calendar::to_string(p)), calendar::sequence(p),
           text(calendar::to_string(calendar::start_of(p))), text(calendar::to_string(calendar::end_of(p))),
           text(calendar::to_string(cal.due(p)))});
  const auto& w = view.window();
  const calendar::Period first = w.first.value_or(period);
  s.into("e_param", 2);
  auto param = [&](const char* name, Param v) { s.add({std::string_view(name), v}); };
  param("period", text(calendar::to_string(period)));
  param("seq", calendar::sequence(period));
  param("as_of", text(calendar::to_string(w.as_of)));
  param("known_on", text(calendar::to_string(w.known_on)));
  param("start", text(calendar::to_string(calendar::start_of(period))));
  param("end", text(calendar::to_string(p_end)));
  param("due", text(calendar::to_string(cal.due(period))));
  param("window_first", text(calendar::to_string(first)));
  param("window_seq", calendar::sequence(first));
  param("grace_days", static_cast<std::int64_t>(cal.grace_days));
  param("monitoring_seq", calendar::sequence(cal.monitored_from()));
  param("monitoring_start", text(calendar::to_string(calendar::start_of(cal.monitored_from()))));
}

void fill_structure(store::Store::Scratch& s, const model::Plan& plan, const calendar::Period& period) {
  const auto p_end = calendar::end_of(period);
  s.into("e_domain", 2);
  for (const auto& d : plan.domains) s.add({text(d.id), text(d.title)});
  s.into("e_priority", 3);
  for (const auto& d : plan.domains)
    for (const auto& p : d.priorities) s.add({text(p.id), text(d.id), text(p.title)});
  s.into("e_process", 2);
  for (const auto& p : plan.processes) s.add({text(p.id), text(p.name)});
  s.into("e_member", 7);
  for (const auto& p : plan.processes)
    for (const auto& m : p.members)
      s.add({text(p.id), text(m.state), model::to_string(m.role), model::to_string(m.region),
             text(calendar::to_string(m.joined)),
             m.left ? Param(text(calendar::to_string(*m.left))) : Param(nullptr),
             static_cast<std::int64_t>(m.active_on(p_end))});
}

void fill_initiatives(store::Store::Scratch& s, const model::Plan& plan, const calendar::Period& period) {
  const auto& cal = plan.calendar;
  const auto p_end = calendar::end_of(period);
  s.into("e_initiative", 12);
  for (const auto& i : plan.initiatives) {
    double life = static_cast<double>((i.end - i.start).count());
    double elapsed = static_cast<double>((std::min(p_end, i.end) - i.start).count());
    double share = life <= 0 ? 1.0 : std::clamp(elapsed / life, 0.0, 1.0);
    std::optional<std::string> ccy, budget_text;
    if (i.budget) {
      ccy = i.budget->currency;
      budget_text = model::decimal_text(i.budget->amount, i.budget->currency);
    }
    s.add({text(i.id), text(i.title), model::to_string(i.kind), text(calendar::to_string(i.start)),
           text(calendar::to_string(i.end)),
           calendar::sequence(calendar::period_containing(cal.frequency, i.start)),
           calendar::sequence(calendar::period_containing(cal.frequency, i.end)),
           i.budget ? Param(i.budget->amount) : Param(nullptr), opt_text(ccy),
           static_cast<std::int64_t>(i.active_in(period)), share, opt_text(budget_text)});
  }
  auto links = [&](const char* table, auto member) {
    s.into(table, 2);
    for (const auto& i : plan.initiatives)
      for (const auto& x : i.*member) s.add({text(i.id), text(x)});
  };
  links("e_initiative_domain", &model::Initiative::domains);
  links("e_initiative_priority", &model::Initiative::priorities);
  links("e_initiative_process", &model::Initiative::processes);
  links("e_initiative_country", &model::Initiative::countries);
  links("e_reporting", &model::Initiative::reporting);
  s.into("e_indicator", 6);
  for (const auto& i : plan.initiatives)
    for (const auto& ind : i.indicators)
      s.add({text(i.id), text(ind.id), text(ind.title), text(ind.unit),
             model::to_string(ind.aggregation), ind.baseline});
  s.into("e_target", 5);
  for (const auto& i : plan.initiatives)
    for (const auto& ind : i.indicators)
      for (const auto& t : ind.targets)
        s.add({text(i.id), text(ind.id), text(calendar::to_string(t.period)), calendar::sequence(t.period),
               t.value});
  s.into("e_milestone", 4);
  for (const auto& i : plan.initiatives)
    for (const auto& m : i.milestones)
      s.add({text(i.id), text(m.id), text(m.title), text(calendar::to_string(m.due))});
}

// The values of the window's periods, their first receipts, and the milestones achieved.
void fill_records(store::Store::Scratch& s, const model::Plan& plan, const View& view) {
  const auto& w = view.window();
  auto in_window = [&](const calendar::Period& p) {
    return (!w.first || *w.first <= p) && (!w.last || p <= *w.last);
  };
  const auto codes = view.initiatives();
  s.into("e_value", 8);
  for (auto code : codes)
    for (const auto& v : view.of(code).values()) {
      if (!in_window(v.period)) continue;
      s.add({code, text(calendar::to_string(v.period)), v.measure, v.value, number(v.num),
             v.source.upload_id, v.source.line, text(calendar::to_string(v.source.received_on))});
    }
  s.into("e_received", 4);
  for (auto code : codes) {
    auto records = view.of(code);
    std::optional<calendar::Period> last;
    for (const auto& v : records.values()) {
      if (!in_window(v.period) || v.period == last) continue;
      last = v.period;
      if (auto r = records.first_receipt(v.period))
        s.add({code, text(calendar::to_string(v.period)), text(calendar::to_string(r->on)), r->upload_id});
    }
  }
  // Every expected report of the window, in the one definition of its state.
  s.into("e_report", 8);
  if (w.first && w.last)
    for (const auto& i : plan.initiatives) {
      auto records = view.of(i.id);
      for (auto p = *w.first; p <= *w.last; p = calendar::next(p)) {
        auto st = report_status(records, plan, i, p, w.as_of);
        if (!st.expected()) continue;
        std::string missing;
        for (const auto& m : st.missing) missing += (missing.empty() ? "" : ", ") + m;
        s.add({text(i.id), text(calendar::to_string(p)), to_string(st.state), text(calendar::to_string(st.due)),
               st.received ? Param(text(calendar::to_string(st.received->on))) : Param(nullptr),
               st.received ? Param(st.received->upload_id) : Param(nullptr),
               st.completed_on ? Param(text(calendar::to_string(*st.completed_on))) : Param(nullptr),
               missing.empty() ? Param(nullptr) : Param(text(missing))});
      }
    }
  s.into("e_milestone_done", 5);
  for (const auto& i : plan.initiatives) {
    if (i.milestones.empty()) continue;
    auto records = view.of(i.id);
    for (const auto& m : i.milestones)
      if (auto a = records.achieved(m.id))
        s.add({text(i.id), text(m.id), text(calendar::to_string(a->on)), a->source.upload_id,
               a->source.line});
  }
}

// The text of an optional date or period. It is a temporary of the caller's full expression, so
// the Param that views it (opt_text) stays valid until Scratch::add has copied it.
std::optional<std::string> date_text(const std::optional<calendar::Date>& d) {
  return d ? std::optional<std::string>(calendar::to_string(*d)) : std::nullopt;
}
std::optional<std::string> period_text(const std::optional<calendar::Period>& p) {
  return p ? std::optional<std::string>(calendar::to_string(*p)) : std::nullopt;
}
Param nonempty(const std::string& s) { return s.empty() ? Param(nullptr) : text(s); }

void fill_commitments(store::Store::Scratch& s, const model::Plan& plan, const Progress& pr) {
  s.into("e_commitment", 13);
  for (const auto& c : pr.commitments) {
    const auto& m = *c.commitment;
    bool known = !c.progress.empty();
    s.add({text(m.id), text(m.title), model::to_string(m.kind), text(m.document), opt_text(date_text(m.declared_on)),
           opt_text(date_text(m.due)), static_cast<std::int64_t>(m.initiatives.size()), nonempty(c.progress),
           opt_text(period_text(c.progress_period)), known ? Param(c.source.upload_id) : Param(nullptr),
           known ? Param(c.source.line) : Param(nullptr), opt_text(period_text(c.last_reported)),
           c.last_reported ? Param(calendar::sequence(*c.last_reported)) : Param(nullptr)});
  }
  s.into("e_commitment_domain", 2);
  for (const auto& c : plan.commitments)
    for (const auto& d : c.domains) s.add({text(c.id), text(d)});
  s.into("e_commitment_initiative", 2);
  for (const auto& c : plan.commitments)
    for (const auto& i : c.initiatives) s.add({text(c.id), text(i)});
}

void fill_work_plans(store::Store::Scratch& s, const model::Plan& plan, const Progress& pr) {
  s.into("e_process_domain", 2);
  for (const auto& p : plan.processes)
    for (const auto& d : p.domains) s.add({text(p.id), text(d)});
  s.into("e_chair", 4);
  for (const auto& p : plan.processes)
    for (const auto& c : p.chairs) s.add({text(p.id), text(c.state), text(calendar::to_string(c.from)), opt_text(date_text(c.to))});
  s.into("e_work_plan", 6);
  for (const auto& w : plan.work_plans)
    s.add({text(w.id), text(w.process), nonempty(w.chair), nonempty(w.framework), text(calendar::to_string(w.from)),
           opt_text(date_text(w.to))});
  s.into("e_activity", 16);
  for (const auto& a : pr.activities) {
    const auto& m = *a.activity;
    bool known = !a.outcome.empty();
    s.add({text(m.id), text(a.work_plan->id), text(a.work_plan->process), model::to_string(m.kind), text(m.title),
           text(calendar::to_string(m.from)), text(calendar::to_string(m.to)), nonempty(m.host), nonempty(m.lead),
           nonempty(a.outcome), opt_text(date_text(a.held_on)), opt_text(date_text(a.postponed_to)), opt_text(period_text(a.reported_for)),
           known ? Param(a.source.upload_id) : Param(nullptr), known ? Param(a.source.line) : Param(nullptr),
           to_string(a.state)});
  }
  s.into("e_activity_domain", 2);
  for (const auto& w : plan.work_plans)
    for (const auto& a : w.activities)
      for (const auto& d : a.domains) s.add({text(a.id), text(d)});
}

}  // namespace

void create_tables(store::Store& store) {
  store::Store::Scratch s(store);
  s.exec(kSchema);
  s.commit();
}

void materialize(store::Store& store, const model::Plan& plan, const View& view,
                 const calendar::Period& period) {
  store::Store::Scratch s(store);
  s.exec(kSchema);
  fill_calendar(s, plan, view, period);
  fill_structure(s, plan, period);
  fill_initiatives(s, plan, period);
  fill_records(s, plan, view);
  const auto& w = view.window();
  auto pr = progress(store, plan, period, w.as_of, w.known_on);
  fill_commitments(s, plan, pr);
  fill_work_plans(s, plan, pr);
  s.commit();
}

}  // namespace jvap::evaluation
