// `jvap plan check` and `jvap plan show`.
#include <map>
#include <ostream>
#include <set>

#include "cli/commands.hpp"
#include "model/codes.hpp"
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

std::string count_label(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int run_plan_check(Context& ctx) {
  auto result = plan::load(ctx.opts.plans);
  if (ctx.json()) {
    Json j{{"plans", ctx.opts.plans}, {"ok", result.errors.empty()}};
    if (result.plan) {
      j["plan"] = result.plan->info.id;
      j["content_hash"] = result.plan->content_hash;
      j["files"] = result.plan->files.size();
      j["initiatives"] = result.plan->initiatives.size();
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
            << count_label(p.initiatives.size(), "initiative", "initiatives") << " (hash "
            << p.content_hash.substr(0, 12) << ")\n";
  return kOk;
}

int run_plan_show(Context& ctx) {
  auto loaded = load_plan(ctx);
  if (!loaded) return kInputError;
  const model::Plan& p = *loaded;

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
  j["plan"] = {{"id", p.info.id}, {"title", p.info.title}, {"content_hash", p.content_hash},
               {"files", p.files}};
  j["as_of"] = calendar::to_string(ctx.as_of);
  j["calendar"] = {{"frequency", calendar::to_string(p.calendar.frequency)},
                   {"first_period", calendar::to_string(p.calendar.first)},
                   {"grace_days", p.calendar.grace_days}};
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
  j["processes"] = Json::array();
  for (const auto& pr : p.processes) {
    int members = 0, observers = 0;
    std::map<std::string, std::vector<std::string>> by_region;
    std::vector<std::string> former;
    for (const auto& m : pr.members) {
      if (!m.active_on(ctx.as_of)) {
        former.push_back(m.state);
        continue;
      }
      (m.role == model::Role::member ? members : observers)++;
      by_region[std::string(model::to_string(m.region))].push_back(m.state);
    }
    Json regions = Json::object();
    for (auto& [r, states] : by_region) {
      std::sort(states.begin(), states.end());
      regions[r] = states;
    }
    std::sort(former.begin(), former.end());
    std::string chair;
    for (const auto& c : pr.chairs)
      if (c.from <= ctx.as_of && (!c.to || ctx.as_of <= *c.to)) chair = c.state;
    j["processes"].push_back({{"id", pr.id},
                              {"name", pr.name},
                              {"founded", calendar::to_string(pr.founded)},
                              {"members", members},
                              {"observers", observers},
                              {"chair", chair.empty() ? Json() : Json(chair)},
                              {"states_by_region", regions},
                              {"former_members", former}});
  }
  if (ctx.json()) {
    print_json(ctx, j);
    return kOk;
  }

  auto& out = ctx.out;
  out << "Plan " << p.info.id << ": " << p.info.title << "\n";
  out << "  content hash " << p.content_hash << ", " << count_label(p.files.size(), "file", "files")
      << "\n";
  out << "  reporting " << calendar::to_string(p.calendar.frequency) << " from "
      << calendar::to_string(p.calendar.first) << ", due " << p.calendar.grace_days
      << " days after each period ends\n";
  out << "  " << count_label(all.total(), "initiative", "initiatives") << ": "
      << count_label(all.projects, "project", "projects") << ", "
      << count_label(all.policies, "policy", "policies") << "\n\n";

  auto kind_row = [](std::vector<std::string> head, const KindCount& k) {
    head.push_back(std::to_string(k.projects));
    head.push_back(std::to_string(k.policies));
    head.push_back(std::to_string(k.total()));
    return head;
  };
  std::vector<std::vector<std::string>> rows{{"domain", "priorities", "projects", "policies",
                                              "total", "budget"}};
  for (const auto& d : p.domains) {
    auto row = kind_row({d.id, std::to_string(d.priorities.size())}, by_domain[d.id]);
    std::string budget;
    for (const auto& [ccy, amount] : budget_by_domain[d.id])
      budget += (budget.empty() ? "" : " + ") + format_money(amount, ccy);
    row.push_back(budget.empty() ? "-" : budget);
    rows.push_back(row);
  }
  out << "By domain\n";
  print_table(out, rows, {false, true, true, true, true, true});
  for (const auto& d : p.domains) out << "  " << d.id << "  " << d.title << "\n";

  rows = {{"process", "projects", "policies", "total"}};
  for (const auto& pr : p.processes) rows.push_back(kind_row({pr.id}, by_process[pr.id]));
  out << "\nBy process\n";
  print_table(out, rows, {false, true, true, true});

  rows = {{"country", "name", "projects", "policies", "total"}};
  for (const auto& [code, k] : by_country)
    rows.push_back(kind_row({code, std::string(model::country_name(code).value_or(""))}, k));
  out << "\nBy country\n";
  print_table(out, rows, {false, false, true, true, true});

  out << "\nMembers on " << calendar::to_string(ctx.as_of) << "\n";
  for (const auto& pr : j["processes"]) {
    out << "  " << pr["id"].get<std::string>() << ": " << pr["members"].get<int>() << " members, "
        << pr["observers"].get<int>() << " observers";
    if (!pr["chair"].is_null()) out << "; chair " << pr["chair"].get<std::string>();
    out << "\n";
    for (const auto& [region, states] : pr["states_by_region"].items()) {
      out << "    " << region << " (" << states.size() << "):";
      for (const auto& s : states) out << " " << s.get<std::string>();
      out << "\n";
    }
    if (!pr["former_members"].empty()) {
      out << "    former:";
      for (const auto& s : pr["former_members"]) out << " " << s.get<std::string>();
      out << "\n";
    }
  }
  return kOk;
}

}  // namespace jvap::cli
