#include "pg/session_reader.hpp"

extern "C" {
#include "access/genam.h"
#include "access/relation.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "funcapi.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
}

#include "core/session.hpp"
#include "core/session_token.hpp"
#include "pg/auth_tables.hpp"
#include "pg/boundary.hpp"
#include "pg/rows.hpp"
#include "pg/settings.hpp"
#include "pg/statements.hpp"

namespace lucia::pg {

namespace {

using core::ErrorCode;
using core::SessionState;

// A table and its primary-key index, open for probes within one call. The locks were taken by
// LockTables and are kept until the end of the transaction, as the executor keeps them.
struct OpenTable {
  const TableInfo* table;
  Relation rel;
  Relation index;
  TupleTableSlot* slot;
};

OpenTable Open(const TableInfo& table) {
  OpenTable open{&table, table_open(table.relid, NoLock), index_open(table.pk_index, NoLock), nullptr};
  open.slot = table_slot_create(open.rel, nullptr);
  return open;
}

void Close(OpenTable* open) {
  ExecDropSingleTupleTableSlot(open->slot);
  index_close(open->index, NoLock);
  table_close(open->rel, NoLock);
}

// Fetches the row whose id equals key, as the id's type and collation compare, into open->slot.
bool ProbePrimaryKey(OpenTable* open, Datum key, Snapshot snapshot) {
  ScanKeyData scan_key;
  ScanKeyEntryInitialize(&scan_key, 0, 1, BTEqualStrategyNumber, InvalidOid, open->table->pk_collation,
                         open->table->id.equal_proc, key);
  IndexScanDesc scan = index_beginscan(open->rel, open->index, snapshot, 1, 0);
  index_rescan(scan, &scan_key, 1, nullptr, 0);
  bool found = index_getnext_slot(scan, ForwardScanDirection, open->slot);
  index_endscan(scan);
  return found;
}

Datum empty_object = (Datum)0;

Datum EmptyJsonbObject() {
  if (empty_object == (Datum)0) {
    MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
    empty_object = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));
    MemoryContextSwitchTo(old);
  }
  return empty_object;
}

// The columns that are not session attributes: Lucia's own, and lucia_auth's created_at when the table
// has it.
Datum LuciaSessionColumns(bool with_created_at) {
  static Datum columns[2] = {(Datum)0, (Datum)0};
  if (columns[with_created_at] == (Datum)0) {
    MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
    Datum names[5] = {CStringGetTextDatum("id"), CStringGetTextDatum("user_id"),
                      CStringGetTextDatum("active_expires"), CStringGetTextDatum("idle_expires"),
                      CStringGetTextDatum("created_at")};
    columns[with_created_at] =
        PointerGetDatum(construct_array(names, with_created_at ? 5 : 4, TEXTOID, -1, false, TYPALIGN_INT));
    MemoryContextSwitchTo(old);
  }
  return columns[with_created_at];
}

// The attributes of the row in slot: to_jsonb of the row, less the columns that are not attributes (the
// user's id; the session's Lucia columns and created_at). {} without to_jsonb when the table has no
// attribute column, as on Lucia's own tables.
Datum Attributes(const TableInfo& table, TupleTableSlot* slot) {
  if (table.shown_attribute_count == 0) return EmptyJsonbObject();
  bool should_free;
  HeapTuple tuple = ExecFetchSlotHeapTuple(slot, false, &should_free);
  Datum row = FunctionCall1(table.to_jsonb, heap_copy_tuple_as_datum(tuple, slot->tts_tupleDescriptor));
  if (table.which == AuthTable::kSession) {
    return DirectFunctionCall2(jsonb_delete_array, row, LuciaSessionColumns(table.created_at > 0));
  }
  return DirectFunctionCall2(jsonb_delete, row, CStringGetTextDatum("id"));
}

// The direct path: the session by a probe of its primary key (in the form looked for first, then in
// the other, with one snapshot), its user by a probe of theirs. Runs as the tables' owner (code reached
// from here, such as the output functions of column types, runs with the owner's privileges), with the
// snapshot that an SQL statement issued now by a VOLATILE function would get (LookUp has made the
// statement's earlier work visible, as SPI does before each statement).
bool LookUpDirect(Oid owner, text* first, text* second, text* token, text** digest, SessionColumns* out) {
  const TableInfo& sessions = DescribedTable(AuthTable::kSession);
  const TableInfo& users = DescribedTable(AuthTable::kUser);
  OwnerScope scope = EnterOwner(owner);
  // Used only by the probes below, before anything else could take one. With the calling statement's
  // active snapshot set (taken earlier, it holds back the xmin horizon for this one) it needs no
  // registering; without one, it is registered.
  bool registered = !ActiveSnapshotSet();
  Snapshot snapshot = GetTransactionSnapshot();
  if (registered) snapshot = RegisterSnapshot(snapshot);
  OpenTable session_table = Open(sessions);
  bool found = ProbePrimaryKey(&session_table, PointerGetDatum(first), snapshot);
  if (!found) {
    // The other form, the digest made only now that it is needed.
    if (second == nullptr) second = *digest = DigestOf(token);
    found = ProbePrimaryKey(&session_table, PointerGetDatum(second), snapshot);
  }
  if (found) {
    found = false;
    TupleTableSlot* slot = session_table.slot;
    bool isnull, user_null, active_null, idle_null, created_null = true;
    Datum id = slot_getattr(slot, sessions.id.attnum, &isnull);
    Datum user_id = slot_getattr(slot, sessions.user_id.attnum, &user_null);
    Datum active = slot_getattr(slot, sessions.active_expires, &active_null);
    Datum idle = slot_getattr(slot, sessions.idle_expires, &idle_null);
    Datum created =
        sessions.created_at > 0 ? slot_getattr(slot, sessions.created_at, &created_null) : (Datum)0;
    if (!user_null) {
      OpenTable user_table = Open(users);
      if (ProbePrimaryKey(&user_table, user_id, snapshot)) {
        out->id = PointerGetDatum(PG_DETOAST_DATUM_COPY(id));
        out->user_id = PointerGetDatum(PG_DETOAST_DATUM_COPY(user_id));
        // A NULL expiry reads as 0 in Lucia (Number(null)): the session is dead.
        out->expiry_null = active_null || idle_null;
        out->active_expires = active_null ? 0 : DatumGetInt64(active);
        out->idle_expires = idle_null ? 0 : DatumGetInt64(idle);
        out->created_at_known = !created_null;
        out->created_at = created_null ? 0 : DatumGetInt64(created);
        out->user_attributes = Attributes(users, user_table.slot);
        out->session_attributes = Attributes(sessions, slot);
        found = true;
      }
      Close(&user_table);
    }
  }
  Close(&session_table);
  if (registered) UnregisterSnapshot(snapshot);
  LeaveOwner(scope);
  return found;
}

// The SQL path: the statement, copied out of SPI's memory into the caller's.
bool LookUpWithStatement(text* first, text* second, SessionColumns* out) {
  MemoryContext caller = CurrentMemoryContext;
  SPI_connect();
  Datum args[2] = {PointerGetDatum(first), PointerGetDatum(second)};
  RunForEitherForm(Statement::kSessionWithUser, args, nullptr, 1);
  bool found = SPI_processed > 0;
  if (found) *out = CopySessionColumns(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, caller);
  SPI_finish();
  return found;
}

// The session stored under its token or under the token's digest (the form of the setting first), and
// its user, by whichever path gives the right answer here. *digest is the token's digest once computed:
// the direct path computes it only when it must look for it.
bool LookUp(text* token, bool digest_first, text** digest, SessionColumns* out) {
  // What earlier calls of the same statement wrote (rows, and changes of the tables themselves) becomes
  // visible first, as SPI makes it before a statement is locked and planned: the tables are then
  // described and read as they are now.
  CommandCounterIncrement();
  Oid owner = LockTables(kSessionTable | kUserTable, true);
  RequireCreatedAtForAbsolutePeriod();
  if (!OwnerReadsSessionsDirectly(owner)) {
    *digest = DigestOf(token);
    return digest_first ? LookUpWithStatement(*digest, token, out) : LookUpWithStatement(token, *digest, out);
  }
  if (digest_first) {
    *digest = DigestOf(token);
    return LookUpDirect(owner, *digest, token, token, digest, out);
  }
  return LookUpDirect(owner, token, nullptr, token, digest, out);
}

}  // namespace

text* RequiredSessionId(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) RaiseLucia(ErrorCode::kInvalidSessionId);
  text* id = PG_GETARG_TEXT_PP(arg);
  if (VARSIZE_ANY_EXHDR(id) == 0) RaiseLucia(ErrorCode::kInvalidSessionId);
  return id;
}

text* DigestOf(const text* token) {
  char digest[core::kStoredDigestLength];
  core::StoredDigest(TextView(token), digest);
  return cstring_to_text_with_len(digest, sizeof digest);
}

bool HasDigestPrefix(const text* value) { return core::HasStoredDigestPrefix(TextView(value)); }

int RunForEitherForm(Statement statement, Datum* values, const char* nulls, long count) {
  if (!DescribedTable(AuthTable::kSession).distributed) return RunStatement(statement, values, nulls, count);
  // Citus places each form in the shard its own hash names: a statement that looks for both runs on
  // two shards, and fails when either is unreachable. Each form is looked for by itself (both
  // parameters the same value), in a single-shard statement. hash_session_ids turns the plain form into
  // the digest and never back, so a session converted between two statements is found when the plain
  // form is looked for before the digest; when the digest comes first, it is looked for again last.
  Datum first = values[0];
  Datum second = values[1];
  bool same = TextView(DatumGetTextPP(first)) == TextView(DatumGetTextPP(second));
  Datum order[3] = {first, second, first};
  int tries = same ? 1 : HasDigestPrefix(DatumGetTextPP(first)) ? 3 : 2;
  int rc = 0;
  for (int i = 0; i < tries; ++i) {
    values[0] = values[1] = order[i];
    rc = RunStatement(statement, values, nulls, count);
    if (SPI_processed > 0) break;
  }
  values[0] = first;
  values[1] = second;
  return rc;
}

text* StoredIdOf(text* token) {
  return SessionIdStorageSetting() == SessionIdStorage::kSha256 ? DigestOf(token) : token;
}

void RequireCreatedAtForAbsolutePeriod() {
  if (AbsolutePeriodMs() > 0 && DescribedTable(AuthTable::kSession).created_at == 0) {
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("lucia_auth.absolute_period needs a column created_at of type bigint in table %s",
                           DescribedTable(AuthTable::kSession).quoted),
                    errhint("ALTER TABLE %s ADD COLUMN created_at bigint; lucia_auth fills it.",
                            DescribedTable(AuthTable::kSession).quoted)));
  }
}

std::int64_t AbsoluteEndOf(bool created_at_known, std::int64_t created_at) {
  return core::AbsoluteEnd(created_at_known, created_at, AbsolutePeriodMs());
}

core::SessionExpiry NewExpiry(std::int64_t now, std::int64_t absolute_end) {
  core::SessionExpiry expiry{};
  CallCore([&] { expiry = core::NewSessionExpiry(now, ActivePeriodMs(), IdlePeriodMs(), absolute_end); });
  return expiry;
}

bool FindValidSession(text* token, SessionRead mode, ValidSession* found) {
  // A value read from the session table is never a token.
  if (HasDigestPrefix(token)) return false;
  // The session may be stored under the token itself or under its digest: the form of the setting is
  // looked for first, the other one after (sessions stored before the setting changed).
  text* digest = nullptr;
  ValidSession session{};
  SessionColumns& columns = session.columns;
  if (!LookUp(token, SessionIdStorageSetting() == SessionIdStorage::kSha256, &digest, &columns)) return false;
  // A session stored as a digest is this token's only when the digest is the token's, byte for byte:
  // where the id column compares otherwise (citext, a case-insensitive collation), the stored value
  // spelt another way would otherwise pass for a token.
  if (HasDigestPrefix(DatumGetTextPP(columns.id))) {
    if (digest == nullptr) digest = DigestOf(token);
    if (TextView(DatumGetTextPP(columns.id)) != TextView(digest)) return false;
  }
  std::int64_t now = NowMs();
  session.state = columns.expiry_null
                      ? SessionState::kDead
                      : core::ClassifySession(now, columns.active_expires, columns.idle_expires,
                                              AbsoluteEndOf(columns.created_at_known, columns.created_at));
  if (session.state == SessionState::kDead) return false;
  // A standby or a read-only transaction cannot renew: the session is returned as read (idle, not
  // fresh), and renewal is left to a call on the primary.
  if (session.state == SessionState::kIdle && mode == SessionRead::kValidate && !XactReadOnly &&
      !RecoveryInProgress()) {
    // A session without created_at gets it now, and its absolute lifetime counts from now.
    core::SessionExpiry expiry =
        NewExpiry(now, AbsoluteEndOf(true, columns.created_at_known ? columns.created_at : now));
    if (digest == nullptr) digest = DigestOf(token);
    Datum args[5] = {columns.id, PointerGetDatum(digest), Int64GetDatum(expiry.active_expires),
                     Int64GetDatum(expiry.idle_expires), Int64GetDatum(now)};
    SPI_connect();
    RunForEitherForm(Statement::kRenewSession, args, nullptr, 0);
    bool renewed = SPI_processed > 0;
    SPI_finish();
    // Deleted since it was read: there is nothing left to renew.
    if (!renewed) return false;
    columns.active_expires = expiry.active_expires;
    columns.idle_expires = expiry.idle_expires;
    if (!columns.created_at_known && DescribedTable(AuthTable::kSession).created_at > 0) {
      columns.created_at_known = true;
      columns.created_at = now;
    }
    session.fresh = true;
  }
  *found = session;
  return true;
}

ValidSession ReadValidSession(text* token, SessionRead mode) {
  ValidSession session;
  if (!FindValidSession(token, mode, &session)) RaiseLucia(ErrorCode::kInvalidSessionId);
  return session;
}

Datum SessionRow(FunctionCallInfo fcinfo, const ValidSession& session, text* token) {
  TupleDesc result = ResultDescriptor(fcinfo);
  // The client holds the token: a session stored as a digest is returned with it.
  SessionColumns shown = session.columns;
  if (HasDigestPrefix(DatumGetTextPP(shown.id))) shown.id = PointerGetDatum(token);
  // Lucia returns a renewed session with its state as read ("idle") and fresh = true.
  return HeapTupleGetDatum(
      FormSessionRow(result, shown, core::SessionStateName(session.state), session.fresh));
}

}  // namespace lucia::pg
