// The application's auth tables: which tables the functions use (the lucia_auth.*_table settings), what
// lucia_auth knows about them, and who its statements on them run as.
//
// What is known about the tables is found once per backend and kept until a table or one of its indexes
// changes (a relcache invalidation) or a table setting changes; a table found missing is looked for again
// at each call, since nothing announces that it was created.
//
// Who the statements run as. The functions that use the tables are SECURITY DEFINER: they run as their
// owner, by default the superuser who created the extension. Everything attached to a table (triggers,
// defaults, constraints, index expressions, domains, rules, policies) runs as the role executing the
// statement, so the statements on the tables run as the tables' owner, in a security-restricted
// operation (as PostgreSQL's own maintenance commands do): code attached to the tables runs with the
// privileges of the role that could attach it, never with the functions' owner's. The tables a statement
// touches must have one owner, and the functions' owner must have that owner's privileges.
#pragma once

extern "C" {
#include "postgres.h"

#include "access/attnum.h"
#include "fmgr.h"
}

#include <cstdint>

namespace lucia::pg {

enum class AuthTable { kUser = 0, kKey = 1, kSession = 2 };
inline constexpr int kAuthTableCount = 3;

// A set of tables, for the statements and reads that touch several.
inline constexpr unsigned TableBit(AuthTable table) { return 1u << static_cast<int>(table); }
inline constexpr unsigned kUserTable = TableBit(AuthTable::kUser);
inline constexpr unsigned kKeyTable = TableBit(AuthTable::kKey);
inline constexpr unsigned kSessionTable = TableBit(AuthTable::kSession);

// How the statements compare a column with a value: with the equality operator of the default btree
// operator class of the column's type, the value cast to that class's input type. So a citext id
// compares as citext does, the column's collation applies, and the table's indexes serve the comparison,
// exactly as `WHERE id = $1` would in plain SQL.
struct Comparison {
  AttrNumber attnum;  // 0 when the table has no such column
  Oid column_type;
  Oid opfamily;
  Oid compare_type;          // the operator class's input type
  RegProcedure equal_proc;   // the equality operator's function, for index scan keys
  const char* operator_sql;  // OPERATOR(schema.=)
  const char* type_sql;      // compare_type as SQL, schema-qualified
  const char* collate_sql;   // " COLLATE schema.name": the column's collation, written out so that a
                             // join compares as the column does; "" for a type without collation
  bool takes_text;           // a text datum is a compare_type datum as it is (text, varchar, citext, …)
  bool padded;               // character(n): stored blank-padded, which only a statement trims
};

struct TableInfo {
  AuthTable which;
  const char* setting;  // the setting that names it: lucia_auth.user_table, …
  const char* schema;   // as resolved from the setting (public when it names no schema)
  const char* name;
  const char* quoted;  // schema-qualified and quoted, as the statements write it
  bool exists;
  Oid relid;
  Oid owner;
  bool distributed;  // a Citus table: its rows live in shards that only Citus's planner finds
  Comparison id;
  Comparison user_id;  // the key and session tables
  // Sessions: Lucia's expiry columns, and lucia_auth's own created_at.
  AttrNumber active_expires;
  AttrNumber idle_expires;
  AttrNumber created_at;
  bool expiries_bigint;
  // Live columns other than the ones lucia_auth reads or writes itself: the attributes.
  int attribute_count;
  const char* const* attribute_names;
  int shown_attribute_count;  // the ones a row shows as attributes (all but lucia_auth's created_at)
  // The direct path: the rows a primary-key probe of the heap finds are exactly what a SELECT finds (a
  // plain heap table, no row-level security, no child tables, not distributed by Citus), the primary
  // key index compares the id as the statements do, and ids read from the heap are what a statement
  // returns (not blank-padded character(n)).
  bool direct;
  Oid pk_index;
  Oid pk_collation;
  TransactionId pk_usable_after;  // InvalidTransactionId, or the index serves transactions after it
  FmgrInfo* to_jsonb;             // to_jsonb() of this table's row type
};

// The table as currently described; it may not exist (exists == false).
const TableInfo& DescribedTable(AuthTable table);

// The tables, locked and described. Locks each table in `tables` (as a statement would) and, for the
// direct path, its primary-key index, then makes sure their description is current: a DROP, RENAME,
// ALTER or REINDEX committed before the lock is seen. Raises 42P01 for a table that does not exist, and
// 42501 when the tables have different owners or the functions' owner may not act as theirs. Returns
// the tables' owner.
Oid LockTables(unsigned tables, bool with_primary_keys);

// True when the direct path may read sessions and their users as owner: both tables qualify and the
// owner holds SELECT on them (checked as the executor checks it, again after any change of the tables'
// privileges or of roles). Call after LockTables.
bool OwnerReadsSessionsDirectly(Oid owner);

// Changes whenever the description of the tables changes, so that what is built from it (statement
// texts, prepared plans) can be rebuilt.
std::uint64_t TablesGeneration() noexcept;

// Runs the code between EnterOwner and LeaveOwner as owner, in a security-restricted operation. An error
// in between needs no LeaveOwner: the (sub)transaction's abort restores the user.
struct OwnerScope {
  Oid saved_user;
  int saved_context;
};
OwnerScope EnterOwner(Oid owner);
void LeaveOwner(const OwnerScope& scope);

}  // namespace lucia::pg
