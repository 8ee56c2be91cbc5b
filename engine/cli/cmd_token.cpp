// `jvap token create|list|revoke`: the partner service's access tokens.
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/command.hpp"
#include "service/token.hpp"

namespace jvap::cli {

namespace {

struct TokenArgs {
  std::string org, role, expires, label, key;
};

std::string state_of(const store::Token& t, calendar::Date today) {
  if (t.revoked_on) return "revoked";
  if (t.expires_on && *t.expires_on < today) return "expired";
  return "active";
}

Json to_json(const store::Token& t, calendar::Date today) {
  auto date = [](const std::optional<calendar::Date>& d) { return d ? Json(calendar::to_string(*d)) : Json(); };
  return {{"key", t.key}, {"org", t.org}, {"role", t.role}, {"label", t.label},
          {"created_on", calendar::to_string(t.created_on)}, {"expires_on", date(t.expires_on)},
          {"revoked_on", date(t.revoked_on)}, {"state", state_of(t, today)}};
}

int run_create(Context& ctx, const TokenArgs& a) {
  // Checked before the database is opened for writing: a refused token leaves nothing behind.
  // (Through the database's plan cache when there is one: a large plan loads in milliseconds.)
  std::error_code ec;
  const auto db = std::filesystem::exists(ctx.opts.db, ec) ? Needs::Db::read : Needs::Db::none;
  check_org(*open(ctx, {.db = db, .plan = true, .done = "made"}).plan, a.org);
  std::size_t bad = 0;
  if (!model::valid_utf8(a.label, bad) || model::find_control(a.label) != std::string::npos || a.label.size() > 200)
    throw UsageError("--label: UTF-8 text of at most 200 bytes without control characters");
  auto role = service::parse_role(a.role);
  std::optional<calendar::Date> expires;
  if (!a.expires.empty()) {
    expires = calendar::parse_date(a.expires);
    if (*expires < ctx.as_of)
      throw UsageError("--expires " + a.expires + " is before the as-of date " + calendar::to_string(ctx.as_of));
  }
  auto t = service::make_token(a.org, *role, a.label, ctx.as_of, expires);
  t.row.id = open(ctx, {.db = Needs::Db::write}).db->add_token(t.row);
  if (ctx.json()) {
    Json j = to_json(t.row, ctx.as_of);
    j["token"] = t.token;
    print_json(ctx, j);
    return kOk;
  }
  ctx.out << t.token << "\n";
  if (!ctx.opts.quiet)
    ctx.err << "jvap: token " << t.row.key << " for " << a.org << " as " << a.role
            << (expires ? ", until " + a.expires : std::string(", without an end date"))
            << ". It is shown this once (only its hash is kept): give it to its holder now; they send it as "
               "'Authorization: Bearer TOKEN'.\n";
  return kOk;
}

int run_list(Context& ctx) {
  auto s = open(ctx, {.db = Needs::Db::read});
  auto tokens = s.db->tokens();
  if (ctx.json()) {
    Json list = Json::array();
    for (const auto& t : tokens) list.push_back(to_json(t, ctx.as_of));
    print_json(ctx, {{"tokens", list}});
    return kOk;
  }
  if (tokens.empty()) {
    ctx.out << "No token yet; 'jvap token create --org ORG --role ROLE' makes one\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows{{"key", "org", "role", "state", "created", "expires", "label"}};
  for (const auto& t : tokens)
    rows.push_back({t.key, t.org, t.role, state_of(t, ctx.as_of), calendar::to_string(t.created_on),
                    t.expires_on ? calendar::to_string(*t.expires_on) : "-", model::printable(t.label)});
  print_table(ctx.out, rows, {false, false, false, false, false, false, false});
  return kOk;
}

int run_revoke(Context& ctx, const TokenArgs& a) {
  const std::string key = service::token_key(a.key).value_or(a.key);  // the whole token names its key too
  auto t = open(ctx, {.db = Needs::Db::read}).db->token(key);
  if (!t || t->revoked_on || !open(ctx, {.db = Needs::Db::write}).db->revoke_token(key, ctx.as_of)) {
    throw UsageError("token revoke: " + (t && t->revoked_on ? "token " + key + " was revoked already, on " + calendar::to_string(*t->revoked_on)
                                           : "there is no token " + model::quote(key) + " (see jvap token list)"));
  }
  if (ctx.json()) print_json(ctx, {{"revoked", key}, {"on", calendar::to_string(ctx.as_of)}});
  else if (!ctx.opts.quiet) ctx.out << "revoked token " << key << " on " << calendar::to_string(ctx.as_of) << "\n";
  return kOk;
}

}  // namespace

CommandSpec token_create_command() {
  return {"token create", "Make an access token for the partner service (printed once; only its hash is stored)",
          {"text", "json"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<TokenArgs>();
            app.add_option("--org", a->org, "The organisation (or member state) it acts for")->required()->type_name("ORG");
            app.add_option("--role", a->role, "What it may do")
                ->required()
                ->check(CLI::IsMember({"focal-point", "contributor", "secretariat", "viewer"}));
            add_date_option(app, "--expires", a->expires, "Last day it works (default: until revoked)");
            app.add_option("--label", a->label, "Whose it is, for the list (a name, an e-mail)")->type_name("TEXT");
            return [a](Context& c) { return run_create(c, *a); };
          },
          "Roles: viewer reads the published reports; contributor also uploads for its organisation's "
          "initiatives and sees what it owes; focal-point also sees its organisation's findings, "
          "completeness and history; secretariat sees everything and reviews submissions.\n"};
}

CommandSpec token_list_command() {
  return {"token list", "List the tokens: key, organisation, role, state, dates (never the token itself)",
          {"text", "json"}, [](CLI::App&) -> Runner { return run_list; }, ""};
}

CommandSpec token_revoke_command() {
  return {"token revoke", "Revoke a token by its key (jvap_ and 8 characters); it stops working at once",
          {"text", "json"},
          [](CLI::App& app) -> Runner {
            auto a = std::make_shared<TokenArgs>();
            app.add_option("key", a->key, "The token's key, as jvap token list shows it")->required()->type_name("KEY");
            return [a](Context& c) { return run_revoke(c, *a); };
          },
          ""};
}

}  // namespace jvap::cli
