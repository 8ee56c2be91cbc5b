// Strict, located reading of yaml-cpp nodes, shared by the plan and rule loaders. Every accessor
// records a Diagnostic instead of throwing, so one pass reports every problem in a file. yaml-cpp
// types stay inside the loaders that include this header.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "calendar/calendar.hpp"
#include "model/diagnostic.hpp"
#include "model/model.hpp"

namespace jvap::yaml {

class FileContext {
 public:
  FileContext(std::string file, std::vector<model::Diagnostic>& out)
      : file_(std::move(file)), out_(out) {}

  const std::string& file() const { return file_; }
  model::SourceLoc loc(const YAML::Node& n) const;
  model::SourceLoc loc(const YAML::Mark& m) const;
  void error(const YAML::Node& at, std::string message);
  void error(const model::SourceLoc& at, std::string message);

 private:
  std::string file_;
  std::vector<model::Diagnostic>& out_;
};

// The most a YAML file may hold (a 20,000-initiative plan is about 10 MiB; yaml-cpp needs some
// forty times the text in memory).
inline constexpr std::size_t kMaxYamlBytes = 32u << 20;

// Reads one YAML file's text as exactly one document, refusing what would otherwise be misread or
// silently ignored: text that is not UTF-8, control characters, a file over kMaxYamlBytes, a
// second document ('---'), explicit tags ('!!binary'), YAML syntax errors. Every problem is
// recorded in `ctx`; nullopt when the file cannot be used. An empty file gives a null node.
std::optional<YAML::Node> load_document(FileContext& ctx, std::string_view text);

// What kind of YAML value a node is, for messages: "a list", "a mapping", "text", "nothing".
std::string describe(const YAML::Node& n);

// A scalar's text when it is a scalar; records "expected <what>" otherwise.
std::optional<std::string> scalar(FileContext& ctx, const YAML::Node& n, std::string_view what);

std::optional<std::string> as_id(FileContext& ctx, const YAML::Node& n);
std::optional<calendar::Date> as_date(FileContext& ctx, const YAML::Node& n);
std::optional<std::int64_t> as_integer(FileContext& ctx, const YAML::Node& n);
std::optional<double> as_number(FileContext& ctx, const YAML::Node& n);
std::optional<bool> as_bool(FileContext& ctx, const YAML::Node& n);

// One located string from a list of ids.
struct LocatedId {
  std::string value;
  model::SourceLoc loc;
};

// Reads one YAML mapping against the keys it may have. Unknown and duplicate keys are reported
// when constructed; missing required keys when `required` accessors find them absent.
class MapReader {
 public:
  MapReader(FileContext& ctx, const YAML::Node& node, std::string_view what,
            std::initializer_list<std::string_view> allowed);

  bool ok() const { return ok_; }
  model::SourceLoc loc() const { return ctx_.loc(node_); }
  const YAML::Node& node() const { return node_; }
  FileContext& ctx() { return ctx_; }

  // The value under `key` (an invalid node when absent); reports it missing when required.
  YAML::Node get(std::string_view key, bool required);
  bool has(std::string_view key) const;

  std::optional<std::string> text(std::string_view key, bool required);
  std::optional<std::string> id(std::string_view key, bool required);
  std::optional<calendar::Date> date(std::string_view key, bool required);
  std::optional<std::int64_t> integer(std::string_view key, bool required);
  std::optional<double> number(std::string_view key, bool required);
  std::optional<bool> boolean(std::string_view key, bool required);
  // One of `choices`, by name; reports the choices (and a near miss) otherwise.
  std::optional<std::string> choice(std::string_view key, bool required,
                                    const std::vector<std::string>& choices);
  // A list of ids; `non_empty` also requires at least one.
  std::vector<LocatedId> id_list(std::string_view key, bool required, bool non_empty);
  // A list of non-empty texts (expected outputs and the like).
  std::vector<std::string> text_list(std::string_view key, bool required);
  // A list node (for lists of mappings); nullopt when absent or not a list.
  std::optional<YAML::Node> list(std::string_view key, bool required);

  model::Provenance provenance();  // the optional `confirmed` and `source` keys

 private:
  FileContext& ctx_;
  YAML::Node node_;
  std::string what_;
  std::vector<std::string> misspelt_;  // allowed keys that an unknown key is a near miss of
  bool ok_ = false;
};

}  // namespace jvap::yaml
