// `jvap plan check` and `jvap plan show`.
#include <map>
#include <tuple>
#include <ostream>
#include <set>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "model/codes.hpp"
#include "model/money.hpp"
#include "plan/plan.hpp"

namespace jvap::cli {

namespace {

struct KindCount {
  int projects = 0;
  int policies = 0;
  int total() const { return projects + policies; }
  void add(model::InitiativeKind k) { (k == model::InitiativeKind::project ? projects : policies)++; }
};

Json kind_json(const KindCount& k) {
  return {{"projects", k.projects}, {"policies", k.policies}, {"total", k.total()}};
}

std::size_t activity_count(const model::Plan& p) {
  std::size_t n = 0;
  for (const auto& w : p.work_plans) n += w.activities.size();
  return n;
}

// Commitments by kind and domain; work plans per process with their activities by kind.
Json work_counts(const model::Plan& p) {
  std::map<std::string, int> by_kind, by_domain;
  int implemented = 0;
  for (const auto& c : p.commitments) {
    by_kind[std::string(model::to_string(c.kind))]++;
    for (const auto& d : c.domains) by_domain[d]++;
    if (!c.initiatives.empty()) ++implemented;
  }
  Json j;
  j["commitments"] = {{"total", p.commitments.size()}, {"with_initiatives", implemented},
                      {"by_kind", by_kind}, {"by_domain", by_domain}};
  j["work_plans"] = Json::array();
  for (const auto& w : p.work_plans) {
    std::map<std::string, int> kinds;
    for (const auto& a : w.activities) kinds[std::string(model::to_string(a.kind))]++;
    j["work_plans"].push_back({{"id", w.id}, {"process", w.process},
                               {"chair", w.chair.empty() ? Json() : Json(w.chair)},
                               {"framework", w.framework.empty() ? Json() : Json(w.framework)},
                               {"from", calendar::to_string(w.from)},
                               {"to", w.to ? Json(calendar::to_string(*w.to)) : Json()},
                               {"activities", w.activities.size()}, {"by_kind", kinds}});
  }
  return j;
}

int run_plan_check(Context& ctx) {
  auto result = plan::load(ctx.opts.plans);
  if (ctx.json()) {
    Json j{{"plans", ctx.opts.plans}, {"ok", result.errors.empty()}};
    if (result.plan) {
      j["plan"] = result.plan->info.id;
      j["content_hash"] = result.plan->content_hash;
      j["files"] = result.plan->files.size();
      j["initiatives"] = result.plan->initiatives.size();
      j["commitments"] = result.plan->commitments.size();
      j["work_plans"] = result.plan->work_plans.size();
      j["activities"] = activity_count(*result.plan);
    }
    j["errors"] = to_json(result.errors);
    print_json(ctx, j);
    return result.errors.empty() ? kOk : kInputError;
  }
  if (!result.errors.empty()) {
    print_diagnostics(ctx, result.errors);
    if (!ctx.opts.quiet)
      ctx.err << ctx.opts.plans << ": " << count_label(result.errors.size(), "error", "errors")
              << "\n";
    return kInputError;
  }
  const auto& p = *result.plan;
  if (!ctx.opts.quiet)
    ctx.out << ctx.opts.plans << ": plan '" << p.info.id << "' is valid: "
            << count_label(p.files.size(), "file", "files") << ", "
            << count_label(p.processes.size(), "process", "processes") << ", "
            << count_label(p.domains.size(), "domain", "domains") << ", "
            << count_label(p.initiatives.size(), "initiative", "initiatives") << ", "
            << count_label(p.commitments.size(), "commitment", "commitments") << ", "
            << count_label(p.work_plans.size(), "work plan", "work plans") << " with "
            << count_label(activity_count(p), "activity", "activities") << " (hash "
            << p.content_hash.substr(0, 12) << ")\n";
  return kOk;
}

// ---- plan show: the summary as JSON, printed as text from the same values ----

// Initiatives per domain (with budgets per currency), process and country.
Json initiative_counts(const model::Plan& p) {
  KindCount all;
  std::map<std::string, KindCount> by_domain, by_process, by_country;
  std::map<std::string, std::map<std::string, std::int64_t>> budget_by_domain;  // domain -> ccy
  for (const auto& ini : p.initiatives) {
    all.add(ini.kind);
    for (const auto& d : ini.domains) {
      by_domain[d].add(ini.kind);
      if (ini.budget) budget_by_domain[d][ini.budget->currency] += ini.budget->amount;
    }
    for (const auto& pr : ini.processes) by_process[pr].add(ini.kind);
    for (const auto& c : ini.countries) by_country[c].add(ini.kind);
  }
  Json j;
  j["initiatives"] = kind_json(all);
  j["by_domain"] = Json::array();
  for (const auto& d : p.domains) {
    Json row{{"id", d.id}, {"title", d.title}, {"priorities", d.priorities.size()}};
    row.update(kind_json(by_domain[d.id]));
    Json budgets = Json::object();
    for (const auto& [ccy, amount] : budget_by_domain[d.id]) budgets[ccy] = amount;
    row["budget_minor_units"] = budgets;
    j["by_domain"].push_back(row);
  }
  j["by_process"] = Json::array();
  for (const auto& pr : p.processes) {
    Json row{{"id", pr.id}, {"name", pr.name}};
    row.update(kind_json(by_process[pr.id]));
    j["by_process"].push_back(row);
  }
  j["by_country"] = Json::array();
  for (const auto& [code, k] : by_country) {
    Json row{{"code", code}, {"name", std::string(model::country_name(code).value_or(""))}};
    row.update(kind_json(k));
    j["by_country"].push_back(row);
  }
  return j;
}

// A process's members on the date: by role and region, the chair, former members (who left
// before the date) and members joining after it, each with the date.
Json process_members(const model::Process& pr, calendar::Date as_of) {
  int members = 0, observers = 0;
  std::map<std::string, std::vector<std::string>> by_region;
  std::set<std::string> current;
  for (const auto& m : pr.members)
    if (m.active_on(as_of)) current.insert(m.state);
  std::map<std::string, std::string> former, joining;  // state -> date left / joining
  for (const auto& m : pr.members) {
    if (!m.active_on(as_of)) {
      if (current.count(m.state)) continue;  // left once and back: a member now
      if (m.joined > as_of) {
        auto& d = joining[m.state];
        d = d.empty() ? calendar::to_string(m.joined) : std::min(d, calendar::to_string(m.joined));
      } else {
        auto& d = former[m.state];
        d = std::max(d, calendar::to_string(*m.left));
      }
      continue;
    }
    (m.role == model::Role::member ? members : observers)++;
    by_region[std::string(model::to_string(m.region))].push_back(m.state);
  }
  auto list = [](const std::map<std::string, std::string>& m, const char* key) {
    Json out = Json::array();
    for (const auto& [state, date] : m) out.push_back({{"state", state}, {key, date}});
    return out;
  };
  Json regions = Json::object();
  for (auto& [r, states] : by_region) {
    std::sort(states.begin(), states.end());
    regions[r] = states;
  }
  std::string chair;
  for (const auto& c : pr.chairs)
    if (c.from <= as_of && (!c.to || as_of <= *c.to)) chair = c.state;
  return {{"id", pr.id},
          {"name", pr.name},
          {"founded", calendar::to_string(pr.founded)},
          {"members", members},
          {"observers", observers},
          {"chair", chair.empty() ? Json() : Json(chair)},
          {"states_by_region", regions},
          {"former_members", list(former, "left")},
          {"joining_later", list(joining, "joins")}};
}

Json plan_summary(const model::Plan& p, calendar::Date as_of) {
  Json j;
  j["plan"] = {{"id", p.info.id}, {"title", p.info.title}, {"content_hash", p.content_hash},
               {"files", p.files}};
  j["as_of"] = calendar::to_string(as_of);
  j["calendar"] = {{"frequency", calendar::to_string(p.calendar.frequency)},
                   {"first_period", calendar::to_string(p.calendar.first)},
                   {"grace_days", p.calendar.grace_days},
                   {"monitoring_from", calendar::to_string(p.calendar.monitored_from())}};
  j.update(initiative_counts(p));
  j.update(work_counts(p));
  j["processes"] = Json::array();
  for (const auto& pr : p.processes) j["processes"].push_back(process_members(pr, as_of));
  return j;
}

std::vector<std::string> kind_row(std::vector<std::string> head, const Json& k) {
  for (const char* key : {"projects", "policies", "total"})
    head.push_back(std::to_string(k[key].get<int>()));
  return head;
}

void print_counts(std::ostream& out, const model::Plan& p, const Json& j) {
  std::vector<std::vector<std::string>> rows{{"domain", "priorities", "projects", "policies",
                                              "total", "budget"}};
  for (const auto& d : j["by_domain"]) {
    auto row = kind_row({d["id"].get<std::string>(), std::to_string(d["priorities"].get<int>())}, d);
    std::string budget;
    for (const auto& [ccy, amount] : d["budget_minor_units"].items())
      budget += (budget.empty() ? "" : " + ") + model::format_money(amount.get<std::int64_t>(), ccy);
    row.push_back(budget.empty() ? "-" : budget);
    rows.push_back(row);
  }
  out << "By domain\n";
  print_table(out, rows, {false, true, true, true, true, true});
  for (const auto& d : p.domains) out << "  " << d.id << "  " << d.title << "\n";

  rows = {{"process", "projects", "policies", "total"}};
  for (const auto& pr : j["by_process"]) rows.push_back(kind_row({pr["id"].get<std::string>()}, pr));
  out << "\nBy process\n";
  print_table(out, rows, {false, true, true, true});

  rows = {{"country", "name", "projects", "policies", "total"}};
  for (const auto& c : j["by_country"])
    rows.push_back(kind_row({c["code"].get<std::string>(), c["name"].get<std::string>()}, c));
  out << "\nBy country\n";
  print_table(out, rows, {false, false, true, true, true});
}

void print_work(std::ostream& out, const Json& j) {
  const auto& c = j["commitments"];
  out << "\nCommitments: " << c["total"].get<int>() << ", " << c["with_initiatives"].get<int>()
      << " with an initiative implementing them\n";
  for (const auto& [kind, n] : c["by_kind"].items()) out << "  " << kind << ": " << n.get<int>() << "\n";
  if (j["work_plans"].empty()) return;
  std::vector<std::vector<std::string>> rows{{"work plan", "process", "chair or framework", "from", "to", "activities"}};
  for (const auto& w : j["work_plans"])
    rows.push_back({w["id"].get<std::string>(), w["process"].get<std::string>(),
                    w["chair"].is_null() ? w["framework"].get<std::string>() : w["chair"].get<std::string>(),
                    w["from"].get<std::string>(), w["to"].is_null() ? "open" : w["to"].get<std::string>(),
                    std::to_string(w["activities"].get<int>())});
  out << "\nWork plans\n";
  print_table(out, rows, {false, false, false, false, false, true});
}

void print_members(std::ostream& out, const Json& j) {
  out << "\nMembers on " << j["as_of"].get<std::string>() << "\n";
  for (const auto& pr : j["processes"]) {
    out << "  " << pr["id"].get<std::string>() << ": "
        << count_label(pr["members"].get<int>(), "member", "members") << ", "
        << count_label(pr["observers"].get<int>(), "observer", "observers");
    if (!pr["chair"].is_null()) out << "; chair " << pr["chair"].get<std::string>();
    out << "\n";
    for (const auto& [region, states] : pr["states_by_region"].items()) {
      out << "    " << region << " (" << states.size() << "):";
      for (const auto& s : states) out << " " << s.get<std::string>();
      out << "\n";
    }
    for (const auto& [key, label, date] : {std::tuple{"former_members", "left before the date", "left"},
                                           std::tuple{"joining_later", "joining after the date", "joins"}}) {
      if (pr[key].empty()) continue;
      out << "    " << label << ":";
      for (const auto& s : pr[key])
        out << " " << s["state"].get<std::string>() << " (" << s[date].get<std::string>() << ")";
      out << "\n";
    }
  }
}

int run_plan_show(Context& ctx) {
  auto session = open(ctx, {.plan = true});
  const model::Plan& p = *session.plan;
  Json j = plan_summary(p, ctx.as_of);
  if (ctx.json()) {
    print_json(ctx, j);
    return kOk;
  }
  auto& out = ctx.out;
  const auto& all = j["initiatives"];
  out << "Plan " << p.info.id << ": " << p.info.title << "\n";
  out << "  content hash " << p.content_hash << ", " << count_label(p.files.size(), "file", "files")
      << "\n";
  out << "  reporting " << calendar::to_string(p.calendar.frequency) << " from "
      << calendar::to_string(p.calendar.first) << ", due " << p.calendar.grace_days
      << " days after each period ends; reports expected from "
      << calendar::to_string(p.calendar.monitored_from()) << "\n";
  out << "  " << count_label(all["total"].get<int>(), "initiative", "initiatives") << ": "
      << count_label(all["projects"].get<int>(), "project", "projects") << ", "
      << count_label(all["policies"].get<int>(), "policy", "policies") << "\n\n";
  print_counts(out, p, j);
  print_work(out, j);
  print_members(out, j);
  return kOk;
}

}  // namespace

CommandSpec plan_check_command() {
  return {"plan check", "Validate the plan; print every error as file:line:col: message",
          {"text", "json"}, [](CLI::App&) -> Runner { return run_plan_check; }, ""};
}

CommandSpec plan_show_command() {
  return {"plan show",
          "Summarise the plan: initiatives per domain, process, kind and country; commitments and "
          "work plans; members per process",
          {"text", "json"}, [](CLI::App&) -> Runner { return run_plan_show; }, ""};
}

}  // namespace jvap::cli
