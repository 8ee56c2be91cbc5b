// `jvap ingest FILE... --org ORG`: validates and stores progress records, one upload per file.
#include <algorithm>
#include <cmath>
#include <tuple>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "evaluation/view.hpp"
#include "model/money.hpp"
#include "ingest/ingest.hpp"
#include "model/text.hpp"
#include "store/store.hpp"

namespace jvap::cli {

namespace {

// A one-line progress bar on stderr, only when stderr is a terminal.
class ProgressBar {
 public:
  ProgressBar(Context& ctx, std::string label)
      : enabled_(!ctx.opts.quiet && isatty(STDERR_FILENO)), label_(std::move(label)), err_(ctx.err) {}
  ~ProgressBar() { clear(); }
  void clear() {
    if (shown_) err_ << "\r\033[K" << std::flush;
    shown_ = false;
  }
  void update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_ || total < (4u << 20)) return;  // small files finish before a bar helps
    int pct = static_cast<int>(done * 100 / total);
    if (pct == last_) return;
    last_ = pct;
    shown_ = true;
    char line[160];
    std::snprintf(line, sizeof line, "\r%s [%-30s] %3d%% %.1f/%.1f MB", label_.c_str(),
                  std::string(static_cast<std::size_t>(pct * 30 / 100), '#').c_str(), pct,
                  done / 1e6, total / 1e6);
    err_ << line << std::flush;
  }

 private:
  bool enabled_;
  std::string label_;
  std::ostream& err_;
  int last_ = -1;
  bool shown_ = false;
};

std::string counts(const store::UploadInfo& u) {
  return std::to_string(u.rows) + (u.rows == 1 ? " row: " : " rows: ") +
         std::to_string(u.rows_new) + " new, " + std::to_string(u.rows_changed) + " changed, " +
         std::to_string(u.rows_unchanged) + " unchanged";
}

// When the database does not exist yet, an ingest writes a new one beside it and puts it in
// place only once an upload is stored: a dry run (which works in memory) or an ingest that
// stores nothing leaves no file behind.
class FirstDatabase {
 public:
  FirstDatabase(const std::string& db, bool dry_run) : db_(db) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(db, ec))) {
      path_ = db;
    } else if (dry_run) {
      path_ = ":memory:";
    } else {
      std::filesystem::path p(db);
      std::random_device rd;
      path_ = (p.parent_path() / ("." + p.filename().string() + ".new-" + std::to_string(rd()))).string();
      temp_ = true;
    }
  }
  ~FirstDatabase() {
    if (temp_) remove();
  }
  const std::string& path() const { return path_; }
  // Closes the store and puts the new database in place (never over one made meanwhile).
  bool is_new() const { return temp_; }
  // Closes the store and puts the new database in place, never over one made meanwhile: false
  // then (the new one is thrown away).
  bool keep(Session& s) {
    if (!temp_) return true;
    s.db->make_self_contained();  // the file alone holds it all, or this throws (a full disk)
    s.db.reset();
    if (::link(path_.c_str(), db_.c_str()) != 0) {
      if (errno == EEXIST) return false;
      throw store::StoreError("database " + db_ + " could not be created: " + std::strerror(errno));
    }
    remove();
    temp_ = false;
    return true;
  }

 private:
  void remove() {
    std::error_code ec;
    for (const char* ext : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(path_ + ext, ec);
  }
  std::string db_, path_;
  bool temp_ = false;
};

struct IngestArgs {
  std::vector<std::string> files;
  std::string org;
  std::string received_on;  // empty = the as-of date
  std::string encoding = "utf-8";
  std::string sheet;  // XLSX, ODS: "" = the first sheet
  bool dry_run = false;
  bool unverified = false;  // a submission awaiting review instead of verified data
  int wait_seconds = 60;
};

// One file's result, as text (or added to the JSON list).
void print_result(Context& ctx, const std::string& file, const ingest::Result& r, bool dry_run,
                  bool new_db, Json& json) {
  const auto& u = r.upload;
  const std::string name = model::printable(file);
  if (ctx.json()) {
    Json j = to_json(u);
    j["file"] = name;
    j["dry_run"] = dry_run;
    j["rows_not_reported"] = r.rows_not_reported;
    Json problems = Json::array();
    for (const auto& p : r.problems)
      problems.push_back({{"line", p.line}, {"col", p.col}, {"record", p.record}, {"column", p.column},
                          {"message", p.message}});
    j["problems"] = problems;
    json.push_back(j);
    return;
  }
  for (const auto& p : r.problems) ctx.err << ingest::format(file, p) << "\n";
  if (r.file_unreadable) return;
  std::string note = u.note.empty() ? "" : " (" + u.note + ")";
  if (r.rows_not_reported > 0)
    note += "; " + count_label(r.rows_not_reported, "row", "rows") + " with a blank value not reported (skipped)";
  if (u.outcome == store::Outcome::rejected) {
    ctx.err << name << ": rejected: "
            << (u.rows_rejected == 0 ? std::string("the file cannot be read as an upload")
                                     : std::to_string(u.rows_rejected) + " of " + std::to_string(u.rows) +
                                           (u.rows == 1 ? " row has" : " rows have") + " problems")
            << "; nothing was stored"
            << (dry_run  ? " (dry run)"
                : new_db ? " (and there is no database yet to log it in)"
                         : " (logged as upload " + std::to_string(u.id) + ")")
            << "\n";
  } else if (dry_run) {
    ctx.out << name << ": dry run: " << counts(u) << note << "; nothing stored\n";
  } else if (u.outcome == store::Outcome::unchanged) {
    const auto equal = u.rows - r.rows_not_reported;
    if (equal == 0 && r.rows_not_reported > 0)
      ctx.out << name << ": nothing to store, logged as upload " << u.id << ": every row has a blank value ("
              << count_label(r.rows_not_reported, "row", "rows") << " not reported)"
              << (u.note.empty() ? "" : " (" + u.note + ")");
    else
      ctx.out << name << ": unchanged, logged as upload " << u.id << ": all " << equal
              << (equal == 1 ? " row equals" : " rows equal") << " the stored values; no new versions" << note;
    ctx.out << "\n";
  } else {
    ctx.out << name << ": accepted as upload " << u.id << ": " << counts(u) << note << "\n";
  }
}

// Without --received-on the file counts as received on the as-of date. When that is after the
// due date of a period it reports on, its reports count as late on no one's word: say so, and how
// to give the real date (an upload again with an earlier --received-on adds its versions as
// received then).
void warn_if_late(Context& ctx, const model::Plan& plan, const std::string& file, const ingest::Result& r,
                  calendar::Date received, bool dry_run) {
  for (const auto& id : r.periods) {
    auto p = calendar::parse_period(id);
    if (!p || *p < plan.calendar.monitored_from() || received <= plan.calendar.due(*p)) continue;
    ctx.err << model::printable(file) << ": warning: no --received-on was given, so the file "
            << (dry_run ? "would count" : "counts") << " as received on " << calendar::to_string(received)
            << " (the as-of date), after the due date " << calendar::to_string(plan.calendar.due(*p)) << " of "
            << id << ": its reports are late. If it arrived earlier, ingest it again with --received-on "
            << "YYYY-MM-DD (the date it arrived)\n";
    return;
  }
}

// The value of the period before for each cumulative row: the file's own when it has that key
// (found by sorting, no lookup per row), else the one stored, read for only the periods the
// file does not cover; nullopt when there is none.
std::vector<std::optional<std::pair<double, calendar::Period>>> values_before(
    const store::Store& db, const model::Plan& plan, const ingest::Result& r, calendar::Date received) {
  const auto& rows = r.cumulative;
  std::vector<std::optional<std::pair<double, calendar::Period>>> out(rows.size());
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto key = [&](std::size_t i) { return std::tie(rows[i].initiative, rows[i].measure, rows[i].period); };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  std::vector<std::size_t> from_store;
  std::optional<calendar::Period> first, last;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto& c = rows[order[k]];
    if (c.period <= plan.calendar.first) continue;
    const auto prev = calendar::previous(c.period);
    if (k > 0) {
      const auto& b = rows[order[k - 1]];
      if (b.initiative == c.initiative && b.measure == c.measure && b.period == prev) {
        out[order[k]] = std::pair{b.num, prev};
        continue;
      }
    }
    from_store.push_back(order[k]);
    if (!first || prev < *first) first = prev;
    if (!last || prev > *last) last = prev;
  }
  if (from_store.empty()) return out;
  evaluation::View view(db, {first, last, received, received}, {"", {"disbursed", "indicator."}});
  for (auto i : from_store) {
    const auto& c = rows[i];
    const auto prev = calendar::previous(c.period);
    if (const auto* v = view.of(plan.initiatives[c.initiative].id).value(prev, r.cumulative_measures[c.measure]); v && v->num)
      out[i] = std::pair{*v->num, prev};
  }
  return out;
}

// A cumulative value below the one known for the period before, as of the received date: a
// warning now (the decreasing-cumulative rule makes it an error at check).
void warn_decreases(Context& ctx, const store::Store& db, const model::Plan& plan, const std::string& file,
                    const ingest::Result& r, calendar::Date received) {
  if (r.cumulative.empty() || ctx.opts.quiet) return;
  const auto before = values_before(db, plan, r, received);
  for (std::size_t i = 0; i < r.cumulative.size(); ++i) {
    const auto& c = r.cumulative[i];
    if (!before[i] || c.num >= before[i]->first) continue;
    const auto& ini = plan.initiatives[c.initiative];
    const auto& measure = r.cumulative_measures[c.measure];
    auto shown = [&](double v) {
      if (measure == "disbursed") return model::format_money(std::llround(v), ini.budget->currency);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.10g", v);
      return std::string(buf);
    };
    ctx.err << model::printable(file) << ":" << c.line << ": warning: " << ini.id << " " << measure << " for "
            << calendar::to_string(c.period) << " is " << shown(c.num) << ", below " << shown(before[i]->first)
            << " for " << calendar::to_string(before[i]->second)
            << ": a cumulative value cannot go down (check reports it as decreasing-cumulative)\n";
  }
}

// Ingests every file into the database `first` gives; false when a new database could not be put
// in place because another command created it meanwhile (nothing was printed then).
bool ingest_files(Context& ctx, const IngestArgs& args, calendar::Date received, int& code) {
  FirstDatabase first(ctx.opts.db, args.dry_run);
  auto session = open(ctx, {.db = Needs::Db::write, .plan = true, .done = "ingested",
                            .wait_seconds = args.wait_seconds, .db_path = first.path()});
  const model::Plan& plan = *session.plan;
  check_org(plan, args.org);
  std::ostringstream out, err;  // printed once the uploads are where they will stay
  Context quiet{ctx.opts, ctx.as_of, ctx.format, out, err};
  Json json = Json::array();
  bool stored = false;
  code = kOk;
  for (const auto& file : args.files) {
    ProgressBar bar(ctx, file);
    ingest::Options o{args.org, received, ctx.as_of, args.dry_run,
                      [&](std::uint64_t done, std::uint64_t total) { bar.update(done, total); },
                      args.encoding == "windows-1252", !ctx.opts.quiet, args.sheet};
    if (args.unverified) {
      o.review = "pending";
      o.before_commit = [&](std::int64_t id) { session.db->add_submission(args.org, id, "cli", received); };
    }
    auto r = ingest::ingest_file(*session.db, plan, file, o);
    bar.clear();
    if (!r.file_unreadable && r.upload.outcome != store::Outcome::rejected) {
      if (args.received_on.empty()) warn_if_late(quiet, plan, file, r, received, args.dry_run);
      warn_decreases(quiet, *session.db, plan, file, r, received);
    }
    const auto& u = r.upload;
    stored = stored || (!args.dry_run && !r.file_unreadable && u.outcome != store::Outcome::rejected);
    if (r.file_unreadable) code = std::max(code, static_cast<int>(kInputError));
    else if (u.outcome == store::Outcome::rejected) code = std::max(code, static_cast<int>(kFailed));
    print_result(quiet, file, r, args.dry_run, first.is_new(), json);
  }
  if (stored && !first.keep(session)) return false;
  ctx.out << out.str();
  ctx.err << err.str();
  if (ctx.json()) print_json(ctx, {{"uploads", json}});
  return true;
}

int run_ingest(Context& ctx, const IngestArgs& args) {
  calendar::Date received = ctx.as_of;
  if (!args.received_on.empty()) received = *calendar::parse_date(args.received_on);
  if (received > ctx.as_of)
    throw UsageError("--received-on " + calendar::to_string(received) + " is after the as-of date " +
                     calendar::to_string(ctx.as_of));
  int code = kOk;
  // A database created meanwhile by another command: ingest into it instead (uploads are
  // idempotent, and the new one was thrown away).
  if (!ingest_files(ctx, args, received, code)) ingest_files(ctx, args, received, code);
  return code;
}

}  // namespace

CommandSpec ingest_command() {
  return {"ingest",
          "Validate progress records (CSV, JSON, XLSX or ODS) against the plan and store them; "
          "each file is stored whole or not at all",
          {"text", "json"},
          [](CLI::App& app) -> Runner {
            auto args = std::make_shared<IngestArgs>();
            app.add_option("files", args->files, "Upload files (.csv, .json, .xlsx or .ods)")
                ->required()
                ->type_name("FILE");
            app.add_option("--org", args->org, "The reporting organisation uploading the files")
                ->required()
                ->type_name("ORG");
            add_date_option(app, "--received-on", args->received_on,
                            "When the files were received (default: the as-of date, refused when "
                            "that would make a report late)");
            app.add_option("--encoding", args->encoding,
                           "The text encoding of CSV files (Excel's default 'CSV' in Western Europe is windows-1252)")
                ->capture_default_str()
                ->check(CLI::IsMember({"utf-8", "windows-1252"}));
            app.add_option("--sheet", args->sheet, "The sheet of an XLSX or ODS file to read (default: the first)")
                ->type_name("NAME");
            app.add_flag("--dry-run", args->dry_run,
                         "Validate and report what would be new, changed and unchanged; store nothing");
            app.add_flag("--unverified", args->unverified,
                         "Store each file as a submission awaiting the secretariat's review (left out of reports "
                         "of verified data until verified); by default a CLI upload counts as verified");
            app.add_option("--wait", args->wait_seconds, "Seconds to wait for another writer to finish")
                ->capture_default_str()
                ->check(CLI::Range(0, 3600));
            return [args](Context& c) { return run_ingest(c, *args); };
          },
          ""};
}

}  // namespace jvap::cli
