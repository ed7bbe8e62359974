#include "core/error.hpp"

namespace lucia::core {

const char* LuciaErrorName(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidSessionId:
      return "AUTH_INVALID_SESSION_ID";
    case ErrorCode::kInvalidKeyId:
      return "AUTH_INVALID_KEY_ID";
    case ErrorCode::kInvalidPassword:
      return "AUTH_INVALID_PASSWORD";
    case ErrorCode::kDuplicateKeyId:
      return "AUTH_DUPLICATE_KEY_ID";
    case ErrorCode::kInvalidUserId:
      return "AUTH_INVALID_USER_ID";
    case ErrorCode::kOutdatedPassword:
      return "AUTH_OUTDATED_PASSWORD";
    case ErrorCode::kTooManyAttempts:
      return "AUTH_TOO_MANY_ATTEMPTS";
    default:
      return nullptr;
  }
}

}  // namespace lucia::core
