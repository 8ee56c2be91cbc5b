// `jvap uploads` (the audit log) and `jvap records` (current values, or as known on a date).
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "evaluation/view.hpp"
#include "model/text.hpp"

namespace jvap::cli {

namespace {

int run_uploads(Context& ctx, const std::string& org) {
  auto session = open(ctx, {.db = Needs::Db::read, .plan = !org.empty()});
  if (!org.empty()) check_org(*session.plan, org);
  auto uploads = session.db->uploads();
  std::erase_if(uploads, [&](const store::UploadInfo& u) { return !org.empty() && u.org != org; });
  if (ctx.json()) {
    Json list = Json::array();
    for (const auto& u : uploads) list.push_back(to_json(u));
    print_json(ctx, {{"uploads", list}});
    return kOk;
  }
  if (uploads.empty() && ctx.format != "csv") {
    ctx.out << (org.empty() ? "No uploads yet.\n" : "No uploads from " + org + ".\n");
    return kOk;
  }
  std::vector<std::vector<std::string>> rows{{"id", "received", "org", "file", "outcome", "rows",
                                              "new", "changed", "unchanged", "rejected",
                                              "sha256", "note"}};
  for (const auto& u : uploads)
    rows.push_back({std::to_string(u.id), calendar::to_string(u.received_on), u.org, u.file_name,
                    std::string(store::to_string(u.outcome)), std::to_string(u.rows),
                    std::to_string(u.rows_new), std::to_string(u.rows_changed),
                    std::to_string(u.rows_unchanged), std::to_string(u.rows_rejected),
                    ctx.format == "csv" ? u.sha256 : u.sha256.substr(0, 12), u.note});
  if (ctx.format == "csv") print_csv(ctx.out, rows);
  else print_table(ctx.out, rows, {true, false, false, false, false, true, true, true, true, true});
  return kOk;
}

struct RecordsArgs {
  std::string initiative, period, measure, as_known_on, org;
  std::int64_t limit = 0;
};

// One row of `jvap records`: a value as known on the date with where it came from.
struct Row {
  std::string_view initiative;
  const evaluation::Value* value;
  const store::UploadInfo* upload;
};

std::vector<Row> select(const evaluation::View& view, const RecordsArgs& args) {
  std::vector<Row> rows;
  for (auto code : view.initiatives())
    for (const auto& v : view.of(code).values()) {
      if (args.limit > 0 && static_cast<std::int64_t>(rows.size()) >= args.limit) return rows;
      const auto* up = view.upload(v.source.upload_id);
      if (!args.org.empty() && (!up || up->org != args.org)) continue;
      rows.push_back({code, &v, up});
    }
  return rows;
}

void print_records_json(Context& ctx, const RecordsArgs& args, const std::vector<Row>& rows) {
  Json list = Json::array();
  for (const auto& r : rows)
    list.push_back({{"initiative", r.initiative},
                    {"period", calendar::to_string(r.value->period)},
                    {"measure", r.value->measure},
                    {"value", r.value->value},
                    {"comment", r.value->comment},
                    {"upload_id", r.value->source.upload_id},
                    {"file_name", r.upload ? r.upload->file_name : ""},
                    {"line", r.value->source.line},
                    {"received_on", calendar::to_string(r.value->source.received_on)},
                    {"org", r.upload ? r.upload->org : ""}});
  print_json(ctx, {{"as_known_on", args.as_known_on.empty() ? Json() : Json(args.as_known_on)},
                   {"records", list}});
}

int run_records(Context& ctx, const RecordsArgs& args) {
  std::optional<calendar::Period> period;
  if (!args.period.empty()) {
    period = calendar::parse_period(args.period);
    if (!period)
      throw UsageError("--period: invalid period id " + model::quote(args.period) +
                       " (expected 2025-03, 2025-Q1, 2025-H1 or 2025)");
  }
  auto session = open(ctx, {.db = Needs::Db::read, .plan = !args.org.empty()});
  if (!args.org.empty()) check_org(*session.plan, args.org);
  // Without --as-known-on, every upload counts: the values as known now.
  calendar::Date known_on = args.as_known_on.empty() ? calendar::Date::max()
                                                     : *calendar::parse_date(args.as_known_on);
  evaluation::Options options;
  options.initiative = args.initiative;
  if (!args.measure.empty()) options.measures = {args.measure};
  options.comments = true;
  evaluation::View view(*session.db, {period, period, ctx.as_of, known_on}, options);
  auto rows = select(view, args);
  if (ctx.json()) {
    print_records_json(ctx, args, rows);
    return kOk;
  }
  if (ctx.format == "csv") {
    std::vector<std::vector<std::string>> table{{"initiative", "period", "measure", "value", "comment",
                                                 "upload_id", "file_name", "line", "received_on", "org"}};
    for (const auto& r : rows)
      table.push_back({std::string(r.initiative), calendar::to_string(r.value->period),
                       std::string(r.value->measure), std::string(r.value->value), std::string(r.value->comment),
                       std::to_string(r.value->source.upload_id), r.upload ? r.upload->file_name : "",
                       std::to_string(r.value->source.line), calendar::to_string(r.value->source.received_on),
                       r.upload ? r.upload->org : ""});
    print_csv(ctx.out, table);
    return kOk;
  }
  if (rows.empty()) {
    ctx.out << "No records match.\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> table{
      {"initiative", "period", "measure", "value", "upload", "source", "received"}};
  for (const auto& r : rows) {
    std::string_view v = r.value->value;
    std::string value(v.size() > 40 ? v.substr(0, 37) : v);
    if (v.size() > 40) value += "...";
    for (auto& c : value)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    table.push_back({std::string(r.initiative), calendar::to_string(r.value->period),
                     std::string(r.value->measure), value, std::to_string(r.value->source.upload_id),
                     (r.upload ? r.upload->file_name : "") + ":" + std::to_string(r.value->source.line),
                     calendar::to_string(r.value->source.received_on)});
  }
  print_table(ctx.out, table, {false, false, false, false, true, false, false});
  return kOk;
}

}  // namespace

CommandSpec uploads_command() {
  return {"uploads", "List every upload: org, file, SHA-256, received date, row counts, outcome",
          {"text", "json", "csv"},
          [](CLI::App& app) -> Runner {
            auto org = std::make_shared<std::string>();
            app.add_option("--org", *org, "Only the uploads of this organisation")->type_name("ORG");
            return [org](Context& c) { return run_uploads(c, *org); };
          },
          ""};
}

CommandSpec records_command() {
  return {"records", "Show current record values (or as known on a date) with their source",
          {"text", "json", "csv"},
          [](CLI::App& app) -> Runner {
            auto args = std::make_shared<RecordsArgs>();
            app.add_option("--org", args->org, "Only values from this organisation's uploads")->type_name("ORG");
            app.add_option("--initiative", args->initiative, "Only this initiative")->type_name("ID");
            app.add_option("--period", args->period, "Only this period")->type_name("PERIOD");
            app.add_option("--measure", args->measure,
                           "Only this measure, or a prefix such as 'indicator.'")
                ->type_name("MEASURE");
            add_date_option(app, "--as-known-on", args->as_known_on,
                            "Values as they stood on this date (uploads received by then)");
            app.add_option("--limit", args->limit, "At most this many rows")->check(CLI::PositiveNumber);
            return [args](Context& c) { return run_records(c, *args); };
          },
          ""};
}

}  // namespace jvap::cli
