// `jvap db check` (the database's health) and `jvap db backup FILE` (an online copy).
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace jvap::cli {

namespace {

int run_db_check(Context& ctx) {
  auto s = open(ctx, {.db = Needs::Db::read});
  auto h = s.db->check_health();
  if (ctx.json()) {
    print_json(ctx, {{"db", ctx.opts.db},
                     {"ok", h.problems.empty()},
                     {"bytes", h.bytes},
                     {"uploads", h.uploads},
                     {"versions", h.versions},
                     {"runs", h.runs},
                     {"problems", h.problems}});
  } else {
    for (const auto& p : h.problems) ctx.err << ctx.opts.db << ": " << p << "\n";
    if (h.problems.empty())
      ctx.out << ctx.opts.db << ": healthy: " << count_label(static_cast<std::size_t>(h.uploads), "upload", "uploads")
              << ", " << count_label(static_cast<std::size_t>(h.versions), "record version", "record versions")
              << ", " << count_label(static_cast<std::size_t>(h.runs), "check run", "check runs") << " ("
              << h.bytes / 1024 << " KiB); integrity, foreign keys and the audit counts agree\n";
    else
      ctx.err << ctx.opts.db << ": " << count_label(h.problems.size(), "problem", "problems")
              << "; restore the database from a backup\n";
  }
  return h.problems.empty() ? kOk : kFailed;
}

int run_db_backup(Context& ctx, const std::string& target) {
  auto s = open(ctx, {.db = Needs::Db::read});
  s.db->backup(target);
  if (ctx.json()) print_json(ctx, {{"db", ctx.opts.db}, {"backup", target}});
  else if (!ctx.opts.quiet) ctx.out << "backed up " << ctx.opts.db << " to " << target << "\n";
  return kOk;
}

}  // namespace

CommandSpec db_check_command() {
  return {"db check",
          "Check the database: SQLite's integrity check, foreign keys, and that the stored versions "
          "agree with the audit log (exit 1 when something is wrong)",
          {"text", "json"}, [](CLI::App&) -> Runner { return run_db_check; }, ""};
}

CommandSpec db_backup_command() {
  return {"db backup", "Copy the database to FILE with SQLite's online backup (safe while others write)",
          {"text", "json"},
          [](CLI::App& app) -> Runner {
            auto target = std::make_shared<std::string>();
            app.add_option("file", *target, "The backup file to create (it must not exist)")
                ->required()
                ->type_name("FILE");
            return [target](Context& c) { return run_db_backup(c, *target); };
          },
          ""};
}

}  // namespace jvap::cli
