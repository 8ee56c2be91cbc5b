// Small text helpers shared by the parsers: edit distance for "did you mean" suggestions and
// quoting of user values in messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace jvap::model {

std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` if it is close enough to be a likely typo, else "".
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// Quotes a user value for a message, shortening it and escaping control characters.
std::string quote(std::string_view value);

// A CSV field (RFC 4180): quoted, with doubled quotes, only when it holds a comma, quote or newline.
std::string csv_field(std::string_view s);

}  // namespace jvap::model
