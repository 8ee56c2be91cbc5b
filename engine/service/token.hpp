// Access tokens of the partner service: made from OpenSSL's random generator, stored as a hash,
// checked in constant time. A token reads "jvap_<key>_<secret>": the key (8 characters) names
// it in lists and logs and finds its row; the secret is 32 random bytes in base64url. Only the
// SHA-256 of the whole token is kept, so a copy of the database gives no one a working token.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "calendar/calendar.hpp"
#include "store/store.hpp"

namespace jvap::service {

// The roles, from the least to the most allowed: viewer (published reports), contributor
// (uploads, owed rows, template), focal-point (also its organisation's findings and history),
// secretariat (everything, and reviews).
enum class Role { viewer, contributor, focal_point, secretariat };
std::optional<Role> parse_role(const std::string& name);
std::string to_string(Role r);

struct NewToken {
  std::string token;  // shown once, never stored
  store::Token row;   // what is stored: key, hash, org, role, dates
};

// A new token for `org` with `role`; throws std::runtime_error when the random generator fails.
NewToken make_token(const std::string& org, Role role, const std::string& label, calendar::Date created_on,
                    std::optional<calendar::Date> expires_on);

// The key of a well-formed token ("jvap_" and 8 characters), nullopt for anything else.
std::optional<std::string> token_key(const std::string& token);

// Where text shaped like a token ("jvap_", its 8-character key, "_") starts in `s` at or after
// `from`, or npos: what is refused in URLs and redacted from messages and logs.
std::size_t find_token(std::string_view s, std::size_t from = 0);

// Whether `token` is the one `row` was made for, compared in constant time, and usable on `today`
// (neither revoked nor expired).
enum class TokenCheck { ok, wrong, revoked, expired };
TokenCheck check_token(const std::string& token, const store::Token& row, calendar::Date today);

}  // namespace jvap::service
