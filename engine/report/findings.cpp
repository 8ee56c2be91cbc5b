// The findings a report shows, and the small value helpers of ReportData.
#include "report/report.hpp"

namespace jvap::report {

std::string_view to_string(Kind k) {
  switch (k) {
    case Kind::joint: return "joint";
    case Kind::process: return "process";
    case Kind::domain: return "domain";
    case Kind::partner: return "partner";
    case Kind::work_plan: return "work_plan";
  }
  return "joint";
}

std::vector<std::pair<const char*, const std::string*>> Cover::fields() const {
  return {{"title", &title}, {"kind", &kind}, {"scope", &scope}, {"period", &period},
          {"period_start", &period_start}, {"period_end", &period_end}, {"due", &due},
          {"as_of", &as_of}, {"known_on", &known_on}, {"plan_id", &plan_id},
          {"plan_title", &plan_title}, {"plan_hash", &plan_hash}, {"rules_hash", &rules_hash},
          {"findings_source", &findings_source}, {"generator", &generator}, {"chair", &chair},
          {"steering_committee", &steering_committee}, {"records", &records}};
}

std::string_view to_string(Type t) {
  switch (t) {
    case Type::text: return "text";
    case Type::code: return "code";
    case Type::integer: return "integer";
    case Type::number: return "number";
    case Type::percent: return "percent";
    case Type::money: return "money";
    case Type::date: return "date";
  }
  return "text";
}

int Table::column(std::string_view key) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].key == key) return static_cast<int>(i);
  return -1;
}

const Table* Section::table(std::string_view table_id) const {
  for (const auto& t : tables)
    if (t.id == table_id) return &t;
  return nullptr;
}

const Section* Report::section(std::string_view section_id) const {
  for (const auto& s : sections)
    if (s.id == section_id) return &s;
  return nullptr;
}

namespace {

// The findings of `period`: from a stored run made on the same date with the same rules and plan
// when the records are those known on that date, else evaluated now.
std::vector<rules::Finding> findings_of(store::Store& store, const model::Plan& plan,
                                        const rules::RuleSet& rules, const Request& req,
                                        const calendar::Period& period, std::string& source) {
  const std::string id = calendar::to_string(period);
  if (req.known_on == req.as_of) {
    if (auto run = store.find_run(id, rules::inputs_key(store, plan, rules, period, req.as_of))) {
      std::vector<rules::Finding> out;
      for (const auto& s : run->findings) {
        if (s.status == "resolved") continue;
        rules::Finding f;
        f.rule = s.rule;
        f.severity = rules::parse_severity(s.severity).value_or(rules::Severity::info);
        f.subject = s.subject;
        f.period = s.period;
        f.message = s.message;
        f.evidence = rules::parse_evidence(s.evidence);
        f.fingerprint = s.fingerprint;
        f.status = s.status == "waived" ? rules::Status::waived : rules::Status::new_;
        f.waiver = s.waiver;
        out.push_back(std::move(f));
      }
      source = "stored";
      return out;
    }
  }
  source = "evaluated";
  return rules::find(store, plan, rules, period, req.as_of, req.known_on);
}

}  // namespace

Findings gather_findings(store::Store& store, const model::Plan& plan,
                         const rules::RuleSet& rules, const Request& req) {
  Findings f;
  std::string previous_source;
  if (plan.calendar.first < req.period) {
    calendar::Period prev = plan.calendar.first;
    while (calendar::next(prev) < req.period) prev = calendar::next(prev);
    f.previous = findings_of(store, plan, rules, req, prev, previous_source);
  }
  f.current = findings_of(store, plan, rules, req, req.period, f.source);
  f.source = "period " + f.source + (previous_source.empty() ? "" : ", previous period " + previous_source);
  return f;
}

}  // namespace jvap::report
