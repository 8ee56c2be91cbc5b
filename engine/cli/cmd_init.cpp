// `jvap init DIR`: starts a monitoring project (docs/cli.md, "Projects"): the reference plan, an
// initiatives file with commented examples, the project file, a README for the secretariat and a
// .gitignore. Written in a temporary folder beside DIR and renamed into place, so a failure
// leaves nothing behind.
#include <fstream>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/project.hpp"

namespace jvap::cli {

namespace {

namespace fs = std::filesystem;

struct InitArgs {
  std::string dir;
  bool copy_rules = false, copy_templates = false;
};

fs::path installed(const std::string& name) {
  if (auto p = installed_data(name)) return *p;
  throw UsageError("init: cannot find jvap's " + name + " (neither installed under share/jvap nor in a source tree)");
}

void write(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary);
  out << text;
  if (!out) throw UsageError("init: cannot write " + file.string());
}

const char* kInitiatives = R"(# The initiatives this project follows: projects and policies under the JVAP's domains.
# Every key is described in docs/plan-format.md (share/doc/jvap/plan-format.md when installed).
# Uncomment and adapt the example, then run 'jvap plan check'.
initiatives: []
#  - id: MY-001
#    title: Labour migration governance in West Africa
#    kind: project                      # or policy
#    domains: [D2]
#    priorities: [D2.P2]
#    processes: [rabat]
#    countries: [SN, ML]
#    implementers: [IOM]
#    funders: [{org: EU, amount: 150000000}]   # minor units: EUR 1,500,000.00
#    budget: {amount: 150000000, currency: EUR}
#    start: 2025-01-01
#    end: 2027-12-31
#    reporting: [IOM]                   # who uploads its progress (jvap ingest --org IOM)
#    indicators:
#      - {id: jobs, title: Jobs created, unit: jobs, aggregation: cumulative, targets: {2025-H2: 100, 2026-H2: 300}}
#    milestones:
#      - {id: M1, title: Inception report, due: 2025-03-31}
)";

std::string readme(const InitArgs& a) {
  return std::string(R"(# A JVAP monitoring project

This folder is a jvap project. `jvap.yaml` says where its plan and database are, and every jvap
command run in this folder or below it uses them.

## What to edit
- `plans/initiatives.yaml`: the initiatives you follow, with their budgets, indicators, targets
  and milestones. `plans/reference/` is the Joint Valletta Action Plan itself (domains,
  priorities, processes and their members); update it when the plan changes.
)") + (a.copy_rules ? "- `rules/`: the checks (docs/rules-format.md).\n" : "") +
         (a.copy_templates ? "- `reports/`: the report templates.\n" : "") + R"(
## What to run, each period
    jvap plan check                                    # the plan is valid
    jvap template --org ORG --period P -o ORG-P.csv    # what each organisation owes
    jvap ingest ORG-P.csv --org ORG --received-on DATE # what arrives, with its date
    jvap check --period P                              # the checks
    jvap owed --period P                               # who still owes what
    jvap report --period P --format pdf -o joint-P.pdf # the joint report

The runbook is the secretariat guide (share/doc/jvap/guide-secretariat.md). Keep this folder
under version control; `.gitignore` leaves out the database and the outputs (back the database
up with `jvap db backup FILE`).
)";
}

int run_init(Context& ctx, const InitArgs& a) {
  const fs::path target = fs::absolute(a.dir);
  std::error_code ec;
  if (fs::exists(target, ec) && !(fs::is_directory(target, ec) && fs::is_empty(target, ec)))
    throw UsageError("init: " + a.dir + " already exists and is not an empty folder; nothing was written");
  if (!fs::is_directory(target.parent_path(), ec))
    throw UsageError("init: folder " + target.parent_path().string() + " does not exist; nothing was written");
  auto tmp = target.parent_path() / (target.filename().string() + ".jvap-init-tmp");
  fs::remove_all(tmp, ec);
  try {
    fs::create_directories(tmp / "plans");
    fs::copy(installed("plans/reference"), tmp / "plans" / "reference", fs::copy_options::recursive);
    write(tmp / "plans" / "initiatives.yaml", kInitiatives);
    std::string project = "# The jvap project file: paths are relative to this folder (docs/cli.md, \"Projects\").\n"
                          "plans: plans\ndb: jvap.db\n";
    if (a.copy_rules) {
      fs::copy(installed("rules"), tmp / "rules", fs::copy_options::recursive);
      project += "rules: rules\n";
    }
    if (a.copy_templates) {
      fs::copy(installed("reports"), tmp / "reports", fs::copy_options::recursive);
      project += "templates: reports\n";
    }
    write(tmp / kProjectFile, project);
    write(tmp / "README.md", readme(a));
    write(tmp / ".gitignore", "# Written by jvap init: the database and what the commands write.\njvap.db\njvap.db-*\nout/\n*.pdf\n");
    if (fs::exists(target, ec)) fs::remove(target, ec);  // the empty folder it replaces
    fs::rename(tmp, target);
  } catch (const fs::filesystem_error& e) {
    fs::remove_all(tmp, ec);
    throw UsageError(std::string("init: ") + e.what() + "; nothing was written");
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
  if (!ctx.opts.quiet)
    ctx.out << "Started a jvap project in " << a.dir << ": edit plans/initiatives.yaml, then run "
            << "'jvap plan check' there (README.md says what comes next)\n";
  return kOk;
}

}  // namespace

CommandSpec init_command() {
  return {"init", "Start a monitoring project in a new folder: the reference plan, an initiatives "
                  "file to fill in, the project file (jvap.yaml), a README",
          {"text"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<InitArgs>();
            app.add_option("dir", a->dir, "The folder to create (or an empty one)")->required()->type_name("DIR");
            app.add_flag("--copy-rules", a->copy_rules, "Copy the default rules into the project, to adapt them");
            app.add_flag("--copy-templates", a->copy_templates, "Copy the report templates into the project");
            return [a](Context& c) { return run_init(c, *a); };
          },
          "",
          false};
}

}  // namespace jvap::cli
