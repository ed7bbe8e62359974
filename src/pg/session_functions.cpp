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
#include "pg/settings.hpp"
#include "pg/session_reader.hpp"
#include "pg/statements.hpp"

namespace lucia::pg {

namespace {

using core::ErrorCode;
using core::SessionState;

constexpr std::size_t kSessionIdLength = 40;

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
  text* token;
  if (PG_ARGISNULL(2)) {
    token = RandomId(kSessionIdLength);
  } else {
    token = PG_GETARG_TEXT_PP(2);
    if (VARSIZE_ANY_EXHDR(token) == 0)
      RaiseError(ErrorCode::kInvalidParameter, "session_id must not be empty");
    // Such an id could never be validated: every value of that form is refused as a token.
    if (HasDigestPrefix(token)) {
      RaiseError(ErrorCode::kInvalidParameter, "session_id must not start with \"sha256$\"");
    }
  }
  text* stored_id = StoredIdOf(token);
  TupleDesc result = ResultDescriptor(fcinfo);
  std::int64_t now = NowMs();
  core::SessionExpiry expiry = NewExpiry(now, AbsoluteEndOf(true, now));
  int cap = MaxSessionsPerUser();

  // One statement takes the user row, inserts the session and returns it: no user, no session.
  Datum args[6] = {PointerGetDatum(stored_id),
                   PointerGetDatum(user_id),
                   Int64GetDatum(expiry.active_expires),
                   Int64GetDatum(expiry.idle_expires),
                   attributes ? JsonbPGetDatum(attributes) : (Datum)0,
                   Int64GetDatum(now)};
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  OnError on_error;
  on_error.constraints = kForeignKeyIsInvalidUser;
  RequireCreatedAtForAbsolutePeriod();
  RunWithAttributes(cap > 0 ? Statement::kInsertSessionCapped : Statement::kInsertSession,
                    AuthTable::kSession, attributes, args, nullptr, 0, on_error);
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidUserId);
  SessionColumns columns = CopySessionColumns(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, caller);
  if (cap > 0) {
    // The user's oldest sessions beyond the cap go. The user row is held against other creators, so
    // the sessions they committed before are seen here and theirs see this one.
    Datum trim[3] = {columns.user_id, PointerGetDatum(stored_id), Int64GetDatum(cap - 1)};
    RunStatement(Statement::kTrimUserSessions, trim, nullptr, 0);
  }
  SPI_finish();
  columns.id = PointerGetDatum(token);
  SessionState state = core::ClassifySession(now, columns.active_expires, columns.idle_expires);
  return HeapTupleGetDatum(FormSessionRow(result, columns, core::SessionStateName(state), false));
}

// SQL: get_all_user_sessions(user_id text) returns setof session_record
//
// A session stored as a digest is listed with its stored id, which never validates; invalidate_session
// accepts it, to sign that one session out.
LUCIA_FUNCTION(lucia_get_all_user_sessions) {
  if (PG_ARGISNULL(0)) RaiseLucia(ErrorCode::kInvalidUserId);
  text* user_id = PG_GETARG_TEXT_PP(0);
  InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
  auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[1] = {PointerGetDatum(user_id)};
  RequireCreatedAtForAbsolutePeriod();
  RunStatement(Statement::kUserSessions, args, nullptr, 0);
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidUserId);
  std::int64_t now = NowMs();
  for (uint64 i = 0; i < SPI_processed; ++i) {
    bool no_session;
    SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &no_session);
    if (no_session) continue;
    SessionColumns columns = ReadSessionColumns(SPI_tuptable->vals[i], SPI_tuptable->tupdesc);
    SessionState state =
        columns.expiry_null
            ? SessionState::kDead
            : core::ClassifySession(now, columns.active_expires, columns.idle_expires,
                                    AbsoluteEndOf(columns.created_at_known, columns.created_at));
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
  ValidSession session = ReadValidSession(session_id, SessionRead::kGet);
  Datum args[2] = {session.columns.id, attributes ? JsonbPGetDatum(attributes) : (Datum)0};
  SPI_connect();
  RunWithAttributes(Statement::kUpdateSession, AuthTable::kSession, attributes, args, nullptr, 0);
  SPI_finish();
  return ReadSession(fcinfo, session_id, SessionRead::kGet);
}

// SQL: invalidate_session(session_id text) returns void
//
// Takes a token, or the stored id of a hashed session as get_all_user_sessions lists it (signing out
// one session from a list of them); either way nothing is validated.
LUCIA_FUNCTION(lucia_invalidate_session) {
  text* session_id = RequiredSessionId(fcinfo, 0);
  text* other = HasDigestPrefix(session_id) ? session_id : DigestOf(session_id);
  // The form of the setting first, as a session is read.
  bool hashed = SessionIdStorageSetting() == SessionIdStorage::kSha256;
  SPI_connect();
  Datum args[2] = {PointerGetDatum(hashed ? other : session_id),
                   PointerGetDatum(hashed ? session_id : other)};
  RunForEitherForm(Statement::kDeleteSession, args, nullptr, 0);
  SPI_finish();
  PG_RETURN_VOID();
}

// SQL: invalidate_other_sessions(session_id text) returns bigint
//
// Sign out everywhere else: every session of the user of this valid session but itself.
LUCIA_FUNCTION(lucia_invalidate_other_sessions) {
  text* session_id = RequiredSessionId(fcinfo, 0);
  ValidSession session = ReadValidSession(session_id, SessionRead::kGet);
  SPI_connect();
  Datum args[3] = {session.columns.user_id, session.columns.id, PointerGetDatum(DigestOf(session_id))};
  RunStatement(Statement::kDeleteOtherSessions, args, nullptr, 0);
  uint64 deleted = SPI_processed;
  SPI_finish();
  PG_RETURN_INT64(static_cast<int64>(deleted));
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

namespace {

// Most rows one call of the batch functions touches.
constexpr int32 kMaxBatchSize = 1000000;

int32 BatchSize(FunctionCallInfo fcinfo) {
  int32 batch = PG_GETARG_INT32(0);
  if (batch < 1) RaiseError(ErrorCode::kInvalidParameter, "batch_size must be at least 1");
  if (batch > kMaxBatchSize) RaiseError(ErrorCode::kLimitExceeded, "batch_size must be at most 1000000");
  return batch;
}

}  // namespace

// SQL: delete_expired_sessions(batch_size int) returns bigint
//
// Dead sessions of every user, up to batch_size of them, skipping rows that other transactions hold;
// meant to be called again and again (pg_cron) until it returns 0.
LUCIA_FUNCTION(lucia_delete_expired_sessions) {
  int32 batch = BatchSize(fcinfo);
  std::int64_t now = NowMs();
  double absolute = AbsolutePeriodMs();
  SPI_connect();
  Datum args[3] = {Int64GetDatum(now), Int64GetDatum(batch), Int64GetDatum(0)};
  if (absolute > 0) {
    // A session is past its absolute lifetime once now > created_at + period: created_at < now - period.
    args[2] = Int64GetDatum(now - static_cast<std::int64_t>(absolute));
    RequireCreatedAtForAbsolutePeriod();
    RunStatement(Statement::kDeleteExpiredOrOldSessions, args, nullptr, 0);
  } else {
    RunStatement(Statement::kDeleteExpiredSessions, args, nullptr, 0);
  }
  uint64 deleted = SPI_processed;
  SPI_finish();
  PG_RETURN_INT64(static_cast<int64>(deleted));
}

// SQL: hash_session_ids(batch_size int) returns bigint
//
// Up to batch_size sessions stored plain get their id replaced by its digest. The stored id is the
// token, so the client's cookie stays valid; rows held by others are skipped and converted by a later
// call.
LUCIA_FUNCTION(lucia_hash_session_ids) {
  int32 batch = BatchSize(fcinfo);
  SPI_connect();
  Datum args[1] = {Int64GetDatum(batch)};
  RunStatement(Statement::kHashSessionIds, args, nullptr, 0);
  uint64 converted = SPI_processed;
  SPI_finish();
  PG_RETURN_INT64(static_cast<int64>(converted));
}

}  // namespace lucia::pg
