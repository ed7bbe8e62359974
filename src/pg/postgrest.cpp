// postgrest_pre_request: PostgREST's db-pre-request, signing in the request's session.
//
// PostgREST runs each request in one transaction: it sets the request's cookies and headers as JSON
// objects in the transaction-scoped settings request.cookies and request.headers (header names lower
// case), calls the pre-request function, runs the request's query, and adds to the response the headers
// that the settings response.headers (a JSON array of single-key objects) holds by then. GET and HEAD
// run in a READ ONLY transaction. https://docs.postgrest.org/en/v12/references/transactions.html
#include "pg/boundary.hpp"

extern "C" {
#include "common/jsonapi.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
}

#include <cstring>
#include <optional>
#include <string_view>

#include "core/cookie.hpp"
#include "pg/identity.hpp"
#include "pg/session_reader.hpp"
#include "pg/settings.hpp"

extern "C" {
Datum lucia_read_session_cookie(PG_FUNCTION_ARGS);
Datum lucia_create_session_cookie(PG_FUNCTION_ARGS);
}

namespace lucia::pg {

namespace {

// What the parse of one of PostgREST's JSON settings looks for: the first top-level field named key (a
// string value), or, for an array, how many elements it has.
struct JsonSearch {
  const char* key;
  int depth;
  bool top_is_object;
  bool top_is_array;
  int top_elements;
  bool in_field;  // inside the value of the first field named key
  bool found;
  char* value;  // that field's value when it is a string
};

JsonSearch* Search(void* state) { return static_cast<JsonSearch*>(state); }

void ObjectStart(void* state) {
  if (Search(state)->depth++ == 0) Search(state)->top_is_object = true;
}
void ArrayStart(void* state) {
  if (Search(state)->depth++ == 0) Search(state)->top_is_array = true;
}
void StructEnd(void* state) { --Search(state)->depth; }
void ElementStart(void* state, bool) {
  if (Search(state)->depth == 1) ++Search(state)->top_elements;
}
void FieldStart(void* state, char* name, bool) {
  JsonSearch* search = Search(state);
  if (search->depth == 1 && !search->found && search->key != nullptr && std::strcmp(name, search->key) == 0) {
    search->found = true;
    search->in_field = true;
  }
}
void FieldEnd(void* state, char*, bool) {
  if (Search(state)->depth == 1) Search(state)->in_field = false;
}
void Scalar(void* state, char* token, JsonTokenType type) {
  JsonSearch* search = Search(state);
  if (search->in_field && search->depth == 1 && type == JSON_TOKEN_STRING) search->value = token;
}

enum class JsonRead { kParsed, kInvalid, kUnconvertible };

// Parses json into search. PostgreSQL's parser raises an error, rather than returning one, only for a
// \u escape of a character that the database encoding cannot hold; that error is caught here and
// dropped (its message would show the character, which may belong to a cookie), as nothing but
// character conversion can have failed in between.
JsonRead ParseJson(const char* json, JsonSearch* search) {
  JsonSemAction actions{};
  actions.semstate = search;
  actions.object_start = ObjectStart;
  actions.object_end = StructEnd;
  actions.array_start = ArrayStart;
  actions.array_end = StructEnd;
  actions.array_element_start = ElementStart;
  actions.object_field_start = FieldStart;
  actions.object_field_end = FieldEnd;
  actions.scalar = Scalar;
  MemoryContext context = CurrentMemoryContext;
  JsonRead read = JsonRead::kInvalid;
  PG_TRY();
  {
    JsonLexContext* lex = makeJsonLexContextCstringLen(
        const_cast<char*>(json), static_cast<int>(std::strlen(json)), GetDatabaseEncoding(), true);
    read = pg_parse_json(lex, &actions) == JSON_SUCCESS ? JsonRead::kParsed : JsonRead::kInvalid;
  }
  PG_CATCH();
  {
    MemoryContextSwitchTo(context);
    ErrorData* error = CopyErrorData();
    switch (error->sqlerrcode) {
      case ERRCODE_UNTRANSLATABLE_CHARACTER:
      case ERRCODE_CHARACTER_NOT_IN_REPERTOIRE:
      case ERRCODE_FEATURE_NOT_SUPPORTED:
      case ERRCODE_SYNTAX_ERROR:
        FlushErrorState();
        read = JsonRead::kUnconvertible;
        break;
      default:
        PG_RE_THROW();
    }
  }
  PG_END_TRY();
  return read;
}

// The string value of field key of the JSON object in setting name (request.cookies, request.headers),
// or nullptr: when the setting is missing or empty, the object has no such string field, or the object
// holds a character the database encoding cannot hold. Raises when the setting is not a JSON object.
char* RequestField(const char* setting, const char* key) {
  const char* json = GetConfigOption(setting, true, false);
  if (json == nullptr || json[0] == '\0') return nullptr;
  JsonSearch search{};
  search.key = key;
  JsonRead read = ParseJson(json, &search);
  if (read == JsonRead::kUnconvertible) return nullptr;
  if (read == JsonRead::kInvalid || !search.top_is_object) {
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("setting \"%s\" is not a JSON object", setting),
             errhint("PostgREST sets it to a JSON object of the request's cookies (request.cookies) or "
                     "headers (request.headers).")));
  }
  return search.value;
}

// Calls one of lucia_auth's own SQL-callable functions; *isnull tells whether it returned NULL.
Datum CallDirect(PGFunction function, int count, const Datum* args, bool* isnull) {
  LOCAL_FCINFO(fcinfo, 4);
  InitFunctionCallInfoData(*fcinfo, nullptr, count, InvalidOid, nullptr, nullptr);
  for (int i = 0; i < count; ++i) {
    fcinfo->args[i].value = args[i];
    fcinfo->args[i].isnull = false;
  }
  Datum result = function(fcinfo);
  *isnull = fcinfo->isnull;
  return result;
}

// The request's session token: the session cookie (lucia_auth.cookie_name) in request.cookies, read as
// Lucia's readSessionCookie reads it from the Cookie header, when it has a value; else the bearer token
// of the Authorization header in request.headers, as Lucia's readBearerToken reads it; else nullptr.
text* RequestToken(const char* cookie_name) {
  char* cookie = RequestField("request.cookies", cookie_name);
  if (cookie != nullptr) {
    // PostgREST keeps each cookie's value as the header has it: the header "<name>=<value>" is what
    // Lucia would read it from.
    Datum args[2] = {CStringGetTextDatum(psprintf("%s=%s", cookie_name, cookie)),
                     CStringGetTextDatum(cookie_name)};
    bool isnull;
    Datum token = CallDirect(lucia_read_session_cookie, 2, args, &isnull);
    if (!isnull && VARSIZE_ANY_EXHDR(DatumGetTextPP(token)) > 0) return DatumGetTextPP(token);
  }
  char* authorization = RequestField("request.headers", "authorization");
  if (authorization == nullptr) return nullptr;
  std::optional<std::string_view> bearer = core::ReadBearerToken(authorization);
  if (!bearer || bearer->empty()) return nullptr;
  return cstring_to_text_with_len(bearer->data(), static_cast<int>(bearer->size()));
}

// Appends {"<name>": "<value>"} to the JSON array in response.headers (an empty array when it is missing
// or empty), as SET LOCAL would set it; the headers set before stay.
void AppendResponseHeader(const char* name, const char* value) {
  constexpr char kSetting[] = "response.headers";
  const char* existing = GetConfigOption(kSetting, true, false);
  StringInfoData headers;
  initStringInfo(&headers);
  if (existing == nullptr || existing[0] == '\0') {
    appendStringInfoChar(&headers, '[');
  } else {
    JsonSearch search{};
    if (ParseJson(existing, &search) != JsonRead::kParsed || !search.top_is_array) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("setting \"%s\" is not a JSON array", kSetting),
                      errhint("PostgREST reads response.headers as a JSON array of single-key objects.")));
    }
    // Everything up to the array's closing bracket, which is its last character but white space.
    std::size_t end = std::strlen(existing);
    while (end > 0 && existing[end - 1] != ']') --end;
    appendBinaryStringInfo(&headers, existing, static_cast<int>(end) - 1);
    if (search.top_elements > 0) appendStringInfoString(&headers, ", ");
  }
  appendStringInfoChar(&headers, '{');
  escape_json(&headers, name);
  appendStringInfoString(&headers, ": ");
  escape_json(&headers, value);
  appendStringInfoString(&headers, "}]");
  (void)set_config_option(kSetting, headers.data, PGC_USERSET, PGC_S_SESSION, GUC_ACTION_LOCAL, true, ERROR,
                          false);
}

// The Set-Cookie value of a renewed session: create_session_cookie(token, idle_expires, true, name).
char* SessionCookie(text* token, std::int64_t idle_expires, const char* cookie_name) {
  Datum args[4] = {PointerGetDatum(token), Int64GetDatum(idle_expires), BoolGetDatum(true),
                   CStringGetTextDatum(cookie_name)};
  bool isnull;
  Datum cookie = CallDirect(lucia_create_session_cookie, 4, args, &isnull);
  return TextDatumGetCString(cookie);
}

}  // namespace

// SQL: postgrest_pre_request() returns void
//
// The request's session (cookie, else bearer token) authenticated as authenticate() does; the
// transaction has no identity when there is no session or it is not valid, and that is no error. A
// session renewed by this call (an idle one, in a read-write transaction) adds its new cookie to
// response.headers; in a read-only transaction an idle session is accepted as it is, without a write.
LUCIA_FUNCTION(lucia_postgrest_pre_request) {
  const char* cookie_name = CookieNameSetting();
  text* token = RequestToken(cookie_name);
  ValidSession session;
  if (token == nullptr || !FindValidSession(token, SessionRead::kValidate, &session)) {
    ClearIdentity();
    PG_RETURN_VOID();
  }
  SetIdentity(session.columns.user_id);
  if (session.fresh)
    AppendResponseHeader("Set-Cookie", SessionCookie(token, session.columns.idle_expires, cookie_name));
  PG_RETURN_VOID();
}

}  // namespace lucia::pg
