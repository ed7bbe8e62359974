// The seam between C++ and Postgres.
//
// Postgres reports errors with longjmp, which skips C++ destructors, and a C++ exception must never
// unwind through a Postgres frame. So every SQL-callable is declared with LUCIA_FUNCTION: its body runs
// inside try/catch, any exception is turned into plain data, and the Postgres error is raised only
// after every C++ frame of the body has unwound. Inside a body, code that may raise a Postgres error
// holds no object with a destructor; the only Postgres calls made while such objects are alive are ones
// that cannot raise (see AllocNoThrow).
#pragma once

extern "C" {
#include "postgres.h"

#include "fmgr.h"
#include "utils/elog.h"
#include "utils/memutils.h"
}

#include <cstddef>
#include <string_view>

#include "core/error.hpp"

namespace lucia::pg {

// An error captured from C++ code, waiting to be raised as a Postgres error.
struct PendingError {
  bool active = false;
  int sqlstate = 0;
  char message[256] = {0};
};

// SQLSTATE for each core error code.
int SqlStateFor(core::ErrorCode code) noexcept;

// Fills err from the exception being handled; call only inside a catch block.
void CaptureCurrentException(PendingError* err) noexcept;

// Raises err as a Postgres ERROR. Never returns.
pg_attribute_noreturn() void RaisePending(const PendingError* err);

// Raises Lucia's own error for code: its message is Lucia's name of it (AUTH_INVALID_SESSION_ID, …).
pg_attribute_noreturn() void RaiseLucia(core::ErrorCode code);

// Raises an error of a core code with the given message: for checks made in plain-data frames.
pg_attribute_noreturn() void RaiseError(core::ErrorCode code, const char* message);

// Runs fn, which may throw but must not raise Postgres errors; returns false and fills err instead of
// letting an exception escape.
template <typename Fn>
bool RunCore(PendingError* err, Fn&& fn) noexcept {
  try {
    fn();
    return true;
  } catch (...) {
    CaptureCurrentException(err);
    return false;
  }
}

// Runs a call into the core (which may throw, never raises); an exception becomes a Postgres error,
// raised after fn's frames have unwound. fn's captures must be references or plain data.
template <typename Fn>
void CallCore(Fn&& fn) {
  PendingError err;
  if (!RunCore(&err, fn)) RaisePending(&err);
}

// Runs body, which may raise a Postgres error. If it does, rewrite receives a copy of the error (the
// error state is cleared) and may change it, or raise another error instead; then the error is raised
// again. body and rewrite hold no C++ object with a destructor.
template <typename Body, typename Rewrite>
void RewriteErrors(Body&& body, Rewrite&& rewrite) {
  MemoryContext context = CurrentMemoryContext;
  PG_TRY();
  { body(); }
  PG_CATCH();
  {
    MemoryContextSwitchTo(context);
    ErrorData* error = CopyErrorData();
    FlushErrorState();
    rewrite(error);
    ReThrowError(error);
  }
  PG_END_TRY();
}

// Rewrites for RewriteErrors.
// Which constraint violations of a write are Lucia's errors.
enum ConstraintErrors : int {
  kPassConstraintErrors = 0,
  kUniqueIsDuplicateKey = 1,     // 23505 -> AUTH_DUPLICATE_KEY_ID
  kForeignKeyIsInvalidUser = 2,  // 23503 -> AUTH_INVALID_USER_ID
};
// Raises Lucia's error in place of a constraint violation that `which` names.
void RaiseLuciaForConstraint(const ErrorData* error, int which);
// Removes the detail, which for a constraint violation lists the failing row (a hash, say).
void DropErrorDetail(ErrorData* error) noexcept;

// palloc that reports exhaustion as std::bad_alloc instead of a Postgres error, so it may be called
// while C++ objects are alive.
void* AllocNoThrow(std::size_t size);

// A text datum built with AllocNoThrow.
text* TextNoThrow(std::string_view value);

inline std::string_view TextView(const text* t) noexcept {
  return std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

}  // namespace lucia::pg

// Declares the SQL-callable NAME, whose C++ body is NAME##_body(FunctionCallInfo). May be used inside
// namespace lucia::pg: the entry point has C linkage, so its symbol is NAME whatever the namespace.
#define LUCIA_FUNCTION(NAME)                                                         \
  static Datum NAME##_body(FunctionCallInfo fcinfo);                                 \
  extern "C" {                                                                       \
  PG_FUNCTION_INFO_V1(NAME);                                                         \
  PGDLLEXPORT Datum NAME(PG_FUNCTION_ARGS) {                                         \
    ::lucia::pg::PendingError lucia_pending_error;                                   \
    Datum lucia_result = (Datum)0;                                                   \
    try {                                                                            \
      lucia_result = NAME##_body(fcinfo);                                            \
    } catch (...) {                                                                  \
      ::lucia::pg::CaptureCurrentException(&lucia_pending_error);                    \
    }                                                                                \
    if (lucia_pending_error.active) ::lucia::pg::RaisePending(&lucia_pending_error); \
    return lucia_result;                                                             \
  }                                                                                  \
  }                                                                                  \
  static Datum NAME##_body(FunctionCallInfo fcinfo)
