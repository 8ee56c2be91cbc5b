// `jvap uploads` (the audit log) and `jvap records` (current values, or as known on a date).
#include <ostream>

#include "cli/commands.hpp"
#include "store/store.hpp"

namespace jvap::cli {

int run_uploads(Context& ctx) {
  store::Store db(ctx.opts.db, store::Access::read);
  auto uploads = db.uploads();
  if (ctx.json()) {
    Json list = Json::array();
    for (const auto& u : uploads) list.push_back(to_json(u));
    print_json(ctx, {{"uploads", list}});
    return kOk;
  }
  if (uploads.empty()) {
    ctx.out << "No uploads yet.\n";
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
                    u.sha256.substr(0, 12), u.note});
  print_table(ctx.out, rows, {true, false, false, false, false, true, true, true, true, true});
  return kOk;
}

int run_records(Context& ctx, const RecordsArgs& args) {
  store::Store db(ctx.opts.db, store::Access::read);
  store::RecordQuery q{args.initiative, args.period, args.measure, std::nullopt, args.limit};
  if (!args.as_known_on.empty()) q.as_known_on = calendar::parse_date(args.as_known_on);
  auto records = db.records(q);
  if (ctx.json()) {
    Json list = Json::array();
    for (const auto& r : records)
      list.push_back({{"initiative", r.initiative},
                      {"period", r.period},
                      {"measure", r.measure},
                      {"value", r.value},
                      {"comment", r.comment},
                      {"upload_id", r.upload_id},
                      {"file_name", r.file_name},
                      {"line", r.line},
                      {"received_on", calendar::to_string(r.received_on)},
                      {"org", r.org}});
    print_json(ctx, {{"as_known_on", args.as_known_on.empty() ? Json() : Json(args.as_known_on)},
                     {"records", list}});
    return kOk;
  }
  if (records.empty()) {
    ctx.out << "No records match.\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows{
      {"initiative", "period", "measure", "value", "upload", "source", "received"}};
  for (const auto& r : records) {
    std::string value = r.value.size() > 40 ? r.value.substr(0, 37) + "..." : r.value;
    for (auto& c : value)
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    rows.push_back({r.initiative, r.period, r.measure, value, std::to_string(r.upload_id),
                    r.file_name + ":" + std::to_string(r.line), calendar::to_string(r.received_on)});
  }
  print_table(ctx.out, rows, {false, false, false, false, true, false, false});
  return kOk;
}

}  // namespace jvap::cli
