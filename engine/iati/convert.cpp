// One IATI activity to a plan initiative (YAML) and its progress records, or the reasons it
// cannot be mapped: every organisation must be in the mapping, a sector, tag or the activity's own
// mapping must place it in a domain, a recipient country must be a member of one of the plan's
// processes, and the budget must be in one currency. Nothing is guessed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "iati/iati.hpp"
#include "model/codes.hpp"
#include "model/money.hpp"
#include "model/text.hpp"

namespace jvap::iati::detail {

namespace {

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

// A YAML double-quoted scalar.
std::string yq(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    out += c;
  }
  return out + "\"";
}

std::string flow(const std::vector<std::string>& v) {
  std::vector<std::string> q;
  for (const auto& s : v) q.push_back(yq(s));
  return "[" + join(q) + "]";
}

std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// An id jvap accepts: letters, digits, '_', '.', '-', starting with a letter or digit.
std::string plan_id(const std::string& identifier) {
  std::string out;
  for (char c : identifier) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ? c : '-';
  while (!out.empty() && !std::isalnum(static_cast<unsigned char>(out[0]))) out.erase(0, 1);
  return out;
}

// IATI activity-status to jvap's status.
const char* status_of(int code) {
  switch (code) {
    case 1: return "planned";
    case 2:
    case 3: return "ongoing";
    case 4: return "completed";
    case 5: return "cancelled";
    case 6: return "suspended";
  }
  return nullptr;
}

class Converter {
 public:
  Converter(const Activity& a, const model::Plan& plan, const Mapping& m, calendar::Date as_of)
      : a_(a), plan_(plan), m_(m), as_of_(as_of) {
    auto it = m.activities.find(a.identifier);
    if (it != m.activities.end()) own_ = &it->second;
  }

  Converted run() {
    for (const auto& p : a_.problems) out_.reasons.push_back(p);
    if (a_.identifier.empty()) out_.reasons.push_back("no iati-identifier");
    out_.id = own_ && !own_->id.empty() ? own_->id : plan_id(a_.identifier);
    organisations();
    placement();
    dates();
    countries_and_processes();
    budget();
    if (!out_.reasons.empty()) return std::move(out_);
    yaml();
    rows();
    return std::move(out_);
  }

 private:
  std::optional<std::string> org(const std::string& ref) {
    auto it = m_.organisations.find(ref);
    if (it != m_.organisations.end()) return it->second;
    unknown_orgs_.insert(ref);
    return std::nullopt;
  }
  void organisations() {
    if (a_.reporting_org.empty()) out_.reasons.push_back("no reporting-org");
    else if (auto r = org(a_.reporting_org)) out_.reporting = *r;
    for (const auto& [role, ref] : a_.orgs) {
      auto id = org(ref);
      if (!id) continue;
      auto& list = role == 1 ? funders_ : role == 4 ? implementers_ : others_;
      if (std::find(list.begin(), list.end(), *id) == list.end()) list.push_back(*id);
    }
    if (implementers_.empty() && own_) implementers_ = own_->implementers;
    if (!unknown_orgs_.empty())
      out_.reasons.push_back("organisations not in the mapping: " + join({unknown_orgs_.begin(), unknown_orgs_.end()}));
    else if (implementers_.empty())
      out_.reasons.push_back("no implementing organisation (participating-org role 4); give 'implementers' in the activity's mapping");
  }
  void add(const Placement& p) {
    for (const auto& d : p.domains)
      if (std::find(domains_.begin(), domains_.end(), d) == domains_.end()) domains_.push_back(d);
    for (const auto& x : p.priorities)
      if (std::find(priorities_.begin(), priorities_.end(), x) == priorities_.end()) priorities_.push_back(x);
  }
  void placement() {
    for (const auto& [vocab, code] : a_.sectors) {
      if (auto it = m_.sectors.find(vocab + ":" + code); it != m_.sectors.end()) add(it->second);
      else if (vocab == "1")
        if (auto plain = m_.sectors.find(code); plain != m_.sectors.end()) add(plain->second);
    }
    for (const auto& [vocab, code] : a_.tags)
      if (auto it = m_.tags.find(vocab + ":" + code); it != m_.tags.end()) add(it->second);
    if (own_) add(own_->place);
    std::sort(domains_.begin(), domains_.end());
    std::sort(priorities_.begin(), priorities_.end());
    if (domains_.empty()) {
      std::vector<std::string> seen;
      for (const auto& [v, c] : a_.sectors) seen.push_back(v + ":" + c);
      out_.reasons.push_back("no sector or tag in the mapping places it in a domain" +
                             (seen.empty() ? std::string(" (it has no sector)") : " (sectors: " + join(seen) + ")"));
    }
  }
  void countries_and_processes() {
    for (const auto& c : a_.countries) {
      bool member = false;
      for (const auto& p : plan_.processes)
        if (const auto* mem = p.member(c); mem && (!start_ || mem->active_on(*start_))) {
          member = true;
          if (std::find(processes_.begin(), processes_.end(), p.id) == processes_.end()) processes_.push_back(p.id);
        }
      if (member) countries_.push_back(c);
    }
    if (countries_.empty())
      out_.reasons.push_back(a_.countries.empty() ? "no recipient-country"
                                                  : "no recipient country is a member of a process of the plan on its start date (" +
                                                        join(a_.countries) + ")");
  }
  void dates() {
    auto pick = [&](int actual, int planned) -> std::optional<calendar::Date> {
      for (int t : {actual, planned})
        if (auto it = a_.dates.find(t); it != a_.dates.end())
          if (auto d = calendar::parse_date(it->second)) return d;
      return std::nullopt;
    };
    start_ = pick(2, 1);
    end_ = pick(4, 3);
    if (!start_) out_.reasons.push_back("no start date (activity-date type 1 or 2)");
    if (!end_) out_.reasons.push_back("no end date (activity-date type 3 or 4)");
    if (start_ && end_ && *end_ < *start_) out_.reasons.push_back("it ends before it starts");
  }
  std::string currency(const Money& m) const { return m.currency.empty() ? a_.default_currency : m.currency; }
  // The original budgets, each replaced by a revised one for the same period.
  void budget() {
    std::map<std::pair<std::string, std::string>, const Budget*> by_period;
    for (const auto& b : a_.budgets) {
      auto& slot = by_period[{b.start, b.end}];
      if (!slot || b.type == 2) slot = &b;
    }
    std::set<std::string> currencies;
    double total = 0;
    for (const auto& [k, b] : by_period) {
      currencies.insert(currency(b->value));
      total += b->value.value;
    }
    if (currencies.size() > 1) out_.reasons.push_back("budgets in several currencies (" + join({currencies.begin(), currencies.end()}) + ")");
    if (currencies.empty()) return;
    ccy_ = *currencies.begin();
    auto units = model::currency_minor_units(ccy_);
    if (!units) {
      out_.reasons.push_back("unknown budget currency '" + ccy_ + "'");
      return;
    }
    budget_minor_ = std::llround(total * std::pow(10.0, *units));
  }

  void yaml() {
    std::string& y = out_.yaml;
    y += "  # iati-identifier: " + a_.identifier + " (line " + std::to_string(a_.line) + ")\n";
    y += "  - id: " + out_.id + "\n";
    y += "    title: " + yq(a_.title.empty() ? a_.identifier : a_.title) + "\n";
    y += "    kind: project\n";
    y += "    domains: " + flow(domains_) + "\n";
    if (!priorities_.empty()) y += "    priorities: " + flow(priorities_) + "\n";
    y += "    processes: " + flow(processes_) + "\n";
    y += "    countries: " + flow(countries_) + "\n";
    y += "    implementers: " + flow(implementers_) + "\n";
    if (!funders_.empty()) y += "    funders: " + flow(funders_) + "\n";
    if (budget_minor_) y += "    budget: {amount: " + std::to_string(*budget_minor_) + ", currency: " + ccy_ + "}\n";
    y += "    start: " + calendar::to_string(*start_) + "\n";
    y += "    end: " + calendar::to_string(*end_) + "\n";
    y += "    reporting: " + flow({out_.reporting}) + "\n";
    indicators();
  }

  // The reporting period of the calendar holding a date, if the initiative is active in it.
  std::optional<calendar::Period> period_of(const std::string& date) const {
    auto d = calendar::parse_date(date);
    if (!d) return std::nullopt;
    auto p = calendar::period_containing(plan_.calendar.frequency, *d);
    if (p < plan_.calendar.first || calendar::end_of(p) < *start_ || calendar::start_of(p) > *end_) return std::nullopt;
    return p;
  }
  void indicators() {
    bool any = false;
    for (std::size_t i = 0; i < a_.indicators.size(); ++i) {
      const auto& ind = a_.indicators[i];
      if (ind.measure == 5) continue;  // qualitative: no number to follow
      if (!any) out_.yaml += "    indicators:\n";
      any = true;
      std::map<calendar::Period, double> targets;
      for (const auto& p : ind.periods)
        if (auto rp = period_of(p.end); rp && p.target) targets[*rp] = *p.target;  // the latest period wins
      out_.yaml += "      - {id: I" + std::to_string(i + 1) + ", title: " + yq(ind.title.empty() ? "Indicator " + std::to_string(i + 1) : ind.title) +
                   ", unit: " + (ind.measure == 2 ? "percent" : "units") + ", aggregation: per_period" +
                   (ind.baseline ? ", baseline: " + number_text(*ind.baseline) : "");
      if (!targets.empty()) {
        std::string t;
        for (const auto& [p, v] : targets) t += (t.empty() ? "" : ", ") + calendar::to_string(p) + ": " + number_text(v);
        out_.yaml += ", targets: {" + t + "}";
      }
      out_.yaml += "}\n";
    }
  }

  void row(const calendar::Period& p, const std::string& measure, const std::string& value) {
    if (calendar::start_of(p) > as_of_) return;  // not started: nothing can be reported for it
    out_.rows.push_back(model::csv_field(out_.id) + "," + calendar::to_string(p) + "," + measure + "," +
                        model::csv_field(value) + ",from IATI");
  }
  void rows() {
    if (const char* s = status_of(a_.status)) {
      auto d = a_.last_updated.empty() ? calendar::to_string(as_of_) : a_.last_updated;
      if (auto p = period_of(std::min(d, calendar::to_string(as_of_)))) row(*p, "status", s);
    }
    disbursements();
    for (std::size_t i = 0; i < a_.indicators.size(); ++i) {
      if (a_.indicators[i].measure == 5) continue;
      std::map<calendar::Period, double> actuals;
      for (const auto& p : a_.indicators[i].periods)
        if (auto rp = period_of(p.end); rp && p.actual) actuals[*rp] = *p.actual;
      for (const auto& [p, v] : actuals) row(p, "indicator.I" + std::to_string(i + 1), number_text(v));
    }
  }
  // Disbursements (transaction type 3) in the budget's currency, cumulative to each period.
  void disbursements() {
    if (!budget_minor_) return;
    std::map<calendar::Period, std::int64_t> per_period;
    int units = *model::currency_minor_units(ccy_);
    for (const auto& t : a_.transactions) {
      if (t.type != 3) continue;
      if (currency(t.value) != ccy_) {
        skipped_.push_back("a disbursement in " + currency(t.value));
        continue;
      }
      auto p = period_of(t.date);
      if (p) per_period[*p] += std::llround(t.value.value * std::pow(10.0, units));
    }
    std::int64_t total = 0;
    for (const auto& [p, v] : per_period) {
      total += v;
      row(p, "disbursed", model::decimal_text(total, ccy_));
    }
  }

  const Activity& a_;
  const model::Plan& plan_;
  const Mapping& m_;
  calendar::Date as_of_;
  const ActivityMapping* own_ = nullptr;
  Converted out_;
  std::set<std::string> unknown_orgs_;
  std::vector<std::string> funders_, implementers_, others_, domains_, priorities_, countries_, processes_, skipped_;
  std::optional<calendar::Date> start_, end_;
  std::string ccy_;
  std::optional<std::int64_t> budget_minor_;
};

}  // namespace

Converted convert(const Activity& a, const model::Plan& plan, const Mapping& m, calendar::Date as_of) {
  return Converter(a, plan, m, as_of).run();
}

}  // namespace jvap::iati::detail
