// Session lifetimes and key ids, as Lucia v2 computes them. No Postgres header may be included here.
#pragma once

#include <cstdint>
#include <string_view>

namespace lucia::core {

// Lucia: dead once now > idle_expires; otherwise active while now <= active_expires, else idle.
enum class SessionState { kActive, kIdle, kDead };

SessionState ClassifySession(std::int64_t now_ms, std::int64_t active_expires,
                             std::int64_t idle_expires) noexcept;

const char* SessionStateName(SessionState state) noexcept;

struct SessionExpiry {
  std::int64_t active_expires;
  std::int64_t idle_expires;
};

// Lucia's getNewSessionExpiration: active = now + active period, idle = active + idle period, each
// truncated to a whole millisecond as JavaScript's Date does. Throws AuthError(kValueOutOfRange) when
// a result is outside JavaScript's Date range (+-8.64e15 ms), where Lucia would get an Invalid Date.
SessionExpiry NewSessionExpiry(std::int64_t now_ms, double active_period_ms, double idle_period_ms);

// lucia_auth's absolute lifetime (lucia_auth.absolute_period): a session lives until its creation time
// plus the absolute period at most, renewals included. kNoEnd when there is no such end (no period, or
// the creation time is not known).
inline constexpr std::int64_t kNoEnd = INT64_MAX;
std::int64_t AbsoluteEnd(bool created_at_known, std::int64_t created_at_ms, double absolute_period_ms) noexcept;

// The state of a session that also dies at absolute_end.
SessionState ClassifySession(std::int64_t now_ms, std::int64_t active_expires, std::int64_t idle_expires,
                             std::int64_t absolute_end) noexcept;

// Lucia's new expiries, neither of them past absolute_end.
SessionExpiry NewSessionExpiry(std::int64_t now_ms, double active_period_ms, double idle_period_ms,
                               std::int64_t absolute_end);

// Lucia's key id is provider_id + ":" + provider_user_id; the provider id may not contain ':'.
bool IsValidProviderId(std::string_view provider_id) noexcept;

struct KeyIdParts {
  std::string_view provider_id;
  std::string_view provider_user_id;
};

// Splits at the first ':' as Lucia's transformDatabaseKey does (no ':' gives an empty provider_user_id).
KeyIdParts SplitKeyId(std::string_view key_id) noexcept;

}  // namespace lucia::core
