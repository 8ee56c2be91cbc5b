// Renderers for JSON, Markdown and HTML. Markdown and HTML come from mustache templates under
// reports/ (wording and layout); the tables and charts are drawn here and handed to the
// templates ready to place, so a template decides where they go and what surrounds them.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>

#include <kainjow/mustache.hpp>

#include "model/money.hpp"
#include "model/text.hpp"
#include "report/escape.hpp"
#include "report/report.hpp"

namespace jvap::report {

namespace {

namespace mu = kainjow::mustache;

std::string thousands(std::int64_t v) { return model::group_thousands(std::to_string(v)); }

bool numeric(Type t) {
  return t == Type::integer || t == Type::number || t == Type::percent || t == Type::money;
}

void json_string(std::string& out, std::string_view s) {
  std::size_t bad = 0;
  if (!model::valid_utf8(s, bad)) {  // checked where text enters; never invalid JSON regardless
    json_string(out, model::printable(s));
    return;
  }
  out += '"';
  for (char ch : s) {
    auto u = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", u);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// `sep_key` (such as `, "title": `) then the value as a JSON string.
void field(std::string& out, const char* sep_key, std::string_view value) {
  out += sep_key;
  json_string(out, value);
}

// Numbers in their shortest exact form (std::to_chars), integers as integers.
void json_cell(std::string& out, const Cell& c) {
  char buf[64];
  if (std::holds_alternative<std::int64_t>(c)) {
    out += std::to_string(std::get<std::int64_t>(c));
  } else if (std::holds_alternative<double>(c)) {
    double d = std::get<double>(c);
    if (!std::isfinite(d)) {
      out += "null";
      return;
    }
    // Fixed notation, never an exponent (1000000, not 1e+06): money and counts are read by people.
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    out.append(buf, res.ptr);
  } else if (std::holds_alternative<std::string>(c)) {
    json_string(out, std::get<std::string>(c));
  } else {
    out += "null";
  }
}

std::string md_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '<') out += "&lt;";  // plan text is not markup, wherever the Markdown is shown
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

std::string read_file(const std::filesystem::path& p) {
  std::error_code ec;
  if (std::filesystem::exists(p, ec) && !std::filesystem::is_regular_file(p, ec))
    throw ReportError(p.string() + ": not a regular file (see --templates)");
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ReportError(p.string() + ": cannot read the template (see --templates)");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A template, parsed; its errors carry file:line:col.
mu::mustache compile(const std::filesystem::path& file) {
  std::string text = read_file(file);
  mu::mustache t(text);
  if (!t.is_valid()) {
    std::string msg = t.error_message();
    auto at = msg.rfind(" at ");
    std::size_t offset = 0, line = 1, column = 1;
    if (at != std::string::npos) offset = std::strtoull(msg.c_str() + at + 4, nullptr, 10);
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw ReportError(file.string() + ":" + std::to_string(line) + ":" + std::to_string(column) +
                      ": " + (at == std::string::npos ? msg : msg.substr(0, at)));
  }
  return t;
}

// Drawn tables can be megabytes: the template gets a short token for each, replaced in the
// rendered text afterwards, so the bodies are not copied through the template engine. The
// token carries a random nonce of this render, so data cannot produce one (and control
// characters never get into the data anyway).
struct Tokens {
  std::string prefix;  // "\x01jvap-table-<nonce>-"
  std::vector<std::string> bodies;

  Tokens() {
    std::random_device rd;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x%08x%08x%08x", rd(), rd(), rd(), rd());
    prefix = std::string("\x01jvap-table-") + buf + "-";
  }
  std::string add(std::string body) {
    bodies.push_back(std::move(body));
    return prefix + std::to_string(bodies.size() - 1) + "\x01";
  }
};

std::string splice(const std::string& rendered, const Tokens& tokens, const std::filesystem::path& file) {
  const auto& bodies = tokens.bodies;
  std::string out;
  std::size_t total = rendered.size();
  for (const auto& b : bodies) total += b.size();
  out.reserve(total);
  std::size_t at = 0;
  const std::string& token = tokens.prefix;
  for (auto hit = rendered.find(token); hit != std::string::npos; hit = rendered.find(token, at)) {
    out.append(rendered, at, hit - at);
    std::size_t end = rendered.find('\x01', hit + token.size());
    std::size_t n = std::strtoull(rendered.c_str() + hit + token.size(), nullptr, 10);
    if (end == std::string::npos || n >= bodies.size())
      throw ReportError(file.string() + ": a table's place holder was altered by the template");
    out += bodies[n];
    at = end + 1;
  }
  out.append(rendered, at, std::string::npos);
  return out;
}

std::string rendered(mu::mustache& t, const mu::data& d, const std::filesystem::path& file,
                     const Tokens& tokens) {
  std::string out = t.render(d);
  if (!t.is_valid()) throw ReportError(file.string() + ": " + t.error_message());
  return splice(out, tokens, file);
}

std::string table_html(const Table& t) {
  std::string out = "<table class=\"data\">\n<thead><tr>";
  out.reserve(64 * (t.rows.size() + 1) * (t.columns.size() + 1));
  for (const auto& c : t.columns) {
    out += numeric(c.type) ? "<th class=\"num\" scope=\"col\">" : "<th scope=\"col\">";
    detail::append_html(out, c.label);
    out += "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    out += "<tr>";
    for (std::size_t i = 0; i < row.size(); ++i) {
      const auto type = t.type_of(r, i);
      const auto text = format_cell(row[i], type);
      if (t.columns[i].key == "rag")  // a red, amber or green status: coloured, and still written out
        out += "<td class=\"rag rag-" + std::string(text == "red" || text == "amber" || text == "green" ? text : "none") + "\">";
      else
        out += numeric(type)                             ? "<td class=\"num\">"
               : (type == Type::code || type == Type::date) ? "<td class=\"code\">"
                                                            : "<td>";
      detail::append_html(out, text);
      out += "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>";
}

std::string table_md(const Table& t) {
  std::string out = "|";
  for (const auto& c : t.columns) out += " " + md_escape(c.label) + " |";
  out += "\n|";
  for (const auto& c : t.columns) out += numeric(c.type) ? " ---: |" : " --- |";
  out += "\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    out += "|";
    for (std::size_t i = 0; i < t.rows[r].size(); ++i)
      out += " " + md_escape(format_cell(t.rows[r][i], t.type_of(r, i))) + " |";
    out += "\n";
  }
  return out;
}

mu::data flag(bool b) { return b ? mu::data::type::bool_true : mu::data::type::bool_false; }

// The data a template sees; `html` chooses how tables, charts and notes are drawn. The drawn
// tables go to `bodies`, and the template sees their tokens.
mu::data view(const Report& r, bool html, Tokens& bodies) {
  mu::data d;
  mu::data cover;
  const auto& c = r.cover;
  for (const auto& [k, v] : c.fields()) cover.set(k, *v);
  cover.set("plan_hash_short", c.plan_hash.substr(0, 12));
  cover.set("rules_hash_short", c.rules_hash.substr(0, 12));
  cover.set("known_on_differs", flag(c.known_on != c.as_of));
  cover.set("has_chair", flag(!c.chair.empty()));
  d.set("cover", cover);
  for (const char* k : {"joint", "process", "domain", "partner", "work_plan"})
    d.set(std::string("is_") + k, flag(c.kind == k));

  mu::data highlights{mu::data::type::list};
  for (const auto& h : r.highlights) {
    mu::data x;
    x.set("key", h.key);
    x.set("label", h.label);
    std::string v = format_cell(h.value, h.type);
    x.set("value", v.empty() ? std::string("-") : v);
    x.set("detail", h.detail);
    x.set("has_detail", flag(!h.detail.empty()));
    highlights.push_back(x);
  }
  d.set("highlights", highlights);

  mu::data sections{mu::data::type::list};
  for (const auto& s : r.sections) {
    mu::data x;
    x.set("id", s.id);
    x.set("title", s.title);
    bool is_domain = s.id.size() == 2 && s.id[0] == 'D';
    x.set("is_domain", flag(is_domain));
    if (!is_domain) x.set("is_" + s.id, flag(true));
    x.set("has_notes", flag(!s.notes.empty()));
    x.set("notes", html ? notes_to_html(s.notes) : s.notes);
    mu::data tables{mu::data::type::list};
    for (const auto& t : s.tables) {
      mu::data y;
      y.set("id", t.id);
      y.set("anchor", "t-" + t.id);
      y.set("title", t.title);
      y.set("note", t.note);
      y.set("has_note", flag(!t.note.empty()));
      y.set("empty", flag(t.empty()));
      y.set("rows", std::to_string(t.rows.size()));
      y.set("collapsible", flag(s.id == "annex"));  // long lists: folded in HTML, open in print
      y.set("body", bodies.add(html ? table_html(t) : table_md(t)));
      tables.push_back(y);
    }
    x.set("tables", tables);
    mu::data charts{mu::data::type::list};
    for (const auto& ch : s.charts) {
      const auto* t = s.table(ch.table);
      if (!t || t->empty()) continue;
      mu::data y;
      y.set("id", ch.id);
      y.set("title", ch.title);
      y.set("description", chart_description(ch, *t));
      if (html) y.set("svg", chart_svg(ch, *t));
      charts.push_back(y);
    }
    x.set("charts", charts);
    sections.push_back(x);
  }
  d.set("sections", sections);
  d.set("has_owed_csv", flag(!r.owed_csv.empty()));
  d.set("owed_csv", r.owed_csv);
  return d;
}

}  // namespace

std::string format_cell(const Cell& c, Type t) {
  if (std::holds_alternative<std::monostate>(c)) return "";
  if (std::holds_alternative<std::string>(c)) return std::get<std::string>(c);
  double v = std::holds_alternative<std::int64_t>(c) ? static_cast<double>(std::get<std::int64_t>(c))
                                                      : std::get<double>(c);
  char buf[64];
  switch (t) {
    case Type::percent:
      std::snprintf(buf, sizeof buf, "%.1f%%", v);
      return buf;
    case Type::money:
    case Type::integer: return thousands(std::llround(v));
    default: {
      if (std::holds_alternative<std::int64_t>(c)) return thousands(std::get<std::int64_t>(c));
      // Two decimals at most: format once, drop trailing zeros, then group the whole part.
      std::snprintf(buf, sizeof buf, "%.2f", v);
      std::string s = buf;
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
      if (s == "-0") s = "0";
      return model::group_thousands(s);
    }
  }
}

namespace {

// The report's JSON, one part at a time (schema: docs/report-format.md).
void json_cover(std::string& out, const Cover& c) {
  out += "  \"cover\": {";
  bool first = true;
  for (const auto& [k, v] : c.fields()) {
    out += first ? "\n    " : ",\n    ";
    first = false;
    json_string(out, k);
    field(out, ": ", *v);
  }
  out += "\n  }";
}

void json_highlights(std::string& out, const std::vector<Highlight>& highlights) {
  out += "  \"highlights\": [";
  for (std::size_t i = 0; i < highlights.size(); ++i) {
    const auto& h = highlights[i];
    out += i ? ",\n    {\"key\": " : "\n    {\"key\": ";
    json_string(out, h.key);
    field(out, ", \"label\": ", h.label);
    out += ", \"value\": ";
    json_cell(out, h.value);
    field(out, ", \"type\": ", std::string(to_string(h.type)));
    field(out, ", \"detail\": ", h.detail);
    out += "}";
  }
  out += "\n  ]";
}

// One table row per line keeps a large report readable and diffable.
void json_table(std::string& out, const Table& t) {
  json_string(out, t.id);
  field(out, ", \"title\": ", t.title);
  field(out, ", \"note\": ", t.note);
  out += ",\n       \"columns\": [";
  for (std::size_t k = 0; k < t.columns.size(); ++k) {
    out += k ? ", {\"key\": " : "{\"key\": ";
    json_string(out, t.columns[k].key);
    field(out, ", \"label\": ", t.columns[k].label);
    field(out, ", \"type\": ", std::string(to_string(t.columns[k].type)));
    out += "}";
  }
  out += "],\n       \"rows\": [";
  for (std::size_t ri = 0; ri < t.rows.size(); ++ri) {
    out += ri ? ",\n        {" : "\n        {";
    for (std::size_t k = 0; k < t.rows[ri].size(); ++k) {
      field(out, k ? ", " : "", t.columns[k].key);
      out += ": ";
      json_cell(out, t.rows[ri][k]);
    }
    out += "}";
  }
  out += t.rows.empty() ? "]}" : "\n       ]}";
}

void json_chart(std::string& out, const Chart& ch) {
  static const char* kinds[] = {"bars", "stacked", "heatmap", "lines"};
  json_string(out, ch.id);
  field(out, ", \"title\": ", ch.title);
  field(out, ", \"kind\": ", kinds[static_cast<int>(ch.kind)]);
  field(out, ", \"table\": ", ch.table);
  field(out, ", \"category\": ", ch.category);
  if (!ch.filter_column.empty()) {
    field(out, ", \"filter_column\": ", ch.filter_column);
    field(out, ", \"filter_value\": ", ch.filter_value);
  }
  out += ", \"series\": [";
  for (std::size_t k = 0; k < ch.series.size(); ++k) field(out, k ? ", " : "", ch.series[k]);
  out += "]}";
}

void json_section(std::string& out, const Section& s) {
  json_string(out, s.id);
  field(out, ", \"title\": ", s.title);
  field(out, ", \"notes\": ", s.notes);
  out += ",\n     \"tables\": [";
  for (std::size_t ti = 0; ti < s.tables.size(); ++ti) {
    out += ti ? ",\n      {\"id\": " : "\n      {\"id\": ";
    json_table(out, s.tables[ti]);
  }
  out += s.tables.empty() ? "],\n     \"charts\": [" : "\n     ],\n     \"charts\": [";
  for (std::size_t ci = 0; ci < s.charts.size(); ++ci) {
    out += ci ? ",\n      {\"id\": " : "\n      {\"id\": ";
    json_chart(out, s.charts[ci]);
  }
  out += s.charts.empty() ? "]}" : "\n     ]}";
}

}  // namespace

std::string to_json(const Report& r) {
  // Written by hand: a million-record report has hundreds of thousands of rows, and a JSON
  // document tree of them costs more time and memory than the rest of the report.
  std::string out;
  std::size_t cells = 0;  // about 24 bytes of JSON a cell: reserve once instead of growing
  for (const auto& sec : r.sections)
    for (const auto& t : sec.tables) cells += t.rows.size() * t.columns.size();
  out.reserve((1 << 16) + 24 * cells);
  out += "{\n  \"schema\": \"jvap-report/1\",\n";
  json_cover(out, r.cover);
  out += ",\n";
  json_highlights(out, r.highlights);
  out += ",\n  \"sections\": [";
  for (std::size_t si = 0; si < r.sections.size(); ++si) {
    out += si ? ",\n    {\"id\": " : "\n    {\"id\": ";
    json_section(out, r.sections[si]);
  }
  out += "\n  ]";
  if (!r.owed_csv.empty()) field(out, ",\n  \"owed_csv\": ", r.owed_csv);
  return out + "\n}\n";
}

std::string to_markdown(const Report& r, const std::filesystem::path& templates) {
  const auto file = templates / "md" / "report.md.mustache";
  auto t = compile(file);
  t.set_custom_escape([](const std::string& s) { return s; });
  Tokens bodies;
  auto d = view(r, false, bodies);
  return rendered(t, d, file, bodies);
}

namespace {

std::string html_page(const Report& r, const std::filesystem::path& templates, bool print,
                      const std::map<std::string, int>& pages, bool tight) {
  const auto file = templates / "html" / "report.html.mustache";
  auto t = compile(file);
  Tokens bodies;
  auto d = view(r, true, bodies);
  d.set("css", read_file(templates / "html" / "style.css"));
  d.set("print", flag(print));
  d.set("tight", flag(tight));
  d.set("contents_page", flag(r.sections.size() >= 3));  // a page of contents for a long report only
  if (print) {  // the contents page's page numbers ("..." until the first pass has found them)
    mu::data sections{mu::data::type::list};
    for (const auto& s : r.sections) {
      mu::data x;
      x.set("id", s.id);
      x.set("title", s.title);
      auto it = pages.find(s.id);
      x.set("page", it == pages.end() ? std::string("...") : std::to_string(it->second));
      sections.push_back(x);
    }
    d.set("contents", sections);
  }
  return rendered(t, d, file, bodies);
}

}  // namespace

std::string to_html(const Report& r, const std::filesystem::path& templates) {
  return html_page(r, templates, false, {}, false);
}

std::string to_print_html(const Report& r, const std::filesystem::path& templates,
                          const std::map<std::string, int>& pages, bool tight) {
  return html_page(r, templates, true, pages, tight);
}

}  // namespace jvap::report
