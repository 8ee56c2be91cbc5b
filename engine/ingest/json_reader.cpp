// The JSON upload format: one array of flat objects whose keys are the upload columns and whose
// values are strings, numbers or null. A small streaming reader (rather than a DOM) keeps memory
// flat and gives every problem its line.
#include <algorithm>
#include <vector>

#include "ingest/row_source.hpp"
#include "model/text.hpp"

namespace jvap::ingest::detail {

namespace {

class Input {
 public:
  Input(std::istream& in, const ProgressFn& progress) : in_(in), progress_(progress), buf_(1 << 20) {}

  int peek() {
    if (pos_ == len_ && !refill()) return -1;
    return static_cast<unsigned char>(buf_[pos_]);
  }
  int get() {
    int c = peek();
    if (c < 0) return c;
    ++pos_;
    last_col_ = col_;
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    return c;
  }
  std::int64_t line() const { return line_; }
  std::int64_t col() const { return col_; }            // of the next byte
  std::int64_t last_col() const { return last_col_; }  // of the byte read last
  bool bad() const { return in_.bad(); }

 private:
  bool refill() {
    if (!in_) return false;
    in_.read(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    len_ = static_cast<std::size_t>(in_.gcount());
    pos_ = 0;
    done_ += len_;
    if (progress_ && len_ > 0) progress_(done_);
    return len_ > 0;
  }

  std::istream& in_;
  const ProgressFn& progress_;
  std::vector<char> buf_;
  std::size_t pos_ = 0, len_ = 0;
  std::uint64_t done_ = 0;
  std::int64_t line_ = 1;
  std::int64_t col_ = 1, last_col_ = 1;
};

struct Fatal {
  Problem problem;
};

class JsonReader {
 public:
  JsonReader(Input& in, const RowFn& row, const ProblemFn& problem)
      : in_(in), row_(row), problem_(problem) {}

  bool run() {
    try {
      skip_bom();
      ws();
      if (in_.peek() < 0) fatal("file is empty: expected a JSON array of records");
      expect('[', "a JSON array of records");
      ws();
      if (in_.peek() == ']') {
        in_.get();
      } else {
        while (true) {
          ws();
          object();
          ws();
          int c = in_.get();
          if (c == ']') break;
          if (c != ',') fatal("expected ',' or ']' after a record, found " + describe(c));
        }
      }
      ws();
      if (in_.peek() >= 0) fatal("unexpected content after the closing ']'");
      return true;
    } catch (const Fatal& f) {
      problem_(f.problem);
      return false;
    }
  }

 private:
  [[noreturn]] void fatal(std::string message) {
    throw Fatal{{in_.line(), "", (record_ > 0 ? "record " + std::to_string(record_) + ": " : "") +
                                     std::move(message), true, in_.last_col()}};
  }

  static std::string describe(int c) {
    if (c < 0) return "the end of the file";
    if (c == 0) return "a NUL byte (binary data)";
    if (c < 0x20 || c >= 0x7f) return "byte " + std::to_string(c);
    return std::string("'") + static_cast<char>(c) + "'";
  }

  void skip_bom() {
    if (in_.peek() == 0xEF) {
      in_.get();
      if (in_.get() != 0xBB || in_.get() != 0xBF) fatal("file does not start with valid UTF-8");
    }
  }

  void ws() {
    for (int c = in_.peek(); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = in_.peek())
      in_.get();
  }

  void expect(char want, const std::string& what) {
    int c = in_.get();
    if (c != want) fatal("expected " + what + ", found " + describe(c));
  }

  void hex4(std::uint32_t& v) {
    v = 0;
    for (int i = 0; i < 4; ++i) {
      int c = in_.get();
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                                     : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) fatal("invalid \\u escape in a string");
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
  }

  static void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Reads a string (the opening quote already consumed). Oversized strings are consumed to the end
  // and reported through `too_long`.
  void string(std::string& out, std::size_t& too_long) {
    out.clear();
    too_long = 0;
    std::int64_t start = in_.line();
    while (true) {
      int c = in_.get();
      if (c < 0) fatal("string starting on line " + std::to_string(start) + " is not closed before the end of the file");
      if (c == '"') break;
      if (c < 0x20) fatal(c == 0 ? "binary data (a NUL byte): expected UTF-8 JSON text"
                                 : "control character in a string (escape it)");
      if (c == '\\') {
        int e = in_.get();
        std::uint32_t cp;
        switch (e) {
          case '"': c = '"'; break;
          case '\\': c = '\\'; break;
          case '/': c = '/'; break;
          case 'b': c = '\b'; break;
          case 'f': c = '\f'; break;
          case 'n': c = '\n'; break;
          case 'r': c = '\r'; break;
          case 't': c = '\t'; break;
          case 'u':
            hex4(cp);
            if (cp >= 0xD800 && cp <= 0xDBFF) {
              std::uint32_t lo;
              if (in_.get() != '\\' || in_.get() != 'u') fatal("unpaired surrogate in a \\u escape");
              hex4(lo);
              if (lo < 0xDC00 || lo > 0xDFFF) fatal("unpaired surrogate in a \\u escape");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
              fatal("unpaired surrogate in a \\u escape");
            }
            if (out.size() < kMaxFieldBytes) put_utf8(out, cp);
            else ++too_long;
            continue;
          default: fatal("invalid escape in a string: \\" + std::string(1, static_cast<char>(e)));
        }
      }
      if (out.size() < kMaxFieldBytes) out += static_cast<char>(c);
      else ++too_long;
    }
  }

  // A number, kept as its text.
  void number(std::string& out) {
    out.clear();
    for (int c = in_.peek(); (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
                             c == 'e' || c == 'E';
         c = in_.peek()) {
      out += static_cast<char>(in_.get());
      if (out.size() > 64) fatal("number is too long");
    }
  }

  void literal(const char* word) {
    for (const char* p = word; *p; ++p)
      if (in_.get() != *p) fatal(std::string("invalid literal: expected '") + word + "'");
  }

  void object() {
    std::int64_t line = in_.line();
    int c = in_.get();
    if (c != '{') fatal("expected a record (a JSON object), found " + describe(c));
    ++record_;
    RawRow row;
    row.line = line;
    row.record = record_;
    // Problems of this record: where the value (or key) starts, and the record's place.
    auto at = [&](std::int64_t col, std::string column, std::string message) {
      return Problem{line, std::move(column), std::move(message), false, col, record_};
    };
    std::vector<Problem> problems;
    std::vector<std::string> names(kColumnNames.begin(), kColumnNames.end());
    std::string key, value;
    std::vector<std::string> misspelt;  // columns an unknown key was a near miss of
    std::size_t too_long = 0;
    ws();
    if (in_.peek() == '}') {
      in_.get();
    } else {
      while (true) {
        ws();
        std::int64_t key_col = in_.col();
        line = in_.line();
        expect('"', "a key in double quotes");
        string(key, too_long);
        ws();
        expect(':', "':' after a key");
        ws();
        std::int64_t value_col = in_.col();
        auto it = std::find(names.begin(), names.end(), key);
        int col = it == names.end() ? -1 : static_cast<int>(it - names.begin());
        if (col < 0) {
          problems.push_back(at(key_col, "", "unknown key " + model::quote(key) + model::did_you_mean(key, names)));
          misspelt.push_back(model::closest(key, names));
        }
        else if (row.present[col])
          problems.push_back(at(key_col, key, "key " + model::quote(key) + " appears twice"));
        int v = in_.peek();
        bool present = true;
        if (v == '"') {
          in_.get();
          string(value, too_long);
          if (too_long > 0 && col >= 0)
            problems.push_back(at(value_col, key, "value is " + std::to_string(value.size() + too_long) +
                                                      " bytes long; the limit is " + std::to_string(kMaxFieldBytes)));
        } else if (v == '-' || (v >= '0' && v <= '9')) {
          number(value);
        } else if (v == 'n') {
          literal("null");
          present = false;
        } else if (v == 't' || v == 'f') {
          literal(v == 't' ? "true" : "false");
          if (col >= 0) problems.push_back(at(value_col, key, "expected a string or a number, found a boolean"));
        } else if (v == '{' || v == '[') {
          in_.get();  // located at the bracket
          fatal("'" + key + "' must be a string or a number, not " + (v == '{' ? "an object" : "an array"));
        } else {
          fatal("expected a value for " + model::quote(key) + ", found " + describe(v));
        }
        if (col >= 0 && present && !row.present[col]) {
          std::size_t bad;
          if (!valid_utf8(value, bad))
            problems.push_back(at(value_col, key, "invalid UTF-8 at byte " + std::to_string(bad + 1)));
          row.fields[col] = value;
          row.present[col] = true;
          row.cols[col] = value_col;
          row.lines[col] = line;
        }
        ws();
        int n = in_.get();
        if (n == '}') break;
        if (n != ',') fatal("expected ',' or '}' in the record, found " + describe(n));
      }
    }
    for (int c2 = 0; c2 < kComment; ++c2)
      if (!row.present[c2] &&
          std::find(misspelt.begin(), misspelt.end(), kColumnNames[c2]) == misspelt.end())
        problems.push_back(at(0, kColumnNames[c2], "missing " + model::quote(kColumnNames[c2])));
    if (!problems.empty()) {
      for (auto& p : problems) problem_(std::move(p));
      return;
    }
    row_(row);
  }

  Input& in_;
  const RowFn& row_;
  const ProblemFn& problem_;
  std::int64_t record_ = 0;
};

}  // namespace

bool read_json(std::istream& in, const RowFn& row, const ProblemFn& problem,
               const ProgressFn& progress) {
  Input input(in, progress);
  JsonReader reader(input, row, problem);
  bool ok = reader.run();
  if (input.bad()) {
    problem({0, "", "read error"});
    return false;
  }
  return ok;
}

}  // namespace jvap::ingest::detail
