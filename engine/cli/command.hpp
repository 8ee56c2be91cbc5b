// Internal to the CLI: the one table of commands. Each command declares its name, help, the
// output formats it supports and its options, and returns the function that runs it; app.cpp
// builds the command line from the table. Adding a command is a file with its CommandSpec, its
// line in commands() (commands.cpp), a golden case and docs/cli.md.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace CLI {
class App;
}

namespace jvap::cli {

// What a command runs once its options are parsed; returns the exit code.
using Runner = std::function<int(Context&)>;

struct CommandSpec {
  std::string path;  // "check", or "plan check" for a command of a group
  std::string help;
  // The output formats it supports (--format); the first is the default.
  std::vector<std::string> formats;
  // Declares the command's own options on `app` and returns its runner (which may keep the
  // parsed values alive by capturing them).
  std::function<Runner(CLI::App&)> declare;
  std::string footer;  // extra help text after the options
  bool uses_project = true;  // false: runs without reading a project file (init, man, completion)
};

// A group of commands ("plan", "rules"): its name and help.
struct GroupSpec {
  std::string name;
  std::string help;
};

const std::vector<CommandSpec>& commands();
// The whole command line as built from the table (for `jvap man` and `jvap completion`).
const CLI::App& root_app();
const std::vector<GroupSpec>& groups();

// Shared option helpers.
// A YYYY-MM-DD option value.
void add_date_option(CLI::App& app, const std::string& name, std::string& target,
                     const std::string& help);

}  // namespace jvap::cli
