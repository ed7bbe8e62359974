// Reading a session: validate_session and get_session (and the functions that return a session as they
// do). The one place that decides how a session is read — by direct probes of the two primary-key
// indexes, the hot path, or by the SQL statement — and that applies Lucia's rules to what is read.
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

namespace lucia::pg {

enum class SessionRead {
  kValidate,  // validate_session: an idle session is renewed in place and returned fresh
  kGet,       // get_session: never renews
};

// The session with this id and its user, as a session row of fcinfo's result type. Raises
// AUTH_INVALID_SESSION_ID when there is no such session, it is dead, or its user row is missing.
Datum ReadSession(FunctionCallInfo fcinfo, text* session_id, SessionRead read);

// The expiries of a session created or renewed at now (lucia_auth.active_period, idle_period).
core::SessionExpiry NewExpiry(std::int64_t now);

}  // namespace lucia::pg
