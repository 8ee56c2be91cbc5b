#include "ingest/row_checker.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "model/codes.hpp"
#include "model/text.hpp"

namespace jvap::ingest::detail {

using model::quote;

namespace {

const std::vector<std::string> kStatuses{"planned", "ongoing", "completed", "suspended",
                                         "cancelled"};
const std::vector<std::string> kStages{"drafted", "adopted", "in_force", "implemented"};
const std::vector<std::string> kMeasures{"status", "disbursed", "stage", "narrative",
                                         "indicator.", "milestone."};

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool has_outer_space(const std::string& s) {
  return !s.empty() && (std::isspace(static_cast<unsigned char>(s.front())) ||
                        std::isspace(static_cast<unsigned char>(s.back())));
}

// A plain decimal: optional '-', digits, optional '.' and digits. Returns the canonical text
// (no leading zeros, no trailing fractional zeros, no "-0").
std::optional<std::string> canonical_decimal(std::string_view s, bool allow_negative,
                                             std::string& error) {
  bool negative = !s.empty() && s[0] == '-';
  std::string_view body = negative ? s.substr(1) : s;
  auto dot = body.find('.');
  std::string_view whole = body.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : body.substr(dot + 1);
  auto digits = [](std::string_view d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || !digits(whole) || !digits(frac) ||
      (dot != std::string_view::npos && frac.empty())) {
    error = "expected a number like 1200 or 1200.5, found " + quote(s);
    if (s.find(',') != std::string_view::npos || s.find(' ') != std::string_view::npos)
      error += " (no thousands separators; use '.' for decimals)";
    return std::nullopt;
  }
  if (negative && !allow_negative) {
    error = "must not be negative, found " + quote(s);
    return std::nullopt;
  }
  while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
  while (!frac.empty() && frac.back() == '0') frac.remove_suffix(1);
  std::string out(whole);
  if (!frac.empty()) out += "." + std::string(frac);
  if (negative && out != "0") out = "-" + out;
  return out;
}

}  // namespace

RowChecker::RowChecker(const model::Plan& plan, const Options& options)
    : plan_(plan), options_(options) {
  using K = Subject::Kind;
  for (const auto& i : plan.initiatives) subjects_.push_back({K::initiative, i.id, &i, nullptr, nullptr, nullptr, &i.reporting});
  for (const auto& c : plan.commitments) subjects_.push_back({K::commitment, c.id, nullptr, &c, nullptr, nullptr, &c.reporting});
  for (const auto& w : plan.work_plans)
    for (const auto& a : w.activities) subjects_.push_back({K::activity, a.id, nullptr, nullptr, &w, &a, &w.reporting});
  index_.reserve(subjects_.size());
  for (std::size_t i = 0; i < subjects_.size(); ++i) index_.emplace(subjects_[i].code, i);
}

std::optional<std::string> RowChecker::check_value(const model::Initiative& ini,
                                                   const std::string& measure,
                                                   const std::string& value,
                                                   std::optional<double>& num,
                                                   std::string& error) const {
  if (measure == "narrative") {
    if (value.find_first_not_of(" \t\r\n") == std::string::npos) {
      error = "narrative is empty";
      return std::nullopt;
    }
    return value;
  }
  if (has_outer_space(value)) {
    error = "value " + quote(value) + " has leading or trailing spaces";
    return std::nullopt;
  }
  if (measure == "status" || measure == "stage") {
    const auto& set = measure == "status" ? kStatuses : kStages;
    if (std::find(set.begin(), set.end(), value) != set.end()) return value;
    error = "invalid " + measure + " " + quote(value) + model::did_you_mean(value, set) +
            "; expected one of: " + join(set);
    return std::nullopt;
  }
  if (measure == "disbursed") {
    auto dec = canonical_decimal(value, false, error);
    if (!dec) return std::nullopt;
    int units = model::currency_minor_units(ini.budget->currency).value_or(2);
    auto dot = dec->find('.');
    std::string whole = dec->substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : dec->substr(dot + 1);
    if (static_cast<int>(frac.size()) > units) {
      error = "amount " + quote(value) + " has more decimals than " + ini.budget->currency +
              " allows (" + std::to_string(units) + ")";
      return std::nullopt;
    }
    frac.append(units - frac.size(), '0');
    std::int64_t minor = 0;
    std::string digits = whole + frac;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), minor);
    if (ec != std::errc{} || minor > (std::int64_t{1} << 53)) {
      error = "amount " + quote(value) + " is too large";
      return std::nullopt;
    }
    num = static_cast<double>(minor);
    return units > 0 ? whole + "." + frac : whole;
  }
  if (measure.rfind("indicator.", 0) == 0) {
    auto dec = canonical_decimal(value, true, error);
    if (!dec) return std::nullopt;
    double v = 0;
    auto [ptr, ec] = std::from_chars(dec->data(), dec->data() + dec->size(), v);
    if (ec != std::errc{} || !std::isfinite(v) || std::fabs(v) > 1e15) {
      error = "number " + quote(value) + " is out of range";
      return std::nullopt;
    }
    num = v;
    return dec;
  }
  // milestone.<id>: the date it was achieved.
  auto d = calendar::parse_date(value);
  if (!d) {
    error = "expected the date the milestone was achieved as YYYY-MM-DD, found " + quote(value);
    return std::nullopt;
  }
  if (*d > options_.as_of) {
    error = "milestone achieved on " + value + ", after the as-of date " +
            calendar::to_string(options_.as_of);
    return std::nullopt;
  }
  return value;
}

const Subject* RowChecker::subject(const RawRow& row, const ProblemAt& problem) {
  const std::string& code = row.fields[kInitiative];
  // Uploads list an initiative's rows together: the last lookup usually answers.
  if (code != last_code_) {
    last_code_ = code;
    auto it = index_.find(std::string_view(code));
    last_index_ = it == index_.end() ? kNone : it->second;
  }
  if (last_index_ == kNone) {
    if (ids_.empty())
      for (const auto& s : subjects_) ids_.emplace_back(s.code);
    problem(kInitiative, code.empty() ? "initiative is empty"
                                      : "unknown initiative, commitment or activity " + quote(code) +
                                            model::invisible_note(code) + model::did_you_mean(code, ids_));
    return nullptr;
  }
  const auto* s = &subjects_[last_index_];
  const auto& reporting = *s->reporting;
  if (std::find(reporting.begin(), reporting.end(), options_.org) == reporting.end()) {
    const char* what = s->kind == Subject::Kind::initiative ? "initiative "
                       : s->kind == Subject::Kind::commitment ? "commitment " : "work-plan activity ";
    not_theirs_ = true;
    problem(kInitiative, "organisation " + quote(options_.org) + " does not report on " + what +
                             quote(code) + " (its reporting organisations: " + join(reporting) + ")");
  }
  return s;
}

void RowChecker::period(const RawRow& row, const Subject* s, const ProblemAt& problem) {
  const model::Initiative* ini = s ? s->initiative : nullptr;
  const std::string& pid = row.fields[kPeriod];
  if (pid != last_period_ || !last_parsed_) {
    last_period_ = pid;
    last_parsed_ = calendar::parse_period(pid);
  }
  const auto& cal = plan_.calendar;
  if (!last_parsed_) {
    problem(kPeriod, "invalid period " + quote(pid) + model::invisible_note(pid) + ": expected a " +
                         std::string(calendar::to_string(cal.frequency)) + " period such as " +
                         calendar::to_string(cal.first));
  } else if (!cal.is_reporting_period(*last_parsed_)) {
    problem(kPeriod, last_parsed_->frequency != cal.frequency
                         ? "period " + quote(pid) + " is not a " +
                               std::string(calendar::to_string(cal.frequency)) + " reporting period"
                         : "period " + quote(pid) + " is before the first reporting period " +
                               calendar::to_string(cal.first));
  } else if (calendar::start_of(*last_parsed_) > options_.as_of) {
    problem(kPeriod, "period " + quote(pid) + " has not started on the as-of date " +
                         calendar::to_string(options_.as_of));
  } else if (calendar::start_of(*last_parsed_) > options_.received_on) {
    problem(kPeriod, "period " + quote(pid) + " starts on " + calendar::to_string(calendar::start_of(*last_parsed_)) +
                         ", after the file was received (" + calendar::to_string(options_.received_on) +
                         "): a report cannot arrive before its period; check --received-on");
  } else if (ini && !ini->active_in(*last_parsed_)) {
    problem(kPeriod, "period " + quote(pid) + " is outside the life of initiative " + quote(ini->id) +
                         " (" + calendar::to_string(ini->start) + " to " + calendar::to_string(ini->end) + ")");
  } else if (s && !ini) {
    if (auto why = work_period_problem(*s, *last_parsed_); !why.empty()) problem(kPeriod, why);
  }
}

// An indicator.<id> or milestone.<id> of the initiative.
bool RowChecker::known_target(const std::string& measure, const model::Initiative* ini,
                              const ProblemAt& problem) const {
  bool indicator = measure[0] == 'i';
  std::string_view id = std::string_view(measure).substr(measure.find('.') + 1);
  if (!ini) return !id.empty();
  if (indicator ? ini->indicator(id) != nullptr : ini->milestone(id) != nullptr) return true;
  std::vector<std::string> known;
  if (indicator)
    for (const auto& x : ini->indicators) known.push_back(x.id);
  else
    for (const auto& x : ini->milestones) known.push_back(x.id);
  std::string hint = model::did_you_mean(id, known);
  problem(kMeasure, std::string("unknown ") + (indicator ? "indicator " : "milestone ") + quote(id) +
                        model::invisible_note(id) +
                        " for initiative " + quote(ini->id) +
                        (hint.empty() ? (known.empty() ? " (it has none)" : " (it has: " + join(known) + ")")
                                      : hint));
  return false;
}

bool RowChecker::measure(const std::string& measure, const model::Initiative* ini,
                         const ProblemAt& problem) const {
  if (measure == "status" || measure == "narrative") return true;
  if (measure == "stage") {
    if (!ini || ini->kind == model::InitiativeKind::policy) return true;
    problem(kMeasure, "measure 'stage' is for policies; " + quote(ini->id) + " is a project");
    return false;
  }
  if (measure == "disbursed") {
    if (!ini || ini->budget.has_value()) return true;
    problem(kMeasure, "initiative " + quote(ini->id) + " has no budget to disburse");
    return false;
  }
  if (measure.rfind("indicator.", 0) == 0 || measure.rfind("milestone.", 0) == 0)
    return known_target(measure, ini, problem);
  problem(kMeasure, (measure.empty() ? std::string("measure is empty")
                                     : "unknown measure " + quote(measure) + model::invisible_note(measure) +
                                           model::did_you_mean(measure, kMeasures)) +
                        "; expected status, disbursed, stage, narrative, indicator.<id> or milestone.<id>");
  return false;
}

std::optional<CheckedRow> RowChecker::check(const RawRow& row, std::vector<Problem>& problems) {
  std::size_t before = problems.size();
  ProblemAt problem = [&](Column c, std::string message) {
    problems.push_back({row.lines[c] ? row.lines[c] : row.line, kColumnNames[c], std::move(message), false,
                        row.cols[c], row.record});
    if (not_theirs_) problems.back().not_theirs = true;
    not_theirs_ = false;
  };
  // Control characters never get in; a narrative or comment may have line breaks and tabs.
  for (int c = 0; c < kColumns; ++c) {
    const auto& f = row.fields[c];
    bool free_text = c == kComment || (c == kValue && row.fields[kMeasure] == "narrative");
    if (auto at = model::find_control(f, free_text ? "\t\n\r" : ""); at != std::string::npos)
      problem(static_cast<Column>(c), model::describe_char_at(f, at) + " in " + quote(f) + ": remove it");
  }
  if (problems.size() != before) return std::nullopt;
  const auto* subj = subject(row, problem);
  const auto* ini = subj ? subj->initiative : nullptr;
  period(row, subj, problem);
  const std::string& m = row.fields[kMeasure];
  bool work = subj && !ini;
  std::string error;
  // An unknown subject's measure is only checked against the measures of any subject.
  bool measure_ok = work ? work_measure(*subj, m, error)
                    : !subj && is_work_measure(m) ? true : measure(m, ini, problem);
  if (work && !measure_ok) problem(kMeasure, error);
  std::optional<double> num;
  std::optional<std::string> value;
  // A blank value is "not reported" (docs/records-format.md): the row's other columns must still
  // be right, and then it is skipped.
  if (row.fields[kValue].find_first_not_of(" \t") == std::string::npos) {
    if (problems.size() != before) return std::nullopt;
    CheckedRow skipped{ini, last_index_, subj->code, m, "", std::nullopt};
    skipped.not_reported = true;
    return skipped;
  }
  if (measure_ok && ini) {
    if (!(value = check_value(*ini, m, row.fields[kValue], num, error))) problem(kValue, error);
  } else if (measure_ok && work) {
    if (!(value = work_value(plan_, *subj, m, row.fields[kValue], options_.as_of, error))) problem(kValue, error);
  }
  if (problems.size() != before) return std::nullopt;
  return CheckedRow{ini, last_index_, subj->code, m, std::move(*value), num};
}

}  // namespace jvap::ingest::detail
