// Money in integer minor units of an ISO 4217 currency (EUR cents, JPY yen): the one place that
// turns amounts into text or major units, and adds them without wrapping. Part of the model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace jvap::model {

// 10 to the currency's number of minor units (100 for EUR, 1 for JPY; 100 when unknown).
std::int64_t minor_scale(std::string_view currency);

// "12345.67" for 1234567 minor units of EUR, "500000" for JPY, "-0.05": exact, no grouping.
std::string decimal_text(std::int64_t minor, std::string_view currency);

// "1,234,567.89 EUR": grouped, with the currency code.
std::string format_money(std::int64_t minor, std::string_view currency);

// The amount in major units as a number (for tables and charts, never for sums).
double major_units(std::int64_t minor, std::string_view currency);

// "-1234567.89" -> "-1,234,567.89": thousands separators in the whole part of a decimal text.
std::string group_thousands(std::string_view decimal);

// a + b, or nullopt when the sum does not fit in 64 bits.
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b);

}  // namespace jvap::model
