// The application's auth tables, named by the lucia_auth.*_table settings, and the statements run on them.
//
// Statements are prepared once per backend with SPI and kept; they are dropped and prepared again when a
// table setting changes. PostgreSQL's plan cache replans them by itself when a table is altered.
#pragma once

extern "C" {
#include "postgres.h"

#include "executor/spi.h"
#include "utils/jsonb.h"
}

namespace lucia::pg {

enum class AuthTable { kUser, kKey, kSession };

enum class Statement {
  kSessionWithUser,
  kRenewSession,
  kInsertSession,
  kInsertSessionRow,
  kGetKey,
  kInsertKey,
  kUpdateKeyPassword,
  kDeleteKey,
  kUserKeys,
  kGetUser,
  kInsertUser,
  kLockUser,
  kDeleteUserSessions,
  kDeleteUserKeys,
  kDeleteUser,
  kUserSessions,
  kDeleteSession,
  kDeleteDeadSessions,
  kCount,
};

// The prepared plan of a statement; call between SPI_connect and SPI_finish.
SPIPlanPtr PreparedPlan(Statement statement);

// The table's name as the statements write it: schema-qualified (public when the setting names no
// schema) and quoted where needed.
const char* QuotedTableName(AuthTable table);

// The schema and name of the table, as resolved from its setting.
void TableSchemaAndName(AuthTable table, const char** schema, const char** name);

// Statements with attribute columns, built for each call from the keys of the attributes argument (a
// JSON object whose keys must be columns of the table other than Lucia's own; anything else raises an
// error that names the problem). Each returns NULL when the object has no keys: then the prepared
// statement without attributes applies.
//   InsertUserSql:    $1 user id, $2 attributes; returns the user row
//   InsertSessionSql: $1 session id, $2 user id, $3 active_expires, $4 idle_expires, $5 attributes;
//                     returns the session row
//   UpdateUserSql:    $1 user id, $2 attributes; returns the user row
//   UpdateSessionSql: $1 session id, $2 attributes
char* InsertUserSql(Jsonb* attributes);
char* InsertSessionSql(Jsonb* attributes);
char* UpdateUserSql(Jsonb* attributes);
char* UpdateSessionSql(Jsonb* attributes);

// Runs a prepared plan. A unique violation becomes AUTH_DUPLICATE_KEY_ID and a foreign-key violation
// AUTH_INVALID_USER_ID when the flags ask for it; other errors pass through.
inline constexpr int kMapUniqueToDuplicateKey = 1;
inline constexpr int kMapForeignKeyToInvalidUser = 2;
int ExecutePlan(SPIPlanPtr plan, Datum* values, const char* nulls, bool read_only, long count,
                int map_errors);
int ExecuteSql(const char* sql, int nargs, Oid* types, Datum* values, const char* nulls, long count,
               int map_errors);

}  // namespace lucia::pg
