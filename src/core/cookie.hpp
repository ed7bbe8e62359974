// Reading and writing the session cookie and the Authorization header, byte for byte as Lucia v2 does.
// No Postgres header may be included here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lucia::core {

inline constexpr std::string_view kDefaultSessionCookieName = "auth_session";

// The value of cookie `name` in a Cookie header, parsed as Lucia's parseCookie does (the first
// occurrence wins, white space is trimmed, one pair of quotes is removed, %-escapes are decoded when they
// form valid UTF-8 and the value is kept as written otherwise). nullopt when the header has no such
// cookie, or when the decoded value contains a NUL character.
std::optional<std::string> ReadCookie(std::string_view header, std::string_view name);

// Lucia's readBearerToken: the text between the first and the second space of "Bearer <token>", or
// nullopt when the scheme is not exactly "Bearer" or there is no space.
std::optional<std::string_view> ReadBearerToken(std::string_view header) noexcept;

// Lucia's createSessionCookie(...).serialize():
//   <name>=<encodeURIComponent(id)>; Path=/; Expires=<HTTP date>; HttpOnly[; Secure]; SameSite=Lax
// With no session, the value is empty and the cookie expires at the epoch. Throws AuthError
// (kValueOutOfRange) for an expiry outside JavaScript's Date range.
std::string SerializeSessionCookie(std::string_view name, std::optional<std::string_view> session_id,
                                   std::int64_t idle_expires_ms, bool secure);

// JavaScript's Date.prototype.toUTCString, e.g. "Thu, 01 Jan 1970 00:00:00 GMT".
std::string HttpDate(std::int64_t ms);

// JavaScript's encodeURIComponent of UTF-8 text.
std::string EncodeUriComponent(std::string_view text);

// JavaScript's decodeURIComponent; nullopt where it would throw URIError.
std::optional<std::string> DecodeUriComponent(std::string_view text);

// JavaScript's String.prototype.trim over UTF-8 text.
std::string_view TrimJsWhitespace(std::string_view text) noexcept;

}  // namespace lucia::core
