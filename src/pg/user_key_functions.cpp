// Users (create_user, get_user, update_user_attributes, delete_user) and keys (create_key, use_key,
// get_key, get_all_user_keys, update_key_password, delete_key).
#include "pg/boundary.hpp"

extern "C" {
#include "access/htup_details.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"
}

#include "core/crypto.hpp"
#include "core/session.hpp"
#include "pg/hash_slots.hpp"
#include "pg/passwords.hpp"
#include "pg/rows.hpp"
#include "pg/settings.hpp"
#include "pg/statements.hpp"
#include "pg/throttle.hpp"

namespace lucia::pg {

namespace {

using core::ErrorCode;

constexpr std::size_t kUserIdLength = 15;

text* RequiredText(FunctionCallInfo fcinfo, int arg, const char* name) {
  if (PG_ARGISNULL(arg)) {
    ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s must not be NULL", name)));
  }
  return PG_GETARG_TEXT_PP(arg);
}

// Lucia's key id: provider_id ":" provider_user_id, where the provider id may not contain ':'.
text* KeyId(FunctionCallInfo fcinfo, int provider_arg) {
  text* provider_id = RequiredText(fcinfo, provider_arg, "provider_id");
  text* provider_user_id = RequiredText(fcinfo, provider_arg + 1, "provider_user_id");
  if (!core::IsValidProviderId(TextView(provider_id))) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("provider_id must not contain ':'")));
  }
  std::size_t provider_length = VARSIZE_ANY_EXHDR(provider_id);
  std::size_t user_length = VARSIZE_ANY_EXHDR(provider_user_id);
  std::size_t length = provider_length + 1 + user_length;
  auto* id = static_cast<text*>(palloc(VARHDRSZ + length));
  SET_VARSIZE(id, VARHDRSZ + length);
  memcpy(VARDATA(id), VARDATA_ANY(provider_id), provider_length);
  VARDATA(id)[provider_length] = ':';
  memcpy(VARDATA(id) + provider_length + 1, VARDATA_ANY(provider_user_id), user_length);
  return id;
}

// A copy of a text column of the current SPI result in context; (Datum) 0 when it is NULL (a key
// table may allow a NULL user_id).
Datum CopyText(MemoryContext context, HeapTuple tuple, TupleDesc desc, int column) {
  bool isnull;
  Datum value = SPI_getbinval(tuple, desc, column, &isnull);
  if (isnull) return (Datum)0;
  MemoryContext old = MemoryContextSwitchTo(context);
  Datum copy = PointerGetDatum(PG_DETOAST_DATUM_COPY(value));
  MemoryContextSwitchTo(old);
  return copy;
}

// Forms the user row from columns 1 (id) and 2 (attributes) of the current SPI result.
HeapTuple UserRowFromResult(TupleDesc result, MemoryContext caller) {
  bool isnull;
  Datum id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
  Datum attributes = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
  MemoryContext spi = MemoryContextSwitchTo(caller);
  HeapTuple row = FormUserRow(result, id, attributes);
  MemoryContextSwitchTo(spi);
  return row;
}

Datum UserById(FunctionCallInfo fcinfo, text* user_id) {
  TupleDesc result = ResultDescriptor(fcinfo);
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[1] = {PointerGetDatum(user_id)};
  RunStatement(Statement::kGetUser, args, nullptr, 1);
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidUserId);
  HeapTuple row = UserRowFromResult(result, caller);
  SPI_finish();
  return HeapTupleGetDatum(row);
}

// Inserts a key for an existing user; AUTH_INVALID_USER_ID when there is no such user,
// AUTH_DUPLICATE_KEY_ID when the key exists.
// A constraint violation on the key table details the failing row ("Failing row contains (…)"), hash
// included, to the client and to the server log: such errors lose their detail (the message, SQLSTATE
// and the names of the table, column and constraint are kept).
void InsertKey(text* key_id, text* user_id, text* hashed_password) {
  Datum args[3] = {PointerGetDatum(key_id), PointerGetDatum(user_id), PointerGetDatum(hashed_password)};
  char nulls[3] = {' ', ' ', hashed_password == nullptr ? 'n' : ' '};
  OnError on_error;
  on_error.constraints = kUniqueIsDuplicateKey | kForeignKeyIsInvalidUser;
  on_error.hide_detail = true;
  RunStatement(Statement::kInsertKey, args, nulls, 0, on_error);
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidUserId);
}

bool IsEmptyOrNull(FunctionCallInfo fcinfo, int arg) {
  return PG_ARGISNULL(arg) || VARSIZE_ANY_EXHDR(PG_GETARG_TEXT_PP(arg)) == 0;
}

// What the key table holds for a key id, copied into the caller's memory context.
struct KeyRow {
  bool found;
  Datum user_id;          // (Datum) 0 when NULL
  text* hashed_password;  // nullptr when the key has no password
};

// Reads the key; call between SPI_connect and SPI_finish. The hash is read only to be verified here.
KeyRow LookUpKey(text* key_id, MemoryContext caller) {
  Datum args[1] = {PointerGetDatum(key_id)};
  RunStatement(Statement::kGetKey, args, nullptr, 1);
  if (SPI_processed == 0) return KeyRow{false, (Datum)0, nullptr};
  HeapTuple tuple = SPI_tuptable->vals[0];
  Datum hash = CopyText(caller, tuple, SPI_tuptable->tupdesc, 3);
  return KeyRow{true, CopyText(caller, tuple, SPI_tuptable->tupdesc, 2),
                hash == (Datum)0 ? nullptr : DatumGetTextPP(hash)};
}

bool PasswordDefined(const KeyRow& key) {
  return key.hashed_password != nullptr && VARSIZE_ANY_EXHDR(key.hashed_password) > 0;
}

// lucia_auth.rehash_on_login: a new hash for a stored hash that password_needs_rehash flags, made by a
// caller that holds a hash slot, and written only where the transaction can write (not on a standby, not
// in a READ ONLY transaction: there the login goes on without it).
text* RehashFor(const text* password, const text* stored_hash) {
  if (!RehashOnLogin() || RecoveryInProgress() || XactReadOnly) return nullptr;
  if (!core::NeedsRehash(TextView(stored_hash), CurrentPasswordPolicy())) return nullptr;
  return HashPasswordArg(password);
}

// Writes it, if the key still holds the hash that was verified and no other transaction holds its row
// (a password change in progress wins; the next login rehashes).
void WriteRehash(text* key_id, text* stored_hash, text* new_hash) {
  SPI_connect();
  Datum args[3] = {PointerGetDatum(key_id), PointerGetDatum(stored_hash), PointerGetDatum(new_hash)};
  OnError on_error;
  on_error.hide_detail = true;
  RunStatement(Statement::kRehashKeyPassword, args, nullptr, 0, on_error);
  SPI_finish();
}

}  // namespace

// SQL: create_user(user_id text, provider_id text, provider_user_id text, password text, attributes jsonb)
//      returns user_record
LUCIA_FUNCTION(lucia_create_user) {
  text* user_id;
  if (PG_ARGISNULL(0)) {
    user_id = RandomId(kUserIdLength);
  } else {
    user_id = PG_GETARG_TEXT_PP(0);
    if (VARSIZE_ANY_EXHDR(user_id) == 0)
      RaiseError(ErrorCode::kInvalidParameter, "user_id must not be empty");
  }
  bool with_key = !PG_ARGISNULL(1);
  if (!with_key && (!PG_ARGISNULL(2) || !PG_ARGISNULL(3))) {
    RaiseError(ErrorCode::kInvalidParameter, "provider_user_id and password need a provider_id");
  }
  text* key_id = with_key ? KeyId(fcinfo, 1) : nullptr;
  Jsonb* attributes = PG_ARGISNULL(4) ? nullptr : PG_GETARG_JSONB_P(4);
  // Hash before any row is written or locked.
  text* hashed_password = with_key && !PG_ARGISNULL(3) ? HashPasswordArg(PG_GETARG_TEXT_PP(3)) : nullptr;
  TupleDesc result = ResultDescriptor(fcinfo);

  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[2] = {PointerGetDatum(user_id), attributes ? JsonbPGetDatum(attributes) : (Datum)0};
  RunWithAttributes(Statement::kInsertUser, AuthTable::kUser, attributes, args, nullptr, 0);
  // A trigger or rule on the user table may skip the insert; then there is no user to return.
  if (SPI_processed == 0) {
    ereport(ERROR, (errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
                    errmsg("the user was not inserted: a trigger or rule on %s skipped the row",
                           DescribedTable(AuthTable::kUser).quoted)));
  }
  HeapTuple row = UserRowFromResult(result, caller);
  if (with_key) InsertKey(key_id, user_id, hashed_password);
  SPI_finish();
  return HeapTupleGetDatum(row);
}

// SQL: get_user(user_id text) returns user_record
LUCIA_FUNCTION(lucia_get_user) {
  if (PG_ARGISNULL(0)) RaiseLucia(ErrorCode::kInvalidUserId);
  return UserById(fcinfo, PG_GETARG_TEXT_PP(0));
}

// SQL: update_user_attributes(user_id text, attributes jsonb) returns user_record
LUCIA_FUNCTION(lucia_update_user_attributes) {
  if (PG_ARGISNULL(0)) RaiseLucia(ErrorCode::kInvalidUserId);
  text* user_id = PG_GETARG_TEXT_PP(0);
  Jsonb* attributes = PG_ARGISNULL(1) ? nullptr : PG_GETARG_JSONB_P(1);
  TupleDesc result = ResultDescriptor(fcinfo);
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[2] = {PointerGetDatum(user_id), attributes ? JsonbPGetDatum(attributes) : (Datum)0};
  if (RunWithAttributes(Statement::kUpdateUser, AuthTable::kUser, attributes, args, nullptr, 0) < 0) {
    // Nothing to set: the user as it is.
    SPI_finish();
    return UserById(fcinfo, user_id);
  }
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidUserId);
  HeapTuple row = UserRowFromResult(result, caller);
  SPI_finish();
  return HeapTupleGetDatum(row);
}

// SQL: delete_user(user_id text) returns void
//
// The user row is locked first. Creators of sessions and keys take it (FOR KEY SHARE) before they
// insert, so once the lock is held no session or key can be added for the user until this transaction
// ends, and every one added before is committed and seen by the deletes that follow (each statement
// takes a new snapshot). A user that does not exist, or not yet for this transaction (a sign-up that has
// not committed), is left alone entirely: deleting its sessions or keys by id could strip a user that
// commits in between.
LUCIA_FUNCTION(lucia_delete_user) {
  if (PG_ARGISNULL(0)) PG_RETURN_VOID();
  SPI_connect();
  Datum args[1] = {PG_GETARG_DATUM(0)};
  SequentialShardWrites(kUserTable | kKeyTable | kSessionTable);
  RunStatement(Statement::kLockUser, args, nullptr, 0);

  if (SPI_processed == 0) {
    SPI_finish();
    PG_RETURN_VOID();
  }
  bool isnull;
  args[0] = PointerGetDatum(
      DatumGetTextPCopy(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)));
  RunStatement(Statement::kDeleteUserSessions, args, nullptr, 0);
  RunStatement(Statement::kDeleteUserKeys, args, nullptr, 0);
  // Under REPEATABLE READ or SERIALIZABLE the deletes used the transaction's snapshot: a session or key
  // that a creator committed while the lock was awaited is not in it. Look with a current snapshot, and
  // fail as a serialization failure rather than leave it behind.
  if (IsolationUsesXactSnapshot()) {
    RunStatementWithSnapshot(Statement::kUserHasSessionOrKey, args, nullptr, 1, GetLatestSnapshot());
    if (SPI_processed > 0) {
      ereport(ERROR, (errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
                      errmsg("could not serialize access due to a concurrent session or key of the user")));
    }
  }
  RunStatement(Statement::kDeleteUser, args, nullptr, 0);
  SPI_finish();
  PG_RETURN_VOID();
}

// SQL: create_key(user_id text, provider_id text, provider_user_id text, password text) returns key_record
LUCIA_FUNCTION(lucia_create_key) {
  if (PG_ARGISNULL(0)) RaiseLucia(ErrorCode::kInvalidUserId);
  text* user_id = PG_GETARG_TEXT_PP(0);
  text* key_id = KeyId(fcinfo, 1);
  text* hashed_password = PG_ARGISNULL(3) ? nullptr : HashPasswordArg(PG_GETARG_TEXT_PP(3));
  TupleDesc result = ResultDescriptor(fcinfo);
  SPI_connect();
  InsertKey(key_id, user_id, hashed_password);
  SPI_finish();
  // As Lucia's createKey reports it: an empty password counts as no password here.
  return HeapTupleGetDatum(FormKeyRow(result, key_id, PointerGetDatum(user_id), !IsEmptyOrNull(fcinfo, 3)));
}

// SQL: use_key(provider_id text, provider_user_id text, password text) returns key_record
// SQL: use_key(provider_id text, provider_user_id text, password text, client text) returns key_record
LUCIA_FUNCTION(lucia_use_key) {
  text* key_id = KeyId(fcinfo, 0);
  text* password = PG_ARGISNULL(2) ? nullptr : PG_GETARG_TEXT_PP(2);
  text* client = PG_NARGS() > 3 && !PG_ARGISNULL(3) ? PG_GETARG_TEXT_PP(3) : nullptr;
  TupleDesc result = ResultDescriptor(fcinfo);
  // A throttled attempt fails first, before the key is read: the same for a key that exists or not.
  LoginThrottle throttle = ThrottleFor(key_id, client);
  if (IsThrottled(throttle)) RaiseLucia(ErrorCode::kTooManyAttempts);
  // Every attempt with a password hashes once (login.hpp): take the slot before reading the key, so that
  // a call waiting for one holds no lock on the key table.
  bool guesses = password != nullptr && VARSIZE_ANY_EXHDR(password) > 0;
  if (guesses) EnterHashing();
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  KeyRow key = LookUpKey(key_id, caller);
  SPI_finish();
  LoginResult login = CheckLogin(password, key.found, key.hashed_password);
  if (!login.succeeded) {
    if (guesses) {
      LeaveHashing();
      CountFailure(throttle);
    }
    RaiseLucia(login.failure);
  }
  ClearKeyFailures(throttle);
  text* new_hash = guesses ? RehashFor(password, key.hashed_password) : nullptr;
  if (guesses) LeaveHashing();
  if (new_hash != nullptr) WriteRehash(key_id, key.hashed_password, new_hash);
  return HeapTupleGetDatum(FormKeyRow(result, key_id, key.user_id, PasswordDefined(key)));
}

// SQL: get_key(provider_id text, provider_user_id text) returns key_record
LUCIA_FUNCTION(lucia_get_key) {
  text* key_id = KeyId(fcinfo, 0);
  TupleDesc result = ResultDescriptor(fcinfo);
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  KeyRow key = LookUpKey(key_id, caller);
  SPI_finish();
  if (!key.found) RaiseLucia(ErrorCode::kInvalidKeyId);
  return HeapTupleGetDatum(FormKeyRow(result, key_id, key.user_id, PasswordDefined(key)));
}

// SQL: get_all_user_keys(user_id text) returns setof key_record
LUCIA_FUNCTION(lucia_get_all_user_keys) {
  if (PG_ARGISNULL(0)) RaiseLucia(ErrorCode::kInvalidUserId);
  text* user_id = PG_GETARG_TEXT_PP(0);
  InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
  auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[1] = {PointerGetDatum(user_id)};
  RunStatement(Statement::kUserKeys, args, nullptr, 0);
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidUserId);
  for (uint64 i = 0; i < SPI_processed; ++i) {
    HeapTuple tuple = SPI_tuptable->vals[i];
    bool no_key;
    bool isnull;
    Datum key_id = SPI_getbinval(tuple, SPI_tuptable->tupdesc, 1, &no_key);
    if (no_key) continue;
    Datum owner = SPI_getbinval(tuple, SPI_tuptable->tupdesc, 2, &isnull);
    bool defined = DatumGetBool(SPI_getbinval(tuple, SPI_tuptable->tupdesc, 3, &isnull));
    MemoryContext spi = MemoryContextSwitchTo(caller);
    HeapTuple row = FormKeyRow(rsinfo->setDesc, DatumGetTextPP(key_id), owner, defined);
    tuplestore_puttuple(rsinfo->setResult, row);
    MemoryContextSwitchTo(spi);
  }
  SPI_finish();
  return (Datum)0;
}

// SQL: update_key_password(provider_id text, provider_user_id text, password text) returns key_record
//
// With lucia_auth.revoke_sessions_on_password_change, the user's sessions are deleted too. The user row
// is taken first (FOR KEY SHARE), as delete_user takes it before the sessions and keys, so that the two
// never wait on each other in opposite orders.
LUCIA_FUNCTION(lucia_update_key_password) {
  text* key_id = KeyId(fcinfo, 0);
  text* hashed_password = PG_ARGISNULL(2) ? nullptr : HashPasswordArg(PG_GETARG_TEXT_PP(2));
  bool revoke = RevokeSessionsOnPasswordChange();
  TupleDesc result = ResultDescriptor(fcinfo);
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[2] = {PointerGetDatum(key_id), PointerGetDatum(hashed_password)};
  if (revoke) {
    SequentialShardWrites(kKeyTable | kSessionTable);
    LockTables(kSessionTable | kKeyTable | kUserTable, false);
    RunStatement(Statement::kLockKeyUser, args, nullptr, 1);
  }
  char nulls[2] = {' ', hashed_password == nullptr ? 'n' : ' '};
  OnError on_error;
  on_error.hide_detail = true;
  RunStatement(Statement::kUpdateKeyPassword, args, nulls, 0, on_error);
  if (SPI_processed == 0) RaiseLucia(ErrorCode::kInvalidKeyId);
  bool isnull;
  bool defined = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
  Datum user_id = CopyText(caller, SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
  if (revoke && user_id != (Datum)0) {
    Datum user_args[1] = {user_id};
    RunStatement(Statement::kDeleteUserSessions, user_args, nullptr, 0);
  }
  SPI_finish();
  // A new password ends a throttle on the key (a password reset lets its owner in again).
  ClearKeyFailuresOf(key_id);
  return HeapTupleGetDatum(FormKeyRow(result, key_id, user_id, defined));
}

// SQL: delete_key(provider_id text, provider_user_id text) returns void
LUCIA_FUNCTION(lucia_delete_key) {
  text* key_id = KeyId(fcinfo, 0);
  SPI_connect();
  Datum args[1] = {PointerGetDatum(key_id)};
  RunStatement(Statement::kDeleteKey, args, nullptr, 0);
  SPI_finish();
  PG_RETURN_VOID();
}

// SQL: table_names() returns table_names_record
LUCIA_FUNCTION(lucia_table_names) {
  TupleDesc result = ResultDescriptor(fcinfo);
  Datum values[3] = {CStringGetTextDatum(DescribedTable(AuthTable::kUser).quoted),
                     CStringGetTextDatum(DescribedTable(AuthTable::kKey).quoted),
                     CStringGetTextDatum(DescribedTable(AuthTable::kSession).quoted)};
  bool nulls[3] = {false, false, false};
  return HeapTupleGetDatum(heap_form_tuple(result, values, nulls));
}

}  // namespace lucia::pg
