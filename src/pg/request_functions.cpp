// read_session_cookie, read_bearer_token, create_session_cookie.
#include "pg/boundary.hpp"

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
}

#include <optional>
#include <string>

#include "core/cookie.hpp"

namespace {

using lucia::core::ErrorCode;
using lucia::pg::PendingError;

// Header text as UTF-8, which is what the core reads and writes. May raise: call before any C++ object
// is alive.
std::string_view Utf8View(const text* t) {
  const char* data = VARDATA_ANY(t);
  int length = static_cast<int>(VARSIZE_ANY_EXHDR(t));
  if (GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII) {
    return std::string_view(data, static_cast<std::size_t>(length));
  }
  char* converted = pg_server_to_any(data, length, PG_UTF8);
  return std::string_view(converted,
                          converted == data ? static_cast<std::size_t>(length) : strlen(converted));
}

// A UTF-8 result in the database encoding. May raise.
text* FromUtf8(const char* data, std::size_t length) {
  if (GetDatabaseEncoding() == PG_UTF8 || GetDatabaseEncoding() == PG_SQL_ASCII) {
    return cstring_to_text_with_len(data, static_cast<int>(length));
  }
  char* converted = pg_any_to_server(data, static_cast<int>(length), PG_UTF8);
  return cstring_to_text(converted);
}

void RequireNotNull(FunctionCallInfo fcinfo, int arg, const char* name) {
  if (PG_ARGISNULL(arg)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s must not be NULL", name)));
  }
}

}  // namespace

LUCIA_FUNCTION(lucia_read_session_cookie) {
  RequireNotNull(fcinfo, 1, "cookie_name");
  // Lucia: no header, or an empty one, means no session cookie.
  if (PG_ARGISNULL(0) || VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(0)) == 0) PG_RETURN_NULL();
  std::string_view header = Utf8View(PG_GETARG_TEXT_PP(0));
  std::string_view name = Utf8View(PG_GETARG_TEXT_PP(1));
  // The value is copied into palloc'd memory while no Postgres error can be raised.
  char* value = nullptr;
  std::size_t length = 0;
  PendingError err;
  if (!lucia::pg::RunCore(&err, [&] {
        std::optional<std::string> cookie = lucia::core::ReadCookie(header, name);
        if (!cookie) return;
        length = cookie->size();
        value = static_cast<char*>(lucia::pg::AllocNoThrow(length + 1));
        memcpy(value, cookie->data(), length);
      })) {
    lucia::pg::RaisePending(&err);
  }
  if (value == nullptr) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(FromUtf8(value, length));
}

LUCIA_FUNCTION(lucia_read_bearer_token) {
  if (PG_ARGISNULL(0)) PG_RETURN_NULL();
  text* header = PG_GETARG_TEXT_PP(0);
  std::optional<std::string_view> token = lucia::core::ReadBearerToken(lucia::pg::TextView(header));
  if (!token) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(cstring_to_text_with_len(token->data(), static_cast<int>(token->size())));
}

LUCIA_FUNCTION(lucia_create_session_cookie) {
  RequireNotNull(fcinfo, 2, "secure");
  RequireNotNull(fcinfo, 3, "cookie_name");
  bool has_session = !PG_ARGISNULL(0);
  if (has_session) RequireNotNull(fcinfo, 1, "idle_expires");
  std::string_view session_id = has_session ? Utf8View(PG_GETARG_TEXT_PP(0)) : std::string_view();
  std::int64_t idle_expires = has_session ? PG_GETARG_INT64(1) : 0;
  bool secure = PG_GETARG_BOOL(2);
  std::string_view name = Utf8View(PG_GETARG_TEXT_PP(3));
  text* cookie = nullptr;
  PendingError err;
  if (!lucia::pg::RunCore(&err, [&] {
        std::string serialized = lucia::core::SerializeSessionCookie(
            name, has_session ? std::optional<std::string_view>(session_id) : std::nullopt, idle_expires,
            secure);
        cookie = lucia::pg::TextNoThrow(serialized);
      })) {
    lucia::pg::RaisePending(&err);
  }
  // The cookie is ASCII apart from the name, which came from the database encoding.
  if (GetDatabaseEncoding() != PG_UTF8 && GetDatabaseEncoding() != PG_SQL_ASCII) {
    PG_RETURN_TEXT_P(FromUtf8(VARDATA(cookie), VARSIZE(cookie) - VARHDRSZ));
  }
  PG_RETURN_TEXT_P(cookie);
}
