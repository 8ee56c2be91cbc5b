#include "yaml/reader.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <cstdio>
#include <set>

#include "model/text.hpp"

namespace jvap::yaml {

using model::quote;

namespace {

// yaml-cpp tags plain scalars "?" and quoted ones "!": a quoted "12" is text, not a number.
bool is_plain(const YAML::Node& n) { return n.Tag() == "?"; }

bool valid_id(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (!alnum(s[0])) return false;
  for (char c : s)
    if (!alnum(c) && c != '_' && c != '.' && c != '-') return false;
  return true;
}

std::optional<YAML::Node> find_key(const YAML::Node& map, std::string_view key) {
  for (auto it = map.begin(); it != map.end(); ++it)
    if (it->first.IsScalar() && it->first.Scalar() == key) return it->second;
  return std::nullopt;
}

}  // namespace

model::SourceLoc FileContext::loc(const YAML::Mark& m) const {
  if (m.is_null()) return {file_, 0, 0};
  return {file_, m.line + 1, m.column + 1};
}

model::SourceLoc FileContext::loc(const YAML::Node& n) const { return loc(n.Mark()); }

void FileContext::error(const YAML::Node& at, std::string message) {
  error(loc(at), std::move(message));
}

void FileContext::error(const model::SourceLoc& at, std::string message) {
  out_.push_back({at.file, at.line, at.col, std::move(message)});
}

namespace {

// 1-based line and column (in bytes) of an offset.
model::SourceLoc at_offset(const FileContext& ctx, std::string_view text, std::size_t offset) {
  int line = 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n') ++line, start = i + 1;
  return {ctx.file(), line, static_cast<int>(offset - start) + 1};
}

// Invalid UTF-8 and control characters in the raw text, one message per line that has them.
bool check_text(FileContext& ctx, std::string_view text) {
  bool ok = true;
  int reported = 0;
  std::size_t pos = 0;
  while (pos < text.size() && reported < 20) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    std::size_t bad = 0;
    if (!model::valid_utf8(line, bad)) {
      ctx.error(at_offset(ctx, text, pos + bad),
                "the file is not valid UTF-8 here (byte 0x" + [&] {
                  char buf[4];
                  std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(line[bad]));
                  return std::string(buf);
                }() + "): save it as UTF-8");
      ok = false;
      ++reported;
    } else if (auto c = model::find_control(line, "\t\r"); c != std::string_view::npos) {
      ctx.error(at_offset(ctx, text, pos + c),
                model::describe_char_at(line, c) + " in the text: remove it");
      ok = false;
      ++reported;
    }
    pos = end + 1;
  }
  return ok;
}

// Explicit tags and control characters inside scalars (written as escapes), node by node; at most
// kMaxNodes nodes, so aliases cannot make the walk explode.
class Walk {
 public:
  explicit Walk(FileContext& ctx) : ctx_(ctx) {}
  bool visit(const YAML::Node& n) {
    if (++count_ > kMaxNodes) {
      if (count_ == kMaxNodes + 1)
        ctx_.error(n, "the document has more than " + std::to_string(kMaxNodes) +
                          " values (through aliases?): a plan or rule file is far smaller");
      return false;
    }
    const std::string& tag = n.Tag();
    if (!tag.empty() && tag != "?" && tag != "!") {
      const std::string core = "tag:yaml.org,2002:";
      std::string shown = tag.rfind(core, 0) == 0 ? "!!" + tag.substr(core.size()) : tag;
      ctx_.error(n, "explicit YAML tag " + quote(shown) + " is not allowed: write the value plainly");
      ok_ = false;
    }
    if (n.IsScalar()) {
      const std::string& v = n.Scalar();
      if (auto c = model::find_control(v, "\t\n"); c != std::string::npos) {
        ctx_.error(n, model::describe_char_at(v, c) + " in " + quote(v) + ": remove it");
        ok_ = false;
      }
    } else if (n.IsMap()) {
      for (auto it = n.begin(); it != n.end(); ++it)
        if (!visit(it->first) || !visit(it->second)) return false;
    } else if (n.IsSequence()) {
      for (const auto& x : n)
        if (!visit(x)) return false;
    }
    return true;
  }
  bool ok() const { return ok_ && count_ <= kMaxNodes; }

 private:
  static constexpr std::size_t kMaxNodes = 5'000'000;
  FileContext& ctx_;
  std::size_t count_ = 0;
  bool ok_ = true;
};

// yaml-cpp 0.7 never returns from a document whose first token is a ',' (",\n" alone allocates
// nodes without end; found by the plan fuzzer). A plain scalar cannot start with ',' anyway, so
// such a text is refused before it reaches the parser.
bool starts_with_comma(FileContext& ctx, std::string_view text) {
  int line = 1;
  std::size_t i = 0;
  while (i < text.size()) {
    auto end = text.find('\n', i);
    if (end == std::string_view::npos) end = text.size();
    auto l = text.substr(i, end - i);
    auto first = l.find_first_not_of(" \t\r");
    if (first != std::string_view::npos && l.substr(first).rfind("---", 0) == 0)  // "--- ," too
      first = l.find_first_not_of(" \t\r", first + 3);
    bool skip = first == std::string_view::npos || l[first] == '#' || l[first] == '%';
    if (!skip) {
      if (l[first] != ',') return false;
      ctx.error(model::SourceLoc{ctx.file(), line, static_cast<int>(first) + 1},
                "YAML syntax error: a document cannot start with ','");
      return true;
    }
    ++line;
    i = end + 1;
  }
  return false;
}

// yaml-cpp 0.7 also never returns from some texts with a ',' where a node starts outside a flow
// collection: at the start of a line ("- a\n,", "  k: v\n,") or after an indicator or a node
// property ("&a0, x", "k: ,", "- !t ,": found by the plan fuzzer). A node cannot start with ','
// there (it is a flow indicator), so such a text is an error anyway: it is refused here with the
// place named. The flow depth is followed approximately: brackets outside comments, quoted
// scalars (a quote opens one only where a scalar can start, so the apostrophe of "Côte d'Ivoire"
// does not) and block scalars (the lines below a '|' or '>' indented deeper than its own).
struct CommaScan {
  FileContext& ctx;
  std::string_view text;
  int depth = 0, line = 1;
  std::size_t line_begin = 0;
  char quote = 0;
  bool node_start = true;          // a node may start here (line start, after "- ", ": ", a property)
  std::optional<std::size_t> block_indent;  // inside a block scalar opened on a line so indented

  std::size_t indent_at(std::size_t i) const {
    std::size_t j = i;
    while (j < text.size() && text[j] == ' ') ++j;
    return j - i;
  }
  bool blank_after(std::size_t i) const {
    return i + 1 >= text.size() || std::string_view(" \t\r\n").find(text[i + 1]) != std::string_view::npos;
  }
  // At a line's start: skips the lines of a block scalar; returns the next index to look at.
  std::size_t new_line(std::size_t i) {
    ++line;
    line_begin = i + 1;
    node_start = true;
    while (block_indent && line_begin < text.size()) {
      const std::size_t n = indent_at(line_begin), at = line_begin + n;
      const bool empty = at >= text.size() || text[at] == '\n' || text[at] == '\r';
      if (!empty && n <= *block_indent) {
        block_indent.reset();
        break;
      }
      const auto nl = text.find('\n', line_begin);
      if (nl == std::string_view::npos) return text.size();
      ++line;
      line_begin = nl + 1;
    }
    return line_begin - 1;  // the loop's ++ lands on the line's first character
  }
  bool refuse(std::size_t i) {
    ctx.error(model::SourceLoc{ctx.file(), line, static_cast<int>(i - line_begin) + 1},
              "YAML syntax error: a value cannot start with ',' here (outside '[...]' or '{...}'; put "
              "the text in quotes, or continue a flow list or mapping on an indented line)");
    return true;
  }
  bool run() {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      const char before = i ? text[i - 1] : '\n';
      if (c == '\n') {
        i = new_line(i);
        continue;
      }
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') continue;
      if (c == ',' && depth <= 0 && node_start) return refuse(i);
      const bool after_blank = std::string_view(" \t\n[{,:").find(before) != std::string_view::npos;
      if (c == '#' && after_blank) {
        i = std::min(text.find('\n', i), text.size()) - 1;  // the newline is seen next
      } else if ((c == '"' || c == '\'') && after_blank) {
        quote = c;
        node_start = false;
      } else if (c == '[' || c == '{') {
        ++depth;
        node_start = false;
      } else if (c == ']' || c == '}') {
        --depth;
        node_start = false;
      } else if (depth <= 0 && (c == '-' || c == '?' || c == ':') && blank_after(i) && (node_start || c == ':')) {
        node_start = true;  // a block indicator: a node may follow
      } else if (depth <= 0 && node_start && (c == '&' || c == '!' || c == '*')) {
        // An anchor, tag or alias name ends at a blank or a flow indicator.
        while (i + 1 < text.size() && std::string_view(" \t\r\n,[]{}").find(text[i + 1]) == std::string_view::npos) ++i;
      } else if (depth <= 0 && node_start && (c == '|' || c == '>')) {
        block_indent = indent_at(line_begin);
        node_start = false;
      } else {
        node_start = false;
      }
    }
    return false;
  }
};

bool comma_outside_flow(FileContext& ctx, std::string_view text) { return CommaScan{ctx, text}.run(); }

}  // namespace

std::optional<YAML::Node> load_document(FileContext& ctx, std::string_view text) {
  if (text.size() > kMaxYamlBytes) {
    ctx.error(model::SourceLoc{ctx.file(), 0, 0},
              "the file is " + std::to_string(text.size() >> 20) + " MiB; a plan or rule file may be at most " +
                  std::to_string(kMaxYamlBytes >> 20) + " MiB");
    return std::nullopt;
  }
  if (!check_text(ctx, text)) return std::nullopt;
  if (starts_with_comma(ctx, text) || comma_outside_flow(ctx, text)) return std::nullopt;
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::ParserException& e) {
    ctx.error(ctx.loc(e.mark), "YAML syntax error: " + e.msg);
    return std::nullopt;
  } catch (const YAML::Exception& e) {
    ctx.error(ctx.loc(e.mark), "cannot read YAML: " + e.msg);
    return std::nullopt;
  }
  if (docs.empty()) return YAML::Node(YAML::NodeType::Null);
  if (docs.size() > 1) {
    ctx.error(docs[1].Mark().is_null() ? model::SourceLoc{ctx.file(), 0, 0} : ctx.loc(docs[1]),
              "a second YAML document ('---') starts here: a file holds one document; put "
              "everything in the first, or use another file");
    return std::nullopt;
  }
  Walk walk(ctx);
  walk.visit(docs[0]);
  if (!walk.ok()) return std::nullopt;
  return docs[0];
}

std::string describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return quote(n.Scalar());
    case YAML::NodeType::Null: return "nothing";
    case YAML::NodeType::Undefined: return "nothing";
  }
  return "nothing";
}

std::optional<std::string> scalar(FileContext& ctx, const YAML::Node& n, std::string_view what) {
  if (!n.IsScalar()) {
    ctx.error(n, "expected " + std::string(what) + ", found " + describe(n));
    return std::nullopt;
  }
  return n.Scalar();
}

std::optional<std::string> as_id(FileContext& ctx, const YAML::Node& n) {
  auto s = scalar(ctx, n, "an id");
  if (!s) return std::nullopt;
  if (!valid_id(*s)) {
    ctx.error(n, "invalid id " + quote(*s) + model::invisible_note(*s) +
                     ": use letters, digits, '_', '.' and '-', starting with a letter or digit");
    return std::nullopt;
  }
  return s;
}

std::optional<calendar::Date> as_date(FileContext& ctx, const YAML::Node& n) {
  auto s = scalar(ctx, n, "a date (YYYY-MM-DD)");
  if (!s) return std::nullopt;
  auto d = calendar::parse_date(*s);
  if (!d) ctx.error(n, "invalid date " + quote(*s) + ": expected a real date as YYYY-MM-DD");
  return d;
}

std::optional<std::int64_t> as_integer(FileContext& ctx, const YAML::Node& n) {
  auto s = scalar(ctx, n, "a whole number");
  if (!s) return std::nullopt;
  std::int64_t v = 0;
  const char* end = s->data() + s->size();
  auto [ptr, ec] = std::from_chars(s->data(), end, v);
  if (!is_plain(n) || s->empty() || ec != std::errc{} || ptr != end) {
    ctx.error(n, ec == std::errc::result_out_of_range
                     ? "number " + quote(*s) + " is too large"
                     : "expected a whole number, found " + quote(*s));
    return std::nullopt;
  }
  return v;
}

std::optional<double> as_number(FileContext& ctx, const YAML::Node& n) {
  auto s = scalar(ctx, n, "a number");
  if (!s) return std::nullopt;
  double v = 0;
  const char* end = s->data() + s->size();
  auto [ptr, ec] = std::from_chars(s->data(), end, v, std::chars_format::fixed);
  if (!is_plain(n) || s->empty() || ec != std::errc{} || ptr != end || !std::isfinite(v)) {
    ctx.error(n, "expected a number, found " + quote(*s));
    return std::nullopt;
  }
  return v;
}

std::optional<bool> as_bool(FileContext& ctx, const YAML::Node& n) {
  auto s = scalar(ctx, n, "true or false");
  if (!s) return std::nullopt;
  if (is_plain(n) && *s == "true") return true;
  if (is_plain(n) && *s == "false") return false;
  ctx.error(n, "expected true or false, found " + quote(*s));
  return std::nullopt;
}

MapReader::MapReader(FileContext& ctx, const YAML::Node& node, std::string_view what,
                     std::initializer_list<std::string_view> allowed)
    : ctx_(ctx), node_(node), what_(what) {
  if (!node.IsMap()) {
    ctx.error(node, "expected " + what_ + " (a mapping), found " + describe(node));
    return;
  }
  ok_ = true;
  std::vector<std::string> names(allowed.begin(), allowed.end());
  std::map<std::string, model::SourceLoc> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node k = it->first;  // a copy: the iterator yields a temporary pair
    if (!k.IsScalar()) {
      ctx.error(k, "expected a key name in " + what_ + ", found " + describe(k));
      continue;
    }
    const std::string& key = k.Scalar();
    auto [pos, inserted] = seen.emplace(key, ctx.loc(k));
    if (!inserted) {
      ctx.error(k, "duplicate key " + quote(key) + " in " + what_ + " (first at line " +
                       std::to_string(pos->second.line) + ")");
      continue;
    }
    if (std::find(names.begin(), names.end(), key) == names.end()) {
      ctx.error(k, "unknown key " + quote(key) + " in " + what_ + model::did_you_mean(key, names));
      if (auto near = model::closest(key, names); !near.empty()) misspelt_.push_back(near);
    }
  }
}

bool MapReader::has(std::string_view key) const { return ok_ && find_key(node_, key).has_value(); }

YAML::Node MapReader::get(std::string_view key, bool required) {
  if (!ok_) return YAML::Node(YAML::NodeType::Undefined);
  auto v = find_key(node_, key);
  if (!v) {
    // A misspelt key was already reported with its correction; one mistake, one message.
    bool misspelt = std::find(misspelt_.begin(), misspelt_.end(), key) != misspelt_.end();
    if (required && !misspelt)
      ctx_.error(node_, "missing required key '" + std::string(key) + "' in " + what_);
    return YAML::Node(YAML::NodeType::Undefined);
  }
  if (v->IsNull()) {
    if (required)
      ctx_.error(*v, "key '" + std::string(key) + "' in " + what_ + " has no value");
    else
      ctx_.error(*v, "key '" + std::string(key) + "' has no value (remove it or give one)");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  return *v;
}

std::optional<std::string> MapReader::text(std::string_view key, bool required) {
  auto n = get(key, required);
  if (!n.IsDefined()) return std::nullopt;
  auto s = scalar(ctx_, n, "text");
  if (s && s->find_first_not_of(" \t\r\n") == std::string::npos) {
    ctx_.error(n, "key '" + std::string(key) + "' is blank");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> MapReader::id(std::string_view key, bool required) {
  auto n = get(key, required);
  return n.IsDefined() ? as_id(ctx_, n) : std::nullopt;
}

std::optional<calendar::Date> MapReader::date(std::string_view key, bool required) {
  auto n = get(key, required);
  return n.IsDefined() ? as_date(ctx_, n) : std::nullopt;
}

std::optional<std::int64_t> MapReader::integer(std::string_view key, bool required) {
  auto n = get(key, required);
  return n.IsDefined() ? as_integer(ctx_, n) : std::nullopt;
}

std::optional<double> MapReader::number(std::string_view key, bool required) {
  auto n = get(key, required);
  return n.IsDefined() ? as_number(ctx_, n) : std::nullopt;
}

std::optional<bool> MapReader::boolean(std::string_view key, bool required) {
  auto n = get(key, required);
  return n.IsDefined() ? as_bool(ctx_, n) : std::nullopt;
}

std::optional<std::string> MapReader::choice(std::string_view key, bool required,
                                             const std::vector<std::string>& choices) {
  auto n = get(key, required);
  if (!n.IsDefined()) return std::nullopt;
  auto s = scalar(ctx_, n, "one of the listed values");
  if (!s) return std::nullopt;
  if (std::find(choices.begin(), choices.end(), *s) != choices.end()) return s;
  std::string list;
  for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
  ctx_.error(n, "invalid " + std::string(key) + " " + quote(*s) + model::did_you_mean(*s, choices) +
                    "; expected one of: " + list);
  return std::nullopt;
}

std::vector<LocatedId> MapReader::id_list(std::string_view key, bool required, bool non_empty) {
  std::vector<LocatedId> out;
  auto n = get(key, required);
  if (!n.IsDefined()) return out;
  if (!n.IsSequence()) {
    ctx_.error(n, "expected '" + std::string(key) + "' to be a list, found " + describe(n));
    return out;
  }
  if (non_empty && n.size() == 0) ctx_.error(n, "'" + std::string(key) + "' must not be empty");
  std::set<std::string> seen;
  for (const auto& item : n) {
    auto v = as_id(ctx_, item);
    if (!v) continue;
    if (!seen.insert(*v).second) {
      ctx_.error(item, quote(*v) + " is listed twice in '" + std::string(key) + "'");
      continue;
    }
    out.push_back({*v, ctx_.loc(item)});
  }
  return out;
}

std::vector<std::string> MapReader::text_list(std::string_view key, bool required) {
  std::vector<std::string> out;
  auto n = list(key, required);
  if (!n) return out;
  for (const auto& item : *n) {
    auto v = scalar(ctx_, item, "text");
    if (!v) continue;
    if (v->find_first_not_of(" \t") == std::string::npos) {
      ctx_.error(item, "an item of '" + std::string(key) + "' is empty");
      continue;
    }
    out.push_back(*v);
  }
  return out;
}

std::optional<YAML::Node> MapReader::list(std::string_view key, bool required) {
  auto n = get(key, required);
  if (!n.IsDefined()) return std::nullopt;
  if (!n.IsSequence()) {
    ctx_.error(n, "expected '" + std::string(key) + "' to be a list, found " + describe(n));
    return std::nullopt;
  }
  return n;
}

model::Provenance MapReader::provenance() {
  model::Provenance p;
  if (auto c = boolean("confirmed", false)) p.confirmed = *c;
  if (auto s = text("source", false)) p.source = *s;
  return p;
}

}  // namespace jvap::yaml
