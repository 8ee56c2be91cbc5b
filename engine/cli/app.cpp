#include "cli/app.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "cli/command.hpp"
#include "cli/project.hpp"
#include "model/text.hpp"

#ifndef JVAP_VERSION
#define JVAP_VERSION "0.0.0"
#endif

namespace jvap::cli {

namespace {

const char* kExitCodes =
    "Exit codes: 0 success; 1 findings or rejections you asked to fail on; 2 usage or input "
    "error; 3 internal error.\n";

// Every format some command supports, in table order.
std::vector<std::string> all_formats() {
  std::vector<std::string> out;
  for (const auto& c : commands())
    for (const auto& f : c.formats)
      if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  return out;
}

// "text, json or csv"
std::string choices(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out += (i == 0 ? "" : i + 1 == v.size() ? " or " : ", ") + v[i];
  return out;
}

// The options every command has, on the top level and again on each command (so they may come
// before or after its name, and its --help lists them).
struct CommonOptions {
  CLI::Option *plans = nullptr, *db = nullptr;
};

CommonOptions add_common_options(CLI::App& app, Options& o, const std::string& formats) {
  CommonOptions c;
  c.plans = app.add_option("--plans", o.plans, "Plan folder (*.yaml, recursively)")
                ->capture_default_str()
                ->type_name("DIR");
  c.db = app.add_option("--db", o.db, "SQLite database file")->capture_default_str()->type_name("FILE");
  app.add_option("--as-of", o.as_of, "Evaluate as of this date (default: today)")
      ->type_name("YYYY-MM-DD")
      ->check(CLI::Validator(
          [](std::string& s) {
            return calendar::parse_date(s) ? std::string() : "invalid date '" + s + "'";
          },
          "DATE", "date"));
  // Checked against the command's own formats once it is known (run()).
  app.add_option("--format", o.format, "Output format: " + formats)->type_name("FORMAT");
  app.add_flag("-v,--verbose", o.verbose, "More log output on stderr (repeat for more)");
  app.add_flag("-q,--quiet", o.quiet, "Only errors on stderr");
  return c;
}

void setup_logging(const Options& o) {
  spdlog::drop("jvap");
  auto logger = spdlog::stderr_logger_st("jvap");
  logger->set_pattern("jvap: %l: %v");
  spdlog::set_default_logger(logger);
  if (o.quiet) spdlog::set_level(spdlog::level::err);
  else if (o.verbose >= 2) spdlog::set_level(spdlog::level::trace);
  else if (o.verbose == 1) spdlog::set_level(spdlog::level::debug);
  else spdlog::set_level(spdlog::level::warn);
}

// The first word that is neither an option nor an option's value and names no command at its
// level, with the names it could have been. (CLI11 would only say that a subcommand is required.)
struct UnknownCommand {
  std::string word;
  std::vector<std::string> names;
};

std::optional<UnknownCommand> unknown_command(CLI::App& app, int argc, const char* const* argv) {
  CLI::App* level = &app;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") return std::nullopt;
    if (!a.empty() && a[0] == '-') {
      const CLI::Option* opt = nullptr;
      for (CLI::App* l = level; l && !opt; l = l->get_parent())
        opt = l->get_option_no_throw(a.substr(0, a.find('=')));
      if (opt && opt->get_type_size() > 0 && a.find('=') == std::string::npos) ++i;
      continue;
    }
    auto subs = level->get_subcommands({});
    if (subs.empty()) return std::nullopt;
    UnknownCommand u{a, {}};
    CLI::App* next = nullptr;
    for (auto* s : subs) {
      u.names.push_back(s->get_name());
      if (s->get_name() == a) next = s;
    }
    if (!next) return u;
    level = next;
  }
  return std::nullopt;
}

calendar::Date today() {
  return std::chrono::floor<date::days>(std::chrono::system_clock::now());
}

CLI::App* subcommand(CLI::App& parent, const std::string& name, const std::string& help) {
  auto* s = parent.add_subcommand(name, help);
  s->fallthrough();
  s->footer(kExitCodes);
  return s;
}

struct Line;
Line* current_line = nullptr;  // the command line being run

// The command line built from the table: groups, then each command with its options.
struct Line {
  CLI::App app{"jvap: monitoring engine for the Joint Valletta Action Plan", "jvap"};
  Options root;                         // common options given before the command
  std::vector<Options> leaf;            // ... and after it, per command
  std::vector<CommonOptions> leaf_options;
  CommonOptions root_options;
  std::vector<Runner> runners;
  const CommandSpec* chosen = nullptr;  // set when a command's options were parsed
  std::size_t chosen_index = 0;

  Line* previous = current_line;  // a command run from a command (the service runs them)

  Line() {
    current_line = this;
    const auto& table = commands();
    leaf.resize(table.size());
    leaf_options.resize(table.size());
    runners.resize(table.size());
    app.footer(kExitCodes);
    app.set_version_flag("--version", std::string("jvap ") + JVAP_VERSION);
    app.require_subcommand(1);
    root_options = add_common_options(app, root, choices(all_formats()) + " (each command has its own)");
    for (const auto& g : groups()) subcommand(app, g.name, g.help)->require_subcommand(1);
    for (std::size_t i = 0; i < table.size(); ++i) add(table[i], i);
  }

  ~Line() { current_line = previous; }
  Line(const Line&) = delete;
  Line& operator=(const Line&) = delete;

  void add(const CommandSpec& spec, std::size_t i) {
    CLI::App* parent = &app;
    std::string name = spec.path;
    if (auto space = name.find(' '); space != std::string::npos) {
      parent = app.get_subcommand(name.substr(0, space));
      name = name.substr(space + 1);
    }
    auto* s = subcommand(*parent, name, spec.help);
    if (!spec.footer.empty()) s->footer(spec.footer + kExitCodes);
    runners[i] = spec.declare(*s);
    leaf_options[i] = add_common_options(*s, leaf[i], choices(spec.formats) + " (default: " +
                                                          spec.formats.front() + ")");
    s->callback([this, &spec, i] {
      chosen = &spec;
      chosen_index = i;
    });
  }

  // The common options: those given after the command win over those given before it, and both
  // over the project file's.
  Options options(const std::optional<Project>& project) const {
    Options o = root;
    if (project && !project->plans.empty() && root_options.plans->count() == 0) o.plans = project->plans;
    if (project && !project->db.empty() && root_options.db->count() == 0) o.db = project->db;
    const Options& l = leaf[chosen_index];
    if (leaf_options[chosen_index].plans->count() > 0) o.plans = l.plans;
    if (leaf_options[chosen_index].db->count() > 0) o.db = l.db;
    if (!l.as_of.empty()) o.as_of = l.as_of;
    if (!l.format.empty()) o.format = l.format;
    o.verbose += l.verbose;
    o.quiet = o.quiet || l.quiet;
    return o;
  }
};

}  // namespace

const CLI::App& root_app() { return current_line->app; }

namespace {

// The message of any jvap error, with every located problem first.
int report_error(std::ostream& err, const model::Error& e) {
  for (const auto& d : e.details()) err << model::format(d) << '\n';
  err << (e.where() ? "" : "jvap: ") << model::describe(e) << '\n';
  return e.exit_code();
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Line line;
  if (auto unknown = unknown_command(line.app, argc, argv)) {
    std::string known;
    for (const auto& n : unknown->names) known += (known.empty() ? "" : ", ") + n;
    err << "jvap: unknown command " << model::quote(unknown->word);
    std::string hint = model::did_you_mean(unknown->word, unknown->names);
    err << (hint.empty() ? " (commands: " + known + ")" : hint)
        << "\nRun with --help for more information.\n";
    return kInputError;
  }
  try {
    line.app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return line.app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return line.app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return line.app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    line.app.exit(e, out, err);
    return kInputError;
  }
  const CommandSpec& spec = *line.chosen;
  std::optional<Project> project;
  try {
    if (spec.uses_project) project = load_project(std::filesystem::current_path());
  } catch (const model::Error& e) {
    return report_error(err, e);
  }
  set_project(project);
  Options opts = line.options(project);
  std::string format = opts.format.empty() ? spec.formats.front() : opts.format;
  if (std::find(spec.formats.begin(), spec.formats.end(), format) == spec.formats.end()) {
    err << "jvap: " << spec.path << ": --format " << format << " is not supported; use "
        << choices(spec.formats) << "\n";
    return kInputError;
  }
  setup_logging(opts);
  Context ctx{opts, opts.as_of.empty() ? today() : *calendar::parse_date(opts.as_of), format, out, err};
  try {
    return line.runners[line.chosen_index](ctx);
  } catch (const model::Error& e) {
    return report_error(err, e);
  } catch (const std::filesystem::filesystem_error& e) {
    err << "jvap: " << e.what() << "\n";
    return kInputError;
  } catch (const std::exception& e) {
    err << "jvap: internal error: " << e.what() << "\n";
    return kInternal;
  }
}

}  // namespace jvap::cli
