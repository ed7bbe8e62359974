#include "pg/statements.hpp"

extern "C" {
#include "catalog/pg_type_d.h"
#include "lib/stringinfo.h"
#include "nodes/params.h"
#include "nodes/parsenodes.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "utils/memutils.h"
#include "utils/snapmgr.h"
}

#include <cstring>

#include "pg/attributes.hpp"
#include "pg/boundary.hpp"

namespace lucia::pg {

namespace {

// The columns of the rows the functions return. Every name, cast and operator is schema-qualified so
// that nothing on the caller's search_path can stand in for them. {CREATED_AT} is lucia_auth's
// created_at column, or NULL when the table has none.
#define SESSION_COLUMNS                                                                    \
  "s.id::pg_catalog.text, s.user_id::pg_catalog.text, s.active_expires::pg_catalog.int8, " \
  "s.idle_expires::pg_catalog.int8, "                                                      \
  "{USER_ATTRIBUTES}, {SESSION_ATTRIBUTES}, {CREATED_AT}"
#define KEY_COLUMNS                                     \
  "k.id::pg_catalog.text, k.user_id::pg_catalog.text, " \
  "COALESCE(pg_catalog.octet_length(k.hashed_password) OPERATOR(pg_catalog.>) 0, false)"
#define USER_COLUMNS "u.id::pg_catalog.text, {USER_ATTRIBUTES}"

// create_session: takes the user row first (as a foreign key check would, but before the insert) and
// inserts nothing when there is no such user, so that a concurrent delete_user neither leaves the
// session without its user nor deadlocks with it, with or without a foreign key.
#define INSERT_SESSION(USER_LOCK)                                                                            \
  "WITH u AS (SELECT u.* FROM {U} AS u WHERE {u.id = $2} " USER_LOCK                                         \
  "),"                                                                                                       \
  " s AS (INSERT INTO {S} (id, user_id, active_expires, idle_expires{CC}{C}) SELECT $1, u.id, $3, $4{CV}{V}" \
  " FROM u{F} RETURNING *)"                                                                                  \
  " SELECT " SESSION_COLUMNS " FROM s, u"

// The stored id of a session (the token itself, or its digest) is hashed in SQL the way
// core::StoredDigest hashes it: the bytes of the id in the database encoding.
#define STORED_DIGEST_OF_ID                                                                      \
  "'sha256$' OPERATOR(pg_catalog.||) pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(" \
  "s.id::pg_catalog.text, pg_catalog.getdatabaseencoding())), 'hex')"

// The conditions of the batch statements on the session table.
#define DEAD_SESSION "s.idle_expires OPERATOR(pg_catalog.<) $1"
#define DEAD_OR_OLD_SESSION \
  "(s.idle_expires OPERATOR(pg_catalog.<) $1 OR s.created_at OPERATOR(pg_catalog.<) $3)"
#define PLAIN_SESSION_ID "NOT (s.id::pg_catalog.text OPERATOR(pg_catalog.^@) 'sha256$')"

// Placeholders: {U}, {K}, {S} are the tables; {u.id = expr}, {s.user_id = expr}, … compare a column of
// the table with alias u, k or s as its type compares (auth_tables.hpp); {C}, {V}, {F} and {SET} are the
// attribute columns of a call (empty without attributes); {CC} and {CV} write created_at when
// lucia_auth fills it; the others are described where they are expanded.
struct StatementText {
  const char* sql;
  unsigned tables;
  int nargs;
  Oid types[6];
  // The text on tables distributed by Citus, for a statement whose text above cannot run there.
  const char* citus_sql;
};

const StatementText kStatements[] = {
    // kSessionWithUser($1 id in the form looked for first, $2 in the other form): the session stored
    // under either form of its token (plain or digest), with its user; both forms in one statement, so
    // that a session converted by hash_session_ids meanwhile is found in one form or the other.
    {"SELECT " SESSION_COLUMNS " FROM {S} AS s JOIN {U} AS u ON {u.id = s.user_id}"
     " WHERE {s.id = $1} OR {s.id = $2} ORDER BY {s.id = $1} DESC LIMIT 1",
     kSessionTable | kUserTable,
     2,
     {TEXTOID, TEXTOID}},
    // kRenewSession($1 stored id, $2 the token's digest, $3 active_expires, $4 idle_expires, $5 now):
    // either form, as the row may have been converted since it was read. A session that has no
    // created_at yet gets one now: its absolute lifetime counts from its first renewal by lucia_auth.
    {"UPDATE {S} AS s SET active_expires = $3, idle_expires = $4{RENEW_CREATED}"
     " WHERE {s.id = $1} OR {s.id = $2}",
     kSessionTable,
     5,
     {TEXTOID, TEXTOID, INT8OID, INT8OID, INT8OID}},
    // kInsertSession($1 stored id, $2 user id, $3 active_expires, $4 idle_expires [, $5 attributes],
    // $6 created_at)
    {INSERT_SESSION("FOR KEY SHARE"),
     kSessionTable | kUserTable,
     6,
     {TEXTOID, TEXTOID, INT8OID, INT8OID, JSONBOID, INT8OID}},
    // kInsertSessionCapped: the same with lucia_auth.max_sessions_per_user; the user row is taken
    // exclusively among creators (FOR NO KEY UPDATE still lets foreign key checks share it), so that
    // concurrent sign-ins of one user count each other's sessions.
    {INSERT_SESSION("FOR NO KEY UPDATE"),
     kSessionTable | kUserTable,
     6,
     {TEXTOID, TEXTOID, INT8OID, INT8OID, JSONBOID, INT8OID}},
    // kTrimUserSessions($1 user id as stored, $2 stored id of the session to keep, $3 how many others
    // to keep): the user's oldest sessions beyond the cap.
    {"DELETE FROM {S} AS s WHERE s.id IN (SELECT s.id FROM {S} AS s WHERE {s.user_id = $1}"
     " AND NOT ({s.id = $2}) ORDER BY {NEWEST_FIRST} OFFSET $3)",
     kSessionTable,
     3,
     {TEXTOID, TEXTOID, INT8OID}},
    // kUpdateSession($1 stored id, $2 attributes)
    {"UPDATE {S} AS s SET {SET}{F} WHERE {s.id = $1}", kSessionTable, 2, {TEXTOID, JSONBOID}},
    // kGetKey($1 key id): the hash is read only to verify it, inside the server.
    {"SELECT k.id::pg_catalog.text, k.user_id::pg_catalog.text, k.hashed_password::pg_catalog.text"
     " FROM {K} AS k WHERE {k.id = $1}",
     kKeyTable,
     1,
     {TEXTOID}},
    // kInsertKey($1 key id, $2 user id, $3 hashed password): as create_session, for a key. Citus copies
    // the rows of an INSERT … SELECT into the shards with COPY and reports an error there (a duplicate
    // key) as XX000, without its SQLSTATE, unless the statement has RETURNING: then it inserts them
    // with a statement, whose errors keep theirs.
    {"INSERT INTO {K} (id, user_id, hashed_password) SELECT $1, u.id, $3 FROM {U} AS u"
     " WHERE {u.id = $2} FOR KEY SHARE",
     kKeyTable | kUserTable,
     3,
     {TEXTOID, TEXTOID, TEXTOID},
     "INSERT INTO {K} (id, user_id, hashed_password) SELECT $1, u.id, $3 FROM {U} AS u"
     " WHERE {u.id = $2} FOR KEY SHARE RETURNING id"},
    // kUpdateKeyPassword($1 key id, $2 hashed password)
    {"UPDATE {K} AS k SET hashed_password = $2 WHERE {k.id = $1} RETURNING " KEY_COLUMNS,
     kKeyTable,
     2,
     {TEXTOID, TEXTOID}},
    // kRehashKeyPassword($1 key id, $2 the hash verified, $3 its replacement): use_key with
    // lucia_auth.rehash_on_login. Only while the key still holds the hash that was verified, and never
    // waiting for a row another transaction holds (a password change in progress wins).
    {"UPDATE {K} AS k SET hashed_password = $3 FROM (SELECT k.id FROM {K} AS k WHERE {k.id = $1}"
     " AND k.hashed_password::pg_catalog.text OPERATOR(pg_catalog.=) $2"
     " FOR NO KEY UPDATE SKIP LOCKED) AS held WHERE {k.id = $1}",
     kKeyTable,
     3,
     {TEXTOID, TEXTOID, TEXTOID}},
    // kLockKeyUser($1 key id): update_key_password with lucia_auth.revoke_sessions_on_password_change
    // takes the key's user row before it writes, as delete_user does.
    {"SELECT u.id::pg_catalog.text FROM {K} AS k JOIN {U} AS u ON {u.id = k.user_id} WHERE {k.id = $1}"
     " FOR KEY SHARE OF u",
     kKeyTable | kUserTable,
     1,
     {TEXTOID}},
    // kDeleteKey($1 key id)
    {"DELETE FROM {K} AS k WHERE {k.id = $1}", kKeyTable, 1, {TEXTOID}},
    // kUserKeys($1 user id): one row with NULL key columns when the user has no key, none when the
    // user does not exist.
    {"SELECT " KEY_COLUMNS " FROM {U} AS u LEFT JOIN {K} AS k ON {k.user_id = u.id}"
     " WHERE {u.id = $1} ORDER BY k.id",
     kKeyTable | kUserTable,
     1,
     {TEXTOID}},
    // kGetUser($1 user id)
    {"SELECT " USER_COLUMNS " FROM {U} AS u WHERE {u.id = $1}", kUserTable, 1, {TEXTOID}},
    // kInsertUser($1 user id [, $2 attributes])
    {"INSERT INTO {U} AS u (id{C}) SELECT $1{V}{F} RETURNING " USER_COLUMNS,
     kUserTable,
     1,
     {TEXTOID, JSONBOID}},
    // kUpdateUser($1 user id, $2 attributes). Citus allows no function that is not IMMUTABLE (to_jsonb)
    // in the RETURNING list of a write: there, the row is returned as it is and its columns are made
    // from it.
    {"UPDATE {U} AS u SET {SET}{F} WHERE {u.id = $1} RETURNING " USER_COLUMNS,
     kUserTable,
     2,
     {TEXTOID, JSONBOID},
     "WITH u AS (UPDATE {U} AS u SET {SET}{F} WHERE {u.id = $1} RETURNING u.*) SELECT " USER_COLUMNS
     " FROM u"},
    // kLockUser($1 user id): delete_user takes the user row first, so that no session or key can be
    // added for it until the delete commits (creators wait, then find no user). Returns the stored id.
    {"SELECT u.id::pg_catalog.text FROM {U} AS u WHERE {u.id = $1} FOR UPDATE", kUserTable, 1, {TEXTOID}},
    // kDeleteUserSessions($1 user id)
    {"DELETE FROM {S} AS s WHERE {s.user_id = $1}", kSessionTable, 1, {TEXTOID}},
    // kDeleteUserKeys($1 user id)
    {"DELETE FROM {K} AS k WHERE {k.user_id = $1}", kKeyTable, 1, {TEXTOID}},
    // kDeleteUser($1 user id)
    {"DELETE FROM {U} AS u WHERE {u.id = $1}", kUserTable, 1, {TEXTOID}},
    // kUserHasSessionOrKey($1 user id)
    {"SELECT 1 FROM {S} AS s WHERE {s.user_id = $1}"
     " UNION ALL SELECT 1 FROM {K} AS k WHERE {k.user_id = $1} LIMIT 1",
     kSessionTable | kKeyTable,
     1,
     {TEXTOID}},
    // kUserSessions($1 user id): as kUserKeys, one row of NULLs for a user without sessions. Citus
    // plans the outer join of its reference table with a distributed one by fetching the columns of the
    // sessions it sees named, not their whole rows (the attributes would be lost): there, the sessions
    // joined with their user on the shards, and a row of NULLs for the user whether it has sessions or
    // not (sorted last).
    {"SELECT " SESSION_COLUMNS " FROM {U} AS u LEFT JOIN {S} AS s ON {s.user_id = u.id}"
     " WHERE {u.id = $1} ORDER BY s.id",
     kSessionTable | kUserTable,
     1,
     {TEXTOID},
     "SELECT " SESSION_COLUMNS " FROM {S} AS s JOIN {U} AS u ON {u.id = s.user_id} WHERE {s.user_id = $1}"
     " UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM {U} AS u WHERE {u.id = $1}"
     " ORDER BY 1"},
    // kDeleteSession($1, $2: the session id in both forms)
    {"DELETE FROM {S} AS s WHERE {s.id = $1} OR {s.id = $2}", kSessionTable, 2, {TEXTOID, TEXTOID}},
    // kDeleteOtherSessions($1 user id as stored, $2 and $3: the kept session's id in both forms)
    {"DELETE FROM {S} AS s WHERE {s.user_id = $1} AND NOT ({s.id = $2} OR {s.id = $3})",
     kSessionTable,
     3,
     {TEXTOID, TEXTOID, TEXTOID}},
    // kDeleteDeadSessions($1 user id, $2 now)
    {"DELETE FROM {S} AS s WHERE {s.user_id = $1} AND s.idle_expires OPERATOR(pg_catalog.<) $2",
     kSessionTable,
     2,
     {TEXTOID, INT8OID}},
    // kDeleteExpiredSessions($1 now, $2 batch size): dead sessions of every user, found through the
    // index on idle_expires, skipping rows that others hold. Citus locks no rows of a query on several
    // shards (FOR UPDATE), and its rows have no tuple ids of their own: there, the batch is found by id
    // and the condition checked again as each row is deleted.
    {"DELETE FROM {S} AS s WHERE s.ctid OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT s.ctid FROM {S} AS s"
     " WHERE " DEAD_SESSION " LIMIT $2 FOR UPDATE SKIP LOCKED))",
     kSessionTable,
     3,
     {INT8OID, INT8OID, INT8OID},
     "DELETE FROM {S} AS s WHERE s.id IN (SELECT s.id FROM {S} AS s WHERE " DEAD_SESSION " LIMIT $2)"
     " AND " DEAD_SESSION},
    // kDeleteExpiredOrOldSessions($1 now, $2 batch size, $3 oldest created_at still alive): the same,
    // with the sessions past lucia_auth.absolute_period (through the index on created_at).
    {"DELETE FROM {S} AS s WHERE s.ctid OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT s.ctid FROM {S} AS s"
     " WHERE " DEAD_OR_OLD_SESSION " LIMIT $2 FOR UPDATE SKIP LOCKED))",
     kSessionTable,
     3,
     {INT8OID, INT8OID, INT8OID},
     "DELETE FROM {S} AS s WHERE s.id IN (SELECT s.id FROM {S} AS s WHERE " DEAD_OR_OLD_SESSION " LIMIT $2)"
     " AND " DEAD_OR_OLD_SESSION},
    // kHashSessionIds($1 batch size): plain-stored sessions converted to the stored digest of their id.
    // Citus keeps each row in the shard that the hash of its id names, and changes no id in place: there,
    // each row moves, deleted under its plain id and inserted under its digest in the same transaction.
    {"UPDATE {S} AS s SET id = " STORED_DIGEST_OF_ID " WHERE s.ctid OPERATOR(pg_catalog.=) ANY (ARRAY("
     "SELECT s.ctid FROM {S} AS s WHERE " PLAIN_SESSION_ID " LIMIT $1 FOR UPDATE SKIP LOCKED))",
     kSessionTable,
     1,
     {INT8OID},
     "WITH moved AS (DELETE FROM {S} AS s WHERE s.id IN (SELECT s.id FROM {S} AS s WHERE " PLAIN_SESSION_ID
     " LIMIT $1) AND " PLAIN_SESSION_ID " RETURNING s.*)"
     " INSERT INTO {S} (id, user_id, active_expires, idle_expires{MOVED_COLUMNS})"
     " SELECT " STORED_DIGEST_OF_ID ", s.user_id, s.active_expires, s.idle_expires{MOVED_VALUES}"
     " FROM moved AS s"},
};
static_assert(sizeof kStatements / sizeof kStatements[0] == static_cast<int>(Statement::kCount),
              "one text per statement");

// The attribute fragments of one call, and created_at's.
struct Fragments {
  const char* columns = "";     // {C}: ", a, b"
  const char* values = "";      // {V}: ", r.a, r.b"
  const char* from = "";        // {F}: the jsonb_populate_record source of r
  const char* set = "";         // {SET}: "a = r.a, b = r.b"
  bool fill_created_at = true;  // {CC}, {CV}: write created_at (when the table has it)
};

const TableInfo& TableOfAlias(char alias) {
  switch (alias) {
    case 'u':
      return DescribedTable(AuthTable::kUser);
    case 'k':
      return DescribedTable(AuthTable::kKey);
    default:
      return DescribedTable(AuthTable::kSession);
  }
}

// Appends "{a.col = expr}": the column compared with expr as the column's type and collation compare,
// whatever the collation of expr (in a join, the other column's).
void AppendComparison(StringInfo sql, const char* start, const char* end) {
  // start points after '{', end at '}'.
  const char* dot = static_cast<const char*>(std::memchr(start, '.', end - start));
  const char* equals = static_cast<const char*>(std::memchr(start, '=', end - start));
  if (dot == nullptr || equals == nullptr) elog(ERROR, "lucia_auth: bad statement placeholder");
  const TableInfo& table = TableOfAlias(start[0]);
  bool user_id = std::strncmp(dot + 1, "user_id", 7) == 0;
  const Comparison& c = user_id ? table.user_id : table.id;
  const char* expr = equals + 1;
  while (*expr == ' ') ++expr;
  appendBinaryStringInfo(sql, start, static_cast<int>(equals - start));
  appendStringInfo(sql, "%s CAST(", c.operator_sql);
  appendBinaryStringInfo(sql, expr, static_cast<int>(end - expr));
  appendStringInfo(sql, " AS %s)%s", c.type_sql, c.collate_sql);
}

char* Expand(const char* text, const Fragments& fragments) {
  StringInfoData sql;
  initStringInfo(&sql);
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p != '{') {
      appendStringInfoChar(&sql, *p);
      continue;
    }
    const char* end = std::strchr(p, '}');
    std::size_t length = static_cast<std::size_t>(end - p - 1);
    std::string_view name(p + 1, length);
    if (name == "U") {
      appendStringInfoString(&sql, DescribedTable(AuthTable::kUser).quoted);
    } else if (name == "K") {
      appendStringInfoString(&sql, DescribedTable(AuthTable::kKey).quoted);
    } else if (name == "S") {
      appendStringInfoString(&sql, DescribedTable(AuthTable::kSession).quoted);
    } else if (name == "C") {
      appendStringInfoString(&sql, fragments.columns);
    } else if (name == "V") {
      appendStringInfoString(&sql, fragments.values);
    } else if (name == "F") {
      appendStringInfoString(&sql, fragments.from);
    } else if (name == "SET") {
      appendStringInfoString(&sql, fragments.set);
    } else if (name == "USER_ATTRIBUTES") {
      // A table with no column but Lucia's own has no attributes to read: {} without to_jsonb.
      appendStringInfoString(&sql,
                             DescribedTable(AuthTable::kUser).shown_attribute_count == 0
                                 ? "'{}'::pg_catalog.jsonb"
                                 : "pg_catalog.to_jsonb(u.*) OPERATOR(pg_catalog.-) 'id'::pg_catalog.text");
    } else if (name == "SESSION_ATTRIBUTES") {
      const TableInfo& sessions = DescribedTable(AuthTable::kSession);
      if (sessions.shown_attribute_count == 0) {
        appendStringInfoString(&sql, "'{}'::pg_catalog.jsonb");
      } else {
        // Every column but Lucia's own, and lucia_auth's created_at.
        appendStringInfo(&sql,
                         "pg_catalog.to_jsonb(s.*) OPERATOR(pg_catalog.-) ARRAY['id', 'user_id', "
                         "'active_expires', 'idle_expires'%s]::pg_catalog.text[]",
                         sessions.created_at > 0 ? ", 'created_at'" : "");
      }
    } else if (name == "CC" || name == "CV" || name == "CREATED_AT" || name == "RENEW_CREATED" ||
               name == "NEWEST_FIRST") {
      bool created_at = DescribedTable(AuthTable::kSession).created_at > 0;
      if (name == "CC" && created_at && fragments.fill_created_at)
        appendStringInfoString(&sql, ", created_at");
      if (name == "CV" && created_at && fragments.fill_created_at) appendStringInfoString(&sql, ", $6");
      if (name == "CREATED_AT") {
        appendStringInfoString(&sql, created_at ? "s.created_at::pg_catalog.int8" : "NULL::pg_catalog.int8");
      }
      if (name == "RENEW_CREATED" && created_at) {
        appendStringInfoString(&sql, ", created_at = COALESCE(s.created_at, $5)");
      }
      // The oldest sessions are the ones created first, or, without created_at, renewed last longest ago.
      if (name == "NEWEST_FIRST") {
        appendStringInfoString(&sql, created_at ? "s.created_at DESC NULLS LAST, s.idle_expires DESC, s.id"
                                                : "s.idle_expires DESC, s.id");
      }
    } else if (name == "MOVED_COLUMNS" || name == "MOVED_VALUES") {
      // Every column of the session table but Lucia's own: ", a, b" or ", s.a, s.b".
      const TableInfo& sessions = DescribedTable(AuthTable::kSession);
      for (int i = 0; i < sessions.attribute_count; ++i) {
        appendStringInfo(&sql, name == "MOVED_COLUMNS" ? ", %s" : ", s.%s",
                         quote_identifier(sessions.attribute_names[i]));
      }
    } else {
      AppendComparison(&sql, p + 1, end);
    }
    p = end;
  }
  return sql.data;
}

int PlanOptions(const StatementText& text);

// True when a table of the statement is distributed by Citus.
bool OnCitus(const StatementText& text) {
  for (int i = 0; i < kAuthTableCount; ++i) {
    auto table = static_cast<AuthTable>(i);
    if ((text.tables & TableBit(table)) && DescribedTable(table).distributed) return true;
  }
  return false;
}

// The text of the statement for the tables as they are.
const char* TextOf(const StatementText& text) {
  return text.citus_sql != nullptr && OnCitus(text) ? text.citus_sql : text.sql;
}

struct CachedPlan {
  std::uint64_t generation;
  Oid owner;
  int options;
  char* sql;
  SPIPlanPtr plan;
};
CachedPlan plans[static_cast<int>(Statement::kCount)];
MemoryContext plan_texts = nullptr;

// Plans with the parameters' values inlined (custom plans) would show them to EXPLAIN and auto_explain:
// statements are planned generic. Citus, though, routes a statement to a shard by the values of its
// parameters and cannot plan it without them: on its tables the plans are custom.
int PlanOptions(const StatementText& text) {
  return OnCitus(text) ? CURSOR_OPT_CUSTOM_PLAN : CURSOR_OPT_GENERIC_PLAN;
}

SPIPlanPtr Prepare(const char* sql, const StatementText& text, Oid owner) {
  int options = PlanOptions(text);
  OwnerScope scope = EnterOwner(owner);
  SPIPlanPtr plan = SPI_prepare_cursor(sql, text.nargs, const_cast<Oid*>(text.types), options);
  LeaveOwner(scope);
  if (plan == nullptr) {
    ereport(ERROR, (errcode(ERRCODE_INTERNAL_ERROR), errmsg("could not prepare a lucia_auth statement: %s",
                                                            SPI_result_code_string(SPI_result))));
  }
  return plan;
}

// The prepared plan of statement for the tables as described now (call after LockTables).
SPIPlanPtr PreparedPlan(Statement statement, Oid owner) {
  CachedPlan& cached = plans[static_cast<int>(statement)];
  if (cached.plan != nullptr && cached.generation == TablesGeneration() && cached.owner == owner) {
    return cached.plan;
  }
  const StatementText& text = kStatements[static_cast<int>(statement)];
  char* sql = Expand(TextOf(text), Fragments{});
  // Described again but built the same (the common case: statistics were updated): keep the plan.
  if (cached.plan != nullptr && cached.owner == owner && cached.options == PlanOptions(text) &&
      std::strcmp(sql, cached.sql) == 0) {
    cached.generation = TablesGeneration();
    pfree(sql);
    return cached.plan;
  }
  if (plan_texts == nullptr) {
    plan_texts = AllocSetContextCreate(CacheMemoryContext, "lucia_auth statements", ALLOCSET_SMALL_SIZES);
  }
  SPIPlanPtr plan = Prepare(sql, text, owner);
  SPI_keepplan(plan);
  if (cached.plan != nullptr) {
    SPI_freeplan(cached.plan);
    pfree(cached.sql);
  }
  cached =
      CachedPlan{TablesGeneration(), owner, PlanOptions(text), MemoryContextStrdup(plan_texts, sql), plan};
  pfree(sql);
  return plan;
}

// The parameters of a statement as the plan cache gets them. Not marked constant, so that even a custom
// plan (plan_cache_mode = force_custom_plan, which any role may set) keeps them as $n rather than
// writing their values into the plan; Citus, which routes by value, gets them constant.
ParamListInfo Parameters(SPIPlanPtr plan, Datum* values, const char* nulls, bool constant) {
  int count = SPI_getargcount(plan);
  ParamListInfo params = makeParamList(count);
  for (int i = 0; i < count; ++i) {
    ParamExternData* param = &params->params[i];
    param->value = values[i];
    param->isnull = nulls != nullptr && nulls[i] == 'n';
    param->pflags = constant ? PARAM_FLAG_CONST : 0;
    param->ptype = SPI_getargtypeid(plan, i);
  }
  return params;
}

int Execute(SPIPlanPtr plan, Oid owner, Datum* values, const char* nulls, long count, Snapshot snapshot,
            OnError on_error, bool values_in_plan) {
  SPIExecuteOptions options{};
  options.params = Parameters(plan, values, nulls, values_in_plan);
  options.tcount = static_cast<uint64>(count);
  OwnerScope scope = EnterOwner(owner);
  int rc = 0;
  auto run = [&] {
    rc = snapshot != nullptr
             ? SPI_execute_snapshot(plan, values, nulls, snapshot, InvalidSnapshot, false, false, count)
             : SPI_execute_plan_extended(plan, &options);
  };
  if (on_error.constraints == kPassConstraintErrors && !on_error.hide_detail) {
    run();
  } else {
    RewriteErrors(run, [&](ErrorData* error) {
      if (on_error.hide_detail) DropErrorDetail(error);
      RaiseLuciaForConstraint(error, on_error.constraints);
    });
  }
  LeaveOwner(scope);
  return rc;
}

}  // namespace

int RunStatement(Statement statement, Datum* values, const char* nulls, long count, OnError on_error) {
  const StatementText& text = kStatements[static_cast<int>(statement)];
  Oid owner = LockTables(text.tables, false);
  return Execute(PreparedPlan(statement, owner), owner, values, nulls, count, nullptr, on_error,
                 PlanOptions(text) == CURSOR_OPT_CUSTOM_PLAN);
}

void SequentialShardWrites(unsigned tables) {
  bool distributed = false;
  for (int i = 0; i < kAuthTableCount; ++i) {
    auto table = static_cast<AuthTable>(i);
    distributed |= (tables & TableBit(table)) && DescribedTable(table).distributed;
  }
  // GUC_ACTION_SAVE: undone when the function's own settings (its search_path) are, at its return.
  if (distributed) {
    set_config_option("citus.multi_shard_modify_mode", "sequential", PGC_USERSET, PGC_S_SESSION,
                      GUC_ACTION_SAVE, true, 0, false);
  }
}

int RunStatementWithSnapshot(Statement statement, Datum* values, const char* nulls, long count,
                             Snapshot snapshot) {
  const StatementText& text = kStatements[static_cast<int>(statement)];
  Oid owner = LockTables(text.tables, false);
  return Execute(PreparedPlan(statement, owner), owner, values, nulls, count, snapshot, OnError{},
                 PlanOptions(text) == CURSOR_OPT_CUSTOM_PLAN);
}

int RunWithAttributes(Statement statement, AuthTable table, Jsonb* attributes, Datum* values,
                      const char* nulls, long count, OnError on_error) {
  const StatementText& text = kStatements[static_cast<int>(statement)];
  Oid owner = LockTables(text.tables, false);
  bool session_insert =
      statement == Statement::kInsertSession || statement == Statement::kInsertSessionCapped;
  AttributeSql attribute_sql = AttributeColumns(DescribedTable(table), attributes, session_insert ? 5 : 2);
  bool update = statement == Statement::kUpdateUser || statement == Statement::kUpdateSession;
  if (attribute_sql.empty) {
    if (update) return -1;
    return Execute(PreparedPlan(statement, owner), owner, values, nulls, count, nullptr, on_error,
                   PlanOptions(text) == CURSOR_OPT_CUSTOM_PLAN);
  }
  Fragments fragments;
  if (update) {
    fragments.set = attribute_sql.set;
    fragments.from = psprintf(" FROM %s", attribute_sql.source);
  } else {
    fragments.columns = attribute_sql.columns;
    fragments.values = attribute_sql.values;
    fragments.from = psprintf(session_insert ? ", %s" : " FROM %s", attribute_sql.source);
  }
  // A created_at given as an attribute is written as given.
  fragments.fill_created_at = !attribute_sql.names_created_at;
  char* sql = Expand(TextOf(text), fragments);
  StatementText with_attributes = text;
  if (!session_insert) with_attributes.nargs = 2;
  SPIPlanPtr plan = Prepare(sql, with_attributes, owner);
  int rc = Execute(plan, owner, values, nulls, count, nullptr, on_error,
                   PlanOptions(text) == CURSOR_OPT_CUSTOM_PLAN);
  SPI_freeplan(plan);
  return rc;
}

}  // namespace lucia::pg
