// read_session_cookie, read_bearer_token, create_session_cookie.
#include "pg/boundary.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
}

#include <cstring>
#include <optional>
#include <string>

#include "core/cookie.hpp"

namespace lucia::pg {

namespace {

using core::ErrorCode;

// The core reads and writes UTF-8; headers and results are in the database encoding. Conversions use
// PostgreSQL's no-error API, so that a character without an equivalent never becomes an error that
// shows its bytes.
//
// In a database encoding other than UTF-8, a character with no UTF-8 equivalent (EUC_JP and WIN1252
// have some; every character of LATIN1 has one) stands in the converted text as the byte 0xFF, which
// UTF-8 never holds: as one character, it matches no cookie name and is no white space, and a cookie
// value holding it is not returned. SQL_ASCII text is read as UTF-8, as it is.
constexpr char kUnconvertible = '\xff';

bool IsAscii(const char* data, std::size_t length) noexcept {
  for (std::size_t i = 0; i < length; ++i) {
    if (static_cast<unsigned char>(data[i]) >= 0x80) return false;
  }
  return true;
}

bool PassesAsUtf8(const char* data, std::size_t length) noexcept {
  int encoding = GetDatabaseEncoding();
  return encoding == PG_UTF8 || encoding == PG_SQL_ASCII || IsAscii(data, length);
}

// Text of the database encoding as UTF-8, with kUnconvertible for each character that has no UTF-8
// equivalent; *lossy tells whether there was one. May raise only on a broken catalog: call before any
// C++ object is alive.
std::string_view Utf8View(const text* t, bool* lossy) {
  const char* data = VARDATA_ANY(t);
  std::size_t length = VARSIZE_ANY_EXHDR(t);
  *lossy = false;
  if (PassesAsUtf8(data, length)) return std::string_view(data, length);
  int encoding = GetDatabaseEncoding();
  // Each input byte becomes at most MAX_CONVERSION_GROWTH bytes of output, or one kUnconvertible.
  std::size_t capacity = length * MAX_CONVERSION_GROWTH + 1;
  auto* out = static_cast<unsigned char*>(palloc(capacity));
  auto* in = reinterpret_cast<unsigned char*>(const_cast<char*>(data));
  std::size_t in_pos = 0;
  std::size_t out_pos = 0;
  Oid proc = FindDefaultConversionProc(encoding, PG_UTF8);
  while (in_pos < length) {
    int converted = 0;
    if (OidIsValid(proc)) {
      converted = pg_do_encoding_conversion_buf(proc, encoding, PG_UTF8, in + in_pos,
                                                static_cast<int>(length - in_pos), out + out_pos,
                                                static_cast<int>(capacity - out_pos), true);
      out_pos += strlen(reinterpret_cast<char*>(out + out_pos));
      in_pos += static_cast<std::size_t>(converted);
    }
    if (converted == 0 && in_pos < length) {
      if (in[in_pos] < 0x80) {
        out[out_pos++] = in[in_pos++];  // ASCII, where no conversion exists (MULE_INTERNAL)
        continue;
      }
      // The conversion stopped at this character: it has no UTF-8 equivalent.
      out[out_pos++] = static_cast<unsigned char>(kUnconvertible);
      in_pos += static_cast<std::size_t>(pg_encoding_mblen(encoding, data + in_pos));
      *lossy = true;
    }
  }
  return std::string_view(reinterpret_cast<char*>(out), out_pos);
}

// UTF-8 text as text of the database encoding; nullptr when a character has no equivalent there. May
// raise only on a broken catalog.
text* FromUtf8(const char* data, std::size_t length) {
  if (PassesAsUtf8(data, length)) return cstring_to_text_with_len(data, static_cast<int>(length));
  int encoding = GetDatabaseEncoding();
  Oid proc = FindDefaultConversionProc(PG_UTF8, encoding);
  if (!OidIsValid(proc)) return nullptr;
  std::size_t capacity = length * MAX_CONVERSION_GROWTH + 1;
  auto* out = static_cast<unsigned char*>(palloc(capacity));
  int converted = pg_do_encoding_conversion_buf(
      proc, PG_UTF8, encoding, reinterpret_cast<unsigned char*>(const_cast<char*>(data)),
      static_cast<int>(length), out, static_cast<int>(capacity), true);
  if (static_cast<std::size_t>(converted) != length) return nullptr;
  return cstring_to_text(reinterpret_cast<char*>(out));
}

void RequireNotNull(FunctionCallInfo fcinfo, int arg, const char* name) {
  if (PG_ARGISNULL(arg)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s must not be NULL", name)));
  }
}

}  // namespace

// SQL: read_session_cookie(cookie_header text, cookie_name text) returns text
LUCIA_FUNCTION(lucia_read_session_cookie) {
  RequireNotNull(fcinfo, 1, "cookie_name");
  // Lucia: no header, or an empty one, means no session cookie.
  if (PG_ARGISNULL(0) || VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(0)) == 0) PG_RETURN_NULL();
  bool header_lossy;
  bool name_lossy;
  std::string_view header = Utf8View(PG_GETARG_TEXT_PP(0), &header_lossy);
  std::string_view name = Utf8View(PG_GETARG_TEXT_PP(1), &name_lossy);
  // A name with a character that has no UTF-8 equivalent names no cookie Lucia could read.
  if (name_lossy) PG_RETURN_NULL();
  // The value is copied into palloc'd memory while no Postgres error can be raised.
  char* value = nullptr;
  std::size_t length = 0;
  CallCore([&] {
    std::optional<std::string> cookie = core::ReadCookie(header, name);
    if (!cookie) return;
    if (header_lossy && cookie->find(kUnconvertible) != std::string::npos) return;
    length = cookie->size();
    value = static_cast<char*>(AllocNoThrow(length + 1));
    memcpy(value, cookie->data(), length);
  });
  if (value == nullptr) PG_RETURN_NULL();
  // A value with a character the database encoding lacks (a %-escape of one) is no session id here.
  text* result = FromUtf8(value, length);
  if (result == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(result);
}

// SQL: read_bearer_token(authorization_header text) returns text
LUCIA_FUNCTION(lucia_read_bearer_token) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  // No conversion: the token is cut at ASCII spaces, which are single bytes in every server encoding,
  // so it is returned as it is in the header.
  text* header = PG_GETARG_TEXT_PP(0);
  std::optional<std::string_view> token = core::ReadBearerToken(TextView(header));
  if (!token) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(cstring_to_text_with_len(token->data(), static_cast<int>(token->size())));
}

// SQL: create_session_cookie(session_id text, idle_expires bigint, secure boolean, cookie_name text)
//      returns text
LUCIA_FUNCTION(lucia_create_session_cookie) {
  RequireNotNull(fcinfo, 2, "secure");
  RequireNotNull(fcinfo, 3, "cookie_name");
  bool has_session = !PG_ARGISNULL(0);
  if (has_session) RequireNotNull(fcinfo, 1, "idle_expires");
  std::string_view session_id;
  if (has_session) {
    bool lossy;
    session_id = Utf8View(PG_GETARG_TEXT_PP(0), &lossy);
    // Lucia percent-encodes the id's UTF-8 bytes; a character without them cannot be written.
    if (lossy) {
      ereport(ERROR, (errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
                      errmsg("session id has a character that has no equivalent in UTF-8")));
    }
  }
  std::int64_t idle_expires = has_session ? PG_GETARG_INT64(1) : 0;
  bool secure = PG_GETARG_BOOL(2);
  // The name is written as it is, so the cookie (the name, then ASCII) is text of the database encoding.
  std::string_view name = TextView(PG_GETARG_TEXT_PP(3));
  text* cookie = nullptr;
  CallCore([&] {
    std::string serialized = core::SerializeSessionCookie(
        name, has_session ? std::optional<std::string_view>(session_id) : std::nullopt, idle_expires, secure);
    cookie = TextNoThrow(serialized);
  });
  PG_RETURN_TEXT_P(cookie);
}

}  // namespace lucia::pg
