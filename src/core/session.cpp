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

std::int64_t AbsoluteEnd(bool created_at_known, std::int64_t created_at_ms, double absolute_period_ms) noexcept {
  if (!created_at_known || !(absolute_period_ms > 0)) return kNoEnd;
  double end = std::trunc(static_cast<double>(created_at_ms) + absolute_period_ms);
  if (!(end < static_cast<double>(kNoEnd))) return kNoEnd;
  if (end < static_cast<double>(INT64_MIN)) return INT64_MIN;
  return static_cast<std::int64_t>(end);
}

SessionState ClassifySession(std::int64_t now_ms, std::int64_t active_expires, std::int64_t idle_expires,
                             std::int64_t absolute_end) noexcept {
  if (now_ms > absolute_end) return SessionState::kDead;
  return ClassifySession(now_ms, active_expires, idle_expires);
}

SessionExpiry NewSessionExpiry(std::int64_t now_ms, double active_period_ms, double idle_period_ms,
                               std::int64_t absolute_end) {
  SessionExpiry expiry = NewSessionExpiry(now_ms, active_period_ms, idle_period_ms);
  if (expiry.active_expires > absolute_end) expiry.active_expires = absolute_end;
  if (expiry.idle_expires > absolute_end) expiry.idle_expires = absolute_end;
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
