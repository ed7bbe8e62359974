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

// Raises a core-style error directly: for checks made in plain-data frames.
pg_attribute_noreturn() void RaiseError(core::ErrorCode code, const char* message);

// palloc that reports exhaustion as std::bad_alloc instead of a Postgres error, so it may be called
// while C++ objects are alive.
void* AllocNoThrow(std::size_t size);

// A text datum built with AllocNoThrow.
text* TextNoThrow(std::string_view value);

inline std::string_view TextView(const text* t) noexcept {
  return std::string_view(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

}  // namespace lucia::pg

// Declares the SQL-callable NAME, whose C++ body is NAME##_body(FunctionCallInfo).
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
