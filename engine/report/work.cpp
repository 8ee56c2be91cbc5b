// The commitments section of the joint, process and domain reports, and the work-plan report for
// a process's Chair and Steering Committee: activities planned, held, postponed and not held,
// participation by member state, outputs and findings. Both read evaluation::progress, the one
// reading of commitment progress and activity outcomes the rules use too.
#include <algorithm>
#include <map>
#include <set>

#include "model/codes.hpp"
#include "model/text.hpp"
#include "report/facts.hpp"

namespace jvap::report::detail {

namespace {

using evaluation::ActivityState;

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// "in_progress" as readers see it: "in progress".
std::string label(std::string id) {
  std::replace(id.begin(), id.end(), '_', ' ');
  return id;
}

std::string date_text(const std::optional<calendar::Date>& d) { return d ? calendar::to_string(*d) : ""; }

// The progress columns, in the order every commitment table shows them.
struct ProgressName {
  const char* key;
  const char* label;
};
constexpr std::array<ProgressName, 5> kProgress{{{"fulfilled", "Fulfilled"},
                                                 {"in_progress", "In progress"},
                                                 {"not_started", "Not started"},
                                                 {"dropped", "Dropped"},
                                                 {"not_reported", "Not reported"}}};

struct CommitmentTally {
  std::int64_t total = 0, overdue = 0, implemented = 0;
  std::map<std::string, std::int64_t> by_progress;
  void add(const evaluation::CommitmentProgress& c) {
    ++total;
    by_progress[c.progress.empty() ? "not_reported" : c.progress]++;
    overdue += c.overdue ? 1 : 0;
    implemented += c.commitment->initiatives.empty() ? 0 : 1;
  }
  std::vector<Cell> cells(std::vector<Cell> head) const {
    head.push_back(total);
    for (const auto& p : kProgress) head.push_back(by_progress.count(p.key) ? by_progress.at(p.key) : 0);
    head.push_back(overdue);
    head.push_back(implemented);
    return head;
  }
};

std::vector<Column> tally_columns(std::vector<Column> head) {
  head.push_back(col("commitments", "Commitments", Type::integer));
  for (const auto& p : kProgress) head.push_back(col(p.key, p.label, Type::integer));
  head.push_back(col("overdue", "Overdue", Type::integer));
  head.push_back(col("with_initiatives", "With an initiative", Type::integer));
  return head;
}

std::string source_of(const model::Commitment& c) {
  std::string s = c.document.empty() ? "(no source document given)" : c.document;
  if (c.declared_on) s += ", " + calendar::to_string(*c.declared_on);
  return s;
}

std::string state_label(ActivityState s) {
  switch (s) {
    case ActivityState::planned: return "still to come";
    case ActivityState::held: return "held";
    case ActivityState::postponed: return "postponed";
    case ActivityState::cancelled: return "cancelled";
    case ActivityState::not_held: return "not held by its date";
  }
  return "";
}

std::string planned_text(const model::Activity& a) {
  return a.from == a.to ? calendar::to_string(a.from)
                        : calendar::to_string(a.from) + " to " + calendar::to_string(a.to);
}

}  // namespace

bool Facts::commitment_in_scope(const model::Commitment& c) const {
  switch (req.kind) {
    case Kind::joint: return true;
    case Kind::domain: return contains(c.domains, req.domain);
    case Kind::process: {
      const auto* p = plan.process(req.process);
      for (const auto& m : c.made_by)
        if (m == req.process || p->member(m)) return true;
      return std::any_of(c.initiatives.begin(), c.initiatives.end(), [&](const std::string& id) {
        const auto* x = find(id);
        return x && x->in_scope;
      });
    }
    case Kind::partner:
    case Kind::work_plan: return false;
  }
  return false;
}

std::vector<const rules::Finding*> Facts::findings_about(
    const std::function<bool(const std::string&)>& subject) const {
  std::vector<const rules::Finding*> out;
  for (const auto* f : current_in_scope_)
    if (subject(split(subject_of(*f), '/')[0])) out.push_back(f);
  return out;
}

Section Facts::commitments() const {
  Section s{"commitments", "Commitments", "", {}, {}};
  std::vector<const evaluation::CommitmentProgress*> list;
  for (const auto& c : progress_.commitments)
    if (commitment_in_scope(*c.commitment)) list.push_back(&c);
  const std::string basis = "Progress as last reported for " + period_id_ + " or earlier, as known on " +
                            calendar::to_string(req.known_on) + ". Overdue: past its due date on " +
                            calendar::to_string(req.as_of) + " and not fulfilled or dropped.";
  if (list.empty()) {
    Table none{"commitments.by_domain", "Commitments by domain and progress",
               "The plan lists no commitment in this report's scope (commitments: docs/plan-format.md).", {}, {}};
    none.columns = tally_columns({col("domain", "Domain", Type::code), col("title", "Title")});
    s.tables.push_back(std::move(none));
    return s;
  }
  Table by_domain{"commitments.by_domain", "Commitments by domain and progress",
                  basis + " A commitment under several domains counts in each.", {}, {}};
  by_domain.columns = tally_columns({col("domain", "Domain", Type::code), col("title", "Title")});
  for (const auto* d : domains) {
    CommitmentTally t;
    for (const auto* c : list)
      if (contains(c->commitment->domains, d->id)) t.add(*c);
    by_domain.rows.push_back(t.cells({d->id, d->title}));
  }
  Table by_source{"commitments.by_source", "Commitments by source", basis, {}, {}};
  by_source.columns = tally_columns({col("source", "Source"), col("kind", "Kind")});
  std::map<std::pair<std::string, std::string>, CommitmentTally> sources;
  for (const auto* c : list)
    sources[{source_of(*c->commitment), std::string(model::label(c->commitment->kind))}].add(*c);
  for (const auto& [key, t] : sources) by_source.rows.push_back(t.cells({key.first, key.second}));
  s.tables.push_back(std::move(by_domain));
  s.tables.push_back(std::move(by_source));

  Table all{"commitments.list", "Every commitment", "Unconfirmed: not confirmed by a primary source (see the plan).", {}, {}};
  all.columns = {col("commitment", "Commitment", Type::code), col("title", "Title"), col("kind", "Kind"),
                 col("made_by", "Made by"), col("domains", "Domains"), col("due", "Due", Type::date),
                 col("progress", "Progress"), col("reported_for", "Reported for", Type::code),
                 col("overdue", "Overdue"), col("initiatives", "Initiatives implementing it"),
                 col("confirmed", "Confirmed"), col("narrative", "Latest narrative")};
  for (const auto* c : list) {
    const auto& m = *c->commitment;
    all.rows.push_back(cells(m.id, m.title, std::string(model::label(m.kind)), join(m.made_by), join(m.domains),
                             date_text(m.due), c->progress.empty() ? std::string("not reported") : label(c->progress),
                             c->progress_period ? Cell(calendar::to_string(*c->progress_period)) : Cell{},
                             std::string(c->overdue ? "yes" : "no"),
                             m.initiatives.empty() ? std::string("none") : join(m.initiatives),
                             std::string(m.provenance.confirmed ? "yes" : "no"), c->narrative));
  }
  s.tables.push_back(std::move(all));
  s.tables.push_back(findings_table(*this, "commitments.findings",
                                    findings_about([&](const std::string& id) { return plan.commitment(id) != nullptr; }),
                                    false));
  s.tables.back().title = "Findings about commitments";
  s.charts.push_back({"commitments.chart", "Commitments per domain by progress", ChartKind::stacked,
                      "commitments.by_domain", "domain",
                      {"fulfilled", "in_progress", "not_started", "dropped", "not_reported"}, "", ""});
  return s;
}

// ---- the work-plan report ----

std::vector<const evaluation::ActivityProgress*> Facts::activities() const {
  std::vector<const evaluation::ActivityProgress*> out;
  for (const auto& a : progress_.activities)
    if (a.work_plan == work_plan_) out.push_back(&a);
  return out;
}

Cover Facts::work_plan_cover(Cover c) const {
  const auto& w = *work_plan_;
  const auto* p = plan.process(w.process);
  c.title = "Work plan report: " + p->name;
  const std::string span = calendar::to_string(w.from) + " to " + (w.to ? calendar::to_string(*w.to) : "open");
  c.scope = "Work plan " + w.id + (w.title.empty() ? "" : " (" + w.title + ")") + ", " +
            (w.chair.empty() ? w.framework : "chairmanship of " + std::string(model::country_name(w.chair).value_or(w.chair))) +
            ", " + span;
  auto name = [&](const std::string& id) {
    if (const auto* o = plan.organisation(id)) return o->name + " (" + id + ")";
    if (auto n = model::country_name(id)) return std::string(*n) + " (" + id + ")";
    return id;
  };
  std::string chair;
  for (const auto& ch : p->chairs)
    if (ch.from <= w.from && (!ch.to || w.from <= *ch.to)) chair = ch.state;
  c.chair = chair.empty() ? "none in the plan for " + calendar::to_string(w.from) : name(chair) + (w.chair.empty() ? " (at the start of the work plan)" : ", " + span);
  if (p->steering) {
    std::vector<std::string> members;
    for (const auto& m : p->steering->members) members.push_back(name(m));
    c.steering_committee = "as of " + std::to_string(p->steering->as_of) + ": " + join(members) +
                           (p->steering->note.empty() ? "" : ". " + p->steering->note);
  } else {
    c.steering_committee = "not given in the plan";
  }
  return c;
}

std::vector<Highlight> Facts::work_plan_highlights() const {
  std::map<ActivityState, std::int64_t> n;
  std::int64_t outputs = 0;
  std::set<std::string> states;
  const auto* p = plan.process(work_plan_->process);
  auto list = activities();
  for (const auto* a : list) {
    n[a->state]++;
    outputs += static_cast<std::int64_t>(a->outputs.size());
    for (const auto& x : a->participants)
      if (p->member(x)) states.insert(x);
  }
  const std::int64_t due = n[ActivityState::held] + n[ActivityState::not_held] + n[ActivityState::cancelled];
  return {{"activities", "Activities in the work plan", static_cast<std::int64_t>(list.size()), Type::integer,
           std::to_string(n[ActivityState::planned]) + " still to come"},
          {"held", "Held", pct(n[ActivityState::held], due), Type::percent,
           std::to_string(n[ActivityState::held]) + " of the " + std::to_string(due) +
               " activities whose date has passed (held, cancelled or not held)"},
          {"not_held", "Not held by their date", n[ActivityState::not_held], Type::integer,
           std::to_string(n[ActivityState::postponed]) + " more postponed to a later date"},
          {"outputs", "Outputs reported", outputs, Type::integer, "documents from the activities"},
          {"states", "Member states taking part", static_cast<std::int64_t>(states.size()), Type::integer,
           "in the activities with participants reported"}};
}

Section Facts::work_plan() const {
  const auto& w = *work_plan_;
  Section s{"work_plan", "Work plan " + w.id, "", {}, {}};
  auto list = activities();
  const std::string basis = "Outcomes as last reported for " + period_id_ + " or earlier, as known on " +
                            calendar::to_string(req.known_on) + "; dates judged on " + calendar::to_string(req.as_of) + ".";
  Table attention{"work_plan.attention", "Needs attention", basis + " Not held: the date (or the date it was postponed to) has passed with no outcome reported.", {}, {}};
  attention.columns = {col("activity", "Activity", Type::code), col("title", "Title"), col("planned", "Planned"),
                       col("state", "State"), col("postponed_to", "Postponed to", Type::date)};
  for (const auto* a : list)
    if (a->state == ActivityState::not_held || a->state == ActivityState::postponed)
      attention.rows.push_back(cells(a->activity->id, a->activity->title, planned_text(*a->activity),
                                     state_label(a->state), date_text(a->postponed_to)));
  Table by_kind{"work_plan.by_kind", "Activities by kind and outcome", basis, {}, {}};
  by_kind.columns = {col("kind", "Kind"), col("planned", "In the work plan", Type::integer),
                     col("held", "Held", Type::integer), col("postponed", "Postponed", Type::integer),
                     col("cancelled", "Cancelled", Type::integer), col("not_held", "Not held by its date", Type::integer),
                     col("to_come", "Still to come", Type::integer)};
  std::map<ActivityState, std::int64_t> total;
  for (const auto& k : model::names<model::ActivityKind>()) {
    std::map<ActivityState, std::int64_t> n;
    std::int64_t all = 0;
    for (const auto* a : list)
      if (a->activity->kind == k.value) {
        ++all;
        n[a->state]++;
        total[a->state]++;
      }
    if (all == 0) continue;
    by_kind.rows.push_back(cells(std::string(k.label), all, n[ActivityState::held], n[ActivityState::postponed],
                                 n[ActivityState::cancelled], n[ActivityState::not_held], n[ActivityState::planned]));
  }
  by_kind.rows.push_back(cells(std::string("All activities"), static_cast<std::int64_t>(list.size()),
                               total[ActivityState::held], total[ActivityState::postponed],
                               total[ActivityState::cancelled], total[ActivityState::not_held],
                               total[ActivityState::planned]));
  Table all{"work_plan.activities", "Every activity", "", {}, {}};
  all.columns = {col("activity", "Activity", Type::code), col("kind", "Kind"), col("title", "Title"),
                 col("planned", "Planned"), col("host", "Host", Type::code), col("lead", "Lead", Type::code),
                 col("domains", "Domains"), col("commitments", "Commitments"), col("state", "State"),
                 col("held_on", "Held on", Type::date), col("participants", "Participants", Type::integer),
                 col("outputs", "Outputs", Type::integer)};
  for (const auto* a : list) {
    const auto& m = *a->activity;
    all.rows.push_back(cells(m.id, std::string(model::label(m.kind)), m.title, planned_text(m), m.host, m.lead,
                             join(m.domains), join(m.commitments), state_label(a->state), date_text(a->held_on),
                             static_cast<std::int64_t>(a->participants.size()),
                             static_cast<std::int64_t>(a->outputs.size())));
  }
  s.tables.push_back(std::move(attention));
  s.tables.push_back(std::move(by_kind));
  s.tables.push_back(findings_table(*this, "work_plan.findings", current_in_scope_, true));
  s.tables.back().title = "Findings";
  s.tables.push_back(std::move(all));
  return s;
}

Section Facts::participation() const {
  Section s{"participation", "Participation", "", {}, {}};
  const auto* p = plan.process(work_plan_->process);
  auto list = activities();
  std::int64_t with = 0;
  std::map<std::string, std::int64_t> attended;
  for (const auto* a : list) {
    if (a->state != ActivityState::held || a->participants.empty()) continue;
    ++with;
    for (const auto& x : a->participants) attended[x]++;
  }
  const std::string note = "Share of the " + model::count_label(with, "held activity", "held activities") +
                           " with participants reported.";
  Table states{"participation.by_state", "Participation by member state", note, {}, {}};
  states.columns = {col("state", "State", Type::code), col("name", "Name"), col("region", "Region"),
                    col("activities", "Activities attended", Type::integer),
                    col("share_pct", "Share attended %", Type::percent)};
  // Members on the as-of date, or on the work plan's last (or first) day when outside it.
  const auto day = std::clamp(req.as_of, work_plan_->from, work_plan_->to.value_or(std::max(req.as_of, work_plan_->from)));
  for (const auto& m : p->members) {
    if (!m.active_on(day)) continue;
    std::int64_t n = attended.count(m.state) ? attended[m.state] : 0;
    states.rows.push_back(cells(m.state, std::string(model::country_name(m.state).value_or("")),
                                std::string(model::label(m.region)), n, pct(n, with)));
  }
  std::sort(states.rows.begin(), states.rows.end(), [](const auto& a, const auto& b) {
    return std::make_pair(-std::get<std::int64_t>(a[3]), std::get<std::string>(a[0])) <
           std::make_pair(-std::get<std::int64_t>(b[3]), std::get<std::string>(b[0]));
  });
  Table orgs{"participation.by_organisation", "Participation by organisation", note, {}, {}};
  orgs.columns = {col("organisation", "Organisation", Type::code), col("name", "Name"),
                  col("activities", "Activities attended", Type::integer),
                  col("share_pct", "Share attended %", Type::percent)};
  for (const auto& [id, n] : attended)
    if (const auto* o = plan.organisation(id)) orgs.rows.push_back(cells(id, o->name, n, pct(n, with)));
  s.tables.push_back(std::move(states));
  s.tables.push_back(std::move(orgs));
  return s;
}

Section Facts::outputs() const {
  Section s{"outputs", "Outputs", "", {}, {}};
  Table reported{"outputs.reported", "Outputs reported", "Each output as its title and where to find it.", {}, {}};
  reported.columns = {col("activity", "Activity", Type::code), col("output", "Output", Type::code),
                      col("title", "Title"), col("reference", "Reference")};
  Table expected{"outputs.expected", "Expected outputs", "As the work plan lists them, beside the number reported.", {}, {}};
  expected.columns = {col("activity", "Activity", Type::code), col("expected", "Expected outputs"),
                      col("reported", "Reported", Type::integer)};
  for (const auto* a : activities()) {
    for (const auto& o : a->outputs) reported.rows.push_back(cells(a->activity->id, o.key, o.title, o.reference));
    if (!a->activity->outputs.empty() || !a->outputs.empty())
      expected.rows.push_back(cells(a->activity->id, join(a->activity->outputs, "; "),
                                    static_cast<std::int64_t>(a->outputs.size())));
  }
  s.tables.push_back(std::move(expected));
  s.tables.push_back(std::move(reported));
  return s;
}

}  // namespace jvap::report::detail
