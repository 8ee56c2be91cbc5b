// The upload template as an XLSX workbook (libxlsxwriter): the rows of report::template_rows on an
// "Upload" sheet whose context cells are locked and whose value cells carry data validation by
// measure, and an "Instructions" sheet. jvap's spreadsheet reader skips the lines above the
// header, so the filled-in file ingests as it is. The creation time is the as-of date: the same
// inputs give the same bytes.
#include <xlsxwriter.h>

#include <chrono>
#include <ctime>

#include "report/report.hpp"

namespace jvap::report {

namespace {

void check(lxw_error e, const std::filesystem::path& file) {
  if (e != LXW_NO_ERROR) throw ReportError(file.string() + ": cannot write the template: " + lxw_strerror(e));
}

// What a measure's value is, for its validation and number format.
enum class ValueKind { words, number, date, text };

struct MeasureRule {
  ValueKind kind;
  std::vector<const char*> words;  // for ValueKind::words
};

MeasureRule rule_for(const std::string& m) {
  if (m == "status") return {ValueKind::words, {"planned", "ongoing", "completed", "suspended", "cancelled"}};
  if (m == "stage") return {ValueKind::words, {"drafted", "adopted", "in_force", "implemented"}};
  if (m == "progress") return {ValueKind::words, {"not_started", "in_progress", "fulfilled", "dropped"}};
  if (m == "outcome") return {ValueKind::words, {"held", "postponed", "cancelled"}};
  if (m == "disbursed" || m.rfind("indicator.", 0) == 0) return {ValueKind::number, {}};
  if (m.rfind("milestone.", 0) == 0 || m == "held_on" || m == "postponed_to") return {ValueKind::date, {}};
  return {ValueKind::text, {}};
}

struct Formats {
  lxw_format *locked, *open, *open_date, *open_number, *header, *title, *wrap;
  explicit Formats(lxw_workbook* wb) {
    locked = workbook_add_format(wb);
    format_set_bg_color(locked, 0xF2F2F2);
    open = workbook_add_format(wb);
    format_set_unlocked(open);
    format_set_border(open, LXW_BORDER_THIN);
    open_date = workbook_add_format(wb);
    format_set_unlocked(open_date);
    format_set_border(open_date, LXW_BORDER_THIN);
    format_set_num_format(open_date, "yyyy-mm-dd");
    open_number = workbook_add_format(wb);
    format_set_unlocked(open_number);
    format_set_border(open_number, LXW_BORDER_THIN);
    format_set_num_format(open_number, "General");
    header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_bottom(header, LXW_BORDER_THIN);
    title = workbook_add_format(wb);
    format_set_bold(title);
    format_set_font_size(title, 14);
    wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
  }
};

const std::vector<std::pair<const char*, double>> kColumns{
    {"initiative", 14}, {"period", 9}, {"measure", 22}, {"value", 18}, {"comment", 30},
    {"initiative_title", 40}, {"measure_title", 46}, {"unit", 10}, {"required", 9},
    {"previous_value", 14}, {"target", 10}, {"milestone_due", 13}, {"note", 24}};
constexpr int kValueCol = 3, kCommentCol = 4, kNoteCol = 12;

void validate(lxw_worksheet* ws, lxw_row_t row, const MeasureRule& rule, const std::filesystem::path& file) {
  lxw_data_validation v{};
  v.ignore_blank = LXW_VALIDATION_ON;  // a blank value is "not reported"
  v.show_error = LXW_VALIDATION_ON;
  v.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
  std::vector<char*> list;
  switch (rule.kind) {
    case ValueKind::words:
      for (const char* w : rule.words) list.push_back(const_cast<char*>(w));
      list.push_back(nullptr);
      v.validate = LXW_VALIDATION_TYPE_LIST;
      v.value_list = list.data();
      v.error_message = const_cast<char*>("Choose one of the words in the list.");
      break;
    case ValueKind::number:
      v.validate = LXW_VALIDATION_TYPE_DECIMAL;
      v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
      v.minimum_number = -1e15;
      v.maximum_number = 1e15;
      v.error_message = const_cast<char*>("A number, such as 1200 or 1200.5 (no thousands separators).");
      break;
    case ValueKind::date:
      v.validate = LXW_VALIDATION_TYPE_DATE;
      v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
      v.minimum_datetime = {1990, 1, 1, 0, 0, 0};
      v.maximum_datetime = {2100, 12, 31, 0, 0, 0};
      v.error_message = const_cast<char*>("A date, such as 2026-03-15.");
      break;
    case ValueKind::text: return;
  }
  check(worksheet_data_validation_cell(ws, row, kValueCol, &v), file);
}

void instructions(lxw_worksheet* ws, const TemplateInfo& info, Formats& f) {
  worksheet_set_column(ws, 0, 0, 110, f.wrap);
  const std::vector<std::string> lines{
      "How to fill in this template",
      "",
      "1. On the Upload sheet, write each value in the white 'value' cell of its row; a comment is optional.",
      "   The grey cells say what each row is about; they are locked and ignored on upload.",
      "2. Leave a value blank when you have nothing to report: a blank row is 'not reported', it never",
      "   deletes or changes a value sent before.",
      "3. Words (status, stage, progress, outcome) come from the list in the cell. Numbers are plain",
      "   (1200 or 1200.5). Amounts are in the unit shown (the budget's currency), cumulative to date.",
      "   Dates are dates (2026-03-15). Participants: member states and organisations, such as 'ET, SD, IOM'.",
      "   Outputs: 'title | reference' (the document's title, then its URL or symbol).",
      "4. 'required' = yes: the report for the period is complete only with these values.",
      "5. Save the file as .xlsx (or .ods) and send it; it is uploaded as it is, with",
      "   jvap ingest FILE --org " + info.org + ".",
      "",
      "Organisation: " + info.org + (info.org_name.empty() ? "" : " (" + info.org_name + ")"),
      "Period: " + info.period + " (" + info.period_start + " to " + info.period_end + "), due " + info.due,
      "Rows as of " + info.as_of + "; plan " + info.plan_id + " " + info.plan_hash.substr(0, 12) + "; " + info.generator,
  };
  for (std::size_t i = 0; i < lines.size(); ++i)
    worksheet_write_string(ws, static_cast<lxw_row_t>(i), 0, lines[i].c_str(), i == 0 ? f.title : nullptr);
}

}  // namespace

void write_template_xlsx(const std::vector<TemplateRow>& rows, const TemplateInfo& info,
                         const std::filesystem::path& file) {
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  lxw_workbook* wb = workbook_new_opt(file.c_str(), &options);
  if (!wb) throw ReportError(file.string() + ": cannot create the template");
  lxw_doc_properties props{};
  std::string title = "Upload template: " + info.org + ", " + info.period;
  props.title = title.data();
  if (auto d = calendar::parse_date(info.as_of))
    props.created = static_cast<std::time_t>(std::chrono::sys_seconds(*d).time_since_epoch().count());
  workbook_set_properties(wb, &props);
  Formats f(wb);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Upload");
  lxw_worksheet* help = workbook_add_worksheet(wb, "Instructions");
  // On top: whose rows, for which period (the reader skips the lines above the header).
  const std::string top = "Organisation " + info.org + (info.org_name.empty() ? "" : " (" + info.org_name + ")") +
                          ", period " + info.period + " (" + info.period_start + " to " + info.period_end +
                          "), due " + info.due + ". Fill in the white cells; see Instructions.";
  worksheet_write_string(ws, 0, 0, ("Upload template: " + info.org + ", " + info.period).c_str(), f.title);
  worksheet_write_string(ws, 1, 0, top.c_str(), nullptr);
  const lxw_row_t header = 3;
  for (std::size_t c = 0; c < kColumns.size(); ++c) {
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), kColumns[c].second, nullptr);
    worksheet_write_string(ws, header, static_cast<lxw_col_t>(c), kColumns[c].first, f.header);
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const auto row = static_cast<lxw_row_t>(header + 1 + i);
    const auto rule = rule_for(r.measure);
    const std::vector<std::string> cells{r.subject, r.period, r.measure, "", "", r.subject_title, r.measure_title,
                                         r.unit, r.required ? "yes" : "no", r.previous, r.target, r.due, ""};
    for (std::size_t c = 0; c < cells.size(); ++c) {
      auto col = static_cast<lxw_col_t>(c);
      lxw_format* fmt = f.locked;
      if (col == kValueCol) fmt = rule.kind == ValueKind::date ? f.open_date : rule.kind == ValueKind::number ? f.open_number : f.open;
      else if (col == kCommentCol || col == kNoteCol) fmt = f.open;
      if (cells[c].empty()) worksheet_write_blank(ws, row, col, fmt);
      else worksheet_write_string(ws, row, col, cells[c].c_str(), fmt);
    }
    validate(ws, row, rule, file);
  }
  worksheet_freeze_panes(ws, header + 1, 3);
  lxw_protection protection{};
  protection.format_columns = LXW_TRUE;  // widen columns, but not edit the grey cells
  protection.format_rows = LXW_TRUE;
  protection.autofilter = LXW_TRUE;
  worksheet_protect(ws, nullptr, &protection);
  instructions(help, info, f);
  check(workbook_close(wb), file);
}

}  // namespace jvap::report
