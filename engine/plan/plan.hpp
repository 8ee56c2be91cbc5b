// Plan loader: reads every YAML file under a plan folder, merges them and validates the whole
// plan strictly, reporting every problem as a located Diagnostic. First stage of the pipeline;
// its output (model::Plan) feeds the store, ingest, rules and reports.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostic.hpp"
#include "model/error.hpp"
#include "model/model.hpp"

namespace jvap::plan {

// A plan that cannot be used: every problem is in details().
class PlanError : public model::Error {
 public:
  using model::Error::Error;
};

// One plan file: `path` is how messages name it ("plans/demo/initiatives.yaml"), `rel` its path
// inside the plan folder ("demo/initiatives.yaml"), which is what the content hash covers.
struct SourceFile {
  std::string path;
  std::string rel;
  std::string text;        // empty when the file is too large to read (see `size`)
  std::uint64_t size = 0;  // bytes on disk
};

struct LoadResult {
  std::optional<model::Plan> plan;  // set only when there are no errors
  std::vector<model::Diagnostic> errors;  // sorted by file, line, column
};

// Lists the plan files under `dir` (*.yaml, *.yml, recursively), sorted by relative path.
// Throws std::filesystem::filesystem_error when `dir` cannot be read.
std::vector<std::filesystem::path> plan_files(const std::filesystem::path& dir);

// Reads, parses and validates the plan in `dir`. Problems that concern the folder itself (it does
// not exist, has no plan files) are Diagnostics too.
LoadResult load(const std::filesystem::path& dir);

// The same over in-memory files (in the given order); `label` names the plan in messages.
LoadResult load_sources(const std::vector<SourceFile>& files, const std::string& label);

// Reads the plan files under `dir` (see plan_files) without parsing them.
std::vector<SourceFile> read_sources(const std::filesystem::path& dir);

// SHA-256 over the files' relative paths and bytes: equal hashes mean an identical plan.
std::string content_hash(const std::vector<SourceFile>& files);

}  // namespace jvap::plan
