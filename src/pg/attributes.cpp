#include "pg/attributes.hpp"

extern "C" {
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/builtins.h"
}

#include <cstring>

namespace lucia::pg {

namespace {

// Largest attributes argument accepted, as stored jsonb.
constexpr Size kMaxAttributesBytes = 1024 * 1024;

bool IsAttributeColumn(const TableInfo& table, const char* name) {
  for (int i = 0; i < table.attribute_count; ++i) {
    if (std::strcmp(table.attribute_names[i], name) == 0) return true;
  }
  return false;
}

bool IsLuciaColumn(const TableInfo& table, const char* name) {
  return std::strcmp(name, "id") == 0 ||
         (table.which == AuthTable::kSession &&
          (std::strcmp(name, "user_id") == 0 || std::strcmp(name, "active_expires") == 0 ||
           std::strcmp(name, "idle_expires") == 0));
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

}  // namespace

AttributeSql AttributeColumns(const TableInfo& table, Jsonb* attributes, int param) {
  AttributeSql sql;
  if (attributes == nullptr) return sql;
  if (!JB_ROOT_IS_OBJECT(attributes) || JB_ROOT_IS_SCALAR(attributes)) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("attributes must be a JSON object")));
  }
  if (VARSIZE(attributes) > kMaxAttributesBytes) {
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED), errmsg("attributes are larger than 1 MiB")));
  }
  List* columns = NIL;
  JsonbIterator* it = JsonbIteratorInit(&attributes->root);
  JsonbValue value;
  JsonbIteratorToken token;
  while ((token = JsonbIteratorNext(&it, &value, true)) != WJB_DONE) {
    if (token != WJB_KEY) continue;
    char* name = pnstrdup(value.val.string.val, value.val.string.len);
    if (!IsAttributeColumn(table, name)) {
      if (IsLuciaColumn(table, name)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("attribute \"%s\" cannot be set: it is one of Lucia's own columns", name)));
      }
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_COLUMN),
                      errmsg("attribute \"%s\" is not a column of table %s", name, table.quoted)));
    }
    if (table.created_at > 0 && std::strcmp(name, "created_at") == 0) sql.names_created_at = true;
    columns = lappend(columns, const_cast<char*>(quote_identifier(name)));
  }
  if (columns == NIL) return sql;
  sql.empty = false;
  sql.columns = JoinColumns(columns, ", %s");
  sql.values = JoinColumns(columns, ", r.%s");
  sql.set = JoinColumns(columns, ", %s = r.%s") + 2;
  sql.source = psprintf("pg_catalog.jsonb_populate_record(NULL::%s, $%d) AS r", table.quoted, param);
  return sql;
}

}  // namespace lucia::pg
