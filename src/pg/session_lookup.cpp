#include "pg/session_lookup.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_opfamily_d.h"
#include "catalog/pg_type_d.h"
#include "executor/tuptable.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/fmgrprotos.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/pg_locale.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

#include "pg/settings.hpp"
#include "pg/tables.hpp"

namespace lucia::pg {

namespace {

// What the direct path needs to know about one table; found once and kept until the table, its
// indexes or the settings change.
struct DirectTable {
  Oid relid;
  Oid pk_index;
  Oid collation;            // of the primary key, for the equality scan key
  AttrNumber attnums[4];    // id, then (sessions) user_id, active_expires, idle_expires
  bool only_lucia_columns;  // no attribute columns: attributes are always {}
  FmgrInfo to_jsonb;        // to_jsonb() of this table's row type
};

struct DirectCache {
  bool valid;
  bool supported;
  std::uint64_t generation;
  Oid checked_user;  // the role whose SELECT privilege was checked
  DirectTable session;
  DirectTable user;
  bool user_enforced_by_fk;  // an immediate foreign key from session.user_id to user.id
  Datum session_columns;     // text[] of Lucia's session columns, removed from session attributes
  Datum empty_object;        // jsonb {}
};

DirectCache cache;
bool callback_registered = false;
bool table_missing = false;

void InvalidateOnRelcache(Datum, Oid relid) {
  if (!cache.valid) return;
  if (relid == InvalidOid || relid == cache.session.relid || relid == cache.user.relid ||
      relid == cache.session.pk_index || relid == cache.user.pk_index) {
    cache.valid = false;
  }
}

bool IsTextLike(Oid type) { return type == TEXTOID || type == VARCHAROID; }

// Fills table from the relation; false when the direct path cannot serve it.
bool DescribeTable(AuthTable which, const char* const* columns, int ncolumns, DirectTable* table) {
  const char* schema;
  const char* name;
  TableSchemaAndName(which, &schema, &name);
  Oid relid =
      RangeVarGetRelid(makeRangeVar(const_cast<char*>(schema), const_cast<char*>(name), -1), NoLock, true);
  if (!OidIsValid(relid)) {
    // No relcache event announces a table created later: look again at the next call.
    table_missing = true;
    return false;
  }
  Relation rel = table_open(relid, AccessShareLock);
  bool ok = rel->rd_rel->relkind == RELKIND_RELATION && !rel->rd_rel->relrowsecurity;
  Oid pk_index = ok ? RelationGetPrimaryKeyIndex(rel) : InvalidOid;
  TupleDesc desc = RelationGetDescr(rel);
  int live_columns = 0;
  for (int i = 0; i < desc->natts; ++i) {
    if (!TupleDescAttr(desc, i)->attisdropped) ++live_columns;
  }
  for (int c = 0; ok && c < ncolumns; ++c) {
    AttrNumber attnum = get_attnum(relid, columns[c]);
    if (attnum <= 0) {
      ok = false;
      break;
    }
    Oid type = TupleDescAttr(desc, attnum - 1)->atttypid;
    ok = c <= 1 ? IsTextLike(type) : type == INT8OID;
    table->attnums[c] = attnum;
  }
  if (ok && OidIsValid(pk_index)) {
    Relation index = index_open(pk_index, AccessShareLock);
    ok = index->rd_rel->relam == BTREE_AM_OID && index->rd_index->indnkeyatts == 1 &&
         index->rd_index->indkey.values[0] == table->attnums[0] &&
         index->rd_opfamily[0] == TEXT_BTREE_FAM_OID &&
         (!OidIsValid(index->rd_indcollation[0]) || get_collation_isdeterministic(index->rd_indcollation[0]));
    table->collation = index->rd_indcollation[0];
    index_close(index, AccessShareLock);
  } else {
    ok = false;
  }
  if (ok) {
    table->relid = relid;
    table->pk_index = pk_index;
    table->only_lucia_columns = live_columns == ncolumns;
    // to_jsonb reads its argument's type from the call expression: give it one of this row type.
    fmgr_info_cxt(F_TO_JSONB, &table->to_jsonb, CacheMemoryContext);
    MemoryContext old = MemoryContextSwitchTo(CacheMemoryContext);
    Oid rowtype = rel->rd_rel->reltype;
    table->to_jsonb.fn_expr = reinterpret_cast<Node*>(
        makeFuncExpr(F_TO_JSONB, JSONBOID, list_make1(makeNullConst(rowtype, -1, InvalidOid)), InvalidOid,
                     InvalidOid, COERCE_EXPLICIT_CALL));
    MemoryContextSwitchTo(old);
  }
  table_close(rel, AccessShareLock);
  return ok;
}

// True when an immediate (not deferred) foreign key makes every session's user_id a user's id.
bool HasImmediateUserForeignKey() {
  Relation rel = table_open(cache.session.relid, AccessShareLock);
  bool found = false;
  ListCell* cell;
  foreach (cell, RelationGetFKeyList(rel)) {
    auto* fk = static_cast<ForeignKeyCacheInfo*>(lfirst(cell));
    if (fk->confrelid != cache.user.relid || fk->nkeys != 1 || fk->conkey[0] != cache.session.attnums[1] ||
        fk->confkey[0] != cache.user.attnums[0]) {
      continue;
    }
    HeapTuple constraint = SearchSysCache1(CONSTROID, ObjectIdGetDatum(fk->conoid));
    if (HeapTupleIsValid(constraint)) {
      found = !reinterpret_cast<Form_pg_constraint>(GETSTRUCT(constraint))->condeferred;
      ReleaseSysCache(constraint);
    }
    if (found) break;
  }
  table_close(rel, AccessShareLock);
  return found;
}

void Describe() {
  if (!callback_registered) {
    CacheRegisterRelcacheCallback(InvalidateOnRelcache, (Datum)0);
    callback_registered = true;
  }
  static const char* const kSessionColumns[] = {"id", "user_id", "active_expires", "idle_expires"};
  static const char* const kUserColumns[] = {"id"};
  cache.valid = false;
  cache.checked_user = InvalidOid;
  table_missing = false;
  cache.supported = DescribeTable(AuthTable::kSession, kSessionColumns, 4, &cache.session) &&
                    DescribeTable(AuthTable::kUser, kUserColumns, 1, &cache.user);
  cache.user_enforced_by_fk = cache.supported && HasImmediateUserForeignKey();
  if (cache.session_columns == (Datum)0) {
    MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
    Datum names[4];
    for (int i = 0; i < 4; ++i) names[i] = CStringGetTextDatum(kSessionColumns[i]);
    cache.session_columns = PointerGetDatum(construct_array(names, 4, TEXTOID, -1, false, TYPALIGN_INT));
    MemoryContextSwitchTo(old);
  }
  cache.generation = TableSettingsGeneration();
  cache.valid = !table_missing;
}

// A table and its primary-key index, open for probes within one call; the locks are kept until the
// end of the transaction, as the executor keeps them.
struct OpenTable {
  const DirectTable* table;
  Relation rel;
  Relation index;
  TupleTableSlot* slot;
};

OpenTable Open(const DirectTable& table) {
  OpenTable open{&table, table_open(table.relid, AccessShareLock), nullptr, nullptr};
  open.index = index_open(table.pk_index, AccessShareLock);
  open.slot = table_slot_create(open.rel, nullptr);
  return open;
}

void Close(OpenTable* open) {
  ExecDropSingleTupleTableSlot(open->slot);
  index_close(open->index, NoLock);
  table_close(open->rel, NoLock);
}

// Fetches the row whose primary key equals key into open->slot; false when there is none.
bool ProbePrimaryKey(OpenTable* open, Datum key, Snapshot snapshot) {
  ScanKeyData scan_key;
  ScanKeyEntryInitialize(&scan_key, 0, 1, BTEqualStrategyNumber, InvalidOid, open->table->collation, F_TEXTEQ,
                         key);
  IndexScanDesc scan = index_beginscan(open->rel, open->index, snapshot, 1, 0);
  index_rescan(scan, &scan_key, 1, nullptr, 0);
  bool found = index_getnext_slot(scan, ForwardScanDirection, open->slot);
  index_endscan(scan);
  return found;
}

Snapshot CurrentSnapshot() { return ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot(); }

Datum RowToJsonb(FmgrInfo* to_jsonb, TupleTableSlot* slot) {
  bool should_free;
  HeapTuple tuple = ExecFetchSlotHeapTuple(slot, false, &should_free);
  Datum row = heap_copy_tuple_as_datum(tuple, slot->tts_tupleDescriptor);
  return FunctionCall1(to_jsonb, row);
}

// True when the direct path may serve this call.
bool Usable() {
  if (!cache.valid || cache.generation != TableSettingsGeneration()) Describe();
  if (!cache.supported) return false;
  // The executor would check the caller's privileges; so does this path, once per role.
  Oid user = GetUserId();
  if (user != cache.checked_user) {
    if (pg_class_aclcheck(cache.session.relid, user, ACL_SELECT) != ACLCHECK_OK ||
        pg_class_aclcheck(cache.user.relid, user, ACL_SELECT) != ACLCHECK_OK) {
      return false;
    }
    cache.checked_user = user;
  }
  return true;
}

Datum UserAttributes(TupleTableSlot* user_slot) {
  if (cache.user.only_lucia_columns) return EmptyJsonbObject();
  return DirectFunctionCall2(jsonb_delete, RowToJsonb(&cache.user.to_jsonb, user_slot),
                             CStringGetTextDatum("id"));
}

}  // namespace

bool UserCheckedByForeignKey() { return Usable() && cache.user_enforced_by_fk; }

bool NewSessionNeedsNoUserRead() {
  return Usable() && cache.user_enforced_by_fk && cache.user.only_lucia_columns &&
         cache.session.only_lucia_columns;
}

Datum EmptyJsonbObject() {
  if (cache.empty_object == (Datum)0) {
    MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
    cache.empty_object = DirectFunctionCall1(jsonb_in, CStringGetDatum("{}"));
    MemoryContextSwitchTo(old);
  }
  return cache.empty_object;
}

LookupResult LookUpUserDirect(text* user_id, Datum* stored_id, Datum* attributes,
                              bool* session_attributes_empty) {
  if (!Usable()) return LookupResult::kUnsupported;
  OpenTable users = Open(cache.user);
  LookupResult result = LookupResult::kNotFound;
  if (ProbePrimaryKey(&users, PointerGetDatum(user_id), CurrentSnapshot())) {
    bool isnull;
    *stored_id =
        PointerGetDatum(PG_DETOAST_DATUM_COPY(slot_getattr(users.slot, cache.user.attnums[0], &isnull)));
    *attributes = UserAttributes(users.slot);
    *session_attributes_empty = cache.session.only_lucia_columns;
    result = LookupResult::kFound;
  }
  Close(&users);
  return result;
}

LookupResult LookUpSessionDirect(text* session_id, SessionColumns* out) {
  if (!Usable()) return LookupResult::kUnsupported;
  Snapshot snapshot = CurrentSnapshot();
  OpenTable sessions = Open(cache.session);
  LookupResult result = LookupResult::kNotFound;
  if (ProbePrimaryKey(&sessions, PointerGetDatum(session_id), snapshot)) {
    bool isnull, user_null, active_null, idle_null;
    Datum id = slot_getattr(sessions.slot, cache.session.attnums[0], &isnull);
    Datum user_id = slot_getattr(sessions.slot, cache.session.attnums[1], &user_null);
    Datum active = slot_getattr(sessions.slot, cache.session.attnums[2], &active_null);
    Datum idle = slot_getattr(sessions.slot, cache.session.attnums[3], &idle_null);
    if (!user_null) {
      OpenTable users = Open(cache.user);
      if (ProbePrimaryKey(&users, user_id, snapshot)) {
        out->id = PointerGetDatum(PG_DETOAST_DATUM_COPY(id));
        out->user_id = PointerGetDatum(PG_DETOAST_DATUM_COPY(user_id));
        out->expiry_null = active_null || idle_null;
        out->active_expires = active_null ? 0 : DatumGetInt64(active);
        out->idle_expires = idle_null ? 0 : DatumGetInt64(idle);
        out->user_attributes = UserAttributes(users.slot);
        out->session_attributes =
            cache.session.only_lucia_columns
                ? EmptyJsonbObject()
                : DirectFunctionCall2(jsonb_delete_array, RowToJsonb(&cache.session.to_jsonb, sessions.slot),
                                      cache.session_columns);
        result = LookupResult::kFound;
      }
      Close(&users);
    }
  }
  Close(&sessions);
  return result;
}

}  // namespace lucia::pg
