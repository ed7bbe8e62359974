// The statements lucia_auth runs on the auth tables, and how they run.
//
// Each statement is written once, as SQL with placeholders for what depends on the tables (their names,
// how their id columns compare, the attribute columns of a call). Prepared once per backend with a
// generic plan, so that neither EXPLAIN nor auto_explain ever shows a parameter's value, and prepared
// again when what it was built from changes. Every statement runs as the tables' owner (auth_tables.hpp).
#pragma once

extern "C" {
#include "postgres.h"

#include "executor/spi.h"
#include "utils/jsonb.h"
}

#include "pg/auth_tables.hpp"
#include "pg/boundary.hpp"

namespace lucia::pg {

enum class Statement {
  kSessionWithUser,
  kRenewSession,
  kInsertSession,
  kInsertSessionCapped,
  kTrimUserSessions,
  kUpdateSession,
  kGetKey,
  kInsertKey,
  kUpdateKeyPassword,
  kRehashKeyPassword,
  kLockKeyUser,
  kDeleteKey,
  kUserKeys,
  kGetUser,
  kInsertUser,
  kUpdateUser,
  kLockUser,
  kDeleteUserSessions,
  kDeleteUserKeys,
  kDeleteUser,
  kUserHasSessionOrKey,
  kUserSessions,
  kDeleteSession,
  kDeleteOtherSessions,
  kDeleteDeadSessions,
  kDeleteExpiredSessions,
  kDeleteExpiredOrOldSessions,
  kHashSessionIds,
  kCount,
};

// How an error of a statement that writes is reported.
struct OnError {
  int constraints = kPassConstraintErrors;  // constraint violations that are Lucia's errors (boundary.hpp)
  bool hide_detail = false;                 // drop the detail: it would list a new row with its hash
};

// Runs statement with these parameters, as the owner of its tables; call between SPI_connect and
// SPI_finish. The result is SPI's (SPI_processed, SPI_tuptable).
int RunStatement(Statement statement, Datum* values, const char* nulls, long count, OnError on_error = {});

// The same for a statement that writes attributes (kInsertUser, kInsertSession[Capped], kUpdateUser,
// kUpdateSession): its text gets the columns named by the keys of attributes, a JSON object whose keys
// must be columns of `table` other than Lucia's own (anything else raises an error that names the
// problem). With no attributes (NULL or {}), inserts run the prepared statement, and updates run nothing
// and return -1.
int RunWithAttributes(Statement statement, AuthTable table, Jsonb* attributes, Datum* values,
                      const char* nulls, long count, OnError on_error = {});

// Before a function writes to several tables where one is distributed by Citus: Citus refuses a write
// to a reference table after a parallel write to a distributed table in the same transaction (the user
// row after the user's sessions, in delete_user), unless multi-shard writes run one shard at a time.
// Sets citus.multi_shard_modify_mode to sequential until the calling function returns.
void SequentialShardWrites(unsigned tables);

// Runs statement with the given snapshot (for the checks that must see what committed after the
// transaction's snapshot, under REPEATABLE READ).
int RunStatementWithSnapshot(Statement statement, Datum* values, const char* nulls, long count,
                             Snapshot snapshot);

}  // namespace lucia::pg
