// The executive page: the status of each domain by a stated rule, the errors and warnings of the
// period naming their initiatives, what changed since the previous period, and (from the notes)
// the secretariat's narrative. First in the joint, process and domain reports.
#include <map>

#include "model/money.hpp"
#include "model/text.hpp"
#include "report/facts.hpp"

namespace jvap::report::detail {

namespace {

// The rule, stated on the page: red at an open error or below 75% of the reports complete, amber
// at an open warning or below 90%, green otherwise.
constexpr double kRedBelow = 75.0, kAmberBelow = 90.0;

struct DomainStatus {
  std::string rag, why;
};

DomainStatus rag(std::int64_t errors, std::int64_t warnings, const Cell& complete_pct) {
  const bool known = std::holds_alternative<double>(complete_pct);
  const double pct = known ? std::get<double>(complete_pct) : 100.0;
  std::vector<std::string> why;
  if (errors > 0) why.push_back(model::count_label(errors, "open error", "open errors"));
  if (warnings > 0) why.push_back(model::count_label(warnings, "open warning", "open warnings"));
  if (known && pct < kAmberBelow) why.push_back("reports " + format_cell(complete_pct, Type::percent) + " complete");
  std::string text;
  for (const auto& w : why) text += (text.empty() ? "" : "; ") + w;
  if (errors > 0 || pct < kRedBelow) return {"red", text};
  if (warnings > 0 || pct < kAmberBelow) return {"amber", text};
  return {"green", text.empty() ? "no open error or warning; reports " +
                                      (known ? format_cell(complete_pct, Type::percent) : std::string("-")) +
                                      " complete"
                                : text};
}

}  // namespace

Table Facts::domain_status() const {
  Table t{"executive.domains", "Status of each domain",
          "Red: an open error, or fewer than 75% of the expected reports complete. Amber: an open "
          "warning, or fewer than 90% complete. Green: neither. Open findings are those not waived; "
          "info findings do not count.", {}, {}};
  t.columns = {col("domain", "Domain", Type::code), col("title", "Title"), col("rag", "Status"),
               col("why", "Why"), col("active", "Active initiatives", Type::integer),
               col("complete_pct", "Reports complete %", Type::percent),
               col("errors", "Open errors", Type::integer), col("warnings", "Open warnings", Type::integer)};
  for (const auto* d : domains) {
    auto list = in_domain(d->id);
    std::int64_t active = 0, errors = 0, warnings = 0;
    for (const auto* x : list) active += x->active ? 1 : 0;
    for (const auto* f : findings_in_domain(d->id)) {
      if (!rules::is_open(f->status)) continue;
      errors += f->severity == rules::Severity::error ? 1 : 0;
      warnings += f->severity == rules::Severity::warning ? 1 : 0;
    }
    auto r = reports(list, req.period);
    auto complete = pct(r.complete, r.expected);
    auto s = rag(errors, warnings, complete);
    t.rows.push_back(cells(d->id, d->title, s.rag, s.why, active, complete, errors, warnings));
  }
  return t;
}

Table Facts::attention() const {
  Table t{"executive.attention", "Errors and warnings of the period",
          "Open findings (not waived), errors first. Status: new this period (not found for " +
              previous_period_text() + ") or carried over. Every finding, info included, is in the annex.",
          {}, {}};
  t.columns = {col("severity", "Severity"), col("subject", "Subject", Type::code),
               col("about", "About"), col("finding", "Finding"), col("rule", "Rule", Type::code),
               col("status", "Status")};
  for (const auto* f : current_in_scope_) {
    if (f->status == rules::Status::waived || f->severity == rules::Severity::info) continue;
    auto head = subject_of(*f).substr(0, subject_of(*f).find('/'));
    const auto* x = find(head);
    t.rows.push_back(cells(std::string(rules::to_string(f->severity)), f->subject,
                           x ? x->ini->title : std::string(), f->message, f->rule, since(*f)));
  }
  return t;
}

Table Facts::changes() const {
  const bool has_previous = req.period > plan.calendar.first;
  const auto prev = has_previous ? calendar::previous(req.period) : req.period;
  const bool monitored = has_previous && prev >= plan.calendar.monitored_from();
  Table t{"executive.changes", "What changed since " + previous_period_text(),
          "Both periods as known on " + calendar::to_string(req.known_on) + "." +
              (monitored ? std::string() : " No report was expected for " + previous_period_text() +
                                               " (before the monitoring start)."),
          {}, {}};
  t.columns = {col("measure", "Measure"), col("previous", previous_period_text(), Type::number),
               col("current", calendar::to_string(req.period), Type::number),
               col("change", "Change", Type::text)};
  auto row = [&](const std::string& label, Cell before, Cell now, Type type) {
    Cell change;
    auto num = [](const Cell& c) -> std::optional<double> {
      if (std::holds_alternative<std::int64_t>(c)) return static_cast<double>(std::get<std::int64_t>(c));
      if (std::holds_alternative<double>(c)) return std::get<double>(c);
      return std::nullopt;
    };
    if (auto a = num(before), b = num(now); a && b) {
      // Signed, and in points for a percentage: "+5.7 points", "-4", "0".
      char buf[32];
      const double d = type == Type::percent ? std::round((*b - *a) * 10.0) / 10.0 : std::round(*b - *a);
      std::snprintf(buf, sizeof buf, type == Type::percent ? "%+.1f points" : "%+.0f", d);
      change = d == 0 ? std::string(type == Type::percent ? "0.0 points" : "0") : std::string(buf);
    }
    t.rows.push_back(cells(label, std::move(before), std::move(now), std::move(change)));
    t.row_types.push_back(type);
  };
  std::int64_t active_before = 0, active_now = 0;
  for (const auto* x : in_scope) {
    active_now += x->active ? 1 : 0;
    active_before += has_previous && x->ini->active_in(prev) ? 1 : 0;
  }
  row("Initiatives active", has_previous ? Cell(active_before) : Cell{}, active_now, Type::integer);
  auto now = reports(in_scope, req.period);
  auto before = monitored ? reports(in_scope, prev) : evaluation::Tally{};
  row("Reports complete %", monitored ? pct(before.complete, before.expected) : Cell{},
      pct(now.complete, now.expected), Type::percent);
  row("Reports missing", monitored ? Cell(before.missing) : Cell{}, now.missing, Type::integer);
  std::map<rules::Severity, std::int64_t> open_now, open_before;
  for (const auto* f : current_in_scope_)
    if (f->status != rules::Status::waived) open_now[f->severity]++;
  std::int64_t resolved = 0;
  for (const auto& f : findings_.previous)
    if (f.status != rules::Status::waived && finding_in_scope(f)) {
      open_before[f.severity]++;
      if (!current_keys_.count(key_of(f))) ++resolved;
    }
  for (auto sev : {rules::Severity::error, rules::Severity::warning, rules::Severity::info})
    row(std::string("Open ") + (sev == rules::Severity::info ? "info findings" : std::string(rules::to_string(sev)) + "s"),
        has_previous ? Cell(open_before[sev]) : Cell{}, open_now[sev], Type::integer);
  std::int64_t fresh = 0;
  for (const auto* f : current_in_scope_)
    if (since(*f) == "new this period") ++fresh;
  t.rows.push_back(cells(std::string("Findings new this period"), Cell{}, fresh, Cell{}));
  t.row_types.push_back(Type::integer);
  t.rows.push_back(cells("Findings resolved since " + previous_period_text(), Cell{}, resolved, Cell{}));
  t.row_types.push_back(Type::integer);
  return t;
}

Table Facts::info_matrix() const {
  Table t{"summary.info_matrix", "Info findings by rule and domain",
          "Open info findings (gaps for the secretariat to raise, not errors of the reporters); a "
          "finding counts in each domain it concerns, and once in the total. Each is listed in the "
          "annex.", {}, {}};
  t.columns = {col("rule", "Rule", Type::code), col("title", "Title")};
  for (const auto* d : domains) t.columns.push_back(col(d->id, d->id, Type::integer));
  t.columns.push_back(col("total", "Findings", Type::integer));
  std::map<std::string, std::pair<std::map<std::string, std::int64_t>, std::int64_t>> by_rule;
  for (const auto* f : current_in_scope_) {
    if (f->severity != rules::Severity::info || !rules::is_open(f->status)) continue;
    auto& [per_domain, total] = by_rule[f->rule];
    ++total;
    for (const auto& d : finding_domains(*f)) per_domain[d]++;
  }
  for (const auto& [rule, counts] : by_rule) {
    auto row = cells(rule, rule_title(rule));
    for (const auto* d : domains) {
      auto it = counts.first.find(d->id);
      row.push_back(it == counts.first.end() ? std::int64_t{0} : it->second);
    }
    row.push_back(counts.second);
    t.rows.push_back(std::move(row));
  }
  return t;
}

Section Facts::executive() const {
  Section s{"executive", "At a glance", "", {}, {}};
  s.tables.push_back(domain_status());
  s.tables.push_back(attention());
  s.tables.push_back(changes());
  return s;
}

}  // namespace jvap::report::detail
