// Parsing of the commitments and work_plans sections of one plan file: shapes, types and the
// checks that need nothing from other files (date order, one of chairmanship or from/to, activity
// ids unique within a work plan). References are resolved by validate_work.cpp.
#include "model/text.hpp"
#include "plan/raw_plan.hpp"

namespace jvap::plan::detail {

using model::quote;

namespace {

const std::vector<std::string> kCommitmentKinds = model::ids<model::CommitmentKind>();
const std::vector<std::string> kActivityKinds = model::ids<model::ActivityKind>();

LocatedId optional_id(MapReader& r, std::string_view key) {
  auto v = r.id(key, false);
  return v ? LocatedId{*v, r.ctx().loc(r.get(key, false))} : LocatedId{};
}

void parse_declared_in(MapReader& r, RawCommitment& c) {
  auto n = r.get("declared_in", false);
  if (!n.IsDefined()) return;
  MapReader d(r.ctx(), n, "declared_in", {"document", "date"});
  if (!d.ok()) return;
  c.m.document = d.text("document", true).value_or("");
  c.m.declared_on = d.date("date", false);
}

// A planned date, or a window from..to, into [from, to]; false (reported) when neither or both.
bool planned_dates(MapReader& r, model::Activity& a) {
  auto date = r.date("date", false);
  bool window = r.has("from") || r.has("to");
  if (date && window) {
    r.ctx().error(r.get("date", false), "give either 'date' or 'from' and 'to', not both");
    return false;
  }
  if (date) {
    a.from = a.to = *date;
    return true;
  }
  if (!window) {
    if (!r.has("date")) r.ctx().error(r.loc(), "activity " + quote(a.id) + " has no planned 'date' (or 'from' and 'to')");
    return false;
  }
  auto from = r.date("from", true);
  auto to = r.date("to", true);
  if (!from || !to) return false;
  if (*to < *from) {
    r.ctx().error(r.get("to", false), "activity window ends on " + calendar::to_string(*to) +
                                          ", before it starts on " + calendar::to_string(*from));
    return false;
  }
  a.from = *from;
  a.to = *to;
  return true;
}

void parse_activity(FileContext& ctx, const YAML::Node& n, RawWorkPlan& wp) {
  MapReader r(ctx, n, "activity", {"id", "kind", "title", "date", "from", "to", "host", "lead",
                                   "commitments", "domains", "outputs"});
  if (!r.ok()) return;
  RawActivity a;
  a.m.loc = r.loc();
  auto id = r.id("id", true);
  auto kind = r.choice("kind", true, kActivityKinds);
  auto title = r.text("title", true);
  a.m.id = id.value_or("");
  a.dates_ok = planned_dates(r, a.m);
  a.host = optional_id(r, "host");
  a.lead = optional_id(r, "lead");
  a.commitments = r.id_list("commitments", false, false);
  a.domains = r.id_list("domains", false, false);
  a.m.outputs = r.text_list("outputs", false);
  if (!id || !kind || !title) return;
  a.m.kind = *model::parse<model::ActivityKind>(*kind);
  a.m.title = *title;
  for (const auto& other : wp.activities)
    if (other.m.id == a.m.id) {
      ctx.error(a.m.loc, "activity " + quote(a.m.id) + " is listed twice in work plan " + quote(wp.m.id));
      return;
    }
  wp.activities.push_back(std::move(a));
}

// Either the chairmanship (the start date of a chair's term) or a framework's from..to.
void parse_span(MapReader& r, RawWorkPlan& wp) {
  bool chair = r.has("chairmanship");
  bool span = r.has("from") || r.has("to");
  if (chair == span) {
    r.ctx().error(chair ? r.get("from", false) : r.node(),
                  chair ? "give either 'chairmanship' or 'from' and 'to', not both"
                        : "work plan " + quote(wp.m.id) + " needs 'chairmanship' (the start date of the "
                          "chair's term it covers) or 'from' and 'to' (a multiannual framework)");
    return;
  }
  if (chair) {
    wp.chairmanship = r.date("chairmanship", true);
    wp.chairmanship_loc = r.ctx().loc(r.get("chairmanship", false));
    if (r.has("framework"))
      r.ctx().error(r.get("framework", false), "'framework' is for a multiannual work plan with 'from' and 'to'");
    return;
  }
  auto from = r.date("from", true);
  auto to = r.date("to", true);
  wp.m.framework = r.text("framework", true).value_or("");
  wp.span_loc = r.ctx().loc(r.get("from", false));
  if (!from || !to) return;
  if (*to < *from) {
    r.ctx().error(r.get("to", false), "work plan ends on " + calendar::to_string(*to) +
                                          ", before it starts on " + calendar::to_string(*from));
    return;
  }
  wp.span_given = true;
  wp.m.from = *from;
  wp.m.to = *to;
}

}  // namespace

void parse_commitment(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "commitment", {"id", "title", "kind", "declared_in", "made_by", "domains",
                                     "priorities", "due", "outputs", "reporting", "confirmed",
                                     "source"});
  if (!r.ok()) return;
  RawCommitment c;
  c.m.loc = r.loc();
  auto id = r.id("id", true);
  auto title = r.text("title", true);
  auto kind = r.choice("kind", true, kCommitmentKinds);
  parse_declared_in(r, c);
  c.made_by = r.id_list("made_by", true, true);
  c.domains = r.id_list("domains", true, true);
  c.priorities = r.id_list("priorities", false, false);
  c.m.due = r.date("due", false);
  if (c.m.due) c.due_loc = ctx.loc(r.get("due", false));
  c.m.outputs = r.text_list("outputs", false);
  c.reporting = r.id_list("reporting", false, true);
  c.m.provenance = r.provenance();
  if (c.m.due && c.m.declared_on && *c.m.due < *c.m.declared_on)
    ctx.error(c.due_loc, "commitment " + quote(id.value_or("")) + " is due on " + calendar::to_string(*c.m.due) +
                             ", before it was declared on " + calendar::to_string(*c.m.declared_on));
  if (!id) return;
  c.m.id = *id;
  c.m.title = title.value_or("");
  if (kind) c.m.kind = *model::parse<model::CommitmentKind>(*kind);
  raw.commitments.push_back(std::move(c));
}

void parse_work_plan(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "work plan", {"id", "process", "title", "chairmanship", "from", "to",
                                    "framework", "reporting", "activities", "confirmed", "source"});
  if (!r.ok()) return;
  RawWorkPlan wp;
  wp.m.loc = r.loc();
  auto id = r.id("id", true);
  wp.m.id = id.value_or("");
  if (auto p = r.id("process", true)) wp.process = {*p, ctx.loc(r.get("process", false))};
  wp.m.title = r.text("title", false).value_or("");
  parse_span(r, wp);
  wp.reporting = r.id_list("reporting", false, true);
  wp.m.provenance = r.provenance();
  if (auto list = r.list("activities", true))
    for (const auto& a : *list) parse_activity(ctx, a, wp);
  if (!id) return;
  wp.m.process = wp.process.value;
  raw.work_plans.push_back(std::move(wp));
}

}  // namespace jvap::plan::detail
