// The mapping file of an IATI import (docs/iati-import.md): IATI organisation identifiers to the
// plan's organisations, sectors and tags to domains and priorities, and per-activity ids and
// additions. Read strictly: unknown keys, ids the plan does not have, a priority outside its
// domains are located errors.
#include <algorithm>
#include <fstream>
#include <tuple>
#include <sstream>

#include "iati/iati.hpp"
#include "model/text.hpp"
#include "yaml/reader.hpp"

namespace jvap::iati {

using namespace jvap::yaml;
using model::quote;

namespace {

class MappingReader {
 public:
  MappingReader(FileContext& ctx, const model::Plan& plan) : ctx_(ctx), plan_(plan) {}

  Placement placement(MapReader& r) {
    Placement p;
    for (const auto& d : r.id_list("domains", false, false)) {
      if (!plan_.domain(d.value)) ctx_.error(d.loc, "unknown domain " + quote(d.value));
      else p.domains.push_back(d.value);
    }
    for (const auto& x : r.id_list("priorities", false, false)) {
      const model::Domain* in = nullptr;
      for (const auto& d : plan_.domains)
        for (const auto& pr : d.priorities)
          if (pr.id == x.value) in = &d;
      if (!in) ctx_.error(x.loc, "unknown priority " + quote(x.value));
      else if (std::find(p.domains.begin(), p.domains.end(), in->id) == p.domains.end())
        ctx_.error(x.loc, "priority " + quote(x.value) + " belongs to domain " + in->id + ", which is not among the domains given");
      else p.priorities.push_back(x.value);
    }
    return p;
  }

  std::string party(const YAML::Node& n) {
    auto v = as_id(ctx_, n);
    if (!v) return "";
    bool state = false;
    for (const auto& p : plan_.processes) state = state || p.member(*v);
    if (!plan_.organisation(*v) && !state) {
      ctx_.error(n, "unknown organisation " + quote(*v) + ": expected an organisation id of the plan or a member state");
      return "";
    }
    return *v;
  }

  void read(MapReader& top, Mapping& m) {
    if (auto orgs = top.get("organisations", false); orgs.IsDefined()) {
      if (!orgs.IsMap()) ctx_.error(orgs, "expected 'organisations' to map IATI organisation identifiers to plan ids");
      else
        for (auto it = orgs.begin(); it != orgs.end(); ++it)
          if (auto key = scalar(ctx_, it->first, "an IATI organisation identifier"))
            if (auto id = party(it->second); !id.empty()) m.organisations[*key] = id;
    }
    for (const char* section : {"sectors", "tags"}) {
      auto n = top.get(section, false);
      if (!n.IsDefined()) continue;
      if (!n.IsMap()) {
        ctx_.error(n, std::string("expected '") + section + "' to map codes to {domains, priorities}");
        continue;
      }
      for (auto it = n.begin(); it != n.end(); ++it) {
        auto key = scalar(ctx_, it->first, "a code");
        MapReader r(ctx_, it->second, section[0] == 's' ? "sector" : "tag", {"domains", "priorities"});
        if (!key || !r.ok()) continue;
        bool listed = r.has("domains");
        auto p = placement(r);
        if (!listed) ctx_.error(r.loc(), quote(*key) + " places nothing: give it 'domains'");
        (section[0] == 's' ? m.sectors : m.tags)[*key] = std::move(p);
      }
    }
    activities(top, m);
  }

  void activities(MapReader& top, Mapping& m) {
    auto n = top.get("activities", false);
    if (!n.IsDefined()) return;
    if (!n.IsMap()) {
      ctx_.error(n, "expected 'activities' to map iati-identifiers to {id, domains, priorities, implementers}");
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      auto key = scalar(ctx_, it->first, "an iati-identifier");
      MapReader r(ctx_, it->second, "activity", {"id", "domains", "priorities", "implementers"});
      if (!key || !r.ok()) continue;
      ActivityMapping a;
      a.id = r.id("id", false).value_or("");
      a.place = placement(r);
      if (auto list = r.list("implementers", false))
        for (const auto& x : *list)
          if (auto id = party(x); !id.empty()) a.implementers.push_back(id);
      m.activities[*key] = std::move(a);
    }
  }

 private:
  FileContext& ctx_;
  const model::Plan& plan_;
};

}  // namespace

std::optional<Mapping> load_mapping(const std::filesystem::path& file, const model::Plan& plan,
                                    std::vector<model::Diagnostic>& errors) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    errors.push_back({file.string(), 0, 0, "cannot read the mapping file"});
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::size_t before = errors.size();
  FileContext ctx(file.string(), errors);
  auto doc = load_document(ctx, ss.str());
  if (!doc) return std::nullopt;
  Mapping m;
  if (doc->IsNull()) return m;
  MapReader top(ctx, *doc, "a mapping file", {"organisations", "sectors", "tags", "activities"});
  if (!top.ok()) return std::nullopt;
  MappingReader(ctx, plan).read(top, m);
  if (errors.size() != before) {
    std::stable_sort(errors.begin() + static_cast<std::ptrdiff_t>(before), errors.end(), [](const auto& a, const auto& b) {
      return std::tie(a.line, a.col) < std::tie(b.line, b.col);
    });
    return std::nullopt;
  }
  return m;
}

}  // namespace jvap::iati
