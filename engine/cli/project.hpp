// Internal to the CLI: the project file (jvap.yaml; docs/cli.md, "Projects").
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "cli/context.hpp"

namespace jvap::cli {

inline constexpr const char* kProjectFile = "jvap.yaml";

// A project's folders and database, absolute (relative paths in the file are to its folder);
// empty when the file does not say.
struct Project {
  std::filesystem::path file;
  std::string plans, db, rules, templates;
};

// The project file of `start` or the nearest folder above it; UsageError (every problem located)
// when it cannot be read or has a key it does not know.
std::optional<Project> load_project(const std::filesystem::path& start);

// The project of this run (set once the command line is parsed).
void set_project(std::optional<Project> p);
const std::optional<Project>& project();

}  // namespace jvap::cli
