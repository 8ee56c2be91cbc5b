// RFC 4180 CSV, streamed in chunks: UTF-8 (BOM tolerated), LF or CRLF, quoted fields with ""
// escapes and embedded newlines. Memory is bounded by the chunk and the field limits. The
// separator is a comma, or the semicolon or tab of a header that has no comma (Excel's CSV in
// French and other locales). Header names match trimmed and in any case; the context columns of
// a template (docs/records-format.md) are read and ignored.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <optional>
#include <vector>

#include "ingest/row_source.hpp"
#include "model/text.hpp"

namespace jvap::ingest::detail {

const std::array<std::string, kColumns> kColumnNames{"initiative", "period", "measure", "value",
                                                    "comment"};

namespace {
// The context columns of a template (report::template_csv) and a free note: read, then ignored.
const std::vector<std::string> kIgnoredColumns{"initiative_title", "measure_title", "unit", "required",
                                               "previous_value", "target", "milestone_due", "note"};

}  // namespace

std::string header_key(std::string_view name) {
  auto b = name.find_first_not_of(" \t");
  auto e = name.find_last_not_of(" \t");
  std::string out(b == std::string_view::npos ? std::string_view() : name.substr(b, e - b + 1));
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool map_header(const std::vector<std::string>& fields, std::vector<int>& columns, std::vector<std::string>& names,
                const std::function<void(std::string, const std::string&)>& problem) {
  std::vector<std::string> known(kColumnNames.begin(), kColumnNames.end());
  std::vector<std::string> all = known;
  all.insert(all.end(), kIgnoredColumns.begin(), kIgnoredColumns.end());
  std::array<bool, kColumns> seen{};
  bool ok = true;
  for (const auto& field : fields) {
    const auto name = header_key(field);
    names.push_back(name);
    if (std::find(kIgnoredColumns.begin(), kIgnoredColumns.end(), name) != kIgnoredColumns.end()) {
      columns.push_back(kIgnored);
      continue;
    }
    auto it = std::find(known.begin(), known.end(), name);
    if (it == known.end()) {
      problem("unknown column " + model::quote(field) + " in the header" + model::did_you_mean(name, all), field);
      ok = false;
      columns.push_back(-1);
      continue;
    }
    int col = static_cast<int>(it - known.begin());
    if (seen[col]) {
      problem("column " + model::quote(name) + " appears twice in the header", field);
      ok = false;
    }
    seen[col] = true;
    columns.push_back(col);
  }
  for (int c = 0; c < kComment; ++c)
    if (!seen[c]) {
      problem("header has no " + model::quote(kColumnNames[c]) + " column; expected initiative,period,measure,value[,comment]", "");
      ok = false;
    }
  return ok;
}

namespace {


// The separator the header line uses: a comma, else a semicolon or a tab (whichever it has more
// of), outside quotes.
char detect_separator(std::string_view start) {
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool quoted = false;
  for (char c : start) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    comma += c == ',';
    semicolon += c == ';';
    tab += c == '\t';
  }
  if (comma > 0 || (semicolon == 0 && tab == 0)) return ',';
  return semicolon >= tab ? ';' : '\t';
}

class CsvParser {
 public:
  CsvParser(const RowFn& row, const ProblemFn& problem, char sep) : row_(row), problem_(problem), sep_(sep) {}

  // Feeds one chunk; returns false once the file is unusable.
  bool feed(std::string_view chunk) {
    const char* p = chunk.data();
    const char* end = p + chunk.size();
    while (p < end) {
      char c = *p;
      if (pending_cr_) {
        pending_cr_ = false;
        if (c == '\n') {  // CRLF: the CR already ended the line
          ++p;
          continue;
        }
      }
      // Runs of ordinary characters are copied at once; the state machine sees only the rest.
      if (state_ == State::unquoted || state_ == State::quoted) {
        const char* q = p;
        if (state_ == State::unquoted)
          while (q < end && *q != sep_ && *q != '\n' && *q != '\r' && *q != '"' && *q != '\0') ++q;
        else
          while (q < end && *q != '"' && *q != '\n' && *q != '\0') ++q;
        append(p, static_cast<std::size_t>(q - p));
        p = q;
        if (p == end) break;
        c = *p;
      }
      ++p;
      if (c == '\0') {
        problem_({line_, "", "binary data (a NUL byte): expected a UTF-8 CSV text file", true});
        return false;
      }
      switch (state_) {
        case State::field_start:
          if (c == '"') {
            state_ = State::quoted;
            quote_line_ = line_;
          } else if (c == sep_) {
            end_field();
          } else if (c == '\n' || c == '\r') {
            end_record(c);
          } else {
            state_ = State::unquoted;
            append(&c, 1);
          }
          break;
        case State::unquoted:
          if (c == sep_) {
            end_field();
            state_ = State::field_start;
          } else if (c == '\n' || c == '\r') {
            end_record(c);
          } else {  // a quote
            row_problem("a quote inside an unquoted field: quote the whole field");
            append(&c, 1);
          }
          break;
        case State::quoted:
          if (c == '"') {
            state_ = State::quote_in_quoted;
          } else {  // a newline inside the field
            ++line_;
            append(&c, 1);
          }
          break;
        case State::quote_in_quoted:
          if (c == '"') {
            append(&c, 1);
            state_ = State::quoted;
          } else if (c == sep_) {
            end_field();
            state_ = State::field_start;
          } else if (c == '\n' || c == '\r') {
            end_record(c);
          } else {
            row_problem("unexpected character after a closing quote");
            append(&c, 1);
            state_ = State::unquoted;
          }
          break;
      }
      if (stop_) return false;
    }
    return true;
  }

  bool finish() {
    if (stop_) return false;
    if (state_ == State::quoted) {
      problem_({quote_line_, column_name(fields_.size()),
                "quoted field starting on line " + std::to_string(quote_line_) +
                    " is not closed before the end of the file"});
      return !header_done_ ? false : true;
    }
    if (state_ != State::field_start || !fields_.empty() || !field_.empty()) end_record('\n');
    if (!header_done_ && !stop_) {
      problem_({0, "", "file is empty: expected the header row "
                       "initiative,period,measure,value[,comment]", true});
      return false;
    }
    return !stop_;
  }

 private:
  enum class State { field_start, unquoted, quoted, quote_in_quoted };

  std::string column_name(std::size_t index) const {
    if (header_done_ && index < columns_.size() && columns_[index] >= 0)
      return kColumnNames[columns_[index]];
    if (header_done_ && index < names_.size() && columns_[index] == kIgnored) return names_[index];
    return header_done_ ? "column " + std::to_string(index + 1) : "";
  }

  void row_problem(std::string message) {
    Problem p{record_line_, column_name(fields_.size()), std::move(message)};
    if (!row_problems_.empty() && row_problems_.back().column == p.column &&
        row_problems_.back().message == p.message)
      return;  // the same problem twice in one field is one problem
    row_problems_.push_back(std::move(p));
  }

  void append(const char* data, std::size_t n) {
    std::size_t room = kMaxFieldBytes - std::min(kMaxFieldBytes, field_.size());
    field_.append(data, std::min(n, room));
    if (n > room) overflow_ += n - room;
  }

  void end_field() {
    if (overflow_ > 0) {
      row_problem("field is " + std::to_string(field_.size() + overflow_) +
                  " bytes long; the limit is " + std::to_string(kMaxFieldBytes));
      field_.clear();
    }
    overflow_ = 0;
    if (fields_.size() < kMaxColumns) fields_.push_back(std::move(field_));
    else ++extra_fields_;
    field_.clear();
  }

  void end_record(char c) {
    end_field();
    state_ = State::field_start;
    bool blank = fields_.size() == 1 && fields_[0].empty() && extra_fields_ == 0 &&
                 row_problems_.empty();
    if (!blank) {
      if (!header_done_) header();
      else record();
    }
    fields_.clear();
    row_problems_.clear();
    extra_fields_ = 0;
    ++line_;
    record_line_ = line_;
    if (c == '\r') pending_cr_ = true;
  }

  void header() {
    header_done_ = true;
    if (extra_fields_ > 0) {
      problem_({record_line_, "", "header has " + std::to_string(fields_.size() + extra_fields_) +
                                      " columns; expected initiative,period,measure,value"
                                      "[,comment]", true});
      stop_ = true;
      return;
    }
    if (!fields_.empty() && fields_[0].rfind("\xEF\xBB\xBF", 0) == 0) fields_[0].erase(0, 3);
    std::vector<std::string> raw;
    for (const auto& f : fields_) {
      std::size_t bad;
      if (!valid_utf8(f, bad)) {
        problem_({record_line_, "", "header is not valid UTF-8 text" + encoding_hint(), true});
        stop_ = true;
        return;
      }
      raw.push_back(f);
    }
    bool ok = map_header(raw, columns_, names_, [&](std::string m, const std::string& field) {
      problem_({record_line_, "", m + separator_hint(field), true});
    });
    if (!ok) stop_ = true;
  }

  void record() {
    for (auto& p : row_problems_) problem_(std::move(p));
    if (!row_problems_.empty()) return;
    if (fields_.size() + extra_fields_ != columns_.size()) {
      problem_({record_line_, "", "expected " + std::to_string(columns_.size()) +
                                      " fields as in the header, found " +
                                      std::to_string(fields_.size() + extra_fields_)});
      return;
    }
    RawRow r;
    r.line = record_line_;
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      std::size_t bad;
      if (!valid_utf8(fields_[i], bad)) {
        problem_({record_line_, column_name(i),
                  "invalid UTF-8 at byte " + std::to_string(bad + 1) + " of the field" + encoding_hint()});
        return;
      }
      if (columns_[i] == kIgnored) continue;
      r.fields[columns_[i]] = std::move(fields_[i]);
      r.present[columns_[i]] = true;
    }
    row_(r);
  }

  // Said once, with the first text that is not UTF-8: what to do about it.
  std::string encoding_hint() {
    if (encoding_hinted_) return "";
    encoding_hinted_ = true;
    return " (the file is not saved as UTF-8: in Excel use Save As > 'CSV UTF-8', in LibreOffice "
           "choose the character set 'Unicode (UTF-8)', or ingest it with --encoding windows-1252)";
  }
  // An unknown header that holds a separator jvap does not read.
  std::string separator_hint(const std::string& name) const {
    for (char c : {';', '\t', '|'})
      if (name.find(c) != std::string::npos && c != sep_)
        return std::string(" (the header looks ") + (c == '\t' ? "tab" : c == ';' ? "semicolon" : "pipe") +
               "-separated; use commas, or semicolons or tabs throughout)";
    return "";
  }

  const RowFn& row_;
  const ProblemFn& problem_;
  char sep_ = ',';
  std::vector<std::string> names_;  // the header's names, trimmed and lower case
  bool encoding_hinted_ = false;
  State state_ = State::field_start;
  std::string field_;
  std::vector<std::string> fields_;
  std::vector<Problem> row_problems_;
  std::vector<int> columns_;
  std::size_t overflow_ = 0;
  std::size_t extra_fields_ = 0;
  std::int64_t line_ = 1, record_line_ = 1, quote_line_ = 1;
  bool header_done_ = false;
  bool pending_cr_ = false;
  bool stop_ = false;
};

}  // namespace

// Windows-1252 to UTF-8, one chunk at a time (the encoding has one byte per character); false at
// a byte it does not define.
bool from_windows_1252(std::string_view in, std::string& out, std::uint64_t offset, const ProblemFn& problem) {
  static const char16_t k80[32] = {0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                   0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
                                   0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                   0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto b = static_cast<unsigned char>(in[i]);
    char32_t cp = b < 0x80 ? b : b < 0xA0 ? k80[b - 0x80] : b;
    if (cp == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", b);
      problem({0, "", std::string("byte ") + hex + " at offset " + std::to_string(offset + i) +
                          " is not a Windows-1252 character: is the file in another encoding?", true});
      return false;
    }
    if (cp < 0x80) out += static_cast<char>(cp);
    else if (cp < 0x800) out += static_cast<char>(0xC0 | (cp >> 6)), out += static_cast<char>(0x80 | (cp & 0x3F));
    else
      out += static_cast<char>(0xE0 | (cp >> 12)), out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F)),
          out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return true;
}

bool read_csv(std::istream& in, bool windows_1252, const RowFn& row, const ProblemFn& problem,
              const ProgressFn& progress) {
  std::vector<char> buf(1 << 20);
  std::string utf8;  // a Windows-1252 chunk, as UTF-8
  std::uint64_t done = 0;
  std::optional<CsvParser> parser;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    std::string_view chunk(buf.data(), n);
    if (windows_1252) {
      if (done == 0 && chunk.rfind("\xEF\xBB\xBF", 0) == 0) {
        problem({0, "", "the file starts with a UTF-8 byte-order mark: it is UTF-8 already; ingest it "
                        "without --encoding windows-1252", true});
        return false;
      }
      if (!from_windows_1252(chunk, utf8, done, problem)) return false;
      chunk = utf8;
    }
    if (!parser) parser.emplace(row, problem, detect_separator(chunk));
    done += n;
    if (!parser->feed(chunk)) return false;
    if (progress) progress(done);
  }
  if (in.bad()) {
    problem({0, "", "read error"});
    return false;
  }
  if (!parser) parser.emplace(row, problem, ',');
  return parser->finish();
}

}  // namespace jvap::ingest::detail
