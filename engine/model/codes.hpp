// Code lists the plan is validated against: ISO 3166-1 alpha-2 states, ISO 4217 currencies.
// Part of the model module; the tables themselves are generated (iso_tables.cpp).
#pragma once

#include <optional>
#include <string_view>

namespace jvap::model {

// The state's short English name, or nullopt when `code` is not an ISO 3166-1 alpha-2 code.
std::optional<std::string_view> country_name(std::string_view code);

// The currency's number of minor units (2 for EUR), or nullopt when not an ISO 4217 code.
std::optional<int> currency_minor_units(std::string_view code);

}  // namespace jvap::model
