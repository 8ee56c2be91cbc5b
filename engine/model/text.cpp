#include <cctype>
#include "model/text.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace jvap::model {

bool valid_utf8(std::string_view s, std::size_t& bad_offset) {
  std::size_t i = 0, n = s.size();
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
    else return bad_offset = i, false;
    if (i + len > n) return bad_offset = i, false;
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return bad_offset = i, false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return bad_offset = i, false;
    i += len;
  }
  return true;
}

namespace {

// The code point at s[i] (valid UTF-8) and its length.
std::pair<std::uint32_t, std::size_t> decode(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, 1};
  std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  std::uint32_t cp = len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (std::size_t k = 1; k < len && i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return {cp, len};
}

bool is_control(std::uint32_t cp) { return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F); }

// Characters that look like nothing, a space or a hyphen in an id.
const char* invisible_name(std::uint32_t cp) {
  switch (cp) {
    case 0xFEFF: return "a byte-order mark";
    case 0x200B: return "a zero-width space";
    case 0x200C: return "a zero-width non-joiner";
    case 0x200D: return "a zero-width joiner";
    case 0x2060: return "a word joiner";
    case 0x00A0: return "a no-break space";
    case 0x202F: return "a narrow no-break space";
    case 0x2007: return "a figure space";
    case 0x00AD: return "a soft hyphen";
    case 0x200E: return "a left-to-right mark";
    case 0x200F: return "a right-to-left mark";
    case 0x2010: return "a hyphen (U+2010, not '-')";
    case 0x2011: return "a non-breaking hyphen (U+2011, not '-')";
    case 0x2012: return "a figure dash (U+2012, not '-')";
    case 0x2013: return "an en dash (U+2013, not '-')";
    case 0x2212: return "a minus sign (U+2212, not '-')";
    default: return nullptr;
  }
}

}  // namespace

std::size_t find_control(std::string_view s, std::string_view allowed) {
  for (std::size_t i = 0; i < s.size();) {
    auto [cp, len] = decode(s, i);
    if (is_control(cp) && !(cp < 0x80 && allowed.find(static_cast<char>(cp)) != std::string_view::npos))
      return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string describe_char_at(std::string_view s, std::size_t offset) {
  auto [cp, len] = decode(s, offset);
  char buf[48];
  if (const char* name = invisible_name(cp)) {
    if (std::string_view(name).find("U+") != std::string_view::npos) return name;
    std::snprintf(buf, sizeof buf, "%s (U+%04X)", name, cp);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "a control character (U+%04X)", cp);
  return buf;
}

std::string invisible_note(std::string_view s) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto [cp, len] = decode(s, i);
    ++chars;
    if (invisible_name(cp) || is_control(cp))
      return " (it contains " + describe_char_at(s, i) + " as character " + std::to_string(chars) + ")";
    i += len;
  }
  return "";
}

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t bad = 0;
    // One character at a time: a byte that does not start a valid sequence is escaped too.
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    bool valid = i + len <= s.size() && valid_utf8(s.substr(i, len), bad) && (c < 0x80 || c >= 0xC2);
    auto [cp, n] = valid ? decode(s, i) : std::pair<std::uint32_t, std::size_t>{c, 1};
    if (!valid || is_control(cp)) {
      char buf[12];
      std::snprintf(buf, sizeof buf, !valid || cp < 0x100 ? "\\x%02x" : "\\u%04x", valid ? cp : c);
      out += buf;
      i += valid ? n : 1;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: insertions, deletions, substitutions and adjacent transpositions
  // ("titel" is one edit from "title").
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  // A typo is at most a third of the word, and never more than 3 edits.
  std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 3));
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  for (const auto& c : candidates)  // the same word in another case ("iom" for "IOM") first
    if (c != word && lower(c) == lower(word)) return c;
  std::string best;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    if (std::max(c.size(), word.size()) - std::min(c.size(), word.size()) > limit) continue;
    std::size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string c = closest(word, candidates);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

std::string quote(std::string_view value) {
  constexpr std::size_t kMax = 60;  // characters
  std::string text = printable(value);
  std::size_t chars = 0, cut = 0;
  for (; cut < text.size(); ++cut) {
    if ((static_cast<unsigned char>(text[cut]) & 0xC0) != 0x80 && chars++ == kMax) break;
  }
  if (cut < text.size()) return "'" + text.substr(0, cut) + "...'";
  return "'" + text + "'";
}

std::string csv_field(std::string_view s) {
  // A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection): a
  // leading apostrophe keeps it text.
  std::string text = !s.empty() && std::string_view("=+-@\t\r").find(s[0]) != std::string_view::npos
                         ? "'" + std::string(s)
                         : std::string(s);
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string count_label(long long n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

}  // namespace jvap::model
