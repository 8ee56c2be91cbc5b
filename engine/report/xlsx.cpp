// The XLSX renderer (libxlsxwriter): a cover sheet, then one sheet per table with typed cells,
// frozen headers and filters. The workbook's creation time is the as-of date, so the same report
// gives the same bytes.
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <set>

#include "model/text.hpp"
#include "report/report.hpp"

namespace jvap::report {

namespace {

void check(lxw_error e, const std::filesystem::path& file) {
  if (e != LXW_NO_ERROR)
    throw ReportError(file.string() + ": cannot write the workbook: " + lxw_strerror(e));
}

// A sheet name: at most 31 characters, none of []:*?/\, unique in the workbook.
std::string sheet_name(const std::string& id, std::set<std::string>& used) {
  std::string name;
  for (char c : id) name += std::string("[]:*?/\\").find(c) == std::string::npos ? c : '_';
  name = name.substr(0, 31);
  std::string candidate = name;
  for (int n = 2; used.count(candidate); ++n) {
    std::string suffix = "~" + std::to_string(n);
    candidate = name.substr(0, 31 - suffix.size()) + suffix;
  }
  used.insert(candidate);
  return candidate;
}

std::optional<lxw_datetime> as_datetime(const std::string& s) {
  auto d = calendar::parse_date(s);
  if (!d) return std::nullopt;
  date::year_month_day ymd{*d};
  return lxw_datetime{static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                      static_cast<int>(unsigned(ymd.day())), 0, 0, 0};
}

}  // namespace

namespace {

// The longest text an XLSX cell holds (Excel's limit, enforced by libxlsxwriter).
constexpr std::size_t kMaxCellChars = 32767;

std::size_t chars(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Writes text to a cell: never invalid UTF-8, and cut with a visible marker (counted in
// `truncated`) when longer than a cell holds, never dropped.
class Cells {
 public:
  void put(lxw_worksheet* ws, lxw_row_t row, lxw_col_t col, std::string_view text, lxw_format* format) {
    std::size_t bad = 0;
    std::string s = model::valid_utf8(text, bad) ? std::string(text) : model::printable(text);
    if (chars(s) > kMaxCellChars) {
      ++truncated;
      const std::string marker = " [... cut: " + std::to_string(chars(s)) +
                                 " characters in all; the full text is in the JSON report]";
      std::size_t keep = kMaxCellChars - chars(marker), n = 0, at = 0;
      for (; at < s.size(); ++at)
        if ((static_cast<unsigned char>(s[at]) & 0xC0) != 0x80 && n++ == keep) break;
      s = s.substr(0, at) + marker;
    }
    worksheet_write_string(ws, row, col, s.c_str(), format);
  }
  std::size_t truncated = 0;
};

struct Formats : Cells {
  lxw_format *bold, *header, *integer, *number, *money, *percent, *day, *title;

  explicit Formats(lxw_workbook* wb) {
    bold = workbook_add_format(wb);
    format_set_bold(bold);
    header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_bg_color(header, 0xDCE6F1);
    format_set_bottom(header, LXW_BORDER_THIN);
    format_set_text_wrap(header);
    integer = workbook_add_format(wb);
    format_set_num_format(integer, "#,##0");
    number = workbook_add_format(wb);
    format_set_num_format(number, "#,##0.##");
    money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    percent = workbook_add_format(wb);
    format_set_num_format(percent, "0.0%");
    day = workbook_add_format(wb);
    format_set_num_format(day, "yyyy-mm-dd");
    title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
  }
};

// Creation date = the as-of date (midnight UTC), for identical bytes from identical inputs.
void set_properties(lxw_workbook* wb, const Report& r) {
  lxw_doc_properties props{};
  std::string title = r.cover.title, subject = r.cover.scope + ", " + r.cover.period;
  std::string comments = "plan " + r.cover.plan_hash + "; rules " + r.cover.rules_hash;
  props.title = title.data();
  props.subject = subject.data();
  props.comments = comments.data();
  if (auto d = calendar::parse_date(r.cover.as_of))
    props.created = static_cast<std::time_t>(std::chrono::sys_seconds(*d).time_since_epoch().count());
  workbook_set_properties(wb, &props);
}

// The cover sheet: what the report is, its key figures, then (written by the caller) its sheets.
lxw_row_t write_cover(lxw_worksheet* cover, const Report& r, Formats& f) {
  worksheet_set_column(cover, 0, 0, 28, nullptr);
  worksheet_set_column(cover, 1, 1, 80, nullptr);
  f.put(cover, 0, 0, r.cover.title, f.title);
  const auto& c = r.cover;
  std::vector<std::pair<std::string, std::string>> lines{
      {"Scope", c.scope}, {"Period", c.period + " (" + c.period_start + " to " + c.period_end + ")"},
      {"Due date", c.due}, {"As of", c.as_of}, {"Data as known on", c.known_on},
      {"Plan", c.plan_id + ": " + c.plan_title}, {"Plan content hash", c.plan_hash},
      {"Rule set hash", c.rules_hash}, {"Findings", c.findings_source}, {"Generated by", c.generator}};
  lxw_row_t row = 2;
  for (const auto& [k, v] : lines) {
    f.put(cover, row, 0, k, f.bold);
    f.put(cover, row++, 1, v, nullptr);
  }
  ++row;
  f.put(cover, row++, 0, "Key figures", f.title);
  for (const auto& h : r.highlights) {
    f.put(cover, row, 0, h.label, f.bold);
    f.put(cover, row++, 1, format_cell(h.value, h.type) + (h.detail.empty() ? "" : " (" + h.detail + ")"),
          nullptr);
  }
  ++row;
  f.put(cover, row++, 0, "Sheets", f.title);
  return row;
}

// One cell, typed: dates as dates, numbers as numbers in their column's format.
void write_cell(lxw_worksheet* ws, lxw_row_t ri, lxw_col_t cj, const Cell& v, Type type, Formats& f) {
  if (std::holds_alternative<std::monostate>(v)) return;
  if (std::holds_alternative<std::string>(v)) {
    const auto& text = std::get<std::string>(v);
    auto dt = type == Type::date ? as_datetime(text) : std::nullopt;
    if (dt) worksheet_write_datetime(ws, ri, cj, &*dt, f.day);
    else f.put(ws, ri, cj, text, nullptr);
    return;
  }
  double x = std::holds_alternative<std::int64_t>(v) ? static_cast<double>(std::get<std::int64_t>(v))
                                                      : std::get<double>(v);
  switch (type) {
    case Type::percent: worksheet_write_number(ws, ri, cj, x / 100.0, f.percent); break;
    case Type::money: worksheet_write_number(ws, ri, cj, x, f.money); break;
    case Type::integer: worksheet_write_number(ws, ri, cj, x, f.integer); break;
    default: worksheet_write_number(ws, ri, cj, x, f.number);
  }
}

// A table's sheet: the header (frozen, with filters), columns sized to their text, typed cells.
void write_table(lxw_worksheet* ws, const Table& t, Formats& f) {
  for (std::size_t j = 0; j < t.columns.size(); ++j) {
    const auto& col = t.columns[j];
    auto cj = static_cast<lxw_col_t>(j);
    f.put(ws, 0, cj, col.label, f.header);
    std::size_t width = std::max<std::size_t>(col.label.size(), 8);
    for (std::size_t i = 0; i < t.rows.size(); ++i)
      width = std::max(width, format_cell(t.rows[i][j], t.type_of(i, j)).size() + 2);
    worksheet_set_column(ws, cj, cj, static_cast<double>(std::min<std::size_t>(width, 60)), nullptr);
  }
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    for (std::size_t j = 0; j < t.columns.size(); ++j)
      write_cell(ws, static_cast<lxw_row_t>(i + 1), static_cast<lxw_col_t>(j), t.rows[i][j],
                 t.type_of(i, j), f);
  worksheet_freeze_panes(ws, 1, 0);
  if (!t.columns.empty())
    worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(t.rows.size()),
                         static_cast<lxw_col_t>(t.columns.size() - 1));
}

}  // namespace

std::vector<std::string> write_xlsx(const Report& r, const std::filesystem::path& file) {
  // libxlsxwriter reports an unwritable path on stderr itself, late; find it first.
  {
    std::ofstream probe(file, std::ios::binary | std::ios::trunc);
    if (!probe)
      throw ReportError(file.string() + ": cannot write the workbook: " + std::strerror(errno));
  }
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(file.c_str(), &options);
  if (!wb) throw ReportError(file.string() + ": cannot create the workbook");
  set_properties(wb, r);
  Formats f(wb);
  std::set<std::string> used;
  lxw_worksheet* cover = workbook_add_worksheet(wb, sheet_name("Cover", used).c_str());
  lxw_row_t row = write_cover(cover, r, f);
  for (const auto& s : r.sections)
    for (const auto& t : s.tables) {
      std::string name = sheet_name(t.id, used);
      f.put(cover, row, 0, name, nullptr);
      f.put(cover, row++, 1, (s.title + ": " + t.title), nullptr);
      write_table(workbook_add_worksheet(wb, name.c_str()), t, f);
    }
  check(workbook_close(wb), file);
  if (f.truncated == 0) return {};
  return {std::to_string(f.truncated) + (f.truncated == 1 ? " text was" : " texts were") +
          " longer than an XLSX cell holds (32,767 characters) and cut there with a marker; the "
          "JSON report has them whole"};
}

}  // namespace jvap::report
