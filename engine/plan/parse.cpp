// Parsing of one plan file into the raw plan: shapes, types and the checks that need nothing
// from other files (date order, budgets, currencies, ids unique within an initiative).
#include <map>
#include <set>

#include "model/codes.hpp"
#include "model/money.hpp"
#include "model/text.hpp"
#include "plan/raw_plan.hpp"

namespace jvap::plan::detail {

using namespace jvap::yaml;

using model::quote;

namespace {

const std::vector<std::string> kRoles = model::ids<model::Role>();
const std::vector<std::string> kRegions = model::ids<model::Region>();
const std::vector<std::string> kGroups = model::ids<model::FunderGroup>();
const std::vector<std::string> kKinds = model::ids<model::InitiativeKind>();
const std::vector<std::string> kAggregations = model::ids<model::Aggregation>();
const std::vector<std::string> kFrequencies{"monthly", "quarterly", "semiannual", "annual"};
const std::vector<std::string> kDomainIds{"D1", "D2", "D3", "D4", "D5"};

// A state code: must be an ISO 3166-1 alpha-2 code.
std::optional<std::string> state_code(MapReader& r, std::string_view key) {
  auto n = r.get(key, true);
  if (!n.IsDefined()) return std::nullopt;
  auto s = scalar(r.ctx(), n, "a country code");
  if (!s) return std::nullopt;
  if (!model::country_name(*s)) {
    r.ctx().error(n, "unknown country code " + quote(*s) +
                         ": expected an ISO 3166-1 alpha-2 code such as 'ET' or 'DE'");
    return std::nullopt;
  }
  return s;
}

// Calls `each` for every item of the list under `key`.
template <typename F>
void for_items(MapReader& r, std::string_view key, bool required, F each) {
  if (auto list = r.list(key, required))
    for (const auto& item : *list) each(item);
}

void parse_priority(FileContext& ctx, const YAML::Node& n, model::Domain& d, RawPlan& raw) {
  MapReader r(ctx, n, "priority", {"id", "title", "official", "confirmed", "source"});
  if (!r.ok()) return;
  model::Priority p;
  p.domain = d.id;
  p.loc = r.loc();
  auto id = r.id("id", true);
  auto title = r.text("title", true);
  p.official = r.boolean("official", false).value_or(false);
  p.provenance = r.provenance();
  if (!id || !title) {
    raw.broken.insert("priority:" + id.value_or(""));
    return;
  }
  p.id = *id;
  p.title = *title;
  d.priorities.push_back(std::move(p));
}

void parse_domain(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "domain", {"id", "title", "priorities", "priority_initiatives"});
  if (r.has("priority_initiatives"))
    ctx.error(r.get("priority_initiatives", false),
              "priority initiatives are commitments now: list them under 'commitments' with "
              "kind: priority_initiative (docs/plan-format.md)");
  if (!r.ok()) return;
  model::Domain d;
  d.loc = r.loc();
  auto id = r.choice("id", true, kDomainIds);
  auto title = r.text("title", true);
  d.id = id.value_or("");
  for_items(r, "priorities", false, [&](const YAML::Node& p) { parse_priority(ctx, p, d, raw); });
  if (!id || !title) {
    raw.broken.insert("domain:" + id.value_or(""));
    return;
  }
  d.title = *title;
  raw.domains.push_back(std::move(d));
}

void parse_member(FileContext& ctx, const YAML::Node& n, RawProcess& p,
                  std::map<std::string, model::SourceLoc>& seen) {
  MapReader r(ctx, n, "member", {"state", "role", "region", "joined", "left", "confirmed", "source"});
  if (!r.ok()) return;
  RawMember m;
  m.m.loc = r.loc();
  auto state = state_code(r, "state");
  auto role = r.choice("role", false, kRoles);
  auto region = r.choice("region", true, kRegions);
  auto joined = r.date("joined", false);
  auto left = r.date("left", false);
  m.m.provenance = r.provenance();
  if (!state || !region) {
    if (state) p.broken_states.insert(*state);
    return;
  }
  auto [pos, fresh] = seen.emplace(*state, m.m.loc);
  if (!fresh) {
    ctx.error(m.m.loc, "state " + quote(*state) + " is listed twice in process " +
                           quote(p.m.id) + " (first at line " + std::to_string(pos->second.line) +
                           ")");
    return;
  }
  m.m.state = *state;
  m.m.role = role ? *model::parse<model::Role>(*role) : model::Role::member;
  m.m.region = *model::parse<model::Region>(*region);
  m.has_joined = joined.has_value();
  if (joined) m.m.joined = *joined;
  else if (p.founded_ok) m.m.joined = p.m.founded;
  m.m.left = left;
  if (left && (joined || p.founded_ok) && *left < m.m.joined) {
    ctx.error(r.get("left", false), "member " + quote(*state) + " left on " +
                                        calendar::to_string(*left) + ", before joining on " +
                                        calendar::to_string(m.m.joined));
    return;
  }
  p.members.push_back(std::move(m));
}

void parse_chair(FileContext& ctx, const YAML::Node& n, RawProcess& p) {
  MapReader r(ctx, n, "chair", {"state", "from", "to", "confirmed", "source"});
  if (!r.ok()) return;
  model::Chair c;
  c.loc = r.loc();
  auto state = state_code(r, "state");
  auto from = r.date("from", true);
  c.to = r.date("to", false);
  c.provenance = r.provenance();
  if (!state || !from) return;
  c.state = *state;
  c.from = *from;
  if (c.to && *c.to < c.from) {
    ctx.error(r.get("to", false), "chair term ends on " + calendar::to_string(*c.to) +
                                      ", before it starts on " + calendar::to_string(c.from));
    return;
  }
  p.m.chairs.push_back(std::move(c));
}

void check_chair_overlaps(FileContext& ctx, const model::Process& p) {
  std::vector<const model::Chair*> chairs;
  for (const auto& c : p.chairs) chairs.push_back(&c);
  std::sort(chairs.begin(), chairs.end(), [](auto* a, auto* b) { return a->from < b->from; });
  for (std::size_t i = 1; i < chairs.size(); ++i) {
    const auto* prev = chairs[i - 1];
    if (!prev->to || chairs[i]->from <= *prev->to)
      ctx.error(chairs[i]->loc, "chair term of " + quote(chairs[i]->state) + " from " +
                                    calendar::to_string(chairs[i]->from) +
                                    " overlaps the term of " + quote(prev->state) +
                                    " (line " + std::to_string(prev->loc.line) + ")");
  }
}

void parse_process(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "process", {"id", "name", "founded", "source", "members", "chairs",
                                  "steering_committee", "secretariat", "domains", "confirmed"});
  if (!r.ok()) return;
  RawProcess p;
  p.m.loc = r.loc();
  auto id = r.id("id", true);
  auto name = r.text("name", true);
  auto founded = r.date("founded", true);
  p.m.source = r.text("source", false).value_or("");
  if (auto c = r.boolean("confirmed", false)) p.m.provenance.confirmed = *c;
  p.m.id = id.value_or("");
  p.founded_ok = founded.has_value();
  if (founded) p.m.founded = *founded;
  std::map<std::string, model::SourceLoc> seen;
  for_items(r, "members", true, [&](const YAML::Node& m) { parse_member(ctx, m, p, seen); });
  for_items(r, "chairs", false, [&](const YAML::Node& c) { parse_chair(ctx, c, p); });
  p.secretariat = r.id_list("secretariat", false, true);
  p.domains = r.id_list("domains", false, true);
  check_chair_overlaps(ctx, p.m);
  if (auto sc = r.get("steering_committee", false); sc.IsDefined()) {
    MapReader s(ctx, sc, "steering committee", {"as_of", "members", "note"});
    if (s.ok()) {
      model::SteeringCommittee committee;
      if (auto y = s.integer("as_of", true)) {
        if (*y < 1900 || *y > 2200) ctx.error(s.get("as_of", false), "as_of must be a year");
        committee.as_of = static_cast<int>(*y);
      }
      p.steering = s.id_list("members", true, true);
      committee.note = s.text("note", false).value_or("");
      p.m.steering = std::move(committee);
    }
  }
  if (!id || !name || !founded) {
    raw.broken.insert("process:" + id.value_or(""));
    return;
  }
  p.m.name = *name;
  raw.processes.push_back(std::move(p));
}

void parse_organisation(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "organisation", {"id", "name", "group"});
  if (!r.ok()) return;
  model::Organisation o;
  o.loc = r.loc();
  auto id = r.id("id", true);
  auto name = r.text("name", true);
  auto group = r.choice("group", true, kGroups);
  if (!id || !name || !group) {
    raw.broken.insert("party:" + id.value_or(""));
    return;
  }
  o.id = *id;
  o.name = *name;
  o.group = *model::parse<model::FunderGroup>(*group);
  raw.organisations.push_back(std::move(o));
}

void parse_indicator_def(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "indicator", {"id", "title", "unit", "aggregation"});
  if (!r.ok()) return;
  model::IndicatorDef d;
  d.loc = r.loc();
  auto id = r.id("id", true);
  auto title = r.text("title", true);
  auto unit = r.text("unit", true);
  auto agg = r.choice("aggregation", true, kAggregations);
  if (!id || !title || !unit || !agg) {
    raw.broken.insert("indicator:" + id.value_or(""));
    return;
  }
  d.id = *id;
  d.title = *title;
  d.unit = *unit;
  d.aggregation = *model::parse<model::Aggregation>(*agg);
  raw.indicators.push_back(std::move(d));
}

void parse_initiative_indicator(FileContext& ctx, const YAML::Node& n, RawInitiative& ini) {
  MapReader r(ctx, n, "indicator",
              {"id", "ref", "title", "unit", "aggregation", "baseline", "targets"});
  if (!r.ok()) return;
  RawIndicator ind;
  ind.m.loc = r.loc();
  auto id = r.id("id", true);
  auto ref = r.id("ref", false);
  bool inline_def = !ref;
  if (ref) {
    ind.ref_loc = ctx.loc(r.get("ref", false));
    for (const char* key : {"title", "unit", "aggregation"})
      if (r.has(key))
        ctx.error(r.get(key, false), std::string("'") + key + "' cannot be given with 'ref': " +
                                         "it comes from the catalogue indicator " + quote(*ref));
  }
  bool has_ref_key = r.has("ref");
  auto title = inline_def && !has_ref_key ? r.text("title", true) : std::nullopt;
  auto unit = inline_def && !has_ref_key ? r.text("unit", true) : std::nullopt;
  auto agg = inline_def && !has_ref_key ? r.choice("aggregation", true, kAggregations)
                                        : std::nullopt;
  ind.m.baseline = r.number("baseline", false).value_or(0);
  if (auto t = r.get("targets", false); t.IsDefined()) {
    if (!t.IsMap()) {
      ctx.error(t, "expected 'targets' to be a mapping of period id to number, found " +
                       describe(t));
    } else {
      std::set<std::string> seen;
      for (auto it = t.begin(); it != t.end(); ++it) {
        auto period = scalar(ctx, it->first, "a period id");
        auto value = as_number(ctx, it->second);
        if (!period || !value) continue;
        if (!seen.insert(*period).second) {
          ctx.error(it->first, "target for period " + quote(*period) + " is given twice");
          continue;
        }
        ind.targets.push_back({*period, *value, ctx.loc(it->first)});
      }
    }
  }
  if (!id) return;
  ind.m.id = *id;
  if (ref) ind.m.ref = *ref;
  if (title) ind.m.title = *title;
  if (unit) ind.m.unit = *unit;
  if (agg) ind.m.aggregation = *model::parse<model::Aggregation>(*agg);
  if (inline_def && (!title || !unit || !agg)) return;
  if (std::any_of(ini.indicators.begin(), ini.indicators.end(),
                  [&](const RawIndicator& x) { return x.m.id == *id; })) {
    ctx.error(ind.m.loc, "indicator " + quote(*id) + " is defined twice in initiative " +
                             quote(ini.m.id));
    return;
  }
  ini.indicators.push_back(std::move(ind));
}

void parse_milestone(FileContext& ctx, const YAML::Node& n, RawInitiative& ini) {
  MapReader r(ctx, n, "milestone", {"id", "title", "due"});
  if (!r.ok()) return;
  model::Milestone m;
  m.loc = r.loc();
  auto id = r.id("id", true);
  auto title = r.text("title", true);
  auto due = r.date("due", true);
  if (!id || !title || !due) return;
  m.id = *id;
  m.title = *title;
  m.due = *due;
  if (ini.m.milestone(*id)) {
    ctx.error(m.loc, "milestone " + quote(*id) + " is defined twice in initiative " +
                         quote(ini.m.id));
    return;
  }
  if (ini.dates_ok && (m.due < ini.m.start || m.due > ini.m.end))
    ctx.error(r.get("due", false), "milestone " + quote(*id) + " is due on " +
                                       calendar::to_string(m.due) +
                                       ", outside the initiative's life (" +
                                       calendar::to_string(ini.m.start) + " to " +
                                       calendar::to_string(ini.m.end) + ")");
  ini.m.milestones.push_back(std::move(m));
}

void parse_funders(FileContext& ctx, MapReader& r, RawInitiative& ini) {
  for_items(r, "funders", false, [&](const YAML::Node& f) {
    RawFunder funder;
    funder.loc = ctx.loc(f);
    if (f.IsMap()) {
      MapReader fr(ctx, f, "funder", {"org", "amount"});
      auto org = fr.id("org", true);
      funder.m.amount = fr.integer("amount", false);
      if (funder.m.amount && *funder.m.amount < 0)
        ctx.error(fr.get("amount", false), "negative funder amount " +
                                               std::to_string(*funder.m.amount));
      if (!org) return;
      funder.m.org = *org;
    } else {
      auto org = as_id(ctx, f);
      if (!org) return;
      funder.m.org = *org;
    }
    for (const auto& other : ini.funders)
      if (other.m.org == funder.m.org) {
        ctx.error(funder.loc, "funder " + quote(funder.m.org) + " is listed twice");
        return;
      }
    ini.funders.push_back(std::move(funder));
  });
}

void parse_budget(FileContext& ctx, MapReader& r, RawInitiative& ini, bool required) {
  auto b = r.get("budget", required);
  if (!b.IsDefined()) return;
  MapReader br(ctx, b, "budget", {"amount", "currency"});
  if (!br.ok()) return;
  ini.budget_loc = ctx.loc(br.get("amount", false));
  auto amount = br.integer("amount", true);
  auto currency = br.text("currency", true);
  if (currency) ini.currency_loc = ctx.loc(br.get("currency", false));
  if (amount && *amount < 0)
    ctx.error(ini.budget_loc, "negative budget " + std::to_string(*amount));
  if (currency && !model::currency_minor_units(*currency))
    ctx.error(ini.currency_loc, "unknown currency " + quote(*currency) +
                                    ": expected an ISO 4217 code such as 'EUR'");
  if (amount && currency && *amount >= 0 && model::currency_minor_units(*currency))
    ini.m.budget = model::Money{*amount, *currency};
}

void parse_initiative(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "initiative",
              {"id", "title", "kind", "domains", "priorities", "processes", "countries",
               "implementers", "funders", "budget", "start", "end", "reporting", "indicators",
               "milestones", "monitoring_from", "commitments"});
  if (!r.ok()) return;
  RawInitiative ini;
  ini.m.loc = r.loc();
  auto id = r.id("id", true);
  auto title = r.text("title", true);
  auto kind = r.choice("kind", true, kKinds);
  ini.m.id = id.value_or("");
  if (kind) ini.m.kind = *model::parse<model::InitiativeKind>(*kind);
  ini.domains = r.id_list("domains", true, true);
  ini.priorities = r.id_list("priorities", false, false);
  ini.processes = r.id_list("processes", true, true);
  ini.countries = r.id_list("countries", true, true);
  ini.implementers = r.id_list("implementers", true, true);
  ini.reporting = r.id_list("reporting", true, true);
  ini.commitments = r.id_list("commitments", false, false);
  parse_funders(ctx, r, ini);
  parse_budget(ctx, r, ini, kind && *kind == "project");
  if (auto m = r.text("monitoring_from", false)) {
    ini.monitoring_from = *m;
    ini.monitoring_loc = ctx.loc(r.get("monitoring_from", false));
  }
  auto start = r.date("start", true);
  auto end = r.date("end", true);
  if (start) ini.start_loc = ctx.loc(r.get("start", false));
  if (end) ini.end_loc = ctx.loc(r.get("end", false));
  if (start && end) {
    if (*end < *start)
      ctx.error(ini.end_loc, "initiative " + quote(ini.m.id) + " ends on " +
                                 calendar::to_string(*end) + ", before it starts on " +
                                 calendar::to_string(*start));
    else
      ini.dates_ok = true;
    ini.m.start = *start;
    ini.m.end = *end;
  }
  if (ini.m.budget) {
    std::optional<std::int64_t> total = 0;
    for (const auto& f : ini.funders)
      if (total) total = model::checked_add(*total, f.m.amount.value_or(0));
    if (!total)
      ctx.error(ini.budget_loc, "funder amounts add up to more than the budget of " +
                                    std::to_string(ini.m.budget->amount) + " (past the largest amount jvap can count)");
    else if (*total > ini.m.budget->amount)
      ctx.error(ini.budget_loc, "funder amounts add up to " + std::to_string(*total) +
                                    ", more than the budget of " +
                                    std::to_string(ini.m.budget->amount));
  }
  for_items(r, "indicators", false,
            [&](const YAML::Node& i) { parse_initiative_indicator(ctx, i, ini); });
  for_items(r, "milestones", false, [&](const YAML::Node& m) { parse_milestone(ctx, m, ini); });
  // Kept even when incomplete so its references are still checked (every error at once); the
  // plan is rejected anyway because an error was recorded.
  if (!id) return;
  ini.m.title = title.value_or("");
  raw.initiatives.push_back(std::move(ini));
}

void parse_plan_info(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "plan", {"id", "title", "adopted", "source"});
  if (!r.ok()) return;
  if (raw.info) {
    ctx.error(n, "the 'plan' section is given twice (first in " + raw.info_loc.file + ":" +
                     std::to_string(raw.info_loc.line) + ")");
    return;
  }
  model::PlanInfo info;
  auto id = r.id("id", true);
  auto title = r.text("title", true);
  info.adopted = r.date("adopted", false);
  info.source = r.text("source", false).value_or("");
  info.id = id.value_or("");
  info.title = title.value_or("");
  raw.info = std::move(info);
  raw.info_loc = r.loc();
}

void parse_calendar(FileContext& ctx, const YAML::Node& n, RawPlan& raw) {
  MapReader r(ctx, n, "calendar", {"frequency", "first_period", "grace_days", "monitoring_from"});
  if (!r.ok()) return;
  if (raw.calendar) {
    ctx.error(n, "the 'calendar' section is given twice (first in " + raw.calendar_loc.file +
                     ":" + std::to_string(raw.calendar_loc.line) + ")");
    return;
  }
  RawCalendar c;
  auto freq = r.choice("frequency", true, kFrequencies);
  auto first = r.text("first_period", true);
  auto grace = r.integer("grace_days", true);
  if (grace && (*grace < 0 || *grace > 366))
    ctx.error(r.get("grace_days", false), "grace_days " + std::to_string(*grace) +
                                              " is out of range: expected 0 to 366");
  c.frequency_loc = ctx.loc(r.get("frequency", false));
  c.first_loc = ctx.loc(r.get("first_period", false));
  if (auto m = r.text("monitoring_from", false)) {
    c.monitoring_from = *m;
    c.monitoring_loc = ctx.loc(r.get("monitoring_from", false));
  }
  c.frequency = freq.value_or("");
  c.first_period = first.value_or("");
  c.grace_days = static_cast<int>(grace.value_or(0));
  c.ok = freq && first && grace && *grace >= 0 && *grace <= 366;
  raw.calendar = c;
  raw.calendar_loc = r.loc();
}

}  // namespace

void parse_file(const std::string& path, const std::string& text, RawPlan& raw,
                std::vector<model::Diagnostic>& errors) {
  FileContext ctx(path, errors);
  auto doc = load_document(ctx, text);
  if (!doc) return;
  YAML::Node root = *doc;
  if (root.IsNull() || !root.IsDefined()) {
    errors.push_back({path, 0, 0, "file is empty: expected plan sections"});
    return;
  }
  MapReader r(ctx, root, "a plan file",
              {"plan", "calendar", "domains", "processes", "organisations", "indicators",
               "initiatives", "commitments", "work_plans"});
  if (!r.ok()) return;
  if (auto n = r.get("plan", false); n.IsDefined()) parse_plan_info(ctx, n, raw);
  if (auto n = r.get("calendar", false); n.IsDefined()) parse_calendar(ctx, n, raw);
  for_items(r, "domains", false, [&](const YAML::Node& n) { parse_domain(ctx, n, raw); });
  for_items(r, "processes", false, [&](const YAML::Node& n) { parse_process(ctx, n, raw); });
  for_items(r, "organisations", false,
            [&](const YAML::Node& n) { parse_organisation(ctx, n, raw); });
  for_items(r, "indicators", false,
            [&](const YAML::Node& n) { parse_indicator_def(ctx, n, raw); });
  for_items(r, "initiatives", false,
            [&](const YAML::Node& n) { parse_initiative(ctx, n, raw); });
  for_items(r, "commitments", false, [&](const YAML::Node& n) { parse_commitment(ctx, n, raw); });
  for_items(r, "work_plans", false, [&](const YAML::Node& n) { parse_work_plan(ctx, n, raw); });
}

}  // namespace jvap::plan::detail
