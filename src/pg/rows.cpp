#include "pg/rows.hpp"

extern "C" {
#include "access/htup_details.h"
#include "nodes/nodeFuncs.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"
}

#include "core/crypto.hpp"
#include "core/session.hpp"
#include "pg/boundary.hpp"

namespace lucia::pg {

namespace {

constexpr int kCachedTypes = 4;
struct CachedDescriptor {
  Oid type;
  TupleDesc desc;
};
CachedDescriptor descriptors[kCachedTypes];

}  // namespace

TupleDesc ResultDescriptor(FunctionCallInfo fcinfo) {
  Oid type = get_fn_expr_rettype(fcinfo->flinfo);
  if (!OidIsValid(type)) type = get_func_rettype(fcinfo->flinfo->fn_oid);
  for (auto& cached : descriptors) {
    if (cached.type == type) return cached.desc;
  }
  MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);
  TupleDesc desc = lookup_rowtype_tupdesc_copy(type, -1);
  MemoryContextSwitchTo(old);
  // Four row types exist; a slot is reused only if the extension was recreated in this backend.
  for (auto& cached : descriptors) {
    if (!OidIsValid(cached.type)) {
      cached = CachedDescriptor{type, desc};
      return desc;
    }
  }
  FreeTupleDesc(descriptors[0].desc);
  descriptors[0] = CachedDescriptor{type, desc};
  return desc;
}

std::int64_t NowMs() {
  TimestampTz now = GetCurrentTimestamp();
  // TimestampTz counts microseconds from 2000-01-01; Lucia counts milliseconds from 1970-01-01.
  constexpr std::int64_t kEpochOffsetMs =
      static_cast<std::int64_t>(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000;
  std::int64_t ms = now / 1000;
  if (now % 1000 < 0) --ms;
  return ms + kEpochOffsetMs;
}

SessionColumns ReadSessionColumns(HeapTuple tuple, TupleDesc desc) {
  SessionColumns columns{};
  bool isnull;
  columns.id = SPI_getbinval(tuple, desc, 1, &isnull);
  columns.user_id = SPI_getbinval(tuple, desc, 2, &isnull);
  bool active_null;
  bool idle_null;
  Datum active = SPI_getbinval(tuple, desc, 3, &active_null);
  Datum idle = SPI_getbinval(tuple, desc, 4, &idle_null);
  // A NULL expiry reads as 0 in Lucia (Number(null)): the session is dead.
  columns.expiry_null = active_null || idle_null;
  columns.active_expires = active_null ? 0 : DatumGetInt64(active);
  columns.idle_expires = idle_null ? 0 : DatumGetInt64(idle);
  columns.user_attributes = SPI_getbinval(tuple, desc, 5, &isnull);
  columns.session_attributes = SPI_getbinval(tuple, desc, 6, &isnull);
  bool created_null;
  Datum created = SPI_getbinval(tuple, desc, 7, &created_null);
  columns.created_at_known = !created_null;
  columns.created_at = created_null ? 0 : DatumGetInt64(created);
  return columns;
}

SessionColumns CopySessionColumns(HeapTuple tuple, TupleDesc desc, MemoryContext context) {
  SessionColumns read = ReadSessionColumns(tuple, desc);
  MemoryContext old = MemoryContextSwitchTo(context);
  SessionColumns copy = read;
  copy.id = datumCopy(read.id, false, -1);
  copy.user_id = datumCopy(read.user_id, false, -1);
  copy.user_attributes = datumCopy(read.user_attributes, false, -1);
  copy.session_attributes = datumCopy(read.session_attributes, false, -1);
  MemoryContextSwitchTo(old);
  return copy;
}

text* RandomId(std::size_t length) {
  auto* id = static_cast<text*>(palloc(VARHDRSZ + length));
  SET_VARSIZE(id, VARHDRSZ + length);
  CallCore([&] { core::RandomString(core::kDefaultAlphabet, VARDATA(id), length); });
  return id;
}

HeapTuple FormSessionRow(TupleDesc result, const SessionColumns& columns, const char* state, bool fresh) {
  Datum values[8] = {columns.id,
                     columns.user_id,
                     Int64GetDatum(columns.active_expires),
                     Int64GetDatum(columns.idle_expires),
                     CStringGetTextDatum(state),
                     BoolGetDatum(fresh),
                     columns.user_attributes,
                     columns.session_attributes};
  bool nulls[8] = {false, false, false, false, false, false, false, false};
  return heap_form_tuple(result, values, nulls);
}

HeapTuple FormKeyRow(TupleDesc result, const text* key_id, Datum user_id, bool password_defined) {
  core::KeyIdParts parts = core::SplitKeyId(TextView(key_id));
  Datum values[4] = {PointerGetDatum(cstring_to_text_with_len(parts.provider_id.data(),
                                                              static_cast<int>(parts.provider_id.size()))),
                     PointerGetDatum(cstring_to_text_with_len(
                         parts.provider_user_id.data(), static_cast<int>(parts.provider_user_id.size()))),
                     user_id, BoolGetDatum(password_defined)};
  bool nulls[4] = {false, false, user_id == (Datum)0, false};
  return heap_form_tuple(result, values, nulls);
}

HeapTuple FormUserRow(TupleDesc result, Datum user_id, Datum attributes) {
  Datum values[2] = {user_id, attributes};
  bool nulls[2] = {false, false};
  return heap_form_tuple(result, values, nulls);
}

}  // namespace lucia::pg
