#include "pg/auth_tables.hpp"

extern "C" {
#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relation.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/transam.h"
#include "catalog/namespace.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_cast.h"
#include "catalog/pg_class_d.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_namespace_d.h"
#include "catalog/pg_opfamily_d.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type_d.h"
#include "commands/defrem.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "storage/lmgr.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"
}

#include <cstring>

#include "pg/settings.hpp"

namespace lucia::pg {

namespace {

struct Described {
  bool valid;     // nothing changed since the tables were described
  bool complete;  // every table exists
  std::uint64_t settings_generation;
  std::uint64_t generation;  // TablesGeneration()
  MemoryContext context;     // everything below; reset when the tables are described again
  TableInfo tables[kAuthTableCount];
  Oid citus_catalog;  // pg_dist_partition, when Citus is installed
};

Described described;
bool callback_registered = false;

// Privilege checks, kept until a table's description or any role or role membership changes (an
// ACL change of a table is a relcache invalidation; role changes are invalidations of pg_authid and
// pg_auth_members), so that a revoked privilege takes effect at the next call in every backend, as it
// does for the executor, which checks the same catalogs through the same caches.
std::uint64_t role_generation = 1;
struct PrivilegeCheck {
  std::uint64_t tables_generation;
  std::uint64_t role_generation;
  Oid role;
  Oid other;
  bool allowed;
};
PrivilegeCheck acts_as_owner{};
PrivilegeCheck reads_directly{};

void InvalidateOnRoles(Datum, int, uint32) { ++role_generation; }

bool Fresh(const PrivilegeCheck& check, Oid role, Oid other) {
  return check.tables_generation == described.generation && check.role_generation == role_generation &&
         check.role == role && check.other == other;
}

// The order in which the tables are locked: the tables that refer to users before the user table, as
// PostgreSQL's own DDL on a foreign key locks them (DROP TABLE of a session table takes it, then the
// user table): the other order could deadlock with such DDL.
const AuthTable kLockOrder[kAuthTableCount] = {AuthTable::kSession, AuthTable::kKey, AuthTable::kUser};

const char* const kSettingNames[kAuthTableCount] = {"lucia_auth.user_table", "lucia_auth.key_table",
                                                    "lucia_auth.session_table"};

const char* SettingValue(AuthTable table) {
  switch (table) {
    case AuthTable::kUser:
      return UserTableSetting();
    case AuthTable::kKey:
      return KeyTableSetting();
    case AuthTable::kSession:
      return SessionTableSetting();
  }
  return "";
}

void InvalidateOnRelcache(Datum, Oid relid) {
  if (!described.valid) return;
  // Citus announces a table distributed (or no longer) by invalidating its catalog pg_dist_partition.
  if (relid == InvalidOid || relid == described.citus_catalog) {
    described.valid = false;
    return;
  }
  for (const TableInfo& table : described.tables) {
    if (table.exists && (relid == table.relid || relid == table.pk_index)) described.valid = false;
  }
}

// A text datum can stand for a value of type as it is: the same type, its base type, or a cast that is
// binary (text to varchar, text to citext).
bool TakesDatumOf(Oid type, Oid source) {
  if (type == source || getBaseType(source) == type) return true;
  HeapTuple cast = SearchSysCache2(CASTSOURCETARGET, ObjectIdGetDatum(source), ObjectIdGetDatum(type));
  if (!HeapTupleIsValid(cast)) return false;
  bool binary = reinterpret_cast<Form_pg_cast>(GETSTRUCT(cast))->castmethod == COERCION_METHOD_BINARY;
  ReleaseSysCache(cast);
  return binary;
}

// " COLLATE schema.name" of a collation, or "" for none.
const char* CollateClause(Oid collation) {
  if (!OidIsValid(collation)) return "";
  HeapTuple tuple = SearchSysCache1(COLLOID, ObjectIdGetDatum(collation));
  if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for collation %u", collation);
  auto* form = reinterpret_cast<Form_pg_collation>(GETSTRUCT(tuple));
  const char* clause =
      psprintf(" COLLATE %s",
               quote_qualified_identifier(get_namespace_name(form->collnamespace), NameStr(form->collname)));
  ReleaseSysCache(tuple);
  return clause;
}

// The comparison of column attnum (0: none, compared as text) of a table, of type column_type and
// collation column_collation.
Comparison DescribeComparison(AttrNumber attnum, Oid column_type, Oid column_collation) {
  Comparison c{};
  c.attnum = attnum;
  c.column_type = column_type;
  c.padded = OidIsValid(column_type) && getBaseType(column_type) == BPCHAROID;
  Oid opclass = OidIsValid(column_type) ? GetDefaultOpClass(column_type, BTREE_AM_OID) : InvalidOid;
  Oid op = InvalidOid;
  if (OidIsValid(opclass)) {
    c.opfamily = get_opclass_family(opclass);
    c.compare_type = get_opclass_input_type(opclass);
    op = get_opfamily_member(c.opfamily, c.compare_type, c.compare_type, BTEqualStrategyNumber);
  }
  if (!OidIsValid(op)) {
    // No btree equality for the type: compare as text (the statement then says what does not fit).
    c.opfamily = TEXT_BTREE_FAM_OID;
    c.compare_type = TEXTOID;
    op = TextEqualOperator;
  }
  HeapTuple tuple = SearchSysCache1(OPEROID, ObjectIdGetDatum(op));
  if (!HeapTupleIsValid(tuple)) elog(ERROR, "cache lookup failed for operator %u", op);
  auto* form = reinterpret_cast<Form_pg_operator>(GETSTRUCT(tuple));
  c.operator_sql = psprintf("OPERATOR(%s.%s)", quote_identifier(get_namespace_name(form->oprnamespace)),
                            NameStr(form->oprname));
  c.equal_proc = form->oprcode;
  ReleaseSysCache(tuple);
  // With the type modifier left out, not as "character", which SQL reads as character(1).
  c.type_sql =
      format_type_extended(c.compare_type, -1, FORMAT_TYPE_FORCE_QUALIFY | FORMAT_TYPE_TYPEMOD_GIVEN);
  c.collate_sql = type_is_collatable(c.compare_type) ? CollateClause(column_collation) : "";
  c.takes_text = TakesDatumOf(c.compare_type, TEXTOID);
  return c;
}

// True when Citus has taken the table over: its rows then live in shards on the workers, and the
// coordinator's own heap is an empty shell that only the planner knows to look past.
bool IsCitusTable(Oid relid) {
  Oid catalog = get_relname_relid("pg_dist_partition", PG_CATALOG_NAMESPACE);
  described.citus_catalog = catalog;
  if (!OidIsValid(catalog)) return false;
  Relation rel = table_open(catalog, AccessShareLock);
  ScanKeyData key;
  // pg_dist_partition.logicalrelid is its first column.
  ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
  SysScanDesc scan = systable_beginscan(rel, InvalidOid, false, nullptr, 1, &key);
  bool found = HeapTupleIsValid(systable_getnext(scan));
  systable_endscan(scan);
  table_close(rel, AccessShareLock);
  return found;
}

bool IsLuciaColumn(AuthTable table, const char* name) {
  if (std::strcmp(name, "id") == 0) return true;
  switch (table) {
    case AuthTable::kUser:
      return false;
    case AuthTable::kKey:
      return std::strcmp(name, "user_id") == 0 || std::strcmp(name, "hashed_password") == 0;
    case AuthTable::kSession:
      return std::strcmp(name, "user_id") == 0 || std::strcmp(name, "active_expires") == 0 ||
             std::strcmp(name, "idle_expires") == 0;
  }
  return false;
}

// Whether the primary key index of rel (locked) lets a probe find what `WHERE id = $1` finds.
void DescribePrimaryKey(Relation rel, TableInfo* table) {
  Oid pk = RelationGetPrimaryKeyIndex(rel);
  if (!OidIsValid(pk)) return;
  LockRelationOid(pk, AccessShareLock);
  // Taking the lock may have brought news of a concurrent REINDEX: the primary key may be another index.
  if (RelationGetPrimaryKeyIndex(rel) != pk) {
    described.valid = false;
    return;
  }
  Relation index = index_open(pk, NoLock);
  const Comparison& id = table->id;
  Oid column_collation = TupleDescAttr(RelationGetDescr(rel), id.attnum - 1)->attcollation;
  // A deferrable key may hold two rows of one id until commit, where a statement would see both.
  bool ok = index->rd_rel->relam == BTREE_AM_OID && index->rd_index->indnkeyatts == 1 &&
            index->rd_index->indkey.values[0] == id.attnum && RelationGetIndexExpressions(index) == NIL &&
            index->rd_opfamily[0] == id.opfamily && index->rd_opcintype[0] == id.compare_type &&
            index->rd_indcollation[0] == column_collation && index->rd_index->indimmediate && id.takes_text &&
            !id.padded;
  table->pk_collation = index->rd_indcollation[0];
  // An index built over broken HOT chains serves only transactions that began after it was built: the
  // planner leaves it out before then, and so does the direct path (OwnerReadsSessionsDirectly).
  table->pk_usable_after = index->rd_index->indcheckxmin
                               ? HeapTupleHeaderGetXmin(index->rd_indextuple->t_data)
                               : InvalidTransactionId;
  index_close(index, NoLock);
  if (ok) table->pk_index = pk;
}

void DescribeTable(AuthTable which, TableInfo* table) {
  *table = TableInfo{};
  table->which = which;
  table->setting = kSettingNames[static_cast<int>(which)];
  char* schema;
  char* name;
  if (!SplitTableName(SettingValue(which), &schema, &name)) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s is not a table name: \"%s\"", table->setting, SettingValue(which))));
  }
  table->schema = schema;
  table->name = name;
  table->quoted = quote_qualified_identifier(schema, name);
  Oid relid = RangeVarGetRelidExtended(makeRangeVar(schema, name, -1), AccessShareLock, RVR_MISSING_OK,
                                       nullptr, nullptr);
  if (!OidIsValid(relid)) return;
  table->exists = true;
  table->relid = relid;
  Relation rel = relation_open(relid, NoLock);
  table->owner = rel->rd_rel->relowner;
  TupleDesc desc = RelationGetDescr(rel);
  auto** attributes = static_cast<const char**>(palloc0(sizeof(char*) * (desc->natts + 1)));
  for (int i = 0; i < desc->natts; ++i) {
    Form_pg_attribute attribute = TupleDescAttr(desc, i);
    if (attribute->attisdropped) continue;
    const char* column = NameStr(attribute->attname);
    AttrNumber attnum = attribute->attnum;
    if (std::strcmp(column, "id") == 0) {
      table->id = DescribeComparison(attnum, attribute->atttypid, attribute->attcollation);
    }
    if (std::strcmp(column, "user_id") == 0) {
      table->user_id = DescribeComparison(attnum, attribute->atttypid, attribute->attcollation);
    }
    if (std::strcmp(column, "active_expires") == 0) table->active_expires = attnum;
    if (std::strcmp(column, "idle_expires") == 0) table->idle_expires = attnum;
    if (std::strcmp(column, "created_at") == 0 && attribute->atttypid == INT8OID) table->created_at = attnum;
    if (!IsLuciaColumn(which, column)) attributes[table->attribute_count++] = pstrdup(column);
  }
  table->attribute_names = attributes;
  // lucia_auth's created_at may be set as an attribute but is not shown as one.
  table->shown_attribute_count = table->attribute_count - (table->created_at > 0 ? 1 : 0);
  if (table->id.attnum == 0) table->id = DescribeComparison(0, InvalidOid, InvalidOid);
  if (table->user_id.attnum == 0) table->user_id = DescribeComparison(0, InvalidOid, InvalidOid);
  table->expiries_bigint = table->active_expires > 0 && table->idle_expires > 0 &&
                           TupleDescAttr(desc, table->active_expires - 1)->atttypid == INT8OID &&
                           TupleDescAttr(desc, table->idle_expires - 1)->atttypid == INT8OID;

  table->distributed = IsCitusTable(relid);
  // The direct path reads sessions and their users only.
  bool heap_of_its_own = rel->rd_rel->relkind == RELKIND_RELATION &&
                         rel->rd_rel->relam == HEAP_TABLE_AM_OID && !rel->rd_rel->relrowsecurity &&
                         !rel->rd_rel->relhassubclass && !table->distributed;
  if (which != AuthTable::kKey && heap_of_its_own && table->id.attnum > 0 &&
      (which == AuthTable::kUser || (table->expiries_bigint && !table->user_id.padded))) {
    DescribePrimaryKey(rel, table);
    if (OidIsValid(table->pk_index)) {
      table->direct = true;
      // to_jsonb reads its argument's type from the call expression: give it one of this row type.
      table->to_jsonb = static_cast<FmgrInfo*>(palloc0(sizeof(FmgrInfo)));
      fmgr_info_cxt(F_TO_JSONB, table->to_jsonb, CurrentMemoryContext);
      table->to_jsonb->fn_expr = reinterpret_cast<Node*>(
          makeFuncExpr(F_TO_JSONB, JSONBOID, list_make1(makeNullConst(rel->rd_rel->reltype, -1, InvalidOid)),
                       InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL));
    }
  }
  relation_close(rel, NoLock);
}

void Describe() {
  if (!callback_registered) {
    CacheRegisterRelcacheCallback(InvalidateOnRelcache, (Datum)0);
    CacheRegisterSyscacheCallback(AUTHOID, InvalidateOnRoles, (Datum)0);
    CacheRegisterSyscacheCallback(AUTHMEMROLEMEM, InvalidateOnRoles, (Datum)0);
    callback_registered = true;
  }
  if (described.context == nullptr) {
    described.context = AllocSetContextCreate(CacheMemoryContext, "lucia_auth tables", ALLOCSET_SMALL_SIZES);
  }
  MemoryContextReset(described.context);
  described.valid = false;
  described.complete = false;
  // Not current until every table is described: an error in between (a lock timeout, a cancel) leaves
  // a description that the next call makes again.
  described.settings_generation = 0;
  MemoryContext old = MemoryContextSwitchTo(described.context);
  // Valid from here on, unless an invalidation arrives while the tables are being described.
  described.valid = true;
  // In the order LockTables locks them (see there).
  for (AuthTable which : kLockOrder) DescribeTable(which, &described.tables[static_cast<int>(which)]);
  MemoryContextSwitchTo(old);
  // Sessions are read with their user: the direct path joins the two by a probe of the user's primary key
  // with the session's user_id, which must then be a value of the user id's comparison type.
  TableInfo& sessions = described.tables[static_cast<int>(AuthTable::kSession)];
  const TableInfo& users = described.tables[static_cast<int>(AuthTable::kUser)];
  if (sessions.direct && !(users.direct && sessions.user_id.attnum > 0 &&
                           TakesDatumOf(users.id.compare_type, sessions.user_id.column_type))) {
    sessions.direct = false;
  }
  described.complete = true;
  for (const TableInfo& table : described.tables) described.complete &= table.exists;
  described.settings_generation = TableSettingsGeneration();
  ++described.generation;
}

bool Current() { return described.valid && described.settings_generation == TableSettingsGeneration(); }

const char* RoleName(Oid role) {
  const char* name = GetUserNameFromId(role, true);
  return name != nullptr ? quote_identifier(name) : psprintf("with OID %u", role);
}

}  // namespace

const TableInfo& DescribedTable(AuthTable table) {
  if (!Current()) Describe();
  return described.tables[static_cast<int>(table)];
}

std::uint64_t TablesGeneration() noexcept { return described.generation; }

Oid LockTables(unsigned tables, bool with_primary_keys) {
  // A missing table is looked for again at each call: nothing announces that it was created.
  if (!Current() || !described.complete) Describe();
  // Locking may bring invalidations (a table renamed, dropped, altered or reindexed meanwhile): then
  // describe again and lock what is described now, until what is locked is what is described (as
  // RangeVarGetRelidExtended does: each round needs another change committed meanwhile), so that the
  // direct path never opens a relation that it has not locked. In kLockOrder.
  for (;;) {
    for (AuthTable which : kLockOrder) {
      const TableInfo& table = described.tables[static_cast<int>(which)];
      if (!(tables & TableBit(which)) || !table.exists) continue;
      LockRelationOid(table.relid, AccessShareLock);
      if (with_primary_keys && table.direct) LockRelationOid(table.pk_index, AccessShareLock);
    }
    if (Current()) break;
    CHECK_FOR_INTERRUPTS();
    Describe();
  }
  Oid owner = InvalidOid;
  const TableInfo* first = nullptr;
  for (const TableInfo& table : described.tables) {
    if (!(tables & TableBit(table.which))) continue;
    if (!table.exists) {
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                      errmsg("table %s named by %s does not exist", table.quoted, table.setting)));
    }
    if (first == nullptr) {
      first = &table;
      owner = table.owner;
    } else if (table.owner != owner) {
      ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                      errmsg("the auth tables must have one owner: %s belongs to role %s, %s to role %s",
                             first->quoted, RoleName(owner), table.quoted, RoleName(table.owner)),
                      errhint("lucia_auth runs its statements on the tables as their owner.")));
    }
  }
  Oid functions_owner = GetUserId();
  if (!Fresh(acts_as_owner, functions_owner, owner)) {
    acts_as_owner = PrivilegeCheck{described.generation, role_generation, functions_owner, owner,
                                   has_privs_of_role(functions_owner, owner)};
  }
  if (!acts_as_owner.allowed) {
    ereport(ERROR, (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                    errmsg("lucia_auth's functions run as role %s, which lacks the privileges of role %s, "
                           "the owner of %s",
                           RoleName(functions_owner), RoleName(owner), first->quoted),
                    errhint("Give the tables to a role that the functions' owner is a member of.")));
  }
  return owner;
}

bool OwnerReadsSessionsDirectly(Oid owner) {
  const TableInfo& sessions = described.tables[static_cast<int>(AuthTable::kSession)];
  const TableInfo& users = described.tables[static_cast<int>(AuthTable::kUser)];
  if (!sessions.direct || !users.direct) return false;
  for (const TableInfo* table : {&sessions, &users}) {
    if (TransactionIdIsValid(table->pk_usable_after) &&
        !TransactionIdPrecedes(table->pk_usable_after, TransactionXmin)) {
      return false;
    }
  }
  if (!Fresh(reads_directly, owner, InvalidOid)) {
    reads_directly = PrivilegeCheck{described.generation, role_generation, owner, InvalidOid,
                                    pg_class_aclcheck(sessions.relid, owner, ACL_SELECT) == ACLCHECK_OK &&
                                        pg_class_aclcheck(users.relid, owner, ACL_SELECT) == ACLCHECK_OK};
  }
  return reads_directly.allowed;
}

OwnerScope EnterOwner(Oid owner) {
  OwnerScope scope{};
  GetUserIdAndSecContext(&scope.saved_user, &scope.saved_context);
  SetUserIdAndSecContext(owner,
                         scope.saved_context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
  return scope;
}

void LeaveOwner(const OwnerScope& scope) { SetUserIdAndSecContext(scope.saved_user, scope.saved_context); }

}  // namespace lucia::pg
