#include "calendar/calendar.hpp"

#include <charconv>

namespace jvap::calendar {

namespace {

constexpr int kMinYear = 1900;
constexpr int kMaxYear = 2200;

int months_per_period(Frequency f) {
  switch (f) {
    case Frequency::monthly: return 1;
    case Frequency::quarterly: return 3;
    case Frequency::semiannual: return 6;
    case Frequency::annual: return 12;
  }
  return 12;
}

int periods_per_year(Frequency f) { return 12 / months_per_period(f); }

// Parses exactly `s` as a non-negative decimal; no sign, no spaces.
std::optional<int> parse_digits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<int> parse_year(std::string_view s) {
  if (s.size() != 4) return std::nullopt;
  auto y = parse_digits(s);
  if (!y || *y < kMinYear || *y > kMaxYear) return std::nullopt;
  return y;
}

}  // namespace

std::string_view to_string(Frequency f) {
  switch (f) {
    case Frequency::monthly: return "monthly";
    case Frequency::quarterly: return "quarterly";
    case Frequency::semiannual: return "semiannual";
    case Frequency::annual: return "annual";
  }
  return "annual";
}

std::optional<Frequency> parse_frequency(std::string_view s) {
  for (auto f : {Frequency::monthly, Frequency::quarterly, Frequency::semiannual, Frequency::annual})
    if (to_string(f) == s) return f;
  return std::nullopt;
}

std::optional<Period> parse_period(std::string_view id) {
  auto year = parse_year(id.substr(0, 4));
  if (!year) return std::nullopt;
  if (id.size() == 4) return Period{Frequency::annual, *year, 1};
  if (id.size() != 7 || id[4] != '-') return std::nullopt;
  std::string_view rest = id.substr(5);
  if (rest[0] == 'Q' || rest[0] == 'H') {
    auto n = parse_digits(rest.substr(1));
    int max = rest[0] == 'Q' ? 4 : 2;
    if (!n || *n < 1 || *n > max) return std::nullopt;
    return Period{rest[0] == 'Q' ? Frequency::quarterly : Frequency::semiannual, *year, *n};
  }
  auto month = parse_digits(rest);
  if (!month || *month < 1 || *month > 12) return std::nullopt;
  return Period{Frequency::monthly, *year, *month};
}

std::string to_string(const Period& p) {
  std::string y = std::to_string(p.year);
  switch (p.frequency) {
    case Frequency::monthly: return y + (p.index < 10 ? "-0" : "-") + std::to_string(p.index);
    case Frequency::quarterly: return y + "-Q" + std::to_string(p.index);
    case Frequency::semiannual: return y + "-H" + std::to_string(p.index);
    case Frequency::annual: return y;
  }
  return y;
}

Date start_of(const Period& p) {
  int month = (p.index - 1) * months_per_period(p.frequency) + 1;
  return date::year{p.year} / date::month{static_cast<unsigned>(month)} / 1;
}

Date end_of(const Period& p) { return start_of(next(p)) - date::days{1}; }

Date due_of(const Period& p, int grace_days) { return end_of(p) + date::days{grace_days}; }

Period next(const Period& p) {
  if (p.index >= periods_per_year(p.frequency)) return Period{p.frequency, p.year + 1, 1};
  return Period{p.frequency, p.year, p.index + 1};
}

Period previous(const Period& p) {
  if (p.index <= 1) return Period{p.frequency, p.year - 1, periods_per_year(p.frequency)};
  return Period{p.frequency, p.year, p.index - 1};
}

std::int64_t sequence(const Period& p) {
  return static_cast<std::int64_t>(p.year) * periods_per_year(p.frequency) + (p.index - 1);
}

Period period_containing(Frequency f, Date d) {
  date::year_month_day ymd{d};
  int month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  return Period{f, static_cast<int>(ymd.year()), (month - 1) / months_per_period(f) + 1};
}

std::optional<Date> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = parse_year(s.substr(0, 4));
  auto m = parse_digits(s.substr(5, 2));
  auto d = parse_digits(s.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                           date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{ymd};
}

std::string to_string(Date d) {
  // By hand: date::format goes through an ostringstream and a locale, which costs microseconds
  // per call, and reports format hundreds of thousands of dates.
  date::year_month_day ymd{d};
  int y = static_cast<int>(ymd.year());
  unsigned m = static_cast<unsigned>(ymd.month()), dd = static_cast<unsigned>(ymd.day());
  if (y < 0 || y > 9999) return date::format("%F", d);
  char buf[11] = {static_cast<char>('0' + y / 1000), static_cast<char>('0' + y / 100 % 10),
                  static_cast<char>('0' + y / 10 % 10), static_cast<char>('0' + y % 10), '-',
                  static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
                  static_cast<char>('0' + dd / 10), static_cast<char>('0' + dd % 10), '\0'};
  return std::string(buf, 10);
}

std::vector<Period> Calendar::periods_through(Date last_day) const {
  std::vector<Period> out;
  Period last = period_containing(frequency, last_day);
  for (Period p = first; p <= last; p = next(p)) out.push_back(p);
  return out;
}

}  // namespace jvap::calendar
