// ISO 3166-1 alpha-2 country codes and ISO 4217 currency codes, generated from Debian's
// iso-codes by tools/gen-iso-tables. Lookups go through model/codes.hpp.
#pragma once

#include <string_view>
#include <vector>

namespace jvap::model::detail {

struct CountryCode {
  std::string_view code;
  std::string_view name;
};

struct CurrencyCode {
  std::string_view code;
  std::string_view name;
  int minor_units;
};

// Both sorted by code.
const std::vector<CountryCode>& iso_countries();
const std::vector<CurrencyCode>& iso_currencies();

}  // namespace jvap::model::detail
