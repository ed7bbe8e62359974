// The lucia_auth.* settings. All are superuser-only (PGC_SUSET).
#pragma once

#include <cstdint>

#include "core/crypto.hpp"

namespace lucia::pg {

void DefineSettings();

// The policy for new password hashes and for verifying stored ones, from lucia_auth.password_hash, its
// parameters, the bounds on stored hashes and lucia_auth.verify_bcrypt.
core::PasswordPolicy CurrentPasswordPolicy() noexcept;

// lucia_auth.active_period and lucia_auth.idle_period, in milliseconds.
double ActivePeriodMs() noexcept;
double IdlePeriodMs() noexcept;

// lucia_auth.absolute_period in milliseconds; 0 when sessions have no absolute lifetime.
double AbsolutePeriodMs() noexcept;

// lucia_auth.session_id_storage: how the session table holds session ids.
enum class SessionIdStorage { kPlain = 0, kSha256 = 1 };
SessionIdStorage SessionIdStorageSetting() noexcept;

// lucia_auth.max_sessions_per_user; 0 when unlimited.
int MaxSessionsPerUser() noexcept;

// Logins. lucia_auth.max_concurrent_hashes (0: no cap; the cap needs shared_preload_libraries) and
// lucia_auth.hash_queue_timeout in milliseconds (0: wait as long as the statement may).
int MaxConcurrentHashes() noexcept;
int HashQueueTimeoutMs() noexcept;
// lucia_auth.throttle_key_attempts and throttle_client_attempts (0: off), throttle_window in seconds.
int ThrottleKeyAttempts() noexcept;
int ThrottleClientAttempts() noexcept;
int ThrottleWindowSeconds() noexcept;
// lucia_auth.rehash_on_login, lucia_auth.revoke_sessions_on_password_change.
bool RehashOnLogin() noexcept;
bool RevokeSessionsOnPasswordChange() noexcept;

// lucia_auth.user_table, key_table, session_table as written by the user.
const char* UserTableSetting() noexcept;
const char* KeyTableSetting() noexcept;
const char* SessionTableSetting() noexcept;

// A table setting's value split into its schema (public when it names none) and table name, both
// palloc'd in the current memory context; false when the value is not a table name.
bool SplitTableName(const char* value, char** schema, char** name);

// lucia_auth.cookie_name: the session cookie postgrest_pre_request reads and renews.
const char* CookieNameSetting() noexcept;

// Changes whenever one of the table settings is assigned, so that callers can cache what they resolved.
std::uint64_t TableSettingsGeneration() noexcept;

}  // namespace lucia::pg
