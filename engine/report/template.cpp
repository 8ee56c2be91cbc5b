// The upload template: the rows an organisation still owes for a period, with the context a
// focal point needs to fill them in (docs/records-format.md, "Templates"). `jvap template` writes
// it, and a partner pack's owed file is the same text.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "model/money.hpp"
#include "model/text.hpp"
#include "report/report.hpp"

namespace jvap::report {

namespace {

struct Row {
  std::string measure, title, unit, previous, target, milestone_due;
  bool required = false;
};

std::string number_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// The rows a full report of `ini` for `p` carries that have not been reported: the required
// measures first (evaluation::required_measures), then the stage of a policy and any other
// indicator; milestones due by the period's end and not yet achieved.
std::vector<Row> unreported(const evaluation::Records& rec, const model::Initiative& ini,
                            const calendar::Period& p, const std::optional<calendar::Period>& prev) {
  auto required = evaluation::required_measures(ini, p);
  auto is_required = [&](const std::string& m) {
    return std::find(required.begin(), required.end(), m) != required.end();
  };
  auto previous = [&](const std::string& m) -> std::string {
    if (!prev) return "";
    const auto* v = rec.value(*prev, m);
    return v ? std::string(v->value) : "";
  };
  std::vector<Row> out;
  auto add = [&](Row r) {
    if (rec.value(p, r.measure)) return;
    r.required = is_required(r.measure);
    r.previous = previous(r.measure);
    out.push_back(std::move(r));
  };
  add({"status", "Status: planned, ongoing, completed, suspended or cancelled", "", "", "", ""});
  if (ini.budget)
    add({"disbursed", "Amount disbursed so far (cumulative)", ini.budget->currency, "", "", ""});
  if (ini.kind == model::InitiativeKind::policy)
    add({"stage", "Stage: drafted, adopted, in_force or implemented", "", "", "", ""});
  for (const auto& ind : ini.indicators) {
    Row r{"indicator." + ind.id, ind.title, ind.unit, "", "", ""};
    for (const auto& t : ind.targets)
      if (t.period == p) r.target = number_text(t.value);
    add(std::move(r));
  }
  const auto end = calendar::end_of(p);
  for (const auto& m : ini.milestones)
    if (m.due <= end && !rec.achieved(m.id)) {
      Row r{"milestone." + m.id, m.title + ": the date it was achieved (YYYY-MM-DD); blank if not yet", "", "", "",
            calendar::to_string(m.due)};
      r.required = is_required(r.measure);
      out.push_back(std::move(r));
    }
  std::stable_partition(out.begin(), out.end(), [](const Row& r) { return r.required; });
  return out;
}

using Rows = std::vector<TemplateRow>;

void line(Rows& out, const std::string& subject, const std::string& period, const std::string& title, const Row& r) {
  out.push_back({subject, period, r.measure, title, r.title, r.unit, r.required, r.previous, r.target, r.milestone_due});
}

bool reports(const std::vector<std::string>& reporting, const std::string& org) {
  return std::find(reporting.begin(), reporting.end(), org) != reporting.end();
}

// Commitments `org` reports on, neither fulfilled nor dropped, with no progress for `p` yet; and
// activities of its work plans planned by the end of `p` with no outcome yet (or postponed to a
// date by then). None of these rows is required for an initiative's report to be complete.
void work_rows(Rows& out, const evaluation::Progress& pr, const calendar::Period& p, const std::string& org) {
  const auto period = calendar::to_string(p);
  const auto end = calendar::end_of(p);
  for (const auto& c : pr.commitments) {
    const auto& m = *c.commitment;
    if (!reports(m.reporting, org) || c.progress == "fulfilled" || c.progress == "dropped") continue;
    if ((m.declared_on && *m.declared_on > end) || c.progress_period == p) continue;
    line(out, m.id, period, m.title,
                {"progress", "Progress: not_started, in_progress, fulfilled or dropped", "", c.progress, "",
                 m.due ? calendar::to_string(*m.due) : ""});
  }
  for (const auto& a : pr.activities) {
    const auto& m = *a.activity;
    bool open = a.outcome.empty() || (a.outcome == "postponed" && a.postponed_to && *a.postponed_to <= end);
    if (!reports(a.work_plan->reporting, org) || m.from > end || !open) continue;
    const std::string planned = calendar::to_string(m.to);
    line(out, m.id, period, m.title,
                {"outcome", "Outcome: held, postponed or cancelled (planned by " + planned + ")", "", a.outcome, "", planned});
    line(out, m.id, period, m.title, {"held_on", "The date it was held (YYYY-MM-DD)", "", "", "", planned});
    line(out, m.id, period, m.title,
                {"participants", "Member states and organisations taking part, such as 'ET, SD, IOM'", "", "", "", ""});
  }
}

}  // namespace

const char* const kTemplateHeader =
    "initiative,period,measure,value,comment,initiative_title,measure_title,unit,required,"
    "previous_value,target,milestone_due,note\n";

std::vector<TemplateRow> template_rows(const evaluation::View& view, const evaluation::Progress& progress,
                                       const model::Plan& plan, const calendar::Period& p, const std::string& org) {
  Rows out;
  const auto period = calendar::to_string(p);
  std::optional<calendar::Period> prev;
  if (p > plan.calendar.first) prev = calendar::previous(p);
  for (const auto& ini : plan.initiatives) {
    if (std::find(ini.reporting.begin(), ini.reporting.end(), org) == ini.reporting.end()) continue;
    if (!evaluation::report_expected(plan, ini, p)) continue;
    auto rec = view.of(ini.id);
    for (const auto& r : unreported(rec, ini, p, prev)) line(out, ini.id, period, ini.title, r);
  }
  work_rows(out, progress, p, org);
  return out;
}

std::string template_csv(const evaluation::View& view, const evaluation::Progress& progress,
                         const model::Plan& plan, const calendar::Period& p, const std::string& org) {
  using model::csv_field;
  std::string out = kTemplateHeader;
  for (const auto& r : template_rows(view, progress, plan, p, org))
    out += csv_field(r.subject) + "," + r.period + "," + csv_field(r.measure) + ",,," + csv_field(r.subject_title) +
           "," + csv_field(r.measure_title) + "," + csv_field(r.unit) + "," + (r.required ? "yes" : "no") + "," +
           csv_field(r.previous) + "," + csv_field(r.target) + "," + r.due + ",\n";
  return out;
}

}  // namespace jvap::report
