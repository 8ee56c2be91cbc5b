// Spreadsheet uploads (XLSX and ODS) read with liborcus, the library LibreOffice uses: an import
// factory keeps the cells of one sheet (strings, numbers, dates, booleans and the cached results
// of formulas), then the sheet is handed on as raw rows of the upload columns, each problem
// located as Sheet!C7. A zip guard checks the archive's declared sizes first (zip bombs), and
// the factory stops at a cell limit.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <span>
#include <stdexcept>
#include <tuple>
#include <utility>

#include <orcus/orcus_ods.hpp>
#include <orcus/orcus_xlsx.hpp>
#include <orcus/spreadsheet/import_interface.hpp>

#include "ingest/row_source.hpp"
#include "ingest/zip.hpp"
#include "model/text.hpp"

namespace jvap::ingest::detail {

namespace {

namespace ss = orcus::spreadsheet;

constexpr std::size_t kMaxCells = 5'000'000;

struct TooBig : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "C" for column 2 (from 0), "AA" for 26.
std::string column_letters(std::int64_t col) {
  std::string out;
  for (++col; col > 0; col = (col - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (col - 1) % 26));
  return out;
}

struct Cell {
  enum Kind : std::uint8_t { text, number, boolean, date, no_result } kind = text;
  std::int32_t row = 0, col = 0;
  std::uint32_t sst = UINT32_MAX;  // a shared string, else `own`
  std::string own;
  double num = 0;
};

class Sheet : public ss::iface::import_sheet, public ss::iface::import_formula {
 public:
  explicit Sheet(bool keep) : keep_(keep) {}
  std::vector<Cell> cells;

  void set_auto(ss::row_t r, ss::col_t c, std::string_view s) override { add(r, c, Cell::text).own = s; }
  void set_string(ss::row_t r, ss::col_t c, ss::string_id_t id) override { add(r, c, Cell::text).sst = id; }
  void set_value(ss::row_t r, ss::col_t c, double v) override { add(r, c, Cell::number).num = v; }
  void set_bool(ss::row_t r, ss::col_t c, bool v) override { add(r, c, Cell::boolean).num = v; }
  void set_date_time(ss::row_t r, ss::col_t c, int y, int m, int d, int hh, int mm, double sec) override {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    auto& cell = add(r, c, Cell::date);
    cell.own = buf;
    cell.num = hh * 3600.0 + mm * 60.0 + sec;  // a time of day makes it no date
  }
  void set_format(ss::row_t, ss::col_t, std::size_t) override {}
  void set_format(ss::row_t, ss::col_t, ss::row_t, ss::col_t, std::size_t) override {}
  void fill_down_cells(ss::row_t r, ss::col_t c, ss::row_t n) override {
    auto it = std::find_if(cells.rbegin(), cells.rend(), [&](const Cell& x) { return x.row == r && x.col == c; });
    if (it == cells.rend()) return;
    Cell copy = *it;
    for (ss::row_t i = 1; i <= n; ++i) {
      copy.row = r + i;
      push(copy);
    }
  }
  ss::range_size_t get_sheet_size() const override { return {1048576, 16384}; }
  ss::iface::import_formula* get_formula() override { return this; }

  // Formulas: only the result the file saved counts.
  void set_position(ss::row_t r, ss::col_t c) override { formula_ = {Cell::no_result, r, c}; }
  void set_formula(ss::formula_grammar_t, std::string_view) override {}
  void set_shared_formula_index(std::size_t) override {}
  void set_result_string(std::string_view v) override { formula_.kind = Cell::text, formula_.own = v; }
  void set_result_value(double v) override { formula_.kind = Cell::number, formula_.num = v; }
  void set_result_bool(bool v) override { formula_.kind = Cell::boolean, formula_.num = v; }
  void set_result_empty() override { formula_.kind = Cell::text, formula_.own.clear(); }
  void commit() override { push(formula_); }

 private:
  Cell& add(ss::row_t r, ss::col_t c, Cell::Kind k) {
    Cell x;
    x.kind = k, x.row = r, x.col = c;
    push(std::move(x));
    return keep_ ? cells.back() : scratch_;
  }
  void push(Cell x) {
    if (!keep_) return;
    if (cells.size() >= kMaxCells)
      throw TooBig("the sheet has more than " + std::to_string(kMaxCells) + " cells; split it into smaller uploads");
    cells.push_back(std::move(x));
  }
  bool keep_;
  Cell formula_, scratch_;
};

class Strings : public ss::iface::import_shared_strings {
 public:
  std::vector<std::string> list;
  std::size_t append(std::string_view s) override { return push(std::string(s)); }
  std::size_t add(std::string_view s) override { return push(std::string(s)); }
  void set_segment_font(std::size_t) override {}
  void set_segment_bold(bool) override {}
  void set_segment_italic(bool) override {}
  void set_segment_font_name(std::string_view) override {}
  void set_segment_font_size(double) override {}
  void set_segment_font_color(ss::color_elem_t, ss::color_elem_t, ss::color_elem_t, ss::color_elem_t) override {}
  void append_segment(std::string_view s) override { segments_ += s; }
  std::size_t commit_segments() override { return push(std::exchange(segments_, {})); }

 private:
  std::size_t push(std::string s) {
    if (list.size() >= kMaxCells) throw TooBig("the file has more than " + std::to_string(kMaxCells) + " strings");
    list.push_back(std::move(s));
    return list.size() - 1;
  }
  std::string segments_;
};

class Settings : public ss::iface::import_global_settings {
 public:
  // Day 0 of the serial numbers: 1899-12-30 in Excel's 1900 date system (so that day 61 is
  // 1900-03-01 despite its phantom 1900-02-29), 1904-01-01 in the 1904 one, an ODS file's own.
  calendar::Date origin = date::sys_days(date::year(1899) / 12 / 30);
  void set_origin_date(int y, int m, int d) override {
    date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(m)), date::day(static_cast<unsigned>(d))};
    if (ymd.ok() && !date1904) origin = date::sys_days(ymd);
  }
  bool date1904 = false;  // liborcus 0.17 does not read workbookPr/@date1904: set from the file
  void set_default_formula_grammar(ss::formula_grammar_t g) override { grammar_ = g; }
  ss::formula_grammar_t get_default_formula_grammar() const override { return grammar_; }
  void set_character_set(orcus::character_set_t) override {}

 private:
  ss::formula_grammar_t grammar_ = ss::formula_grammar_t::xlsx;
};

// Cell addresses as the files write them ("C7", "$C$7", "Sheet1!C7"), for the filters.
class Resolver : public ss::iface::import_reference_resolver {
 public:
  ss::src_address_t resolve_address(std::string_view a) override {
    if (auto bang = a.rfind('!'); bang != std::string_view::npos) a.remove_prefix(bang + 1);
    if (auto dot = a.rfind('.'); dot != std::string_view::npos) a.remove_prefix(dot + 1);  // ODS "Sheet.C7"
    ss::src_address_t out{0, -1, -1};
    std::int64_t col = 0, row = 0;
    std::size_t i = 0;
    if (i < a.size() && a[i] == '$') ++i;
    for (; i < a.size() && std::isalpha(static_cast<unsigned char>(a[i])); ++i)
      col = col * 26 + (std::toupper(static_cast<unsigned char>(a[i])) - 'A' + 1);
    if (i < a.size() && a[i] == '$') ++i;
    for (; i < a.size() && std::isdigit(static_cast<unsigned char>(a[i])); ++i) row = row * 10 + (a[i] - '0');
    if (i != a.size() || col == 0 || row == 0 || col > 16384 || row > 1048576)
      throw std::invalid_argument("invalid cell address '" + std::string(a) + "'");
    out.row = static_cast<ss::row_t>(row - 1);
    out.column = static_cast<ss::col_t>(col - 1);
    return out;
  }
  ss::src_range_t resolve_range(std::string_view r) override {
    auto colon = r.find(':');
    if (colon == std::string_view::npos) {
      auto a = resolve_address(r);
      return {a, a};
    }
    return {resolve_address(r.substr(0, colon)), resolve_address(r.substr(colon + 1))};
  }
};

// Keeps the chosen sheet (the first, or the one named) and the names of all of them.
class Factory : public ss::iface::import_factory {
 public:
  explicit Factory(std::string wanted) : wanted_(std::move(wanted)) {}
  Strings strings;
  Settings settings;
  std::vector<std::string> names;
  std::unique_ptr<Sheet> chosen;
  std::string chosen_name;

  ss::iface::import_global_settings* get_global_settings() override { return &settings; }
  ss::iface::import_shared_strings* get_shared_strings() override { return &strings; }
  ss::iface::import_reference_resolver* get_reference_resolver(ss::formula_ref_context_t) override { return &resolver_; }
  ss::iface::import_sheet* append_sheet(ss::sheet_t, std::string_view name) override {
    names.emplace_back(name);
    bool keep = !chosen && (wanted_.empty() || name == wanted_);
    sheets_.push_back(std::make_unique<Sheet>(keep));
    if (keep) {
      chosen_name = std::string(name);
      chosen = std::make_unique<Sheet>(true);
      return chosen.get();
    }
    return sheets_.back().get();
  }
  ss::iface::import_sheet* get_sheet(std::string_view name) override {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return names[i] == chosen_name ? chosen.get() : sheets_[i].get();
    return nullptr;
  }
  ss::iface::import_sheet* get_sheet(ss::sheet_t i) override {
    if (i < 0 || static_cast<std::size_t>(i) >= names.size()) return nullptr;
    return names[i] == chosen_name ? chosen.get() : sheets_[i].get();
  }
  void finalize() override {}

 private:
  std::string wanted_;
  std::vector<std::unique_ptr<Sheet>> sheets_;
  Resolver resolver_;
};

// Excel keeps 15 significant digits: 0.1 + 0.2 saved as 0.30000000000000004 reads "0.3".
std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  std::string s = buf;
  if (s.find_first_of("eE") != std::string::npos) {  // write large and small numbers plainly
    std::snprintf(buf, sizeof buf, "%.15f", v);
    s = buf;
    if (s.find('.') != std::string::npos) {
      while (s.back() == '0') s.pop_back();
      if (s.back() == '.') s.pop_back();
    }
  }
  return s == "-0" ? "0" : s;
}

bool date_measure(const std::string& m) {
  return m.rfind("milestone.", 0) == 0 || m == "held_on" || m == "postponed_to";
}

// Turns the sheet's cells into rows of the upload columns.
class Rows {
 public:
  Rows(const Factory& f, const RowFn& row, const ProblemFn& problem)
      : f_(f), sheet_(f.chosen_name), row_(row), problem_(problem) {}

  void run(std::vector<Cell>& cells) {
    std::stable_sort(cells.begin(), cells.end(), [](const Cell& a, const Cell& b) {
      return std::tie(a.row, a.col) < std::tie(b.row, b.col);
    });
    // The header is the first row that names an upload column; lines above it (a template's
    // title) are skipped. With none, the first row is taken for it and its problems said.
    std::size_t first = header_row(cells);
    for (std::size_t i = first; i < cells.size();) {
      std::size_t j = i;
      while (j < cells.size() && cells[j].row == cells[i].row) ++j;
      if (!header_done_) {
        if (!header({cells.data() + i, j - i})) return;
      } else {
        record({cells.data() + i, j - i});
      }
      i = j;
    }
    if (!header_done_) problem_(at(0, -1, "", "the sheet is empty: expected a header row initiative,period,measure,value", true));
  }

 private:
  Problem at(std::int64_t row, std::int64_t col, std::string column, std::string message, bool whole = false) const {
    Problem p{row + 1, std::move(column), std::move(message), whole, col >= 0 ? col + 1 : 0};
    p.sheet = sheet_;
    return p;
  }
  std::size_t header_row(const std::vector<Cell>& cells) const {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].kind != Cell::text) continue;
      const std::string t = header_key(text_of(cells[i]));
      if (std::find(kColumnNames.begin(), kColumnNames.end(), t) == kColumnNames.end()) continue;
      std::size_t start = i;
      while (start > 0 && cells[start - 1].row == cells[i].row) --start;
      return start;
    }
    return 0;
  }
  std::string text_of(const Cell& c) const {
    return c.sst != UINT32_MAX ? (c.sst < f_.strings.list.size() ? f_.strings.list[c.sst] : std::string()) : c.own;
  }
  bool header(std::span<const Cell> row) {
    header_done_ = true;
    std::vector<std::string> fields;
    for (const auto& c : row) {
      if (c.kind != Cell::text) {
        problem_(at(c.row, c.col, "", "the header cell must be text such as 'initiative'", true));
        return false;
      }
      std::string t = text_of(c);
      if (t.empty()) continue;
      fields.push_back(t);
      header_cols_.push_back(c.col);
    }
    std::vector<std::string> names;
    bool ok = map_header(fields, columns_, names, [&](std::string m, const std::string&) {
      problem_(at(row.front().row, -1, "", std::move(m), true));
    });
    return ok;
  }
  std::optional<std::string> value_text(const Cell& c, int column, const RawRow& r) {
    const std::string name = column >= 0 ? kColumnNames[column] : "";
    switch (c.kind) {
      case Cell::text: return text_of(c);
      case Cell::boolean:
        problem_(at(c.row, c.col, name, std::string("a TRUE/FALSE cell; write the value as text")));
        return std::nullopt;
      case Cell::no_result:
        problem_(at(c.row, c.col, name, "a formula with no saved result: open the file in a spreadsheet program and save it"));
        return std::nullopt;
      case Cell::date:
        if (c.num != 0) {
          problem_(at(c.row, c.col, name, "a date and time (" + c.own + " with a time of day): give a date"));
          return std::nullopt;
        }
        return c.own;
      case Cell::number: break;
    }
    if (!std::isfinite(c.num)) {
      problem_(at(c.row, c.col, name, "a formula with no saved result: open the file in a spreadsheet program and save it"));
      return std::nullopt;
    }
    if (column == kValue && date_measure(r.fields[kMeasure])) {
      if (c.num != std::floor(c.num) || std::fabs(c.num) > 2958465) {
        problem_(at(c.row, c.col, name, "the number " + number_text(c.num) + " is not a date: give the date as YYYY-MM-DD"));
        return std::nullopt;
      }
      return calendar::to_string(f_.settings.origin + date::days(static_cast<int>(c.num)));
    }
    return number_text(c.num);
  }
  void record(std::span<const Cell> row) {
    RawRow r;
    r.line = row.front().row + 1;
    bool any = false, bad = false;
    // The measure first: a number in the value column may be a date, by the measure.
    std::vector<std::pair<const Cell*, int>> placed;
    for (const auto& c : row) {
      auto it = std::find(header_cols_.begin(), header_cols_.end(), c.col);
      int column = it == header_cols_.end() ? -1 : columns_[it - header_cols_.begin()];
      if (it == header_cols_.end()) {
        if (c.kind == Cell::text && text_of(c).empty()) continue;
        problem_(at(c.row, c.col, "", "a cell outside the header's columns; clear it or give its column a header"));
        bad = true;
        continue;
      }
      if (column == kIgnored) continue;
      placed.emplace_back(&c, column);
      if (column == kMeasure && c.kind == Cell::text) r.fields[kMeasure] = text_of(c);
    }
    for (const auto& [c, column] : placed) {
      auto t = value_text(*c, column, r);
      if (!t) {
        bad = true;
        continue;
      }
      std::size_t at_byte;
      if (!valid_utf8(*t, at_byte)) {
        problem_(at(c->row, c->col, kColumnNames[column], "the text is not valid UTF-8"));
        bad = true;
        continue;
      }
      any = any || !t->empty();
      r.fields[column] = std::move(*t);
      r.present[column] = true;
      r.lines[column] = r.line;
      r.cols[column] = c->col + 1;
    }
    if (!bad && any) row_(r);
  }

  const Factory& f_;
  std::string sheet_;
  const RowFn& row_;
  const ProblemFn& problem_;
  bool header_done_ = false;
  std::vector<int> columns_;
  std::vector<std::int32_t> header_cols_;
};

}  // namespace

std::string cell_name(std::int64_t row, std::int64_t col) { return column_letters(col - 1) + std::to_string(row); }

bool read_sheet(std::string_view bytes, SheetFormat format, const std::string& sheet, const RowFn& row,
                const ProblemFn& problem, std::string& chosen) {
  std::string why = zip_guard(bytes);
  std::optional<std::string> repaired;
  try {
    if (why.empty()) repaired = repair_for_orcus(bytes, why);
  } catch (const std::exception& e) {  // a damaged archive, whatever the shape
    why = std::string("damaged zip archive: ") + model::printable(e.what());
  }
  if (!repaired) {
    problem({0, "", why, true});
    return false;
  }
  if (!repaired->empty()) bytes = *repaired;
  Factory factory(sheet);
  if (format == SheetFormat::xlsx && uses_1904_dates(bytes)) {
    factory.settings.date1904 = true;
    factory.settings.origin = date::sys_days(date::year(1904) / 1 / 1);
  }
  try {
    if (format == SheetFormat::xlsx) orcus::orcus_xlsx(&factory).read_stream(bytes);
    else orcus::orcus_ods(&factory).read_stream(bytes);
  } catch (const TooBig& e) {
    problem({0, "", e.what(), true});
    return false;
  } catch (const std::exception& e) {
    problem({0, "", std::string("cannot read the spreadsheet: ") + model::printable(e.what()), true});
    return false;
  }
  if (!factory.chosen) {
    std::string list;
    for (const auto& n : factory.names) list += (list.empty() ? "" : ", ") + model::quote(n);
    problem({0, "", sheet.empty() ? "the file has no sheet"
                                  : "no sheet named " + model::quote(sheet) + model::did_you_mean(sheet, factory.names) +
                                        " (sheets: " + list + ")", true});
    return false;
  }
  chosen = factory.chosen_name;
  Rows(factory, row, problem).run(factory.chosen->cells);
  return true;
}

}  // namespace jvap::ingest::detail
