// The measures of commitments and work-plan activities (docs/records-format.md, "Commitments and
// work-plan activities"): which measure names each takes and their values in canonical form.
#include <algorithm>
#include <set>

#include "ingest/row_checker.hpp"
#include "model/text.hpp"

namespace jvap::ingest::detail {

using model::quote;
using K = Subject::Kind;

namespace {

const std::vector<std::string> kProgress{"not_started", "in_progress", "fulfilled", "dropped"};
const std::vector<std::string> kOutcomes{"held", "postponed", "cancelled"};
const std::vector<std::string> kCommitmentMeasures{"progress", "narrative"};
const std::vector<std::string> kActivityMeasures{"outcome", "held_on", "postponed_to", "participants",
                                                 "output.", "narrative"};

std::string join(const std::vector<std::string>& v, const char* sep = ", ") {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

bool valid_key(std::string_view id) {
  return !id.empty() && std::isalnum(static_cast<unsigned char>(id[0])) &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
         });
}

std::optional<std::string> one_of(const std::string& measure, const std::string& value,
                                  const std::vector<std::string>& set, std::string& error) {
  if (std::find(set.begin(), set.end(), value) != set.end()) return value;
  error = "invalid " + measure + " " + quote(value) + model::did_you_mean(value, set) +
          "; expected one of: " + join(set);
  return std::nullopt;
}

// Member states of the work plan's process and organisations, listed with ',' or ';'; kept
// sorted, one ", " between them.
std::optional<std::string> participants(const model::Plan& plan, const model::WorkPlan& w,
                                        const std::string& value, std::string& error) {
  const auto* process = plan.process(w.process);
  std::set<std::string> seen;
  std::vector<std::string> bad;
  std::string item;
  auto take = [&] {
    auto code = trim(item);
    item.clear();
    if (code.empty()) return;
    if (!seen.insert(code).second) {
      error = quote(code) + " is listed twice";
    } else if (!plan.organisation(code) && !(process && process->member(code))) {
      bad.push_back(quote(code));
    }
  };
  for (char c : value) {
    if (c == ',' || c == ';') take();
    else item += c;
  }
  take();
  if (!bad.empty()) {
    error = "not a member state of process " + quote(w.process) + " or an organisation of the plan: " + join(bad);
    return std::nullopt;
  }
  if (!error.empty()) return std::nullopt;
  if (seen.empty()) {
    error = "participants is empty: list member states and organisations, such as 'ET, SD, IOM'";
    return std::nullopt;
  }
  return join({seen.begin(), seen.end()});
}

// "Title | reference": a document's title and where to find it (a URL or a document symbol).
std::optional<std::string> output(const std::string& value, std::string& error) {
  auto bar = value.rfind('|');
  std::string title = bar == std::string::npos ? "" : trim(std::string_view(value).substr(0, bar));
  std::string ref = bar == std::string::npos ? "" : trim(std::string_view(value).substr(bar + 1));
  if (title.empty() || ref.empty()) {
    error = "expected an output as 'title | reference' (a document's title, then its URL or symbol), found " +
            quote(value);
    return std::nullopt;
  }
  if (ref.find_first_of(" \t") != std::string::npos) {
    error = "the output's reference " + quote(ref) + " has spaces: give a URL or a document symbol";
    return std::nullopt;
  }
  return title + " | " + ref;
}

std::optional<std::string> date_value(const model::Activity& a, const std::string& measure,
                                      const std::string& value, calendar::Date as_of, std::string& error) {
  auto d = calendar::parse_date(value);
  if (!d) {
    error = "expected a date as YYYY-MM-DD, found " + quote(value);
    return std::nullopt;
  }
  if (measure == "held_on" && *d > as_of) {
    error = "held on " + value + ", after the as-of date " + calendar::to_string(as_of);
    return std::nullopt;
  }
  if (measure == "postponed_to" && *d <= a.from) {
    error = "postponed to " + value + ", not after its planned date " + calendar::to_string(a.from);
    return std::nullopt;
  }
  return value;
}

}  // namespace

bool is_work_measure(const std::string& measure) {
  for (const auto* set : {&kCommitmentMeasures, &kActivityMeasures})
    for (const auto& m : *set)
      if (m == measure || (m.back() == '.' && measure.size() > m.size() && measure.rfind(m, 0) == 0)) return true;
  return false;
}

bool work_measure(const Subject& s, const std::string& measure, std::string& error) {
  const auto& set = s.kind == K::commitment ? kCommitmentMeasures : kActivityMeasures;
  if (!measure.empty() && measure.back() != '.' && std::find(set.begin(), set.end(), measure) != set.end()) return true;
  if (s.kind == K::activity && measure.rfind("output.", 0) == 0) {
    if (valid_key(std::string_view(measure).substr(7))) return true;
    error = "invalid output key in " + quote(measure) + ": use letters, digits, '_', '.' and '-' after 'output.'";
    return false;
  }
  error = (measure.empty() ? std::string("measure is empty")
                           : "unknown measure " + quote(measure) + model::invisible_note(measure) +
                                 model::did_you_mean(measure, set)) +
          (s.kind == K::commitment ? "; a commitment takes progress or narrative"
                                   : "; an activity takes outcome, held_on, postponed_to, participants, "
                                     "output.<id> or narrative");
  return false;
}

std::optional<std::string> work_value(const model::Plan& plan, const Subject& s, const std::string& measure,
                                      const std::string& value, calendar::Date as_of, std::string& error) {
  if (measure == "narrative") {
    if (value.find_first_not_of(" \t\r\n") != std::string::npos) return value;
    error = "narrative is empty";
    return std::nullopt;
  }
  if (value != trim(value)) {
    error = "value " + quote(value) + " has leading or trailing spaces";
    return std::nullopt;
  }
  if (measure == "progress") return one_of(measure, value, kProgress, error);
  if (measure == "outcome") return one_of(measure, value, kOutcomes, error);
  if (measure == "participants") return participants(plan, *s.work_plan, value, error);
  if (measure == "held_on" || measure == "postponed_to") return date_value(*s.activity, measure, value, as_of, error);
  return output(value, error);
}

std::string work_period_problem(const Subject& s, const calendar::Period& p) {
  auto end = calendar::end_of(p);
  if (s.kind == K::activity && end < s.work_plan->from)
    return "period " + calendar::to_string(p) + " ends before work plan " + quote(s.work_plan->id) +
           " starts (" + calendar::to_string(s.work_plan->from) + ")";
  if (s.kind == K::commitment && s.commitment->declared_on && end < *s.commitment->declared_on)
    return "period " + calendar::to_string(p) + " ends before commitment " + quote(s.commitment->id) +
           " was declared (" + calendar::to_string(*s.commitment->declared_on) + ")";
  return "";
}

}  // namespace jvap::ingest::detail
