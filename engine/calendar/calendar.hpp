// Reporting periods: parsing and printing period ids (2025-03, 2025-Q1, 2025-H1, 2025), and their
// start, end and due dates on Howard Hinnant's date library. The lowest layer of the pipeline:
// the plan, the store, the checks and the reports all speak in these periods.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

namespace jvap::calendar {

using Date = date::sys_days;

enum class Frequency { monthly, quarterly, semiannual, annual };

std::string_view to_string(Frequency f);
std::optional<Frequency> parse_frequency(std::string_view s);

// One reporting period: `index` is the month (1..12), quarter (1..4), half (1..2) or 1 (annual).
struct Period {
  Frequency frequency = Frequency::annual;
  int year = 0;
  int index = 1;

  auto operator<=>(const Period&) const = default;
};

// Parses any of the four id forms; nullopt when malformed or out of range (2025-13, 2025-Q5).
std::optional<Period> parse_period(std::string_view id);
std::string to_string(const Period& p);

Date start_of(const Period& p);
Date end_of(const Period& p);  // last day, inclusive
Date due_of(const Period& p, int grace_days);
Period next(const Period& p);
Period previous(const Period& p);
// A number per period of one frequency, one apart between consecutive periods.
std::int64_t sequence(const Period& p);
// The period of frequency `f` that contains day `d`.
Period period_containing(Frequency f, Date d);

// Strict YYYY-MM-DD; nullopt for anything else, including impossible dates like 2025-02-30.
std::optional<Date> parse_date(std::string_view s);
std::string to_string(Date d);

// The plan's reporting calendar.
struct Calendar {
  Frequency frequency = Frequency::semiannual;
  Period first{Frequency::semiannual, 2016, 1};
  int grace_days = 0;
  // The first period for which reports are expected (monitoring began then); none: `first`.
  std::optional<Period> monitoring_from;

  // The first period whose reports are expected.
  Period monitored_from() const { return monitoring_from.value_or(first); }

  bool is_reporting_period(const Period& p) const { return p.frequency == frequency && p >= first; }
  Date due(const Period& p) const { return due_of(p, grace_days); }
  // Every period from `first` through the one containing `last_day` (empty if before `first`).
  std::vector<Period> periods_through(Date last_day) const;

  bool operator==(const Calendar&) const = default;
};

}  // namespace jvap::calendar
