// The table of commands: every command jvap has, in the order --help lists them.
#include <CLI/CLI.hpp>

#include "cli/command.hpp"

namespace jvap::cli {

const std::vector<GroupSpec>& groups() {
  static const std::vector<GroupSpec> k{{"plan", "Check or summarise the plan"},
                                        {"rules", "Work with the rule set"}};
  return k;
}

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> k{
      plan_check_command(), plan_show_command(),    periods_command(),
      ingest_command(),     uploads_command(),      records_command(),
      check_command(),      completeness_command(), explain_command(),
      rules_test_command(), report_command(),
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
