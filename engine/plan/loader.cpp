#include <algorithm>
#include <fstream>
#include <sstream>

#include "model/sha256.hpp"
#include "model/text.hpp"
#include "plan/plan.hpp"
#include "plan/raw_plan.hpp"

namespace jvap::plan {

namespace fs = std::filesystem;

std::vector<fs::path> plan_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    auto ext = entry.path().extension();
    if (ext == ".yaml" || ext == ".yml") out.push_back(fs::relative(entry.path(), dir));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<SourceFile> read_sources(const fs::path& dir) {
  std::vector<SourceFile> out;
  for (const auto& rel : plan_files(dir)) {
    fs::path full = dir / rel;
    std::error_code ec;
    auto size = fs::file_size(full, ec);
    if (!ec && size > yaml::kMaxYamlBytes) {  // not read: refused by its size (load_sources)
      out.push_back({full.generic_string(), rel.generic_string(), "", size});
      continue;
    }
    std::ifstream in(full, std::ios::binary);
    if (!in) throw fs::filesystem_error("cannot read plan file", full, std::error_code(errno, std::generic_category()));
    std::ostringstream text;
    text << in.rdbuf();
    std::string bytes = std::move(text).str();
    auto n = bytes.size();
    out.push_back({full.generic_string(), rel.generic_string(), std::move(bytes), n});
  }
  return out;
}

std::string content_hash(const std::vector<SourceFile>& files) {
  model::Sha256 h;
  for (const auto& f : files) {
    h.update(f.rel);
    h.update(std::string_view("\0", 1));
    h.update(std::to_string(f.text.empty() ? f.size : f.text.size()));
    h.update(std::string_view("\0", 1));
    h.update(f.text);
  }
  return h.hex();
}

LoadResult load_sources(const std::vector<SourceFile>& files, const std::string& label) {
  LoadResult result;
  if (files.empty()) {
    result.errors.push_back({label, 0, 0, "no plan files (*.yaml, *.yml) found"});
    return result;
  }
  detail::RawPlan raw;
  for (const auto& f : files) {
    std::size_t bad = 0;
    if (!model::valid_utf8(f.path, bad)) {  // its name would reach messages, JSON and the database
      result.errors.push_back({model::printable(f.path), 0, 0,
                               "the file name is not valid UTF-8: rename the file"});
      continue;
    }
    if (f.size > yaml::kMaxYamlBytes) {
      result.errors.push_back({f.path, 0, 0, "the file is " + std::to_string(f.size >> 20) +
                                                  " MiB; a plan file may be at most " +
                                                  std::to_string(yaml::kMaxYamlBytes >> 20) + " MiB"});
      continue;
    }
    detail::parse_file(f.path, f.text, raw, result.errors);
  }
  auto plan = detail::validate(std::move(raw), label, result.errors);
  model::sort_unique(result.errors);
  if (!result.errors.empty() || !plan) return result;
  for (const auto& f : files) plan->files.push_back(f.rel);
  plan->content_hash = content_hash(files);
  result.plan = std::move(plan);
  return result;
}

LoadResult load(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    LoadResult r;
    r.errors.push_back({dir.generic_string(), 0, 0,
                        fs::exists(dir, ec) ? "not a folder: expected a folder of plan files"
                                            : "plan folder does not exist"});
    return r;
  }
  return load_sources(read_sources(dir), dir.generic_string());
}

}  // namespace jvap::plan
