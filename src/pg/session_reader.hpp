// Reading a session: validate_session and get_session (and the functions that read a session as they
// do). The one place that decides how a session is found — by direct probes of the two primary-key
// indexes, the hot path, or by the SQL statement — and that applies the rules of its life to what is
// read: Lucia's active, idle and dead, lucia_auth's absolute lifetime, and the two forms a session id
// can be stored in (the token itself, or its digest: lucia_auth.session_id_storage).
//
// The direct path is taken only where it gives what the statement gives, in every case (auth_tables.hpp
// says which tables qualify): it reads with the snapshot a VOLATILE function's statement would use, so
// that it sees what earlier calls of the same statement wrote; it locks the tables and their primary-key
// indexes before it trusts what it knows of them; it checks the table owner's SELECT privilege at every
// call, as the executor does; it compares ids with the primary key's own operator and collation.
#pragma once

extern "C" {
#include "postgres.h"

#include "fmgr.h"
}

#include <cstdint>

#include "core/session.hpp"
#include "pg/rows.hpp"
#include "pg/statements.hpp"

namespace lucia::pg {

enum class SessionRead {
  kValidate,  // validate_session: an idle session is renewed in place and returned fresh
  kGet,       // get_session: never renews
};

// A session read by its token, and found valid.
struct ValidSession {
  SessionColumns columns;  // as stored (its id is the stored id)
  core::SessionState state;
  bool fresh;  // renewed by this read
};

// The session of this token and its user. Raises AUTH_INVALID_SESSION_ID when there is no such
// session, it is dead, its user row is missing, or the token has the form of a stored digest (a value
// read from the table is never a token). kValidate renews an idle session.
ValidSession ReadValidSession(text* token, SessionRead mode);

// ReadValidSession for callers that treat an invalid session as no session: false, and *found
// untouched, where ReadValidSession raises AUTH_INVALID_SESSION_ID. Other errors are raised.
bool FindValidSession(text* token, SessionRead mode, ValidSession* found);

// The session row (of fcinfo's result type) of a session read by token: its session_id is the token.
Datum SessionRow(FunctionCallInfo fcinfo, const ValidSession& session, text* token);

// validate_session and get_session: ReadValidSession, as a session row.
inline Datum ReadSession(FunctionCallInfo fcinfo, text* token, SessionRead mode) {
  return SessionRow(fcinfo, ReadValidSession(token, mode), token);
}

// The session id argument arg of a function: Lucia refuses an empty or missing session id
// (AUTH_INVALID_SESSION_ID) before it looks anything up.
text* RequiredSessionId(FunctionCallInfo fcinfo, int arg);

// The id to store for a new session whose token is token: the token itself, or its digest
// (lucia_auth.session_id_storage = sha256).
text* StoredIdOf(text* token);

// The stored digest of token ("sha256$" and hex).
text* DigestOf(const text* token);

// True when the value starts with the stored-digest prefix.
bool HasDigestPrefix(const text* value);

// Runs a statement on the session table whose $1 and $2 are the two forms of one session id (the one
// looked for first, and the other; RunStatement's arguments otherwise), as RunStatement does. On a table
// distributed by Citus, each form is looked for in a statement of its own, on the one shard that holds
// it, until one finds or changes a row; SPI_processed is the last statement's.
int RunForEitherForm(Statement statement, Datum* values, const char* nulls, long count);

// The expiries of a session created or renewed at now (lucia_auth.active_period and idle_period),
// never past absolute_end.
core::SessionExpiry NewExpiry(std::int64_t now, std::int64_t absolute_end = core::kNoEnd);

// The end of the absolute lifetime (lucia_auth.absolute_period) of a session created at created_at;
// raises when the period is set and the session table has no created_at column.
std::int64_t AbsoluteEndOf(bool created_at_known, std::int64_t created_at);

// Raises a clear error when lucia_auth.absolute_period is set and the session table cannot hold
// created_at.
void RequireCreatedAtForAbsolutePeriod();

}  // namespace lucia::pg
