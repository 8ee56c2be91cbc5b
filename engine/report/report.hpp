// Reports: the joint Rabat-Khartoum monitoring report, process and domain reports and partner
// feedback packs. build() turns the plan, the records as known on a date and the findings into
// ReportData (sections of typed tables and the charts drawn from them); the renderers turn that
// into JSON, Markdown, HTML (templates under reports/), XLSX and PDF. Fourth stage of the
// pipeline, after the rules. Nothing here reads the clock: the same inputs give the same bytes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "calendar/calendar.hpp"
#include "evaluation/view.hpp"
#include "model/error.hpp"
#include "model/model.hpp"
#include "rules/rules.hpp"
#include "store/store.hpp"

namespace jvap::report {

// A template that does not parse, an output that cannot be written, a missing renderer. The
// message says what and where; the CLI maps it to exit code 2.
class ReportError : public model::Error {
 public:
  using model::Error::Error;
};

enum class Kind { joint, process, domain, partner, work_plan };
std::string_view to_string(Kind k);

struct Request {
  Kind kind = Kind::joint;
  std::string process;  // Kind::process: a process id of the plan
  std::string domain;   // Kind::domain: a domain id
  std::string partner;  // Kind::partner: an organisation id
  std::string work_plan;  // Kind::work_plan: a work plan id of the plan (of `process`)
  calendar::Period period;
  calendar::Date as_of;     // deadlines and lateness are judged on this date
  calendar::Date known_on;  // records as known on this date (uploads received by then)
  int trend_periods = 4;    // periods in the trend section, ending with `period`
  // Secretariat notes in Markdown, by section id ("summary", "D1".."D5", "processes", ...).
  std::map<std::string, std::string> notes;
  std::string version;  // of the generator, printed on the cover
  // The store reads only uploads verified by the secretariat (store::Store::set_verified_only);
  // the cover says so.
  bool verified_only = false;
};

// A table cell: empty, an integer, a number, or text.
using Cell = std::variant<std::monostate, std::int64_t, double, std::string>;

// How a column is shown. money is in major units of the row's currency column; percent is 0-100.
enum class Type { text, code, integer, number, percent, money, date };
std::string_view to_string(Type t);

struct Column {
  std::string key;    // stable, snake_case: the JSON field
  std::string label;  // header shown to readers
  Type type = Type::text;
};

struct Table {
  std::string id;  // stable across versions: "summary.completeness", "D1.indicators"
  std::string title;
  std::string note;  // shown under the table
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  // A table with one measure per row (the processes side by side): the type of each row's values
  // (its first cell is the label), so a money row is rounded like money everywhere. Empty: the
  // column types hold.
  std::vector<Type> row_types;

  bool empty() const { return rows.empty(); }
  int column(std::string_view key) const;  // index, or -1
  Type type_of(std::size_t row, std::size_t col) const {
    return row_types.empty() || col == 0 ? columns[col].type : row_types[row];
  }
};

// A chart drawn from a table: categories from one column, one series per value column.
enum class ChartKind { bars, stacked, heatmap, lines };
struct Chart {
  std::string id;
  std::string title;
  ChartKind kind = ChartKind::bars;
  std::string table;  // id of a table in the same section
  std::string category;
  std::vector<std::string> series;
  // Only the rows whose `filter_column` holds `filter_value` (e.g. one currency); none when empty.
  std::string filter_column, filter_value;
};

struct Section {
  std::string id;  // "summary", "D1".."D5", "processes", "coverage", "regions", "trends", "annex", "partner"
  std::string title;
  std::string notes;  // secretariat notes (Markdown), as given
  std::vector<Table> tables;
  std::vector<Chart> charts;

  const Table* table(std::string_view id) const;
};

// What the report was built from, so any reader can tell.
struct Cover {
  std::string title;
  std::string kind;   // joint | process | domain | partner
  std::string scope;  // "Rabat and Khartoum Processes", "Domain D2: ...", "IOM"
  std::string period, period_start, period_end, due;
  std::string as_of, known_on;
  std::string plan_id, plan_title, plan_hash, rules_hash;
  std::string findings_source;  // which periods the rules were evaluated for, and how
  std::string generator;        // "jvap 0.1.0"
  // Work-plan reports: the chair (and term) and the steering committee; empty otherwise.
  std::string chair, steering_committee;
  // Which uploads the figures come from: every one received by the known-on date, or only those
  // the secretariat verified by then.
  std::string records;

  // Every field by name, in the order JSON and the templates list them.
  std::vector<std::pair<const char*, const std::string*>> fields() const;
};

struct Highlight {
  std::string key, label;
  Cell value;
  Type type = Type::integer;
  std::string detail;  // e.g. "of 120 expected"
};

struct Report {
  Cover cover;
  std::vector<Highlight> highlights;
  std::vector<Section> sections;
  // Partner packs: the rows the organisation still owes for the period, as an upload CSV with
  // the value column left blank, ready to complete and upload.
  std::string owed_csv;

  const Section* section(std::string_view id) const;
};

// The findings a report shows: those of the period and of the period before (to tell what is
// new and what was resolved), each from a stored check run made on the same date with the same
// rules and plan, or else evaluated for the report (and not stored).
struct Findings {
  std::vector<rules::Finding> current;
  std::vector<rules::Finding> previous;  // empty when the period is the calendar's first
  // "period stored, previous period evaluated": whether a stored run was reused (for the log
  // only; the report's bytes do not depend on it).
  std::string source;
};
Findings gather_findings(store::Store& store, const model::Plan& plan,
                         const rules::RuleSet& rules, const Request& req);

// Secretariat notes: Markdown with one '## <section>' heading per section. Every problem (text
// that is not UTF-8, a control character, an unknown or repeated section, text before the first
// heading, an image) is located; ReportError lists them all. At most 1 MiB.
std::map<std::string, std::string> read_notes(const std::filesystem::path& file, const model::Plan& plan);
std::map<std::string, std::string> parse_notes(std::string text, const std::string& file,
                                               const model::Plan& plan);
// A section's notes as HTML: raw HTML dropped, links shown as text with their address.
std::string notes_to_html(const std::string& markdown);

// The section ids a secretariat notes file may name (`## <id>`), in report order: summary, the
// plan's domains, processes, coverage, regions, trends, annex, partner.
std::vector<std::string> note_sections(const model::Plan& plan);

// Builds the report from the records of the trend window as known on req.known_on.
Report build(store::Store& store, const model::Plan& plan, const rules::RuleSet& rules,
             const Request& req, const Findings& findings);

// ---- output formats: one table (formats.cpp) of the renderers below ----

struct Format {
  std::string name;  // "html": the --format value
  // Text formats render to bytes (printed or written to a file); file formats write a file.
  std::string (*render)(const Report& r, const std::filesystem::path& templates);
  // Returns warnings for the reader of the command (text cut to fit a cell).
  std::vector<std::string> (*write)(const Report& r, const std::filesystem::path& templates,
                                    const std::filesystem::path& file);
  std::string slow;  // what to say on a terminal while it runs ("printing the PDF with Chromium")
};
// In the order --help lists them; the first is the default.
const std::vector<Format>& formats();
const Format* find_format(std::string_view name);

// ---- renderers (render.cpp, xlsx.cpp, pdf.cpp) ----

// The upload template of what `org` still owes for `p` (docs/records-format.md, "Templates"): for
// each expected report of an initiative it reports on, the measures of a full report not yet
// reported (required ones first), with context columns that ingest ignores; then the progress of
// the commitments and the outcomes of the work-plan activities it reports on that are still open
// (`progress` read up to `p`). The view must hold `p` and the period before (previous values) and
// the milestone history.
std::string template_csv(const evaluation::View& view, const evaluation::Progress& progress,
                         const model::Plan& plan, const calendar::Period& p, const std::string& org);

// One row of the template: what to report and the context to report it with.
struct TemplateRow {
  std::string subject, period, measure;  // the upload columns (value and comment left blank)
  std::string subject_title, measure_title, unit;
  bool required = false;
  std::string previous, target, due;  // due: a milestone's or commitment's due date, an activity's planned date
};
// The rows template_csv writes, in its order.
std::vector<TemplateRow> template_rows(const evaluation::View& view, const evaluation::Progress& progress,
                                       const model::Plan& plan, const calendar::Period& p, const std::string& org);

// What the spreadsheet template says on top and in its instructions.
struct TemplateInfo {
  std::string org, org_name, period, period_start, period_end, due, as_of, plan_id, plan_hash, generator;
};
// The same rows as an XLSX workbook for a spreadsheet program (template_xlsx.cpp): an "Upload"
// sheet with the organisation and period on top, the header, then one row per measure owed;
// context cells locked (the sheet is protected without a password), value and comment open,
// with data validation by measure (a list of the allowed words, a number, a date); and an
// "Instructions" sheet. Filled in and saved, it ingests as it is. Throws ReportError when the
// file cannot be written.
void write_template_xlsx(const std::vector<TemplateRow>& rows, const TemplateInfo& info,
                         const std::filesystem::path& file);

// The report data as JSON (schema: docs/report-format.md). Stable key order, newline at the end.
std::string to_json(const Report& r);
// Markdown and HTML from the templates in `templates` (reports/md/report.md.mustache,
// reports/html/report.html.mustache and reports/html/style.css).
std::string to_markdown(const Report& r, const std::filesystem::path& templates);
std::string to_html(const Report& r, const std::filesystem::path& templates);
// The page Chromium prints: the HTML report with the annex open and, when known, the page each
// section starts on (by section id) in its contents; `tight` sets tables a little smaller (the
// print stylesheet's body.tight), to pull a near-empty last page back.
std::string to_print_html(const Report& r, const std::filesystem::path& templates,
                          const std::map<std::string, int>& pages, bool tight = false);
// One sheet per table (and a cover sheet), numbers as numbers, frozen headers, filters. Text
// longer than a cell holds is cut with a marker; the warnings say so.
std::vector<std::string> write_xlsx(const Report& r, const std::filesystem::path& file);
// Prints the report to PDF with headless Chromium (ReportError when no Chromium is installed), in
// two passes: the first finds the page each section starts on (with pdftotext, from
// poppler-utils), the second prints the contents with those page numbers. Without pdftotext the
// contents have no page numbers, and the warning says so.
std::vector<std::string> write_pdf(const Report& r, const std::filesystem::path& templates,
                                   const std::filesystem::path& file);
// The binary `names` names first on PATH, if any (Chromium: chromium, chromium-browser, ...).
std::optional<std::filesystem::path> find_program(std::initializer_list<const char*> names);
std::optional<std::filesystem::path> find_chromium();
// The text of each page of a PDF (pdftotext -layout, split at form feeds), or nullopt.
std::optional<std::vector<std::string>> pdf_pages_text(const std::filesystem::path& pdf);

// An SVG drawing of `chart` from `table`, with a <title> and a text alternative (<desc>).
std::string chart_svg(const Chart& chart, const Table& table);
// Text alternative of a chart: what it shows, in one paragraph.
std::string chart_description(const Chart& chart, const Table& table);
// A cell as a reader sees it: "1,234", "85%", "2,500,000", "" for empty.
std::string format_cell(const Cell& c, Type t);

}  // namespace jvap::report
