// Commitments and work-plan activities as known on a date: their latest reported progress and
// outcomes, read through the evaluation view (so the same versions count as everywhere else).
#include <algorithm>

#include "evaluation/view.hpp"

namespace jvap::evaluation {

namespace {

// The value of `measure` from the latest period that has it (values are sorted by period).
const Value* latest(const Records& r, std::string_view measure) {
  const Value* out = nullptr;
  for (const auto& v : r.values())
    if (v.measure == measure) out = &v;
  return out;
}

std::optional<calendar::Date> latest_date(const Records& r, std::string_view measure) {
  const auto* v = latest(r, measure);
  return v ? calendar::parse_date(v->value) : std::nullopt;
}

CommitmentProgress commitment_progress(const Records& r, const model::Commitment& c, calendar::Date as_of) {
  CommitmentProgress out;
  out.commitment = &c;
  if (const auto* v = latest(r, "progress")) {
    out.progress = std::string(v->value);
    out.progress_period = v->period;
    out.source = v->source;
  }
  if (const auto* v = latest(r, "narrative")) out.narrative = std::string(v->value);
  if (!r.values().empty()) out.last_reported = r.values().back().period;
  out.overdue = c.due && *c.due < as_of && out.progress != "fulfilled" && out.progress != "dropped";
  return out;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    auto comma = s.find(", ");
    out.emplace_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 2);
  }
  return out;
}

// Outputs: the latest value of each output.<key>, "title | reference".
std::vector<Output> outputs(const Records& r) {
  std::vector<Output> out;
  for (const auto& v : r.values()) {
    if (v.measure.rfind("output.", 0) != 0) continue;
    std::string key(v.measure.substr(7));
    auto bar = v.value.rfind(" | ");
    Output o{key, std::string(v.value.substr(0, bar)),
             bar == std::string_view::npos ? "" : std::string(v.value.substr(bar + 3))};
    auto it = std::find_if(out.begin(), out.end(), [&](const Output& x) { return x.key == key; });
    if (it == out.end()) out.push_back(std::move(o));
    else *it = std::move(o);  // a later period's value
  }
  std::sort(out.begin(), out.end(), [](const Output& a, const Output& b) { return a.key < b.key; });
  return out;
}

ActivityState state_of(const ActivityProgress& p, calendar::Date as_of) {
  if (p.outcome == "held") return ActivityState::held;
  if (p.outcome == "cancelled") return ActivityState::cancelled;
  if (p.outcome == "postponed")
    return p.postponed_to && *p.postponed_to < as_of ? ActivityState::not_held : ActivityState::postponed;
  return p.activity->to < as_of ? ActivityState::not_held : ActivityState::planned;
}

ActivityProgress activity_progress(const Records& r, const model::WorkPlan& w, const model::Activity& a,
                                   calendar::Date as_of) {
  ActivityProgress out;
  out.work_plan = &w;
  out.activity = &a;
  if (const auto* v = latest(r, "outcome")) {
    out.outcome = std::string(v->value);
    out.reported_for = v->period;
    out.source = v->source;
  }
  out.held_on = latest_date(r, "held_on");
  out.postponed_to = latest_date(r, "postponed_to");
  if (const auto* v = latest(r, "participants")) out.participants = split_list(v->value);
  out.outputs = outputs(r);
  out.state = state_of(out, as_of);
  return out;
}

}  // namespace

std::string_view to_string(ActivityState s) {
  switch (s) {
    case ActivityState::planned: return "planned";
    case ActivityState::held: return "held";
    case ActivityState::postponed: return "postponed";
    case ActivityState::cancelled: return "cancelled";
    case ActivityState::not_held: return "not_held";
  }
  return "planned";
}

Progress progress(const store::Store& store, const model::Plan& plan, const calendar::Period& last,
                  calendar::Date as_of, calendar::Date known_on) {
  Options options;
  for (const auto& c : plan.commitments) options.subjects.push_back(c.id);
  for (const auto& w : plan.work_plans)
    for (const auto& a : w.activities) options.subjects.push_back(a.id);
  Progress out;
  if (options.subjects.empty()) return out;
  View view(store, Window{std::nullopt, last, as_of, known_on}, options);
  for (const auto& c : plan.commitments) out.commitments.push_back(commitment_progress(view.of(c.id), c, as_of));
  for (const auto& w : plan.work_plans)
    for (const auto& a : w.activities) out.activities.push_back(activity_progress(view.of(a.id), w, a, as_of));
  return out;
}

}  // namespace jvap::evaluation
