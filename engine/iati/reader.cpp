// The streaming IATI reader: expat (with its billion-laughs protection) feeds the elements of one
// <iati-activity> at a time into an Activity, which is handed on and dropped, so memory stays
// bounded by the largest activity. Only the elements docs/iati-import.md lists are read.
#include <expat.h>

#include <charconv>
#include <cstring>
#include <istream>

#include "iati/iati.hpp"
#include "model/text.hpp"

namespace jvap::iati::detail {

namespace {

std::string_view local(const char* name) {
  std::string_view n(name);
  auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* attr(const char** attrs, std::string_view name) {
  for (auto a = attrs; *a; a += 2)
    if (std::string_view(a[0]) == name) return a[1];
  return nullptr;
}

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

class Reader {
 public:
  Reader(XML_Parser p, const std::function<void(Activity&)>& each) : p_(p), each_(each) {}

  static void on_start(void* self, const char* name, const char** attrs) {
    static_cast<Reader*>(self)->start(local(name), attrs);
  }
  static void on_end(void* self, const char* name) { static_cast<Reader*>(self)->end(local(name)); }
  static void on_text(void* self, const char* s, int n) {
    auto& r = *static_cast<Reader*>(self);
    if (r.collect_) r.text_.append(s, static_cast<std::size_t>(n));
  }

 private:
  bool in(std::string_view parent) const { return path_.size() >= 2 && path_[path_.size() - 2] == parent; }
  bool within(std::string_view e) const {
    return std::find(path_.begin(), path_.end(), e) != path_.end();
  }
  int number_attr(const char** attrs, const char* name, int fallback) {
    const char* v = attr(attrs, name);
    if (!v) return fallback;
    int out = fallback;
    auto [ptr, ec] = std::from_chars(v, v + std::strlen(v), out);
    if (ec != std::errc{} || *ptr) problem(std::string(name) + " '" + v + "' is not a number");
    return out;
  }
  std::optional<double> value_attr(const char** attrs) {
    const char* v = attr(attrs, "value");
    if (!v || !*v) return std::nullopt;
    return number(v);
  }
  std::optional<double> number(const std::string& s) {
    double out = 0;
    auto t = trim(s);
    auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
    if (t.empty() || ec != std::errc{} || ptr != t.data() + t.size()) {
      problem("value '" + model::printable(t) + "' is not a number");
      return std::nullopt;
    }
    return out;
  }
  void problem(std::string what) {
    if (!a_) return;
    a_->problems.push_back("line " + std::to_string(XML_GetCurrentLineNumber(p_)) + ": " + std::move(what));
  }
  std::string date_attr(const char** attrs) {
    const char* d = attr(attrs, "iso-date");
    if (!d) return "";
    if (!calendar::parse_date(std::string(d).substr(0, 10))) problem(std::string("iso-date '") + d + "' is not a date");
    return std::string(d).substr(0, 10);
  }

  void start(std::string_view n, const char** attrs) {
    path_.emplace_back(n);
    collect_ = false;
    if (n == "iati-activity") {
      a_.emplace();
      a_->line = static_cast<std::int64_t>(XML_GetCurrentLineNumber(p_));
      if (const char* c = attr(attrs, "default-currency")) a_->default_currency = c;
      if (const char* u = attr(attrs, "last-updated-datetime")) a_->last_updated = std::string(u).substr(0, 10);
      return;
    }
    if (!a_) return;
    activity_element(n, attrs);
  }

  void activity_element(std::string_view n, const char** attrs) {
    auto& a = *a_;
    bool in_transaction = within("transaction"), in_result = within("result");
    if (n == "iati-identifier" || n == "value" || (n == "narrative" && in("title"))) {
      collect_ = true;
      text_.clear();
    }
    if (n == "value") value_currency_ = attr(attrs, "currency") ? attr(attrs, "currency") : "";
    if (n == "reporting-org" && attr(attrs, "ref")) a.reporting_org = attr(attrs, "ref");
    else if (n == "activity-status") a.status = number_attr(attrs, "code", 0);
    else if (n == "activity-date" && in("iati-activity")) a.dates[number_attr(attrs, "type", 0)] = date_attr(attrs);
    else if (n == "participating-org" && attr(attrs, "ref"))
      a.orgs.emplace(number_attr(attrs, "role", 0), attr(attrs, "ref"));
    else if (n == "recipient-country" && !in_transaction && attr(attrs, "code")) a.countries.emplace_back(attr(attrs, "code"));
    else if (n == "sector" && !in_transaction && attr(attrs, "code"))
      a.sectors.emplace_back(attr(attrs, "vocabulary") ? attr(attrs, "vocabulary") : "1", attr(attrs, "code"));
    else if (n == "tag" && attr(attrs, "code"))
      a.tags.emplace_back(attr(attrs, "vocabulary") ? attr(attrs, "vocabulary") : "1", attr(attrs, "code"));
    else if (n == "budget" && in("iati-activity")) a.budgets.push_back({number_attr(attrs, "type", 1), "", "", {}});
    else if (n == "transaction") a.transactions.emplace_back();
    else if (n == "transaction-type" && in_transaction) a.transactions.back().type = number_attr(attrs, "code", 0);
    else if (n == "transaction-date" && in_transaction) a.transactions.back().date = date_attr(attrs);
    else if (in_result) result_element(n, attrs);
    else if ((n == "period-start" || n == "period-end") && in("budget") && !a.budgets.empty())
      (n == "period-start" ? a.budgets.back().start : a.budgets.back().end) = date_attr(attrs);
  }

  void result_element(std::string_view n, const char** attrs) {
    auto& a = *a_;
    if (n == "indicator" && in("result")) {
      Indicator ind;
      ind.measure = number_attr(attrs, "measure", 1);
      const char* asc = attr(attrs, "ascending");
      ind.ascending = !asc || (std::string_view(asc) != "0" && std::string_view(asc) != "false");
      a.indicators.push_back(std::move(ind));
      return;
    }
    if (a.indicators.empty() || !within("indicator")) return;
    auto& ind = a.indicators.back();
    if (n == "baseline" && in("indicator")) ind.baseline = value_attr(attrs);
    else if (n == "period" && in("indicator")) ind.periods.emplace_back();
    else if (ind.periods.empty() || !within("period")) return;
    else if (n == "period-start") ind.periods.back().start = date_attr(attrs);
    else if (n == "period-end") ind.periods.back().end = date_attr(attrs);
    else if (n == "target" && in("period")) ind.periods.back().target = value_attr(attrs);
    else if (n == "actual" && in("period")) ind.periods.back().actual = value_attr(attrs);
  }

  void end(std::string_view n) {
    if (a_ && collect_) text(n);
    collect_ = false;
    path_.pop_back();
    if (n == "iati-activity" && a_) {
      each_(*a_);
      a_.reset();
    }
  }

  void text(std::string_view n) {
    auto& a = *a_;
    auto t = trim(text_);
    if (n == "iati-identifier") a.identifier = t;
    else if (n == "narrative" && path_.size() >= 3 && path_[path_.size() - 3] == "iati-activity" && a.title.empty()) a.title = t;
    else if (n == "narrative" && within("indicator") && !a.indicators.empty() && a.indicators.back().title.empty())
      a.indicators.back().title = t;
    else if (n == "value") {
      auto v = number(t);
      Money m{v.value_or(0), value_currency_, ""};
      if (in("budget") && !a.budgets.empty()) a.budgets.back().value = m;
      else if (in("transaction") && !a.transactions.empty()) a.transactions.back().value = m;
    }
  }

  XML_Parser p_;
  const std::function<void(Activity&)>& each_;
  std::optional<Activity> a_;
  std::vector<std::string> path_;
  bool collect_ = false;
  std::string text_, value_currency_;
};

}  // namespace

std::vector<model::Diagnostic> read_activities(std::istream& in, const std::string& file,
                                               const std::function<void(Activity&)>& each,
                                               const std::function<void(std::uint64_t)>& progress) {
  std::vector<model::Diagnostic> errors;
  XML_Parser p = XML_ParserCreate(nullptr);
  Reader r(p, each);
  XML_SetUserData(p, &r);
  XML_SetElementHandler(p, Reader::on_start, Reader::on_end);
  XML_SetCharacterDataHandler(p, Reader::on_text);
  std::vector<char> buf(1 << 16);
  std::uint64_t done = 0;
  for (bool last = false; !last;) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = static_cast<int>(in.gcount());
    last = n == 0 || in.eof();
    done += static_cast<std::uint64_t>(n);
    if (XML_Parse(p, buf.data(), n, last ? XML_TRUE : XML_FALSE) != XML_STATUS_OK) {
      errors.push_back({file, static_cast<int>(XML_GetCurrentLineNumber(p)),
                        static_cast<int>(XML_GetCurrentColumnNumber(p)) + 1,
                        std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(p))});
      break;
    }
    if (progress) progress(done);
  }
  XML_ParserFree(p);
  return errors;
}

}  // namespace jvap::iati::detail
