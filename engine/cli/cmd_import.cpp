// `jvap import iati FILE.xml [--mapping FILE] [-o DIR]`: IATI activities to a plan fragment to
// review and uploads to ingest (docs/iati-import.md). Writes files only; stores nothing.
#include <unistd.h>

#include <map>
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "cli/output.hpp"
#include "iati/iati.hpp"
#include "model/text.hpp"

namespace jvap::cli {

namespace {

struct ImportArgs {
  std::string file, mapping, output = "iati-import";
};

std::string unmapped_csv(const iati::Result& r) {
  std::string out = "iati_identifier,line,reasons\n";
  for (const auto& u : r.unmapped) {
    std::string reasons;
    for (const auto& x : u.reasons) reasons += (reasons.empty() ? "" : "; ") + x;
    out += model::csv_field(u.identifier) + "," + std::to_string(u.line) + "," + model::csv_field(reasons) + "\n";
  }
  return out;
}

// The output files, each written whole or not at all: made piece by piece as the import goes,
// put in place only when the whole file was read.
class Outputs {
 public:
  explicit Outputs(const std::filesystem::path& dir) : dir_(dir) {}
  iati::Sink sink() {
    return {[this](std::string_view text) { file("initiatives.yaml").append(text); },
            [this](const std::string& org, std::string_view line) { file("upload-" + org + ".csv").append(line); }};
  }
  std::vector<std::string> commit(const iati::Result& r) {
    file("unmapped.csv").append(unmapped_csv(r));
    std::vector<std::string> names;
    for (auto& [name, out] : files_) {
      out->commit();
      names.push_back((dir_ / name).string());
    }
    return names;
  }

 private:
  Output& file(const std::string& name) {
    auto& slot = files_[name];
    if (!slot) slot = std::make_unique<Output>(dir_ / name);
    return *slot;
  }
  std::filesystem::path dir_;
  std::map<std::string, std::unique_ptr<Output>> files_;
};

int run_import(Context& ctx, const ImportArgs& args) {
  auto s = open(ctx, {.plan = true, .done = "imported"});
  const auto& plan = *s.plan;
  iati::Mapping mapping;
  if (!args.mapping.empty()) {
    std::vector<model::Diagnostic> errors;
    auto m = iati::load_mapping(args.mapping, plan, errors);
    if (!m) {
      print_diagnostics(ctx, errors);
      return kInputError;
    }
    mapping = std::move(*m);
  }
  iati::Options o;
  o.as_of = ctx.as_of;
  bool tty = !ctx.opts.quiet && ::isatty(STDERR_FILENO);
  if (tty)
    o.progress = [&](std::uint64_t done, std::uint64_t total) {
      if (total) ctx.err << "\rjvap: reading " << args.file << " " << (100 * done / total) << "%" << std::flush;
    };
  Outputs outputs(args.output);
  auto r = iati::import_file(args.file, plan, mapping, o, outputs.sink());
  if (tty) ctx.err << "\r\x1b[K" << std::flush;
  if (!r.errors.empty()) {
    print_diagnostics(ctx, r.errors);
    if (!ctx.opts.quiet) ctx.err << args.file << ": nothing written\n";
    return kFailed;
  }
  auto written = outputs.commit(r);
  if (ctx.json()) {
    Json un = Json::array();
    for (const auto& u : r.unmapped) un.push_back({{"iati_identifier", u.identifier}, {"line", u.line}, {"reasons", u.reasons}});
    Json ups = Json::object();
    for (const auto& [org, n] : r.upload_rows) ups[org] = n;
    print_json(ctx, {{"file", args.file}, {"activities", r.activities}, {"mapped", r.mapped},
                     {"unmapped", un}, {"upload_rows", ups}, {"written", written}});
    return kOk;
  }
  if (ctx.opts.quiet) return kOk;
  ctx.out << args.file << ": " << model::count_label(r.activities, "activity", "activities") << ", " << r.mapped
          << " mapped to initiatives, " << r.unmapped.size() << " not mapped\n";
  for (const auto& f : written) ctx.out << "  wrote " << f << "\n";
  for (const auto& u : r.unmapped) {
    std::string reasons;
    for (const auto& x : u.reasons) reasons += (reasons.empty() ? "" : "; ") + x;
    ctx.out << "  not mapped: " << model::printable(u.identifier) << " (line " << u.line << "): " << reasons << "\n";
  }
  if (r.mapped > 0)
    ctx.out << "Review " << (std::filesystem::path(args.output) / "initiatives.yaml").string()
            << ", add it to the plan, then ingest the upload files with --org.\n";
  return kOk;
}

}  // namespace

CommandSpec import_iati_command() {
  return {"import iati",
          "Turn an IATI 2.03 activity file into plan initiatives to review and uploads of their "
          "progress (docs/iati-import.md)",
          {"text", "json"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<ImportArgs>();
            app.add_option("file", a->file, "The IATI activity file (XML)")->required()->type_name("FILE");
            app.add_option("--mapping", a->mapping,
                           "Maps IATI organisations, sectors and tags to the plan (YAML, docs/iati-import.md)")
                ->type_name("FILE");
            app.add_option("-o,--output", a->output, "The folder to write into")->capture_default_str()->type_name("DIR");
            return [a](Context& c) { return run_import(c, *a); };
          },
          "Writes DIR/initiatives.yaml (a plan fragment), DIR/upload-<ORG>.csv (one per reporting\n"
          "organisation) and DIR/unmapped.csv (the activities it could not map, and why).\n"};
}

}  // namespace jvap::cli
