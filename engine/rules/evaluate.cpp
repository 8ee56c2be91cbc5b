// Evaluation: runs every rule's query, turns rows into findings with fingerprints, compares them
// with the previous run for the period, applies waivers, and stores the run.
#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "model/sha256.hpp"
#include "model/text.hpp"
#include "evaluation/view.hpp"
#include "rules/kinds.hpp"
#include "rules/rules.hpp"

namespace jvap::rules {

bool FindingFilter::matches(const model::Plan& plan, std::string_view sev, std::string_view r,
                            std::string_view st, const std::string& subject) const {
  if (!severity.empty() && sev != severity) return false;
  if (!rule.empty() && r != rule) return false;
  if (!status.empty() && (status == "open" ? st != "new" && st != "carried_over" : st != status)) return false;
  if (org.empty() && domain.empty()) return true;
  auto c = concerns(plan, subject);
  if (!org.empty() && !std::count(c.reporting.begin(), c.reporting.end(), org)) return false;
  return domain.empty() || std::count(c.domains.begin(), c.domains.end(), domain) > 0;
}

Concerns concerns(const model::Plan& plan, const std::string& subject) {
  std::string s = subject;
  if (auto colon = s.find(':'); colon != std::string::npos) s = s.substr(colon + 1);  // waiver-expired
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto slash = s.find('/', start);
    parts.push_back(s.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  Concerns c;
  if ((c.initiative = plan.initiative(parts[0]))) {
    c.domains = c.initiative->domains;
    c.processes = c.initiative->processes;
    c.reporting = c.initiative->reporting;
    return c;
  }
  if (const auto* cm = plan.commitment(parts[0])) {
    c.domains = cm->domains;
    c.reporting = cm->reporting;
    for (const auto& m : cm->made_by)
      if (plan.process(m)) c.processes.push_back(m);
    return c;
  }
  if (auto [w, a] = plan.activity(parts[0]); a) {
    c.domains = a->domains;
    c.processes = {w->process};
    c.reporting = w->reporting;
    return c;
  }
  for (const auto& part : parts) {
    if (plan.process(part)) c.processes.push_back(part);
    for (const auto& d : plan.domains) {
      if (d.id == part) c.domains.push_back(d.id);
      for (const auto& pr : d.priorities)
        if (pr.id == part) c.domains.push_back(d.id);
    }
  }
  return c;
}

std::string fix_for(const RuleSet& rules, const std::string& rule, const std::string& subject,
                    const std::string& period) {
  if (rule == "waiver-expired") return "Renew the waiver with a new expiry date, or remove it.";
  const auto it = std::find_if(rules.rules.begin(), rules.rules.end(),
                               [&](const Rule& r) { return r.id == rule; });
  if (it == rules.rules.end()) return "";
  const auto slash = subject.find('/');
  const std::string initiative = subject.substr(0, slash);
  const std::string measure = slash == std::string::npos ? "" : subject.substr(slash + 1);
  std::string out;
  const std::string& fix = it->fix;
  for (std::size_t i = 0; i < fix.size(); ++i) {
    auto close = fix.find('}', i);
    if (fix[i] != '{' || close == std::string::npos) {
      out += fix[i];
      continue;
    }
    const auto name = std::string_view(fix).substr(i + 1, close - i - 1);
    out += name == "subject" ? subject : name == "period" ? period
         : name == "initiative" || name == "commitment" || name == "activity" ? initiative
         : name == "measure" ? measure : std::string(fix, i, close - i + 1);
    i = close;
  }
  return out;
}

std::string fingerprint(const std::string& rule, const std::string& subject,
                        const std::string& period) {
  std::string key = rule;
  key += '\0';
  key += subject;
  key += '\0';
  key += period;
  return model::sha256_hex(key).substr(0, 16);
}

namespace {

// A rule's output column, checked: what a custom query returns is stored and shown like any
// other text, so it must be UTF-8 without control characters (a newline is fine in a message).
std::string rule_text(const Rule& r, const char* column, std::string text) {
  std::size_t bad = 0;
  std::string problem;
  if (!model::valid_utf8(text, bad)) problem = "is not valid UTF-8 (byte " + std::to_string(bad + 1) + ")";
  else if (text.size() > 65536) problem = "is " + std::to_string(text.size()) + " bytes long; at most 64 KiB";
  else if (auto at = model::find_control(text, "\n\t"); at != std::string::npos)
    problem = "holds " + model::describe_char_at(text, at);
  if (!problem.empty())
    throw RuleError("rule " + model::quote(r.id) + ": the " + column + " it returned " + problem,
                    model::kInputError, r.loc);
  return text;
}

// How deeply JSON text nests arrays and objects (strings skipped), to refuse evidence that would
// take the parser's stack.
std::size_t nesting(std::string_view text) {
  std::size_t depth = 0, most = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      most = std::max(most, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return most;
}

}  // namespace

std::vector<Evidence> parse_evidence(const std::string& text, const Rule& r) {
  if (nesting(text) > 8)
    throw RuleError("rule " + model::quote(r.id) + ": its evidence nests more than 8 levels deep; "
                    "give a JSON array of {name, value} objects",
                    model::kInputError, r.loc);
  return parse_evidence(text);
}

std::vector<Evidence> parse_evidence(const std::string& text) {
  std::vector<Evidence> out;
  if (nesting(text) > 8) return {{"evidence", text}};  // a stored run from before the limit
  auto j = nlohmann::json::parse(text, nullptr, false);
  auto value_text = [](const nlohmann::json& v) {
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return std::string();
    return v.dump();
  };
  if (j.is_array()) {
    for (const auto& e : j) {
      if (!e.is_object()) {
        out.push_back({"", value_text(e)});
        continue;
      }
      Evidence ev;
      ev.name = e.contains("name") ? value_text(e["name"]) : "";
      ev.value = e.contains("value") ? value_text(e["value"]) : "";
      if (e.contains("upload") && e["upload"].is_number_integer()) ev.upload_id = e["upload"].get<std::int64_t>();
      if (e.contains("line") && e["line"].is_number_integer()) ev.line = e["line"].get<std::int64_t>();
      out.push_back(ev);
    }
  } else if (j.is_object()) {
    for (const auto& [k, v] : j.items()) out.push_back({k, value_text(v)});
  } else if (!text.empty()) {
    out.push_back({"evidence", text});
  }
  return out;
}

namespace {

std::string evidence_json(const std::vector<Evidence>& evidence) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& e : evidence) {
    nlohmann::ordered_json x{{"name", e.name}, {"value", e.value}};
    if (e.upload_id) x["upload"] = e.upload_id;
    if (e.line) x["line"] = e.line;
    j.push_back(x);
  }
  return j.dump();
}

const Waiver* waiver_for(const RuleSet& rules, const Finding& f) {
  for (const auto& w : rules.waivers)
    if ((!w.fingerprint.empty() && w.fingerprint == f.fingerprint) ||
        (w.rule == f.rule && w.subject == f.subject))
      return &w;
  return nullptr;
}

}  // namespace

namespace {

// find(), over the records of every subject or (for find_for) of `subjects` only.
std::vector<Finding> find_over(store::Store& store, const model::Plan& plan, const RuleSet& rules,
                               const calendar::Period& period, calendar::Date as_of,
                               std::optional<calendar::Date> known_on, const std::vector<std::string>& only,
                               const std::vector<std::string>& subjects) {
  std::vector<const Rule*> selected;
  for (const auto& r : rules.rules)
    if (only.empty() || std::find(only.begin(), only.end(), r.id) != only.end()) selected.push_back(&r);
  int lookback = 2;  // custom rules see the period and the one before
  for (const auto* r : selected)
    if (r->kind != "sql") lookback = std::max(lookback, detail::lookback(*r));
  calendar::Period first = period;
  for (int i = 1; i < lookback && plan.calendar.first < first; ++i) first = calendar::previous(first);
  {
    // Milestones achieved in any period count, so the view reads their history too. The view is
    // let go once its SQL face is written.
    evaluation::View view(store, {first, period, as_of, known_on.value_or(as_of)},
                          {"", {}, false, {"milestone."}, subjects});
    evaluation::materialize(store, plan, view, period);
  }

  const std::string period_id = calendar::to_string(period);
  std::map<std::string, store::Value> params{
      {"period", period_id},
      {"as_of", calendar::to_string(as_of)},
      {"known_on", calendar::to_string(known_on.value_or(as_of))},
      {"start", calendar::to_string(calendar::start_of(period))},
      {"end", calendar::to_string(calendar::end_of(period))},
      {"due", calendar::to_string(plan.calendar.due(period))},
      {"monitoring_seq", static_cast<std::int64_t>(calendar::sequence(plan.calendar.monitored_from()))},
      {"monitoring_start", calendar::to_string(calendar::start_of(plan.calendar.monitored_from()))},
  };
  auto seq = store.query("SELECT value FROM e_param WHERE name = 'seq'", {});
  params["seq"] = seq.rows.at(0).at(0);

  std::vector<Finding> out;
  std::set<std::string> seen;
  for (const auto* r : selected) {
    std::string sql = r->kind == "sql" ? r->sql : detail::kind_sql(*r);
    store::QueryResult result;
    try {
      result = store.query(sql, params, rules.limits);
    } catch (const store::QueryError& e) {
      throw RuleError("rule " + model::quote(r->id) + " cannot be evaluated: " + e.what(), model::kInputError,
                      r->loc);
    }
    for (const auto& row : result.rows) {
      Finding f;
      f.rule = r->id;
      f.severity = r->severity;
      f.subject = rule_text(*r, "subject", store::to_text(row.at(0)));
      f.period = rule_text(*r, "period", store::to_text(row.at(1)));
      f.message = rule_text(*r, "message", store::to_text(row.at(2)));
      f.evidence = parse_evidence(rule_text(*r, "evidence", store::to_text(row.at(3))), *r);
      f.fingerprint = fingerprint(f.rule, f.subject, f.period);
      if (!seen.insert(f.fingerprint).second) continue;  // one finding per rule, subject, period
      if (const auto* w = waiver_for(rules, f); w && as_of <= w->expires) {
        f.status = Status::waived;
        f.waiver = w->reason + " (" + w->who + ", until " + calendar::to_string(w->expires) + ")";
      }
      out.push_back(std::move(f));
    }
  }
  // Expired waivers are findings themselves, so they are renewed or dropped, not forgotten.
  for (const auto& w : rules.waivers) {
    if (as_of <= w.expires) continue;
    Finding f;
    f.rule = "waiver-expired";
    f.severity = Severity::warning;
    f.subject = w.fingerprint.empty() ? w.rule + ":" + w.subject : w.fingerprint;
    f.period = period_id;
    f.message = "the waiver (" + w.reason + ", " + w.who + ") expired on " +
                calendar::to_string(w.expires) + "; renew it or remove it from " + w.loc.file;
    f.evidence = {{"expires", calendar::to_string(w.expires)}};
    f.fingerprint = fingerprint(f.rule, f.subject, f.period);
    if (seen.insert(f.fingerprint).second) out.push_back(std::move(f));
  }
  return out;
}

// The plan reduced to `subjects` (initiatives, commitments, work-plan activities): the same
// structure, calendar and organisations, and of the rest only what is named.
model::Plan reduced(const model::Plan& plan, const std::set<std::string, std::less<>>& subjects) {
  model::Plan r;
  r.info = plan.info;
  r.calendar = plan.calendar;
  r.domains = plan.domains;
  r.processes = plan.processes;
  r.organisations = plan.organisations;
  r.indicators = plan.indicators;
  r.files = plan.files;
  r.content_hash = plan.content_hash;
  for (const auto& i : plan.initiatives)
    if (subjects.count(i.id)) r.initiatives.push_back(i);
  for (const auto& c : plan.commitments)
    if (subjects.count(c.id)) r.commitments.push_back(c);
  for (const auto& w : plan.work_plans) {
    auto copy = w;
    copy.activities.clear();
    for (const auto& a : w.activities)
      if (subjects.count(a.id)) copy.activities.push_back(a);
    if (!copy.activities.empty()) r.work_plans.push_back(std::move(copy));
  }
  return r;
}

}  // namespace

std::vector<Finding> find(store::Store& store, const model::Plan& plan, const RuleSet& rules,
                          const calendar::Period& period, calendar::Date as_of,
                          std::optional<calendar::Date> known_on,
                          const std::vector<std::string>& only) {
  return find_over(store, plan, rules, period, as_of, known_on, only, {});
}

std::vector<Finding> find_for(store::Store& store, const model::Plan& plan, const RuleSet& rules,
                              const calendar::Period& period, calendar::Date as_of,
                              const std::vector<std::string>& subjects) {
  const std::set<std::string, std::less<>> wanted(subjects.begin(), subjects.end());
  if (wanted.empty()) return {};
  auto found = find_over(store, reduced(plan, wanted), rules, period, as_of, std::nullopt, {}, subjects);
  std::vector<Finding> out;
  for (auto& f : found) {
    std::string_view head(f.subject);
    head = head.substr(0, head.find('/'));
    if (f.rule != "waiver-expired" && wanted.count(head)) out.push_back(std::move(f));
  }
  return out;
}

std::string inputs_key(const store::Store& store, const model::Plan& plan, const RuleSet& rules,
                       const calendar::Period& period, calendar::Date as_of) {
  std::string key = "rules " + rules.hash + "\nplan " + plan.content_hash + "\nperiod " +
                    calendar::to_string(period) + "\nas_of " + calendar::to_string(as_of) +
                    "\nlast_upload " + std::to_string(store.last_upload_id()) + "\n";
  // Verified data only: which uploads count depends on the reviews too.
  if (auto by = store.verified_only())
    key += "verified_only " + calendar::to_string(*by) + " reviews " + std::to_string(store.last_review_id()) + "\n";
  // The SQL of the built-in kinds, so a run stored by a jvap whose kinds differ is not reused.
  for (const auto& r : rules.rules)
    if (r.kind != "sql") key += detail::kind_sql(r) + "\n";
  for (const auto& w : rules.waivers) {
    for (const auto* part : {&w.fingerprint, &w.rule, &w.subject, &w.reason, &w.who}) {
      key += *part;
      key += '\0';
    }
    key += calendar::to_string(w.expires) + "\n";
  }
  return model::sha256_hex(key);
}

Run evaluate(store::Store& store, const model::Plan& plan, const RuleSet& rules,
             const calendar::Period& period, calendar::Date as_of,
             const std::vector<std::string>& only, bool store_run) {
  // Taken before evaluating: an upload that lands meanwhile makes the key stale, never wrong.
  const std::string inputs = only.empty() ? inputs_key(store, plan, rules, period, as_of) : "";
  Run run;
  run.period = calendar::to_string(period);
  run.as_of = as_of;
  run.rules_hash = rules.hash;
  run.plan_hash = plan.content_hash;
  run.findings = find(store, plan, rules, period, as_of, std::nullopt, only);

  // Statuses against the previous run for this period.
  auto previous = store.last_run(run.period);
  if (previous) {
    run.previous_run = previous->id;
    run.previous_as_of = previous->as_of;
  }
  std::set<std::string> before, seen;
  if (previous)
    for (const auto& f : previous->findings)
      if (f.status != "resolved") before.insert(f.fingerprint);
  for (auto& f : run.findings) {
    seen.insert(f.fingerprint);
    if (f.status != Status::waived && before.count(f.fingerprint)) f.status = Status::carried_over;
  }
  if (previous)
    for (const auto& p : previous->findings) {
      if (p.status == "resolved" || seen.count(p.fingerprint)) continue;
      Finding f;
      f.rule = p.rule;
      f.severity = parse_severity(p.severity).value_or(Severity::info);
      f.subject = p.subject;
      f.period = p.period;
      f.message = p.message;
      f.evidence = parse_evidence(p.evidence);
      f.fingerprint = p.fingerprint;
      f.status = Status::resolved;
      // Only findings of rules that ran can be resolved by this run.
      if (!only.empty() && std::find(only.begin(), only.end(), p.rule) == only.end()) continue;
      run.findings.push_back(std::move(f));
    }
  std::stable_sort(run.findings.begin(), run.findings.end(), [](const Finding& a, const Finding& b) {
    bool ra = a.status == Status::resolved, rb = b.status == Status::resolved;
    if (ra != rb) return rb;
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.subject < b.subject;
  });

  if (!store_run) return run;
  store::StoredRun stored{0, run.period, as_of, rules.hash, plan.content_hash, inputs, {}};
  for (const auto& f : run.findings)
    stored.findings.push_back({f.fingerprint, f.rule, std::string(to_string(f.severity)), f.subject,
                               f.period, f.message, evidence_json(f.evidence),
                               std::string(to_string(f.status)), f.waiver});
  run.id = store.save_run(stored);
  return run;
}

}  // namespace jvap::rules
