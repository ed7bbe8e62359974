// Session ids at rest (lucia_auth.session_id_storage = sha256): the session table holds a marked SHA-256
// digest of the token, and the token exists only in the client's cookie. No Postgres header may be
// included here.
#pragma once

#include <cstddef>
#include <string_view>

namespace lucia::core {

// "sha256$" and 64 lower-case hex digits. The '$' never occurs in an id Lucia generates (a-z0-9), and
// lucia_auth refuses any token that starts with the prefix, so a value read from the table is never
// accepted as a token.
inline constexpr std::string_view kStoredDigestPrefix = "sha256$";
inline constexpr std::size_t kStoredDigestLength = 7 + 64;

// The stored form of a token: the prefix and the SHA-256 digest of the token's bytes, in hex.
void StoredDigest(std::string_view token, char (&out)[kStoredDigestLength]) noexcept;

// True when value starts with the stored-digest prefix: such a value is never a token.
bool HasStoredDigestPrefix(std::string_view value) noexcept;

}  // namespace lucia::core
