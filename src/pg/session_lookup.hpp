// The session and its user by direct primary-key index probes, without the executor: the hot path of
// validate_session and get_session.
#pragma once

extern "C" {
#include "postgres.h"
}

#include "pg/rows.hpp"

namespace lucia::pg {

enum class LookupResult { kFound, kNotFound, kUnsupported };

// Reads the session with this id and its user. kUnsupported when the tables are not in a shape the
// direct path handles (no single-column btree primary key on a text or varchar id, row level
// security, expiries that are not bigint, a caller without SELECT on the tables): then the caller
// runs the SQL statement instead, which handles every case. Values are allocated in the current
// memory context.
LookupResult LookUpSessionDirect(text* session_id, SessionColumns* out);

// The user with this id, as create_session needs it: its stored id and its attributes. Same rules as
// LookUpSessionDirect. When it returns kFound, *session_attributes_empty tells whether the session
// table has no column but Lucia's own (so a new session's attributes are {}).
LookupResult LookUpUserDirect(text* user_id, Datum* stored_id, Datum* attributes,
                              bool* session_attributes_empty);

// True when a new session's row says all there is to say: the user table has only its id, the session
// table only Lucia's columns, and an immediate foreign key checks the user. Then create_session need
// not read the user: a missing one is the foreign key's violation.
bool NewSessionNeedsNoUserRead();

// True when an immediate foreign key from the session table checks each session's user (and locks it
// against a concurrent delete): then the user may be read without a row lock.
bool UserCheckedByForeignKey();

// A jsonb {} that lives as long as the backend.
Datum EmptyJsonbObject();

}  // namespace lucia::pg
