#include "model/money.hpp"

#include "model/codes.hpp"

namespace jvap::model {

std::int64_t minor_scale(std::string_view currency) {
  int units = currency_minor_units(currency).value_or(2);
  std::int64_t scale = 1;
  for (int i = 0; i < units; ++i) scale *= 10;
  return scale;
}

std::string decimal_text(std::int64_t minor, std::string_view currency) {
  const auto scale = static_cast<std::uint64_t>(minor_scale(currency));
  // The magnitude as unsigned, so the most negative amount has one too.
  std::uint64_t v = minor < 0 ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
  std::string out = (minor < 0 ? "-" : "") + std::to_string(v / scale);
  if (scale > 1) {
    std::string frac = std::to_string(v % scale);
    std::size_t digits = std::to_string(scale).size() - 1;
    out += '.' + std::string(digits - frac.size(), '0') + frac;
  }
  return out;
}

std::string group_thousands(std::string_view decimal) {
  if (decimal.empty()) return {};
  std::size_t sign = decimal[0] == '-' ? 1 : 0;
  std::size_t end = std::min(decimal.find('.'), decimal.size());
  std::string out(decimal.substr(0, sign));
  for (std::size_t i = sign; i < end; ++i) {
    if (i > sign && (end - i) % 3 == 0) out += ',';
    out += decimal[i];
  }
  out.append(decimal.substr(end));
  return out;
}

std::string format_money(std::int64_t minor, std::string_view currency) {
  return group_thousands(decimal_text(minor, currency)) + ' ' + std::string(currency);
}

double major_units(std::int64_t minor, std::string_view currency) {
  return static_cast<double>(minor) / static_cast<double>(minor_scale(currency));
}

std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}

}  // namespace jvap::model
