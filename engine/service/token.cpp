#include "service/token.hpp"

#include <array>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "model/sha256.hpp"

namespace jvap::service {

namespace {

constexpr std::string_view kPrefix = "jvap_";
constexpr std::size_t kKeyChars = 8;
constexpr std::size_t kSecretBytes = 32;
constexpr std::string_view kKeyAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";  // no 0/o, 1/l
constexpr std::string_view kBase64Url = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

template <std::size_t N>
std::array<unsigned char, N> random_bytes() {
  std::array<unsigned char, N> b{};
  if (RAND_bytes(b.data(), static_cast<int>(N)) != 1)
    throw std::runtime_error("the random number generator failed; no token was made");
  return b;
}

std::string base64url(const unsigned char* p, std::size_t n) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    acc = (acc << 8) | p[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64Url[(acc >> bits) & 63];
    }
  }
  if (bits > 0) out += kBase64Url[(acc << (6 - bits)) & 63];
  return out;
}

}  // namespace

std::optional<Role> parse_role(const std::string& name) {
  if (name == "viewer") return Role::viewer;
  if (name == "contributor") return Role::contributor;
  if (name == "focal-point") return Role::focal_point;
  if (name == "secretariat") return Role::secretariat;
  return std::nullopt;
}

std::string to_string(Role r) {
  switch (r) {
    case Role::viewer: return "viewer";
    case Role::contributor: return "contributor";
    case Role::focal_point: return "focal-point";
    case Role::secretariat: return "secretariat";
  }
  return "viewer";
}

NewToken make_token(const std::string& org, Role role, const std::string& label, calendar::Date created_on,
                    std::optional<calendar::Date> expires_on) {
  auto key_bytes = random_bytes<kKeyChars>();
  std::string key(kPrefix);
  for (auto b : key_bytes) key += kKeyAlphabet[b % kKeyAlphabet.size()];  // 256 % 32 == 0: no bias
  auto secret = random_bytes<kSecretBytes>();
  NewToken t;
  t.token = key + "_" + base64url(secret.data(), secret.size());
  OPENSSL_cleanse(secret.data(), secret.size());
  t.row.key = key;
  t.row.hash = model::sha256_hex(t.token);
  t.row.org = org;
  t.row.role = to_string(role);
  t.row.label = label;
  t.row.created_on = created_on;
  t.row.expires_on = expires_on;
  return t;
}

std::optional<std::string> token_key(const std::string& token) {
  const std::size_t key_len = kPrefix.size() + kKeyChars;
  if (token.size() != key_len + 1 + 43 || token.compare(0, kPrefix.size(), kPrefix) != 0 || token[key_len] != '_')
    return std::nullopt;
  for (std::size_t i = kPrefix.size(); i < key_len; ++i)
    if (kKeyAlphabet.find(token[i]) == std::string_view::npos) return std::nullopt;
  for (std::size_t i = key_len + 1; i < token.size(); ++i)
    if (kBase64Url.find(token[i]) == std::string_view::npos) return std::nullopt;
  return token.substr(0, key_len);
}

std::size_t find_token(std::string_view s, std::size_t from) {
  const std::size_t key_len = kPrefix.size() + kKeyChars;
  for (auto at = s.find(kPrefix, from); at != std::string_view::npos; at = s.find(kPrefix, at + 1))
    if (at + key_len < s.size() && s[at + key_len] == '_') return at;
  return std::string_view::npos;
}

TokenCheck check_token(const std::string& token, const store::Token& row, calendar::Date today) {
  const std::string hash = model::sha256_hex(token);
  if (hash.size() != row.hash.size() || CRYPTO_memcmp(hash.data(), row.hash.data(), hash.size()) != 0)
    return TokenCheck::wrong;
  if (row.revoked_on) return TokenCheck::revoked;
  if (row.expires_on && *row.expires_on < today) return TokenCheck::expired;
  return TokenCheck::ok;
}

}  // namespace jvap::service
