// Attributes: the columns of the user and session tables beyond Lucia's own, which the functions'
// attributes arguments write (a JSON object whose keys are column names) and their rows show.
#pragma once

extern "C" {
#include "postgres.h"

#include "utils/jsonb.h"
}

#include "pg/auth_tables.hpp"

namespace lucia::pg {

// The SQL an attributes argument adds to a statement that writes a row of table: the columns it names,
// read from the argument (parameter $param) by jsonb_populate_record, which converts each value to the
// column's type. Empty when the argument is NULL or {}.
struct AttributeSql {
  bool empty = true;
  const char* columns = "";       // ", a, b"
  const char* values = "";        // ", r.a, r.b"
  const char* source = "";        // "pg_catalog.jsonb_populate_record(NULL::<table>, $n) AS r"
  const char* set = "";           // "a = r.a, b = r.b"
  bool names_created_at = false;  // lucia_auth's created_at is among them (then written as given)
};

// Checks the argument against the table as described (call after LockTables): an object, at most
// 1 MiB, whose keys are attribute columns. Lucia's own columns are 22023 and unknown columns 42703,
// without a catalog lookup for an unknown name.
AttributeSql AttributeColumns(const TableInfo& table, Jsonb* attributes, int param);

}  // namespace lucia::pg
