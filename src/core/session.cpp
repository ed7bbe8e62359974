#include "core/session.hpp"

#include <cmath>

#include "core/error.hpp"

namespace lucia::core {

SessionState ClassifySession(std::int64_t now_ms, std::int64_t active_expires,
                             std::int64_t idle_expires) noexcept {
  if (now_ms > idle_expires) return SessionState::kDead;
  if (now_ms > active_expires) return SessionState::kIdle;
  return SessionState::kActive;
}

const char* SessionStateName(SessionState state) noexcept {
  switch (state) {
    case SessionState::kActive:
      return "active";
    case SessionState::kIdle:
      return "idle";
    case SessionState::kDead:
      return "dead";
  }
  return "dead";
}

namespace {

// JavaScript's Date range (+-8.64e15 ms): Lucia's expiries beyond it are Invalid Dates.
constexpr double kMaxExactMs = 8640000000000000.0;

std::int64_t AddPeriod(double base, double period) {
  double sum = std::trunc(base + period);
  if (!std::isfinite(sum) || sum > kMaxExactMs || sum < -kMaxExactMs) {
    throw AuthError(ErrorCode::kValueOutOfRange, "session expiry is out of range");
  }
  return static_cast<std::int64_t>(sum);
}

}  // namespace

SessionExpiry NewSessionExpiry(std::int64_t now_ms, double active_period_ms, double idle_period_ms) {
  SessionExpiry expiry{};
  expiry.active_expires = AddPeriod(static_cast<double>(now_ms), active_period_ms);
  expiry.idle_expires = AddPeriod(static_cast<double>(expiry.active_expires), idle_period_ms);
  return expiry;
}

bool IsValidProviderId(std::string_view provider_id) noexcept {
  return provider_id.find(':') == std::string_view::npos;
}

KeyIdParts SplitKeyId(std::string_view key_id) noexcept {
  std::size_t colon = key_id.find(':');
  if (colon == std::string_view::npos) return KeyIdParts{key_id, std::string_view()};
  return KeyIdParts{key_id.substr(0, colon), key_id.substr(colon + 1)};
}

}  // namespace lucia::core
