// create_session, validate_session, get_session, get_all_user_sessions, update_session_attributes,
// invalidate_session, invalidate_all_user_sessions, delete_dead_user_sessions.
#include "pg/boundary.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/jsonb.h"
#include "utils/tuplestore.h"
}

#include "core/session.hpp"
#include "pg/rows.hpp"
#include "pg/session_reader.hpp"
#include "pg/statements.hpp"

namespace lucia::pg {

namespace {

using core::ErrorCode;
using core::SessionState;

constexpr std::size_t kSessionIdLength = 40;

// Lucia refuses an empty or missing session id before it looks anything up.
text* RequiredSessionId(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) RaiseLucia(ErrorCode::kInvalidSessionId);
  text* id = PG_GETARG_TEXT_PP(arg);
  if (VARSIZE_ANY_EXHDR(id) == 0) RaiseLucia(ErrorCode::kInvalidSessionId);
  return id;
}

}  // namespace

// SQL: validate_session(session_id text) returns session_record
LUCIA_FUNCTION(lucia_validate_session) {
  return ReadSession(fcinfo, RequiredSessionId(fcinfo, 0), SessionRead::kValidate);
}

// SQL: get_session(session_id text) returns session_record
LUCIA_FUNCTION(lucia_get_session) {
  return ReadSession(fcinfo, RequiredSessionId(fcinfo, 0), SessionRead::kGet);
}

// SQL: create_session(user_id text, attributes jsonb, session_id text) returns session_record
LUCIA_FUNCTION(lucia_create_session) {
  if (PG_ARGISNULL(0)) RaiseLucia(ErrorCode::kInvalidUserId);
  text* user_id = PG_GETARG_TEXT_PP(0);
  Jsonb* attributes = PG_ARGISNULL(1) ? nullptr : PG_GETARG_JSONB_P(1);
  text* session_id;
  if (PG_ARGISNULL(2)) {
    session_id = RandomId(kSessionIdLength);
  } else {
    session_id = PG_GETARG_TEXT_PP(2);
    if (VARSIZE_ANY_EXHDR(session_id) == 0)
      RaiseError(ErrorCode::kInvalidParameter, "session_id must not be empty");
  }
  TupleDesc result = ResultDescriptor(fcinfo);
  std::int64_t now = NowMs();
  core::SessionExpiry expiry = NewExpiry(now);

  // One statement takes the user row, inserts the session and returns it: no user, no session.
  Datum args[5] = {PointerGetDatum(session_id), PointerGetDatum(user_id),
                   Int64GetDatum(expiry.active_expires), Int64GetDatum(expiry.idle_expires),
                   attributes ? JsonbPGetDatum(attributes) : (Datum)0};
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  OnError on_error;
  on_error.constraints = kForeignKeyIsInvalidUser;
  RunWithAttributes(Statement::kInsertSession, AuthTable::kSession, attributes, args, nullptr, 0, on_error);
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidUserId);
  SessionColumns columns = CopySessionColumns(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, caller);
  SPI_finish();
  SessionState state = core::ClassifySession(now, columns.active_expires, columns.idle_expires);
  return HeapTupleGetDatum(FormSessionRow(result, columns, core::SessionStateName(state), false));
}

// SQL: get_all_user_sessions(user_id text) returns setof session_record
LUCIA_FUNCTION(lucia_get_all_user_sessions) {
  if (PG_ARGISNULL(0)) RaiseLucia(ErrorCode::kInvalidUserId);
  text* user_id = PG_GETARG_TEXT_PP(0);
  InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
  auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[1] = {PointerGetDatum(user_id)};
  RunStatement(Statement::kUserSessions, args, nullptr, 0);
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidUserId);
  std::int64_t now = NowMs();
  for (uint64 i = 0; i < SPI_processed; ++i) {
    bool no_session;
    SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &no_session);
    if (no_session) continue;
    SessionColumns columns = ReadSessionColumns(SPI_tuptable->vals[i], SPI_tuptable->tupdesc);
    SessionState state = columns.expiry_null
                             ? SessionState::kDead
                             : core::ClassifySession(now, columns.active_expires, columns.idle_expires);
    if (state == SessionState::kDead) continue;
    MemoryContext spi = MemoryContextSwitchTo(caller);
    HeapTuple row = FormSessionRow(rsinfo->setDesc, columns, core::SessionStateName(state), false);
    tuplestore_puttuple(rsinfo->setResult, row);
    MemoryContextSwitchTo(spi);
  }
  SPI_finish();
  return (Datum)0;
}

// SQL: update_session_attributes(session_id text, attributes jsonb) returns session_record
LUCIA_FUNCTION(lucia_update_session_attributes) {
  text* session_id = RequiredSessionId(fcinfo, 0);
  Jsonb* attributes = PG_ARGISNULL(1) ? nullptr : PG_GETARG_JSONB_P(1);
  Datum args[2] = {PointerGetDatum(session_id), attributes ? JsonbPGetDatum(attributes) : (Datum)0};
  SPI_connect();
  RunWithAttributes(Statement::kUpdateSession, AuthTable::kSession, attributes, args, nullptr, 0);
  SPI_finish();
  return ReadSession(fcinfo, session_id, SessionRead::kGet);
}

// SQL: invalidate_session(session_id text) returns void
LUCIA_FUNCTION(lucia_invalidate_session) {
  text* session_id = RequiredSessionId(fcinfo, 0);
  SPI_connect();
  Datum args[1] = {PointerGetDatum(session_id)};
  RunStatement(Statement::kDeleteSession, args, nullptr, 0);
  SPI_finish();
  PG_RETURN_VOID();
}

// SQL: invalidate_all_user_sessions(user_id text) returns void
LUCIA_FUNCTION(lucia_invalidate_all_user_sessions) {
  if (PG_ARGISNULL(0)) PG_RETURN_VOID();
  SPI_connect();
  Datum args[1] = {PG_GETARG_DATUM(0)};
  RunStatement(Statement::kDeleteUserSessions, args, nullptr, 0);
  SPI_finish();
  PG_RETURN_VOID();
}

// SQL: delete_dead_user_sessions(user_id text) returns void
LUCIA_FUNCTION(lucia_delete_dead_user_sessions) {
  if (PG_ARGISNULL(0)) PG_RETURN_VOID();
  SPI_connect();
  Datum args[2] = {PG_GETARG_DATUM(0), Int64GetDatum(NowMs())};
  RunStatement(Statement::kDeleteDeadSessions, args, nullptr, 0);
  SPI_finish();
  PG_RETURN_VOID();
}

}  // namespace lucia::pg
