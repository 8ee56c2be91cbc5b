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

// "1 error", "2 errors": a count with its noun in the right number.
std::string count_label(long long n, std::string_view one, std::string_view many);

// True when `s` is valid UTF-8; otherwise sets `bad_offset` to the first bad byte.
bool valid_utf8(std::string_view s, std::size_t& bad_offset);

// In valid UTF-8 text: the byte offset of the first control character (C0 except those in
// `allowed`, DEL, C1), or npos.
std::size_t find_control(std::string_view s, std::string_view allowed = "");
// "a zero-width space (U+200B)", "a control character (U+0001)": the character at `offset`.
std::string describe_char_at(std::string_view s, std::size_t offset);
// " (it contains a no-break space (U+00A0) as character 4)" for an id with an invisible or
// control character in it; "" otherwise. For messages about ids that do not match.
std::string invisible_note(std::string_view s);
// `s` with control characters and bytes that are not UTF-8 written as \xNN: safe to print to a
// terminal or to put in JSON, whatever the user data was.
std::string printable(std::string_view s);

// A CSV field of text (RFC 4180): quoted, with doubled quotes, only when it holds a comma, quote
// or newline; text starting with '=', '+', '-', '@', tab or CR gets a leading apostrophe, so no
// spreadsheet runs it as a formula. Numbers jvap writes itself are written as they are.
std::string csv_field(std::string_view s);

}  // namespace jvap::model
