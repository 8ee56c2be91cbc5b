// Loading rules/*.yaml and rules/waivers.yaml strictly, with every problem located.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "model/sha256.hpp"
#include "model/text.hpp"
#include "evaluation/view.hpp"
#include "rules/kinds.hpp"
#include "rules/rules.hpp"
#include "yaml/reader.hpp"

namespace jvap::rules {

namespace fs = std::filesystem;
using model::quote;
using yaml::FileContext;
using yaml::MapReader;

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::info: return "info";
    case Severity::warning: return "warning";
    case Severity::error: return "error";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view s) {
  for (auto v : {Severity::info, Severity::warning, Severity::error})
    if (to_string(v) == s) return v;
  return std::nullopt;
}

std::string_view to_string(Status s) {
  switch (s) {
    case Status::new_: return "new";
    case Status::carried_over: return "carried_over";
    case Status::resolved: return "resolved";
    case Status::waived: return "waived";
  }
  return "new";
}

std::vector<std::string> kind_names() {
  std::vector<std::string> out;
  for (const auto& k : detail::kind_table()) out.push_back(k.name);
  return out;
}

namespace {

const std::vector<std::string> kSeverities{"error", "warning", "info"};
const std::vector<std::string> kRegions = model::ids<model::Region>();
const std::vector<std::string> kFindingColumns{"subject", "period", "message", "evidence"};

// The file's bytes, or nullopt after recording why it cannot be read.
std::optional<std::string> read_file(const fs::path& p, const std::string& label,
                                     std::vector<model::Diagnostic>& errors) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  if (in) ss << in.rdbuf();
  if (!in || in.bad()) {
    errors.push_back({label, 0, 0, std::string("cannot read the file: ") + std::strerror(errno)});
    return std::nullopt;
  }
  return ss.str();
}

// Validates one parameter value (a scalar or a list) against its spec; returns its text form.
std::optional<std::string> param_value(FileContext& ctx, const YAML::Node& n, const detail::ParamSpec& spec) {
  const std::string& name = spec.name;
  auto number = [&](double lo, double hi, bool integer) -> std::optional<std::string> {
    std::optional<double> v;
    if (integer) {
      auto i = yaml::as_integer(ctx, n);
      if (!i) return std::nullopt;
      v = static_cast<double>(*i);
    } else {
      v = yaml::as_number(ctx, n);
    }
    if (!v) return std::nullopt;
    if (*v < lo || *v > hi) {
      ctx.error(n, "parameter '" + name + "' must be between " +
                       std::to_string(static_cast<long long>(lo)) + " and " +
                       std::to_string(static_cast<long long>(hi)) + ", found " + quote(n.Scalar()));
      return std::nullopt;
    }
    return n.Scalar();
  };
  auto list_of = [&](const std::vector<std::string>& allowed) -> std::optional<std::string> {
    if (!n.IsSequence() || n.size() == 0) {
      ctx.error(n, "parameter '" + name + "' must be a non-empty list");
      return std::nullopt;
    }
    std::string out;
    bool ok = true;
    for (const auto& item : n) {
      auto s = yaml::scalar(ctx, item, "a name");
      if (!s) { ok = false; continue; }
      if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
        ctx.error(item, "invalid value " + quote(*s) + " in '" + name + "'" + model::did_you_mean(*s, allowed));
        ok = false;
        continue;
      }
      out += (out.empty() ? "" : ",") + *s;
    }
    return ok ? std::optional<std::string>(out) : std::nullopt;
  };
  switch (spec.type) {
    case detail::ParamType::share: return number(0, 1, false);
    case detail::ParamType::days: return number(0, 366, true);
    case detail::ParamType::periods: return number(2, 12, true);
    case detail::ParamType::boolean: {
      auto b = yaml::as_bool(ctx, n);
      return b ? std::optional<std::string>(*b ? "true" : "false") : std::nullopt;
    }
    case detail::ParamType::regions: return list_of(kRegions);
  }
  return std::nullopt;
}

void parse_scope(FileContext& ctx, MapReader& r, Scope& scope) {
  auto s = r.get("scope", false);
  if (!s.IsDefined()) return;
  MapReader sr(ctx, s, "scope", {"domains", "processes", "kinds"});
  for (const auto& v : sr.id_list("domains", false, true)) scope.domains.push_back(v.value);
  for (const auto& v : sr.id_list("processes", false, true)) scope.processes.push_back(v.value);
  for (const auto& v : sr.id_list("kinds", false, true)) {
    if (v.value != "project" && v.value != "policy")
      ctx.error(v.loc, "invalid kind " + quote(v.value) + "; expected project or policy");
    scope.kinds.push_back(v.value);
  }
}

// A built-in kind and its parameters, each checked against the kind's table entry.
void parse_kind(FileContext& ctx, MapReader& r, Rule& rule) {
  auto kind = r.choice("kind", true, kind_names());
  if (!kind) return;
  rule.kind = *kind;
  const auto& spec = *detail::find_kind(*kind);
  auto p = r.get("params", false);
  if (!p.IsDefined()) return;
  if (!p.IsMap()) {
    ctx.error(p, "expected 'params' to be a mapping, found " + yaml::describe(p));
    return;
  }
  std::vector<std::string> pnames;
  for (const auto& x : spec.params) pnames.push_back(x.name);
  for (auto it = p.begin(); it != p.end(); ++it) {
    YAML::Node key = it->first, value = it->second;
    std::string name = key.Scalar();
    const auto* param = detail::find_param(spec, name);
    if (!param) {
      ctx.error(key, "unknown parameter " + quote(name) + " for kind " + *kind +
                         (pnames.empty() ? " (it takes none)" : model::did_you_mean(name, pnames)));
      continue;
    }
    if (auto v = param_value(ctx, value, *param)) rule.params[name] = *v;
  }
}

// A custom query: one read-only SELECT, compiled against the evaluation tables, returning the
// finding columns.
void parse_sql(FileContext& ctx, MapReader& r, Rule& rule, const store::Store& schema) {
  if (r.has("params")) ctx.error(r.get("params", false), "'params' goes with 'kind', not with 'sql'");
  auto sql_node = r.get("sql", true);
  auto sql = r.text("sql", true);
  if (!sql) return;
  try {
    auto columns = schema.check_query(*sql);
    if (columns != kFindingColumns) {
      std::string got;
      for (const auto& c : columns) got += (got.empty() ? "" : ", ") + c;
      ctx.error(sql_node, "rule SQL must return the columns subject, period, message, evidence "
                          "(in that order); it returns: " + got);
    }
  } catch (const store::QueryError& e) {
    ctx.error(sql_node, std::string("invalid rule SQL: ") + e.what());
  }
  rule.kind = "sql";
  rule.sql = *sql;
}

// Every '{' of a fix text opens a placeholder the rule's subjects can fill (rules::fix_for).
void check_fix(FileContext& ctx, const YAML::Node& node, const std::string& fix, detail::Subject s) {
  std::vector<std::string> allowed{"subject", "period"};
  if (s == detail::Subject::initiative || s == detail::Subject::initiative_measure)
    allowed.push_back("initiative");
  if (s == detail::Subject::initiative_measure) allowed.push_back("measure");
  if (s == detail::Subject::commitment) allowed.push_back("commitment");
  if (s == detail::Subject::activity) allowed.push_back("activity");
  std::string names;
  for (const auto& a : allowed) names += (names.empty() ? "{" : ", {") + a + "}";
  for (auto open = fix.find('{'); open != std::string::npos; open = fix.find('{', open + 1)) {
    auto close = fix.find('}', open);
    auto name = close == std::string::npos ? std::string() : fix.substr(open + 1, close - open - 1);
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    ctx.error(node, (close == std::string::npos ? std::string("unclosed '{' in the fix text")
                                                : "unknown placeholder " + quote("{" + name + "}") +
                                                      " in the fix text") +
                        "; this rule's findings fill " + names);
    return;
  }
}

void parse_rule(FileContext& ctx, const YAML::Node& n, std::vector<Rule>& out, store::Store& schema) {
  MapReader r(ctx, n, "rule", {"id", "title", "description", "severity", "scope", "fix", "kind",
                               "params", "sql"});
  if (!r.ok()) return;
  Rule rule;
  rule.loc = r.loc();
  auto id = r.id("id", true);
  auto title = r.text("title", true);
  rule.description = r.text("description", false).value_or("");
  auto severity = r.choice("severity", true, kSeverities);
  auto fix = r.text("fix", true);
  parse_scope(ctx, r, rule.scope);
  bool has_kind = r.has("kind"), has_sql = r.has("sql");
  if (has_kind == has_sql) {
    ctx.error(rule.loc, "a rule needs exactly one of 'kind' (a built-in kind) or 'sql' (a custom query)");
    return;
  }
  if (has_kind) parse_kind(ctx, r, rule);
  else parse_sql(ctx, r, rule, schema);
  if (rule.kind.empty() || !id || !title || !severity || !fix || (has_sql && rule.sql.empty())) return;
  rule.id = *id;
  rule.title = *title;
  rule.severity = *parse_severity(*severity);
  rule.fix = *fix;
  check_fix(ctx, r.get("fix", false), rule.fix,
            has_kind ? detail::find_kind(rule.kind)->subject : detail::Subject::any);
  out.push_back(std::move(rule));
}

void parse_waiver(FileContext& ctx, const YAML::Node& n, std::vector<Waiver>& out) {
  MapReader r(ctx, n, "waiver", {"fingerprint", "rule", "subject", "reason", "who", "expires"});
  if (!r.ok()) return;
  Waiver w;
  w.loc = r.loc();
  w.fingerprint = r.text("fingerprint", false).value_or("");
  if (!w.fingerprint.empty() &&
      (w.fingerprint.size() != 16 ||
       w.fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    ctx.error(r.get("fingerprint", false), "invalid fingerprint " + quote(w.fingerprint) +
                                               ": expected the 16 hex digits 'jvap check' prints");
    return;
  }
  w.rule = r.id("rule", false).value_or("");
  w.subject = r.text("subject", false).value_or("");
  auto reason = r.text("reason", true);
  auto who = r.text("who", true);
  auto expires = r.date("expires", true);
  if (w.fingerprint.empty() == (w.rule.empty() || w.subject.empty())) {
    ctx.error(w.loc, "a waiver names either a 'fingerprint' or a 'rule' and a 'subject'");
    return;
  }
  if (!reason || !who || !expires) return;
  w.reason = *reason;
  w.who = *who;
  w.expires = *expires;
  out.push_back(std::move(w));
}

// Parses one file's top-level mapping with the given section.
template <typename F>
void parse_file(const std::string& text, const std::string& label, const char* section,
                std::vector<model::Diagnostic>& errors, F each) {
  FileContext ctx(label, errors);
  auto doc = yaml::load_document(ctx, text);
  if (!doc) return;
  YAML::Node root = *doc;
  if (!root.IsDefined() || root.IsNull()) {
    errors.push_back({label, 0, 0, std::string("file is empty: expected a '") + section + "' list"});
    return;
  }
  MapReader r(ctx, root, std::string("a ") + section + " file", {section});
  if (!r.ok()) return;
  if (auto list = r.list(section, true))
    for (const auto& item : *list) each(ctx, item);
}

}  // namespace

LoadResult load(const fs::path& dir) {
  LoadResult result;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    result.errors.push_back({dir.generic_string(), 0, 0, "rules folder does not exist"});
    return result;
  }
  auto schema = store::Store::memory();
  evaluation::create_tables(*schema);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && (e.path().extension() == ".yaml" || e.path().extension() == ".yml") &&
        e.path().stem() != "waivers")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  RuleSet set;
  model::Sha256 hash;
  for (const auto& f : files) {
    std::string label = (dir / f.filename()).generic_string();
    auto text = read_file(f, label, result.errors);
    if (!text) continue;
    hash.update(f.filename().string());
    hash.update(std::string_view("\0", 1));
    hash.update(*text);
    parse_file(*text, label, "rules", result.errors,
               [&](FileContext& ctx, const YAML::Node& n) { parse_rule(ctx, n, set.rules, *schema); });
  }
  if (files.empty()) result.errors.push_back({dir.generic_string(), 0, 0, "no rule files (*.yaml)"});
  else if (set.rules.empty() && result.errors.empty())
    result.errors.push_back({dir.generic_string(), 0, 0, "the rule files define no rules"});
  std::map<std::string, model::SourceLoc> ids;
  for (const auto& r : set.rules) {
    auto [pos, fresh] = ids.emplace(r.id, r.loc);
    if (!fresh)
      result.errors.push_back({r.loc.file, r.loc.line, r.loc.col,
                               "duplicate rule id " + quote(r.id) + " (first defined at " +
                                   pos->second.file + ":" + std::to_string(pos->second.line) + ")"});
  }
  fs::path waivers = dir / "waivers.yaml";
  if (fs::exists(waivers, ec))
    if (auto text = read_file(waivers, waivers.generic_string(), result.errors))
      parse_file(*text, waivers.generic_string(), "waivers", result.errors,
                 [&](FileContext& ctx, const YAML::Node& n) { parse_waiver(ctx, n, set.waivers); });
  for (const auto& w : set.waivers)
    if (!w.rule.empty() && !ids.count(w.rule))
      result.errors.push_back({w.loc.file, w.loc.line, w.loc.col, "waiver for unknown rule " + quote(w.rule)});
  model::sort_unique(result.errors);
  if (!result.errors.empty()) return result;
  set.hash = hash.hex();
  result.rules = std::move(set);
  return result;
}

}  // namespace jvap::rules
