// Building the rows that the auth functions return.
#pragma once

extern "C" {
#include "postgres.h"

#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
}

#include <cstdint>

namespace lucia::pg {

// The function's declared composite result type, looked up once per backend and kept.
TupleDesc ResultDescriptor(FunctionCallInfo fcinfo);

// Milliseconds since the Unix epoch, from the wall clock (Lucia's Date.now()).
std::int64_t NowMs();

// Columns 1-7 of a session statement's result: id, user_id, active_expires, idle_expires,
// user attributes, session attributes, created_at.
struct SessionColumns {
  Datum id;  // as stored
  Datum user_id;
  std::int64_t active_expires;
  std::int64_t idle_expires;
  bool expiry_null;
  Datum user_attributes;
  Datum session_attributes;
  bool created_at_known;  // lucia_auth's created_at column exists and holds a value
  std::int64_t created_at;
};
SessionColumns ReadSessionColumns(HeapTuple tuple, TupleDesc desc);

// ReadSessionColumns with every value copied into context, so that it outlives SPI_finish.
SessionColumns CopySessionColumns(HeapTuple tuple, TupleDesc desc, MemoryContext context);

// A new id of length characters of a-z0-9 from libsodium's CSPRNG, as Lucia makes user and session ids.
text* RandomId(std::size_t length);

// A session row (session_id, user_id, active_expires, idle_expires, state, fresh, user_attributes,
// session_attributes) formed in the current memory context.
HeapTuple FormSessionRow(TupleDesc result, const SessionColumns& columns, const char* state, bool fresh);

// A key row (provider_id, provider_user_id, user_id, password_defined); a user_id of (Datum) 0 is NULL.
HeapTuple FormKeyRow(TupleDesc result, const text* key_id, Datum user_id, bool password_defined);

// A user row (user_id, attributes).
HeapTuple FormUserRow(TupleDesc result, Datum user_id, Datum attributes);

}  // namespace lucia::pg
