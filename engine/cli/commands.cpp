// The table of commands: every command jvap has, in the order --help lists them.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace jvap::cli {

// One CommandSpec per command, each defined in its cmd_*.cpp file.
CommandSpec plan_check_command();
CommandSpec plan_show_command();
CommandSpec periods_command();
CommandSpec ingest_command();
CommandSpec uploads_command();
CommandSpec records_command();
CommandSpec check_command();
CommandSpec explain_command();
CommandSpec completeness_command();
CommandSpec rules_test_command();
CommandSpec report_command();
CommandSpec db_check_command();
CommandSpec db_backup_command();
CommandSpec findings_command();
CommandSpec runs_command();
CommandSpec owed_command();
CommandSpec template_command();
CommandSpec man_command();
CommandSpec init_command();
CommandSpec completion_command();
CommandSpec import_iati_command();
CommandSpec serve_command();
CommandSpec token_create_command();
CommandSpec token_list_command();
CommandSpec token_revoke_command();

const std::vector<GroupSpec>& groups() {
  static const std::vector<GroupSpec> k{{"plan", "Check or summarise the plan"},
                                        {"rules", "Work with the rule set"},
                                        {"db", "Check or back up the database"},
                                        {"import", "Import data published in other standards"},
                                        {"token", "Access tokens of the partner service"}};
  return k;
}

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> k{
      init_command(),       plan_check_command(), plan_show_command(),    periods_command(),
      ingest_command(),     import_iati_command(),  uploads_command(),      records_command(),
      check_command(),      findings_command(),     runs_command(),
      completeness_command(), owed_command(),       template_command(), explain_command(),
      rules_test_command(), report_command(),       db_check_command(),
      db_backup_command(),  serve_command(),        token_create_command(), token_list_command(),
      token_revoke_command(), man_command(),        completion_command(),
  };
  return k;
}

void add_date_option(CLI::App& app, const std::string& name, std::string& target,
                     const std::string& help) {
  app.add_option(name, target, help)
      ->type_name("YYYY-MM-DD")
      ->check(CLI::Validator(
          [](std::string& s) {
            return calendar::parse_date(s) ? std::string() : "invalid date '" + s + "'";
          },
          "DATE", "date"));
}

}  // namespace jvap::cli
