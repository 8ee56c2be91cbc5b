// The partner service's tokens: their form, their check, and the rate limiter.
#include <catch2/catch.hpp>

#include <set>

#include "model/sha256.hpp"
#include "service/impl.hpp"
#include "service/token.hpp"

using namespace jvap;
using service::TokenCheck;

namespace {
calendar::Date day(const char* s) { return *calendar::parse_date(s); }
}  // namespace

TEST_CASE("a new token has its prefix, its key and 32 random bytes; only its hash is kept", "[service]") {
  auto t = service::make_token("IOM", service::Role::focal_point, "A. Focal", day("2026-01-10"), day("2026-12-31"));
  REQUIRE(t.token.size() == 5 + 8 + 1 + 43);  // 32 bytes in base64url without padding
  CHECK(t.token.rfind("jvap_", 0) == 0);
  CHECK(t.row.key == t.token.substr(0, 13));
  CHECK(service::token_key(t.token) == t.row.key);
  CHECK(t.row.hash == model::sha256_hex(t.token));
  CHECK(t.row.hash.find(t.token.substr(14)) == std::string::npos);
  CHECK(t.row.role == "focal-point");
  CHECK(t.row.org == "IOM");
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) seen.insert(service::make_token("IOM", service::Role::viewer, "", day("2026-01-10"), {}).token);
  CHECK(seen.size() == 200);
}

TEST_CASE("a token is checked whole, and refused once revoked or expired", "[service]") {
  auto t = service::make_token("UNHCR", service::Role::contributor, "", day("2026-01-10"), day("2026-06-30"));
  CHECK(service::check_token(t.token, t.row, day("2026-06-30")) == TokenCheck::ok);
  CHECK(service::check_token(t.token, t.row, day("2026-07-01")) == TokenCheck::expired);
  std::string other = t.token;
  other.back() = other.back() == 'A' ? 'B' : 'A';  // the same key, another secret
  CHECK(service::check_token(other, t.row, day("2026-02-01")) == TokenCheck::wrong);
  auto revoked = t.row;
  revoked.revoked_on = day("2026-03-01");
  CHECK(service::check_token(t.token, revoked, day("2026-02-01")) == TokenCheck::revoked);
}

TEST_CASE("only a well-formed token has a key", "[service]") {
  auto t = service::make_token("IOM", service::Role::viewer, "", day("2026-01-10"), {});
  CHECK_FALSE(service::token_key(""));
  CHECK_FALSE(service::token_key("Bearer " + t.token));
  CHECK_FALSE(service::token_key(t.token + "x"));
  CHECK_FALSE(service::token_key(t.token.substr(0, t.token.size() - 1)));
  std::string bad = t.token;
  bad[20] = '%';
  CHECK_FALSE(service::token_key(bad));
  bad = t.token;
  bad[6] = 'O';  // not in the key alphabet (no O, 0, l, 1)
  CHECK_FALSE(service::token_key(bad));
}

TEST_CASE("roles have their names and their order", "[service]") {
  for (auto r : {service::Role::viewer, service::Role::contributor, service::Role::focal_point, service::Role::secretariat})
    CHECK(service::parse_role(service::to_string(r)) == r);
  CHECK_FALSE(service::parse_role("admin"));
  CHECK_FALSE(service::parse_role("Secretariat"));
  CHECK(service::Role::viewer < service::Role::contributor);
  CHECK(service::Role::focal_point < service::Role::secretariat);
}

TEST_CASE("the rate limiter allows a number of events a minute per key", "[service]") {
  service::RateLimiter limit;
  for (int i = 0; i < 3; ++i) CHECK(limit.allow("a", 3));
  CHECK_FALSE(limit.allow("a", 3));
  CHECK(limit.allow("b", 3));  // another key has its own count
  CHECK_FALSE(limit.reached("c", 2));
  limit.record("c");
  limit.record("c");
  CHECK(limit.reached("c", 2));
  CHECK_FALSE(limit.reached("c", 3));
}
