// The project file, jvap.yaml: where a monitoring project keeps its plan, database, rules and
// templates. Found by walking up from the current folder, as git finds .git; its paths are
// relative to its own folder; options given on the command line win.
#include "cli/project.hpp"

#include <fstream>
#include <sstream>

#include "yaml/reader.hpp"

namespace jvap::cli {

namespace {

std::optional<Project>& current() {
  static std::optional<Project> p;
  return p;
}

}  // namespace

std::optional<Project> load_project(const std::filesystem::path& start) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (auto dir = fs::absolute(start, ec); !dir.empty(); dir = dir.parent_path()) {
    auto file = dir / kProjectFile;
    if (fs::is_regular_file(file, ec)) {
      std::ifstream in(file, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      std::vector<model::Diagnostic> errors;
      yaml::FileContext ctx(file.string(), errors);
      Project p;
      p.file = file;
      if (auto doc = yaml::load_document(ctx, text.str()); doc && doc->IsDefined() && !doc->IsNull()) {
        yaml::MapReader r(ctx, *doc, "project file", {"plans", "db", "rules", "templates"});
        auto path = [&](const char* key, std::string& out) {
          if (auto v = r.text(key, false)) out = (fs::path(*v).is_absolute() ? fs::path(*v) : dir / *v).lexically_normal().string();
        };
        if (r.ok()) {
          path("plans", p.plans);
          path("db", p.db);
          path("rules", p.rules);
          path("templates", p.templates);
        }
      }
      if (!errors.empty()) {
        const auto message = file.string() + ": the project file has " +
                             count_label(static_cast<long long>(errors.size()), "error", "errors") +
                             "; nothing was done";
        throw UsageError(message, kInputError, std::nullopt, std::move(errors));
      }
      return p;
    }
    if (dir == dir.parent_path()) break;
  }
  return std::nullopt;
}

void set_project(std::optional<Project> p) { current() = std::move(p); }
const std::optional<Project>& project() { return current(); }

}  // namespace jvap::cli
