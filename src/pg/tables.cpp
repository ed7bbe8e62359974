#include "pg/tables.hpp"

extern "C" {
#include "catalog/namespace.h"
#include "catalog/pg_type_d.h"
#include "lib/stringinfo.h"
#include "nodes/makefuncs.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
#include "utils/elog.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/varlena.h"
}

#include <cstring>

#include "core/error.hpp"
#include "pg/boundary.hpp"
#include "pg/settings.hpp"

namespace lucia::pg {

namespace {

// Text of the columns a session row is made of. Every name, cast and operator is schema-qualified so
// that nothing on the caller's search_path can stand in for them.
#define SESSION_COLUMNS                                                                    \
  "s.id::pg_catalog.text, s.user_id::pg_catalog.text, s.active_expires::pg_catalog.int8, " \
  "s.idle_expires::pg_catalog.int8, "                                                      \
  "pg_catalog.to_jsonb(u.*) OPERATOR(pg_catalog.-) 'id'::pg_catalog.text, "                \
  "pg_catalog.to_jsonb(s.*) OPERATOR(pg_catalog.-) "                                       \
  "'{id,user_id,active_expires,idle_expires}'::pg_catalog.text[]"
#define KEY_COLUMNS                                     \
  "k.id::pg_catalog.text, k.user_id::pg_catalog.text, " \
  "COALESCE(pg_catalog.octet_length(k.hashed_password) OPERATOR(pg_catalog.>) 0, false)"
#define USER_COLUMNS \
  "u.id::pg_catalog.text, pg_catalog.to_jsonb(u.*) OPERATOR(pg_catalog.-) 'id'::pg_catalog.text"

struct StatementText {
  const char* sql;
  int nargs;
  Oid types[5];
};

const StatementText kStatements[] = {
    // kSessionWithUser($1 session id)
    {"SELECT " SESSION_COLUMNS " FROM {S} AS s JOIN {U} AS u ON u.id OPERATOR(pg_catalog.=) s.user_id"
     " WHERE s.id OPERATOR(pg_catalog.=) $1",
     1,
     {TEXTOID}},
    // kRenewSession($1 session id, $2 active_expires, $3 idle_expires)
    {"UPDATE {S} AS s SET active_expires = $2, idle_expires = $3 WHERE s.id OPERATOR(pg_catalog.=) $1",
     3,
     {TEXTOID, INT8OID, INT8OID}},
    // kInsertSession($1 session id, $2 user id, $3 active_expires, $4 idle_expires): inserts nothing when
    // the user does not exist, and holds the user row (as a foreign key check would) so that a
    // concurrent delete_user cannot leave the session without its user, even without a foreign key.
    {"WITH u AS (SELECT u.* FROM {U} AS u WHERE u.id OPERATOR(pg_catalog.=) $2 FOR KEY SHARE),"
     " s AS (INSERT INTO {S} (id, user_id, active_expires, idle_expires{C}) SELECT $1, u.id, $3, $4{V}"
     " FROM u{F} RETURNING *)"
     " SELECT " SESSION_COLUMNS " FROM s, u",
     4,
     {TEXTOID, TEXTOID, INT8OID, INT8OID}},
    // kInsertSessionRow($1 session id, $2 user id, $3 active_expires, $4 idle_expires): the row alone,
    // once the user has been read.
    {"INSERT INTO {S} (id, user_id, active_expires, idle_expires) VALUES ($1, $2, $3, $4)",
     4,
     {TEXTOID, TEXTOID, INT8OID, INT8OID}},
    // kGetKey($1 key id): the hash is read only to verify it, inside the server.
    {"SELECT k.id::pg_catalog.text, k.user_id::pg_catalog.text, k.hashed_password::pg_catalog.text"
     " FROM {K} AS k WHERE k.id OPERATOR(pg_catalog.=) $1",
     1,
     {TEXTOID}},
    // kInsertKey($1 key id, $2 user id, $3 hashed password): as kInsertSession, for a key.
    {"INSERT INTO {K} (id, user_id, hashed_password) SELECT $1, u.id, $3 FROM {U} AS u"
     " WHERE u.id OPERATOR(pg_catalog.=) $2 FOR KEY SHARE",
     3,
     {TEXTOID, TEXTOID, TEXTOID}},
    // kUpdateKeyPassword($1 key id, $2 hashed password)
    {"UPDATE {K} AS k SET hashed_password = $2 WHERE k.id OPERATOR(pg_catalog.=) $1 RETURNING " KEY_COLUMNS,
     2,
     {TEXTOID, TEXTOID}},
    // kDeleteKey($1 key id)
    {"DELETE FROM {K} AS k WHERE k.id OPERATOR(pg_catalog.=) $1", 1, {TEXTOID}},
    // kUserKeys($1 user id): one row with NULL key columns when the user has no key, none when the
    // user does not exist.
    {"SELECT " KEY_COLUMNS " FROM {U} AS u LEFT JOIN {K} AS k ON k.user_id OPERATOR(pg_catalog.=) u.id"
     " WHERE u.id OPERATOR(pg_catalog.=) $1 ORDER BY k.id",
     1,
     {TEXTOID}},
    // kGetUser($1 user id)
    {"SELECT " USER_COLUMNS " FROM {U} AS u WHERE u.id OPERATOR(pg_catalog.=) $1", 1, {TEXTOID}},
    // kInsertUser($1 user id)
    {"INSERT INTO {U} AS u (id{C}) SELECT $1{V}{F} RETURNING " USER_COLUMNS, 1, {TEXTOID}},
    // kLockUser($1 user id): delete_user takes the user row first, so that no session or key can be
    // added for it until the delete commits (creators wait, then find no user).
    {"SELECT 1 FROM {U} AS u WHERE u.id OPERATOR(pg_catalog.=) $1 FOR UPDATE", 1, {TEXTOID}},
    // kDeleteUserSessions($1 user id)
    {"DELETE FROM {S} AS s WHERE s.user_id OPERATOR(pg_catalog.=) $1", 1, {TEXTOID}},
    // kDeleteUserKeys($1 user id)
    {"DELETE FROM {K} AS k WHERE k.user_id OPERATOR(pg_catalog.=) $1", 1, {TEXTOID}},
    // kDeleteUser($1 user id)
    {"DELETE FROM {U} AS u WHERE u.id OPERATOR(pg_catalog.=) $1", 1, {TEXTOID}},
    // kUserSessions($1 user id): as kUserKeys, one row of NULLs for a user without sessions.
    {"SELECT " SESSION_COLUMNS " FROM {U} AS u LEFT JOIN {S} AS s ON s.user_id OPERATOR(pg_catalog.=) u.id"
     " WHERE u.id OPERATOR(pg_catalog.=) $1 ORDER BY s.id",
     1,
     {TEXTOID}},
    // kDeleteSession($1 session id)
    {"DELETE FROM {S} AS s WHERE s.id OPERATOR(pg_catalog.=) $1", 1, {TEXTOID}},
    // kDeleteDeadSessions($1 user id, $2 now)
    {"DELETE FROM {S} AS s WHERE s.user_id OPERATOR(pg_catalog.=) $1"
     " AND s.idle_expires OPERATOR(pg_catalog.<) $2",
     2,
     {TEXTOID, INT8OID}},
};
static_assert(sizeof kStatements / sizeof kStatements[0] == static_cast<int>(Statement::kCount),
              "one text per statement");

struct ResolvedTable {
  char* schema;
  char* name;
  char* quoted;
};

struct TableCache {
  std::uint64_t generation;
  ResolvedTable tables[3];
  SPIPlanPtr plans[static_cast<int>(Statement::kCount)];
};

TableCache cache;

// Largest attributes argument accepted, as stored jsonb.
constexpr Size kMaxAttributesBytes = 1024 * 1024;

const char* SettingName(AuthTable table) {
  switch (table) {
    case AuthTable::kUser:
      return "lucia_auth.user_table";
    case AuthTable::kKey:
      return "lucia_auth.key_table";
    case AuthTable::kSession:
      return "lucia_auth.session_table";
  }
  return "";
}

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

void ResolveTable(AuthTable table, ResolvedTable* out) {
  MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
  char* raw = pstrdup(SettingValue(table));
  List* names = NIL;
  if (!SplitIdentifierString(raw, '.', &names) || list_length(names) < 1 || list_length(names) > 2) {
    MemoryContextSwitchTo(old);
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s is not a table name: \"%s\"", SettingName(table), SettingValue(table))));
  }
  // An unqualified name is a table of schema public, whatever the caller's search_path.
  out->schema = pstrdup(list_length(names) == 2 ? static_cast<char*>(linitial(names)) : "public");
  out->name = pstrdup(static_cast<char*>(llast(names)));
  out->quoted = psprintf("%s.%s", quote_identifier(out->schema), quote_identifier(out->name));
  list_free(names);
  pfree(raw);
  MemoryContextSwitchTo(old);
}

void FreeResolved() {
  for (auto& plan : cache.plans) {
    if (plan != nullptr) SPI_freeplan(plan);
    plan = nullptr;
  }
  for (auto& table : cache.tables) {
    if (table.quoted != nullptr) {
      pfree(table.schema);
      pfree(table.name);
      pfree(table.quoted);
    }
    table = ResolvedTable{nullptr, nullptr, nullptr};
  }
  cache.generation = 0;
}

void EnsureResolved() {
  if (cache.generation == TableSettingsGeneration()) return;
  FreeResolved();
  ResolveTable(AuthTable::kUser, &cache.tables[0]);
  ResolveTable(AuthTable::kKey, &cache.tables[1]);
  ResolveTable(AuthTable::kSession, &cache.tables[2]);
  cache.generation = TableSettingsGeneration();
}

// Expands {U}, {K}, {S} to table names and {C}, {V}, {F} to the given attribute fragments.
char* Expand(const char* text, const char* columns, const char* values, const char* from) {
  StringInfoData sql;
  initStringInfo(&sql);
  for (const char* p = text; *p != '\0'; ++p) {
    if (p[0] == '{' && p[1] != '\0' && p[2] == '}') {
      switch (p[1]) {
        case 'U':
          appendStringInfoString(&sql, cache.tables[0].quoted);
          break;
        case 'K':
          appendStringInfoString(&sql, cache.tables[1].quoted);
          break;
        case 'S':
          appendStringInfoString(&sql, cache.tables[2].quoted);
          break;
        case 'C':
          appendStringInfoString(&sql, columns);
          break;
        case 'V':
          appendStringInfoString(&sql, values);
          break;
        case 'F':
          appendStringInfoString(&sql, from);
          break;
        default:
          appendStringInfoString(&sql, "{?}");
          break;
      }
      p += 2;
      continue;
    }
    appendStringInfoChar(&sql, *p);
  }
  return sql.data;
}

bool IsLuciaColumn(AuthTable table, const char* name) {
  if (std::strcmp(name, "id") == 0) return true;
  if (table == AuthTable::kSession) {
    return std::strcmp(name, "user_id") == 0 || std::strcmp(name, "active_expires") == 0 ||
           std::strcmp(name, "idle_expires") == 0;
  }
  return false;
}

int MapError(int sqlstate, int map_errors) {
  if ((map_errors & kMapUniqueToDuplicateKey) && sqlstate == ERRCODE_UNIQUE_VIOLATION) {
    return static_cast<int>(core::ErrorCode::kDuplicateKeyId) + 1;
  }
  if ((map_errors & kMapForeignKeyToInvalidUser) && sqlstate == ERRCODE_FOREIGN_KEY_VIOLATION) {
    return static_cast<int>(core::ErrorCode::kInvalidUserId) + 1;
  }
  return 0;
}

// Turns a constraint violation into Lucia's error; any other error is thrown on unchanged.
pg_attribute_noreturn() void RethrowMapped(MemoryContext context, int map_errors) {
  MemoryContextSwitchTo(context);
  ErrorData* error = CopyErrorData();
  int mapped = MapError(error->sqlerrcode, map_errors);
  if (mapped == 0) {
    FreeErrorData(error);
    PG_RE_THROW();
  }
  FlushErrorState();
  FreeErrorData(error);
  auto code = static_cast<core::ErrorCode>(mapped - 1);
  RaiseError(code, core::LuciaErrorName(code));
}

}  // namespace

SPIPlanPtr PreparedPlan(Statement statement) {
  EnsureResolved();
  int index = static_cast<int>(statement);
  if (cache.plans[index] != nullptr) return cache.plans[index];
  const StatementText& text = kStatements[index];
  char* sql = Expand(text.sql, "", "", "");
  SPIPlanPtr plan = SPI_prepare(sql, text.nargs, const_cast<Oid*>(text.types));
  if (plan == nullptr) {
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not prepare a lucia_auth statement: %s",
                                                            SPI_result_code_string(SPI_result))));
  }
  SPI_keepplan(plan);
  cache.plans[index] = plan;
  pfree(sql);
  return plan;
}

namespace {

const ResolvedTable& Resolved(AuthTable table) {
  EnsureResolved();
  return cache.tables[static_cast<int>(table)];
}

// The attribute keys as quoted column names, checked against the table; NIL when there are none.
List* AttributeColumns(AuthTable table, Jsonb* attributes) {
  if (attributes == nullptr) return NIL;
  if (!JB_ROOT_IS_OBJECT(attributes) || JB_ROOT_IS_SCALAR(attributes)) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("attributes must be a JSON object")));
  }
  if (VARSIZE(attributes) > kMaxAttributesBytes) {
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("attributes are larger than 1 MiB")));
  }
  if (JB_ROOT_COUNT(attributes) == 0) return NIL;
  const ResolvedTable& resolved = Resolved(table);
  Oid relid = RangeVarGetRelid(makeRangeVar(resolved.schema, resolved.name, -1), NoLock, true);
  if (!OidIsValid(relid)) {
    ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                    errmsg("table %s named by %s does not exist", resolved.quoted, SettingName(table))));
  }
  List* columns = NIL;
  JsonbIterator* it = JsonbIteratorInit(&attributes->root);
  JsonbValue value;
  JsonbIteratorToken token;
  while ((token = JsonbIteratorNext(&it, &value, true)) != WJB_DONE) {
    if (token != WJB_KEY) continue;
    char* name = pnstrdup(value.val.string.val, value.val.string.len);
    if (IsLuciaColumn(table, name)) {
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("attribute \"%s\" cannot be set: it is one of Lucia's own columns", name)));
    }
    AttrNumber attnum = get_attnum(relid, name);
    if (attnum == InvalidAttrNumber || attnum < 0) {
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                      errmsg("attribute \"%s\" is not a column of table %s", name, resolved.quoted)));
    }
    columns = lappend(columns, const_cast<char*>(quote_identifier(name)));
  }
  return columns;
}

// Each column formatted with format (one or two %s, both the column) and joined.
char* JoinColumns(List* columns, const char* format) {
  StringInfoData out;
  initStringInfo(&out);
  ListCell* cell;
  foreach (cell, columns) {
    const char* column = static_cast<const char*>(lfirst(cell));
    appendStringInfo(&out, format, column, column);
  }
  return out.data;
}

char* PopulateRecord(AuthTable table, int param) {
  return psprintf("pg_catalog.jsonb_populate_record(NULL::%s, $%d) AS r", Resolved(table).quoted, param);
}

}  // namespace

const char* QuotedTableName(AuthTable table) { return Resolved(table).quoted; }

void TableSchemaAndName(AuthTable table, const char** schema, const char** name) {
  const ResolvedTable& resolved = Resolved(table);
  *schema = resolved.schema;
  *name = resolved.name;
}

char* InsertUserSql(Jsonb* attributes) {
  List* columns = AttributeColumns(AuthTable::kUser, attributes);
  if (columns == NIL) return nullptr;
  return Expand(kStatements[static_cast<int>(Statement::kInsertUser)].sql, JoinColumns(columns, ", %s"),
                JoinColumns(columns, ", r.%s"), psprintf(" FROM %s", PopulateRecord(AuthTable::kUser, 2)));
}

char* InsertSessionSql(Jsonb* attributes) {
  List* columns = AttributeColumns(AuthTable::kSession, attributes);
  if (columns == NIL) return nullptr;
  return Expand(kStatements[static_cast<int>(Statement::kInsertSession)].sql, JoinColumns(columns, ", %s"),
                JoinColumns(columns, ", r.%s"), psprintf(", %s", PopulateRecord(AuthTable::kSession, 5)));
}

char* UpdateUserSql(Jsonb* attributes) {
  List* columns = AttributeColumns(AuthTable::kUser, attributes);
  if (columns == NIL) return nullptr;
  char* set = JoinColumns(columns, ", %s = r.%s");
  return psprintf(
      "UPDATE %s AS u SET %s FROM %s WHERE u.id OPERATOR(pg_catalog.=) $1 RETURNING " USER_COLUMNS,
      Resolved(AuthTable::kUser).quoted, set + 2, PopulateRecord(AuthTable::kUser, 2));
}

char* UpdateSessionSql(Jsonb* attributes) {
  List* columns = AttributeColumns(AuthTable::kSession, attributes);
  if (columns == NIL) return nullptr;
  char* set = JoinColumns(columns, ", %s = r.%s");
  return psprintf("UPDATE %s AS s SET %s FROM %s WHERE s.id OPERATOR(pg_catalog.=) $1",
                  Resolved(AuthTable::kSession).quoted, set + 2, PopulateRecord(AuthTable::kSession, 2));
}

int ExecutePlan(SPIPlanPtr plan, Datum* values, const char* nulls, bool read_only, long count,
                int map_errors) {
  if (map_errors == 0) return SPI_execute_plan(plan, values, nulls, read_only, count);
  MemoryContext context = CurrentMemoryContext;
  volatile int rc = 0;
  PG_TRY();
  { rc = SPI_execute_plan(plan, values, nulls, read_only, count); }
  PG_CATCH();
  { RethrowMapped(context, map_errors); }
  PG_END_TRY();
  return rc;
}

int ExecuteSql(const char* sql, int nargs, Oid* types, Datum* values, const char* nulls, long count,
               int map_errors) {
  MemoryContext context = CurrentMemoryContext;
  volatile int rc = 0;
  PG_TRY();
  { rc = SPI_execute_with_args(sql, nargs, types, values, nulls, false, count); }
  PG_CATCH();
  { RethrowMapped(context, map_errors); }
  PG_END_TRY();
  return rc;
}

}  // namespace lucia::pg
