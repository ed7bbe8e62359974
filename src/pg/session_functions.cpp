// create_session, validate_session, get_session, get_all_user_sessions, update_session_attributes,
// invalidate_session, invalidate_all_user_sessions, delete_dead_user_sessions.
#include "pg/boundary.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/tuplestore.h"
}

#include "core/crypto.hpp"
#include "core/session.hpp"
#include "pg/rows.hpp"
#include "pg/session_lookup.hpp"
#include "pg/settings.hpp"
#include "pg/tables.hpp"

namespace {

using lucia::core::ErrorCode;
using lucia::core::SessionState;
using lucia::pg::PendingError;
using lucia::pg::RaiseError;
using lucia::pg::Statement;

constexpr std::size_t kSessionIdLength = 40;

// Lucia refuses an empty or missing session id before it looks anything up.
text* RequiredSessionId(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) RaiseError(ErrorCode::kInvalidSessionId, "AUTH_INVALID_SESSION_ID");
  text* id = PG_GETARG_TEXT_PP(arg);
  if (VARSIZE_ANY_EXHDR(id) == 0) RaiseError(ErrorCode::kInvalidSessionId, "AUTH_INVALID_SESSION_ID");
  return id;
}

lucia::core::SessionExpiry NewExpiry(std::int64_t now) {
  lucia::core::SessionExpiry expiry{};
  PendingError err;
  if (!lucia::pg::RunCore(&err, [&] {
        expiry = lucia::core::NewSessionExpiry(now, lucia::pg::ActivePeriodMs(), lucia::pg::IdlePeriodMs());
      })) {
    lucia::pg::RaisePending(&err);
  }
  return expiry;
}

// The session and its user through the prepared statement, copied into the caller's memory context;
// false when there is no such session (or its user is missing).
bool LookUpSessionWithSpi(text* session_id, lucia::pg::SessionColumns* columns) {
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[1] = {PointerGetDatum(session_id)};
  SPI_execute_plan(lucia::pg::PreparedPlan(Statement::kSessionWithUser), args, nullptr, false, 1);
  bool found = SPI_processed > 0;
  if (found) *columns = lucia::pg::CopySessionColumns(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, caller);
  SPI_finish();
  return found;
}

// validate_session and get_session: the session and its user, one primary-key probe each; an idle
// session is renewed in place by one UPDATE when renew is set. just_written makes the read see the
// caller's own change made earlier in the same function.
Datum LookUpSession(FunctionCallInfo fcinfo, text* session_id, bool renew, bool just_written) {
  TupleDesc result = lucia::pg::ResultDescriptor(fcinfo);
  lucia::pg::SessionColumns columns{};
  lucia::pg::LookupResult lookup = just_written ? lucia::pg::LookupResult::kUnsupported
                                                : lucia::pg::LookUpSessionDirect(session_id, &columns);
  if (lookup == lucia::pg::LookupResult::kUnsupported) {
    lookup = LookUpSessionWithSpi(session_id, &columns) ? lucia::pg::LookupResult::kFound
                                                        : lucia::pg::LookupResult::kNotFound;
  }
  if (lookup != lucia::pg::LookupResult::kFound)
    RaiseError(ErrorCode::kInvalidSessionId, "AUTH_INVALID_SESSION_ID");
  std::int64_t now = lucia::pg::NowMs();
  SessionState state = columns.expiry_null
                           ? SessionState::kDead
                           : lucia::core::ClassifySession(now, columns.active_expires, columns.idle_expires);
  if (state == SessionState::kDead) RaiseError(ErrorCode::kInvalidSessionId, "AUTH_INVALID_SESSION_ID");
  bool fresh = false;
  // A standby or a read-only transaction cannot renew: the session is returned as read (idle, not
  // fresh), and renewal is left to a call on the primary.
  if (state == SessionState::kIdle && renew && !XactReadOnly && !RecoveryInProgress()) {
    lucia::core::SessionExpiry expiry = NewExpiry(now);
    Datum renew_args[3] = {PointerGetDatum(session_id), Int64GetDatum(expiry.active_expires),
                           Int64GetDatum(expiry.idle_expires)};
    SPI_connect();
    SPI_execute_plan(lucia::pg::PreparedPlan(Statement::kRenewSession), renew_args, nullptr, false, 0);
    // Deleted since it was read: there is nothing left to renew.
    if (SPI_processed == 0) RaiseError(ErrorCode::kInvalidSessionId, "AUTH_INVALID_SESSION_ID");
    SPI_finish();
    columns.active_expires = expiry.active_expires;
    columns.idle_expires = expiry.idle_expires;
    fresh = true;
  }
  // Lucia returns a renewed session with its state as read ("idle") and fresh = true.
  return HeapTupleGetDatum(
      lucia::pg::FormSessionRow(result, columns, lucia::core::SessionStateName(state), fresh));
}

}  // namespace

LUCIA_FUNCTION(lucia_validate_session) {
  return LookUpSession(fcinfo, RequiredSessionId(fcinfo, 0), true, false);
}

LUCIA_FUNCTION(lucia_get_session) {
  return LookUpSession(fcinfo, RequiredSessionId(fcinfo, 0), false, false);
}

LUCIA_FUNCTION(lucia_create_session) {
  if (PG_ARGISNULL(0)) RaiseError(ErrorCode::kInvalidUserId, "AUTH_INVALID_USER_ID");
  text* user_id = PG_GETARG_TEXT_PP(0);
  Jsonb* attributes = PG_ARGISNULL(1) ? nullptr : PG_GETARG_JSONB_P(1);
  text* session_id;
  if (PG_ARGISNULL(2)) {
    session_id = lucia::pg::RandomId(kSessionIdLength);
  } else {
    session_id = PG_GETARG_TEXT_PP(2);
    if (VARSIZE_ANY_EXHDR(session_id) == 0)
      RaiseError(ErrorCode::kInvalidParameter, "session_id must not be empty");
  }
  TupleDesc result = lucia::pg::ResultDescriptor(fcinfo);
  std::int64_t now = lucia::pg::NowMs();
  lucia::core::SessionExpiry expiry = NewExpiry(now);

  Datum args[5] = {PointerGetDatum(session_id), PointerGetDatum(user_id),
                   Int64GetDatum(expiry.active_expires), Int64GetDatum(expiry.idle_expires),
                   attributes ? JsonbPGetDatum(attributes) : (Datum)0};
  lucia::pg::SessionColumns columns{};
  columns.active_expires = expiry.active_expires;
  columns.idle_expires = expiry.idle_expires;
  char* sql = lucia::pg::InsertSessionSql(attributes);

  // Without attributes to write and with a foreign key that checks the user, the user is read by its
  // primary key and the row inserted alone: the foreign key refuses a user deleted in between. Otherwise
  // one statement locks the user row, inserts and returns the stored row.
  bool session_attributes_empty = false;
  lucia::pg::LookupResult user = lucia::pg::LookupResult::kUnsupported;
  if (sql == nullptr && lucia::pg::NewSessionNeedsNoUserRead()) {
    user = lucia::pg::LookupResult::kFound;
    columns.user_id = PointerGetDatum(user_id);
    columns.user_attributes = lucia::pg::EmptyJsonbObject();
    session_attributes_empty = true;
  } else if (sql == nullptr && lucia::pg::UserCheckedByForeignKey()) {
    user = lucia::pg::LookUpUserDirect(user_id, &columns.user_id, &columns.user_attributes,
                                       &session_attributes_empty);
    if (user == lucia::pg::LookupResult::kNotFound)
      RaiseError(ErrorCode::kInvalidUserId, "AUTH_INVALID_USER_ID");
  }
  if (user == lucia::pg::LookupResult::kFound && session_attributes_empty) {
    SPI_connect();
    lucia::pg::ExecutePlan(lucia::pg::PreparedPlan(Statement::kInsertSessionRow), args, nullptr, false, 0,
                           lucia::pg::kMapForeignKeyToInvalidUser);
    SPI_finish();
    columns.id = PointerGetDatum(session_id);
    columns.session_attributes = lucia::pg::EmptyJsonbObject();
  } else {
    MemoryContext caller = CurrentMemoryContext;
    SPI_connect();
    if (sql == nullptr) {
      lucia::pg::ExecutePlan(lucia::pg::PreparedPlan(Statement::kInsertSession), args, nullptr, false, 0,
                             lucia::pg::kMapForeignKeyToInvalidUser);
    } else {
      Oid types[5] = {TEXTOID, TEXTOID, INT8OID, INT8OID, JSONBOID};
      lucia::pg::ExecuteSql(sql, 5, types, args, nullptr, 0, lucia::pg::kMapForeignKeyToInvalidUser);
    }
    if (SPI_processed == 0) RaiseError(ErrorCode::kInvalidUserId, "AUTH_INVALID_USER_ID");
    columns = lucia::pg::CopySessionColumns(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, caller);
    SPI_finish();
  }
  SessionState state = lucia::core::ClassifySession(now, columns.active_expires, columns.idle_expires);
  return HeapTupleGetDatum(
      lucia::pg::FormSessionRow(result, columns, lucia::core::SessionStateName(state), false));
}

LUCIA_FUNCTION(lucia_get_all_user_sessions) {
  if (PG_ARGISNULL(0)) RaiseError(ErrorCode::kInvalidUserId, "AUTH_INVALID_USER_ID");
  text* user_id = PG_GETARG_TEXT_PP(0);
  InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
  auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[1] = {PointerGetDatum(user_id)};
  SPI_execute_plan(lucia::pg::PreparedPlan(Statement::kUserSessions), args, nullptr, false, 0);
  if (SPI_processed == 0) RaiseError(ErrorCode::kInvalidUserId, "AUTH_INVALID_USER_ID");
  std::int64_t now = lucia::pg::NowMs();
  for (uint64 i = 0; i < SPI_processed; ++i) {
    bool no_session;
    SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &no_session);
    if (no_session) continue;
    lucia::pg::SessionColumns columns =
        lucia::pg::ReadSessionColumns(SPI_tuptable->vals[i], SPI_tuptable->tupdesc);
    SessionState state =
        columns.expiry_null ? SessionState::kDead
                            : lucia::core::ClassifySession(now, columns.active_expires, columns.idle_expires);
    if (state == SessionState::kDead) continue;
    MemoryContext spi = MemoryContextSwitchTo(caller);
    HeapTuple row =
        lucia::pg::FormSessionRow(rsinfo->setDesc, columns, lucia::core::SessionStateName(state), false);
    tuplestore_puttuple(rsinfo->setResult, row);
    MemoryContextSwitchTo(spi);
  }
  SPI_finish();
  return (Datum)0;
}

LUCIA_FUNCTION(lucia_update_session_attributes) {
  text* session_id = RequiredSessionId(fcinfo, 0);
  Jsonb* attributes = PG_ARGISNULL(1) ? nullptr : PG_GETARG_JSONB_P(1);
  SPI_connect();
  char* sql = lucia::pg::UpdateSessionSql(attributes);
  if (sql != nullptr) {
    Datum args[2] = {PointerGetDatum(session_id), JsonbPGetDatum(attributes)};
    Oid types[2] = {TEXTOID, JSONBOID};
    lucia::pg::ExecuteSql(sql, 2, types, args, nullptr, 0, 0);
  }
  SPI_finish();
  return LookUpSession(fcinfo, session_id, false, sql != nullptr);
}

LUCIA_FUNCTION(lucia_invalidate_session) {
  text* session_id = RequiredSessionId(fcinfo, 0);
  SPI_connect();
  Datum args[1] = {PointerGetDatum(session_id)};
  SPI_execute_plan(lucia::pg::PreparedPlan(Statement::kDeleteSession), args, nullptr, false, 0);
  SPI_finish();
  PG_RETURN_VOID();
}

LUCIA_FUNCTION(lucia_invalidate_all_user_sessions) {
  if (PG_ARGISNULL(0)) PG_RETURN_VOID();
  SPI_connect();
  Datum args[1] = {PG_GETARG_DATUM(0)};
  SPI_execute_plan(lucia::pg::PreparedPlan(Statement::kDeleteUserSessions), args, nullptr, false, 0);
  SPI_finish();
  PG_RETURN_VOID();
}

LUCIA_FUNCTION(lucia_delete_dead_user_sessions) {
  if (PG_ARGISNULL(0)) PG_RETURN_VOID();
  SPI_connect();
  Datum args[2] = {PG_GETARG_DATUM(0), Int64GetDatum(lucia::pg::NowMs())};
  SPI_execute_plan(lucia::pg::PreparedPlan(Statement::kDeleteDeadSessions), args, nullptr, false, 0);
  SPI_finish();
  PG_RETURN_VOID();
}
