#include "model/codes.hpp"

#include <algorithm>

#include "model/iso_tables.hpp"

namespace jvap::model {

namespace {

template <typename Table>
auto find_code(const Table& table, std::string_view code) -> decltype(&table.front()) {
  auto it = std::lower_bound(table.begin(), table.end(), code,
                             [](const auto& row, std::string_view c) { return row.code < c; });
  if (it == table.end() || it->code != code) return nullptr;
  return &*it;
}

}  // namespace

std::optional<std::string_view> country_name(std::string_view code) {
  if (auto* row = find_code(detail::iso_countries(), code)) return row->name;
  return std::nullopt;
}

std::optional<int> currency_minor_units(std::string_view code) {
  if (auto* row = find_code(detail::iso_currencies(), code)) return row->minor_units;
  return std::nullopt;
}

}  // namespace jvap::model
