// The cross-file checks of commitments and work plans: who made a commitment and who reports on
// it, its domains and priorities, the initiatives that implement it; a work plan's process and
// chairmanship, and its activities' dates, hosts, leads, commitments and domains.
#include <algorithm>

#include "model/codes.hpp"
#include "plan/checker.hpp"

namespace jvap::plan::detail {

using model::quote;

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string days(calendar::Date d) { return calendar::to_string(d); }

class WorkValidator {
 public:
  WorkValidator(RawPlan& raw, model::Plan& plan, Checker& c, const KnownIds& k)
      : raw_(raw), plan_(plan), c_(c), k_(k) {}

  void commitments() {
    for (auto& rc : raw_.commitments) {
      if (!c_.unique(commitment_ids_, rc.m.id, rc.m.loc, "commitment")) continue;
      commitment(rc);
      plan_.commitments.push_back(rc.m);
    }
  }

  void links() {
    for (const auto& c : plan_.commitments) commitment_ids_.emplace(c.id, c.loc);
    subjects();
    implementing();
    for (auto& w : raw_.work_plans) work_plan(w);
  }

 private:
  void commitment(RawCommitment& rc);
  void domains(const std::vector<LocatedId>& domains, const std::vector<LocatedId>& priorities,
               std::vector<std::string>& out_domains, std::vector<std::string>* out_priorities);
  void subjects();
  void implementing();
  void work_plan(RawWorkPlan& w);
  bool chairmanship(RawWorkPlan& w, const model::Process& p);
  void activity(RawActivity& a, const RawWorkPlan& w, const model::Process& p);
  const model::Process* process(const std::string& id) const {
    return plan_.process(id);
  }
  std::vector<std::string> secretariats(const std::vector<std::string>& processes) const {
    std::vector<std::string> out;
    for (const auto& id : processes)
      if (auto it = k_.process_by_id.find(id); it != k_.process_by_id.end())
        for (const auto& o : it->second->m.secretariat)
          if (std::find(out.begin(), out.end(), o) == out.end()) out.push_back(o);
    return out;
  }
  bool party(const LocatedId& id, std::string_view what) {
    if (k_.parties.count(id.value)) return true;
    if (!c_.broken("party", id.value)) c_.unknown(id.loc, what, id.value, k_.parties);
    return false;
  }

  RawPlan& raw_;
  model::Plan& plan_;
  Checker& c_;
  const KnownIds& k_;
  std::map<std::string, SourceLoc> commitment_ids_, work_plan_ids_, subject_ids_;
};

// Domains known, priorities known and of one of those domains.
void WorkValidator::domains(const std::vector<LocatedId>& domains, const std::vector<LocatedId>& priorities,
                            std::vector<std::string>& out_domains, std::vector<std::string>* out_priorities) {
  for (const auto& d : domains) {
    if (k_.domains.count(d.value)) out_domains.push_back(d.value);
    else if (!c_.broken("domain", d.value)) c_.unknown(d.loc, "domain", d.value, k_.domains);
  }
  for (const auto& p : priorities) {
    auto it = k_.priority_domain.find(p.value);
    if (it == k_.priority_domain.end()) {
      if (!c_.broken("priority", p.value)) c_.unknown(p.loc, "priority", p.value, k_.priorities);
    } else if (std::find(out_domains.begin(), out_domains.end(), it->second) == out_domains.end()) {
      c_.error(p.loc, "priority " + quote(p.value) + " belongs to domain " + it->second +
                          ", which is not among the commitment's domains");
    } else if (out_priorities) {
      out_priorities->push_back(p.value);
    }
  }
}

void WorkValidator::commitment(RawCommitment& rc) {
  auto& m = rc.m;
  std::vector<std::string> processes;
  for (const auto& b : rc.made_by) {
    if (k_.processes.count(b.value)) {
      processes.push_back(b.value);
    } else if (!k_.parties.count(b.value)) {
      if (!c_.broken("party", b.value) && !c_.broken("process", b.value)) {
        auto known = k_.parties;
        known.insert(k_.processes.begin(), k_.processes.end());
        c_.unknown(b.loc, "commitment maker (not a process, member state or organisation)", b.value, known);
      }
      continue;
    }
    m.made_by.push_back(b.value);
  }
  domains(rc.domains, rc.priorities, m.domains, &m.priorities);
  for (const auto& r : rc.reporting)
    if (party(r, "reporting organisation (not an organisation id or member state)")) m.reporting.push_back(r.value);
  if (rc.reporting.empty()) {
    m.reporting = secretariats(processes);
    // (an unknown maker is its own error: who would report depends on it)
    if (m.reporting.empty() && !rc.made_by.empty() && m.made_by.size() == rc.made_by.size())
      c_.error(m.loc, "nobody reports on commitment " + quote(m.id) +
                          ": give it 'reporting' organisations, or its processes a 'secretariat'");
  }
}

// Initiatives, commitments and activities share one id space: an upload names any of them.
void WorkValidator::subjects() {
  for (const auto& i : plan_.initiatives) subject_ids_.emplace(i.id, i.loc);
  for (const auto& c : plan_.commitments)
    if (!subject_ids_.emplace(c.id, c.loc).second)
      c_.error(c.loc, "commitment id " + quote(c.id) + " is also an initiative's id (" +
                          at(subject_ids_[c.id]) + "); uploads name both by id, so use another");
}

// Each initiative's commitments exist; each commitment learns the initiatives behind it.
void WorkValidator::implementing() {
  for (const auto& ri : raw_.initiatives)
    for (const auto& c : ri.commitments)
      if (!commitment_ids_.count(c.value)) c_.unknown(c.loc, "commitment", c.value, commitment_ids_);
  for (auto& c : plan_.commitments)
    for (const auto& i : plan_.initiatives)
      if (std::find(i.commitments.begin(), i.commitments.end(), c.id) != i.commitments.end())
        c.initiatives.push_back(i.id);
}

// The chairmanship a work plan is for: a chair of the process whose term starts on that date.
bool WorkValidator::chairmanship(RawWorkPlan& w, const model::Process& p) {
  auto it = std::find_if(p.chairs.begin(), p.chairs.end(),
                         [&](const model::Chair& ch) { return ch.from == *w.chairmanship; });
  if (it == p.chairs.end()) {
    std::vector<std::string> starts;
    for (const auto& ch : p.chairs) starts.push_back(ch.state + " " + days(ch.from));
    c_.error(w.chairmanship_loc, "no chair of process " + quote(p.id) + " starts on " + days(*w.chairmanship) +
                                     (starts.empty() ? " (it has no chairs)" : " (chair terms start: " + join(starts) + ")"));
    return false;
  }
  w.m.chair = it->state;
  w.m.from = it->from;
  w.m.to = it->to;
  for (const auto& other : plan_.work_plans)
    if (other.process == p.id && !other.chair.empty() && other.from == w.m.from) {
      c_.error(w.chairmanship_loc, "work plan " + quote(other.id) + " already covers the chairmanship of " +
                                       it->state + " from " + days(it->from));
      return false;
    }
  return true;
}

void WorkValidator::work_plan(RawWorkPlan& w) {
  if (!c_.unique(work_plan_ids_, w.m.id, w.m.loc, "work plan")) return;
  const auto* p = process(w.process.value);
  if (!p) {
    if (!w.process.value.empty() && !c_.broken("process", w.process.value))
      c_.unknown(w.process.loc, "process", w.process.value, k_.processes);
    return;
  }
  if (w.chairmanship && !chairmanship(w, *p)) return;
  if (!w.chairmanship && !w.span_given) return;  // reported by the parser
  for (const auto& r : w.reporting)
    if (party(r, "reporting organisation (not an organisation id or member state)")) w.m.reporting.push_back(r.value);
  if (w.reporting.empty()) {
    w.m.reporting = p->secretariat;
    if (w.m.reporting.empty())
      c_.error(w.m.loc, "nobody reports on work plan " + quote(w.m.id) + ": give it 'reporting' "
                        "organisations, or process " + quote(p->id) + " a 'secretariat'");
  }
  for (auto& a : w.activities) {
    activity(a, w, *p);
    w.m.activities.push_back(a.m);
  }
  plan_.work_plans.push_back(w.m);
}

void WorkValidator::activity(RawActivity& a, const RawWorkPlan& w, const model::Process& p) {
  auto& m = a.m;
  if (!subject_ids_.emplace(m.id, m.loc).second)
    c_.error(m.loc, "activity id " + quote(m.id) + " is already used (" + at(subject_ids_[m.id]) +
                        "); initiatives, commitments and activities need distinct ids");
  if (a.dates_ok && (m.from < w.m.from || (w.m.to && m.to > *w.m.to)))
    c_.error(m.loc, "activity " + quote(m.id) + " is planned " +
                        (m.from == m.to ? "on " + days(m.from) : "from " + days(m.from) + " to " + days(m.to)) +
                        ", outside work plan " + quote(w.m.id) + " (" + days(w.m.from) + " to " +
                        (w.m.to ? days(*w.m.to) : std::string("open")) + ")");
  if (!a.host.value.empty()) {
    if (!model::country_name(a.host.value))
      c_.error(a.host.loc, "unknown country code " + quote(a.host.value) +
                               ": expected an ISO 3166-1 alpha-2 code such as 'ET' or 'DE'");
    else if (!p.member(a.host.value))
      c_.error(a.host.loc, "host " + quote(a.host.value) + " is not a member of process " + quote(p.id));
    m.host = a.host.value;
  }
  if (!a.lead.value.empty() && party(a.lead, "lead (not an organisation id or member state)")) m.lead = a.lead.value;
  for (const auto& c : a.commitments) {
    const auto* found = plan_.commitment(c.value);
    if (!found) {
      c_.unknown(c.loc, "commitment", c.value, commitment_ids_);
      continue;
    }
    m.commitments.push_back(c.value);
    m.domains.insert(m.domains.end(), found->domains.begin(), found->domains.end());
  }
  domains(a.domains, {}, m.domains, nullptr);
  std::sort(m.domains.begin(), m.domains.end());
  m.domains.erase(std::unique(m.domains.begin(), m.domains.end()), m.domains.end());
}

}  // namespace

void validate_commitments(RawPlan& raw, model::Plan& plan, Checker& c, const KnownIds& known) {
  WorkValidator(raw, plan, c, known).commitments();
}

void validate_links(RawPlan& raw, model::Plan& plan, Checker& c, const KnownIds& known) {
  WorkValidator v(raw, plan, c, known);
  v.links();
}

}  // namespace jvap::plan::detail
