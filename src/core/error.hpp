// Errors raised by the database-free core. The Postgres layer maps each code to a SQLSTATE.
#pragma once

#include <stdexcept>

namespace lucia::core {

enum class ErrorCode {
  // Lucia's own error codes; the message of such an error is the code itself.
  kInvalidSessionId,
  kInvalidKeyId,
  kInvalidPassword,
  kDuplicateKeyId,
  kInvalidUserId,
  kOutdatedPassword,
  // lucia_auth's own, in Lucia's style: too many failed attempts on a key or from a client (throttling).
  kTooManyAttempts,
  // Argument problems, described by the message.
  kInvalidParameter,
  kValueOutOfRange,
  // An input larger than the documented limit.
  kLimitExceeded,
  // libsodium refused or failed an operation.
  kCryptoFailure,
};

class AuthError : public std::runtime_error {
 public:
  AuthError(ErrorCode code, const char* message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

// The exact message Lucia uses for its own codes, or nullptr for the others.
const char* LuciaErrorName(ErrorCode code) noexcept;

}  // namespace lucia::core
