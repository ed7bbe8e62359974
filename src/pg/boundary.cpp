#include "pg/boundary.hpp"

#include <cstdio>
#include <cstring>
#include <exception>
#include <new>

namespace lucia::pg {

int SqlStateFor(core::ErrorCode code) noexcept {
  switch (code) {
    case core::ErrorCode::kInvalidSessionId:
    case core::ErrorCode::kInvalidKeyId:
    case core::ErrorCode::kInvalidUserId:
    case core::ErrorCode::kTooManyAttempts:
      return ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION;
    case core::ErrorCode::kInvalidPassword:
    case core::ErrorCode::kOutdatedPassword:
      return ERRCODE_INVALID_PASSWORD;
    case core::ErrorCode::kDuplicateKeyId:
      return ERRCODE_UNIQUE_VIOLATION;
    case core::ErrorCode::kInvalidParameter:
      return ERRCODE_INVALID_PARAMETER_VALUE;
    case core::ErrorCode::kValueOutOfRange:
      return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
    case core::ErrorCode::kLimitExceeded:
      return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
    case core::ErrorCode::kCryptoFailure:
      return ERRCODE_EXTERNAL_ROUTINE_EXCEPTION;
  }
  return ERRCODE_EXTERNAL_ROUTINE_EXCEPTION;
}

static void SetPending(PendingError* err, int sqlstate, const char* message) noexcept {
  err->active = true;
  err->sqlstate = sqlstate;
  std::snprintf(err->message, sizeof err->message, "%s", message);
}

void CaptureCurrentException(PendingError* err) noexcept {
  try {
    throw;
  } catch (const core::AuthError& e) {
    SetPending(err, SqlStateFor(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    SetPending(err, ERRCODE_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception& e) {
    // Unexpected: keep the text, it names no secret (core messages never include inputs).
    SetPending(err, ERRCODE_EXTERNAL_ROUTINE_EXCEPTION, e.what());
  } catch (...) {
    SetPending(err, ERRCODE_EXTERNAL_ROUTINE_EXCEPTION, "unexpected C++ exception in lucia_auth");
  }
}

void RaisePending(const PendingError* err) {
  ereport(ERROR, (errcode(err->sqlstate), errmsg_internal("%s", err->message)));
  pg_unreachable();
}

void RaiseError(core::ErrorCode code, const char* message) {
  ereport(ERROR, (errcode(SqlStateFor(code)), errmsg_internal("%s", message)));
  pg_unreachable();
}

void RaiseLucia(core::ErrorCode code) {
  const char* name = core::LuciaErrorName(code);
  RaiseError(code, name != nullptr ? name : "lucia_auth error");
}

void RaiseLuciaForConstraint(const ErrorData* error, int which) {
  if ((which & kUniqueIsDuplicateKey) && error->sqlerrcode == ERRCODE_UNIQUE_VIOLATION) {
    RaiseLucia(core::ErrorCode::kDuplicateKeyId);
  }
  if ((which & kForeignKeyIsInvalidUser) && error->sqlerrcode == ERRCODE_FOREIGN_KEY_VIOLATION) {
    RaiseLucia(core::ErrorCode::kInvalidUserId);
  }
}

void DropErrorDetail(ErrorData* error) noexcept {
  error->detail = nullptr;
  error->detail_log = nullptr;
}

void* AllocNoThrow(std::size_t size) {
  if (size > MaxAllocSize) throw core::AuthError(core::ErrorCode::kLimitExceeded, "value too large");
  void* p = palloc_extended(size, MCXT_ALLOC_NO_OOM);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

text* TextNoThrow(std::string_view value) {
  auto* t = static_cast<text*>(AllocNoThrow(VARHDRSZ + value.size()));
  SET_VARSIZE(t, VARHDRSZ + value.size());
  if (!value.empty()) std::memcpy(VARDATA(t), value.data(), value.size());
  return t;
}

}  // namespace lucia::pg
