#include "pg/settings.hpp"

#include <climits>

extern "C" {
#include "postgres.h"

#include "nodes/pg_list.h"
#include "utils/guc.h"
#include "utils/varlena.h"
}

#include <cstring>

#include "pg/hash_slots.hpp"

namespace lucia::pg {

namespace {

enum PasswordHashSetting { kHashS2 = 0, kHashArgon2id = 1 };

const struct config_enum_entry kPasswordHashOptions[] = {
    {"s2", kHashS2, false},
    {"argon2id", kHashArgon2id, false},
    {nullptr, 0, false},
};

int password_hash = kHashS2;
int argon2id_memory_kib = static_cast<int>(core::kDefaultArgon2id.memory_kib);
int argon2id_iterations = static_cast<int>(core::kDefaultArgon2id.iterations);
int argon2id_max_memory_kib = static_cast<int>(core::kDefaultArgon2idBound.memory_kib);
int argon2id_max_iterations = static_cast<int>(core::kDefaultArgon2idBound.iterations);
bool verify_bcrypt = false;
int bcrypt_max_cost = static_cast<int>(core::kDefaultBcryptMaxCost);
double active_period_ms = 1000.0 * 60 * 60 * 24;
double idle_period_ms = 1000.0 * 60 * 60 * 24 * 14;
double absolute_period_ms = 0.0;
int session_id_storage = static_cast<int>(SessionIdStorage::kPlain);
int max_sessions_per_user = 0;

int max_concurrent_hashes = 1;
int hash_queue_timeout_ms = 10000;
int throttle_key_attempts = 0;
int throttle_client_attempts = 0;
int throttle_window_s = 600;
bool rehash_on_login = false;
bool revoke_sessions_on_password_change = false;

const struct config_enum_entry kSessionIdStorageOptions[] = {
    {"plain", static_cast<int>(SessionIdStorage::kPlain), false},
    {"sha256", static_cast<int>(SessionIdStorage::kSha256), false},
    {nullptr, 0, false},
};
char* user_table = nullptr;
char* key_table = nullptr;
char* session_table = nullptr;
std::uint64_t table_generation = 1;
char* cookie_name = nullptr;

// About 1000 years: far beyond any session, and still exact as a bigint of milliseconds.
constexpr double kMaxPeriodMs = 1000.0 * 60 * 60 * 24 * 365 * 1000;

void BumpTableGeneration(const char*, void*) { ++table_generation; }

bool CheckTableName(char** newval, void**, GucSource) {
  char* schema;
  char* name;
  bool ok = *newval != nullptr && SplitTableName(*newval, &schema, &name);
  if (!ok) GUC_check_errdetail("The value must be a table name, optionally qualified by its schema.");
  return ok;
}

void DefineTableSetting(const char* name, const char* description, char** variable, const char* value) {
  DefineCustomStringVariable(name, description, nullptr, variable, value, PGC_SUSET, 0, CheckTableName,
                             BumpTableGeneration, nullptr);
}

// A cookie name is an HTTP token (RFC 6265): visible ASCII but the separators.
bool CheckCookieName(char** newval, void**, GucSource) {
  const char* name = *newval;
  bool ok = name != nullptr && *name != '\0';
  for (const char* c = name; ok && *c != '\0'; ++c) {
    ok = *c > 0x20 && *c < 0x7f && std::strchr("()<>@,;:\\\"/[]?={}", *c) == nullptr;
  }
  if (!ok) {
    GUC_check_errdetail("A cookie name is one or more visible ASCII characters but ()<>@,;:\\\"/[]?={}.");
  }
  return ok;
}

// Logins (throttling and the hash cap are server-wide, in shared memory: see hash_slots.hpp, throttle.hpp).
void DefineLoginSettings() {
  // The server's cap: settable only where the whole server reads it (postgresql.conf, ALTER SYSTEM).
  max_concurrent_hashes = DefaultMaxConcurrentHashes();
  DefineCustomIntVariable("lucia_auth.max_concurrent_hashes",
                          "Password hashes that run at once in the whole server (0: no cap).",
                          "Needs lucia_auth in shared_preload_libraries. Others wait for a slot, up to "
                          "lucia_auth.hash_queue_timeout.",
                          &max_concurrent_hashes, max_concurrent_hashes, 0, kMaxConcurrentHashesLimit,
                          PGC_SIGHUP, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "lucia_auth.hash_queue_timeout",
      "How long a call waits for a hash slot before it fails (0: as long as the statement may).", nullptr,
      &hash_queue_timeout_ms, 10000, 0, INT_MAX, PGC_SUSET, GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "lucia_auth.throttle_key_attempts",
      "Failed use_key attempts allowed per key id in lucia_auth.throttle_window (0: off).",
      "Needs lucia_auth in shared_preload_libraries.", &throttle_key_attempts, 0, 0, 1000000, PGC_SUSET, 0,
      nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "lucia_auth.throttle_client_attempts",
      "Failed use_key attempts allowed per client in lucia_auth.throttle_window (0: off).",
      "Needs lucia_auth in shared_preload_libraries.", &throttle_client_attempts, 0, 0, 1000000, PGC_SUSET, 0,
      nullptr, nullptr, nullptr);
  DefineCustomIntVariable("lucia_auth.throttle_window",
                          "How long failed use_key attempts are counted, from the first of a window.",
                          nullptr, &throttle_window_s, 600, 1, 30 * 24 * 60 * 60, PGC_SUSET, GUC_UNIT_S,
                          nullptr, nullptr, nullptr);
  DefineCustomBoolVariable("lucia_auth.rehash_on_login",
                           "A successful use_key rewrites a stored hash that password_needs_rehash flags.",
                           nullptr, &rehash_on_login, false, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomBoolVariable("lucia_auth.revoke_sessions_on_password_change",
                           "update_key_password also deletes every session of the key's user.", nullptr,
                           &revoke_sessions_on_password_change, false, PGC_SUSET, 0, nullptr, nullptr,
                           nullptr);
}

}  // namespace

bool SplitTableName(const char* value, char** schema, char** name) {
  char* raw = pstrdup(value);
  List* names = NIL;
  bool ok = SplitIdentifierString(raw, '.', &names) && list_length(names) >= 1 && list_length(names) <= 2;
  if (ok) {
    // An unqualified name is a table of schema public, whatever the caller's search_path.
    *schema = pstrdup(list_length(names) == 2 ? static_cast<char*>(linitial(names)) : "public");
    *name = pstrdup(static_cast<char*>(llast(names)));
  }
  list_free(names);
  pfree(raw);
  return ok;
}

void DefineSettings() {
  DefineCustomEnumVariable(
      "lucia_auth.password_hash", "Format of new password hashes: s2 (Lucia v2) or argon2id.", nullptr,
      &password_hash, kHashS2, kPasswordHashOptions, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "lucia_auth.argon2id_memory", "Memory cost of new Argon2id hashes.", nullptr, &argon2id_memory_kib,
      static_cast<int>(core::kDefaultArgon2id.memory_kib), static_cast<int>(core::kArgon2idMinMemoryKib),
      static_cast<int>(core::kArgon2idMaxMemoryKib), PGC_SUSET, GUC_UNIT_KB, nullptr, nullptr, nullptr);
  DefineCustomIntVariable("lucia_auth.argon2id_iterations", "Time cost (passes) of new Argon2id hashes.",
                          nullptr, &argon2id_iterations, static_cast<int>(core::kDefaultArgon2id.iterations),
                          static_cast<int>(core::kArgon2idMinIterations),
                          static_cast<int>(core::kArgon2idMaxIterations), PGC_SUSET, 0, nullptr, nullptr,
                          nullptr);
  // What a stored hash may ask of a verification: any role that can call verify_password chooses the hash.
  DefineCustomIntVariable(
      "lucia_auth.argon2id_max_memory", "Most memory a stored Argon2id hash may ask for.",
      "A hash asking for more than this and than lucia_auth.argon2id_memory is refused without hashing.",
      &argon2id_max_memory_kib, static_cast<int>(core::kDefaultArgon2idBound.memory_kib),
      static_cast<int>(core::kArgon2idMinMemoryKib), static_cast<int>(core::kArgon2idMaxMemoryKib), PGC_SUSET,
      GUC_UNIT_KB, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "lucia_auth.argon2id_max_iterations", "Most passes a stored Argon2id hash may ask for.",
      "A hash asking for more than this and than lucia_auth.argon2id_iterations is refused without hashing.",
      &argon2id_max_iterations, static_cast<int>(core::kDefaultArgon2idBound.iterations),
      static_cast<int>(core::kArgon2idMinIterations), static_cast<int>(core::kArgon2idMaxIterations),
      PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomBoolVariable("lucia_auth.verify_bcrypt", "Verify bcrypt hashes ($2a$, $2b$, $2y$).",
                           "When off, a $2a hash is AUTH_OUTDATED_PASSWORD, as in Lucia.", &verify_bcrypt,
                           false, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "lucia_auth.bcrypt_max_cost", "Highest cost factor of a bcrypt hash that is verified.", nullptr,
      &bcrypt_max_cost, static_cast<int>(core::kDefaultBcryptMaxCost), static_cast<int>(core::kBcryptMinCost),
      static_cast<int>(core::kBcryptMaxCost), PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomRealVariable("lucia_auth.active_period", "How long a new or renewed session stays active.",
                           nullptr, &active_period_ms, active_period_ms, 0.0, kMaxPeriodMs, PGC_SUSET,
                           GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomRealVariable(
      "lucia_auth.idle_period", "How long a session can be renewed after its active period ends.", nullptr,
      &idle_period_ms, idle_period_ms, 0.0, kMaxPeriodMs, PGC_SUSET, GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomRealVariable(
      "lucia_auth.absolute_period",
      "How long a session lives at most after it was created, renewals included (0: no limit).", nullptr,
      &absolute_period_ms, 0.0, 0.0, kMaxPeriodMs, PGC_SUSET, GUC_UNIT_MS, nullptr, nullptr, nullptr);
  DefineCustomEnumVariable("lucia_auth.session_id_storage",
                           "How session ids are stored: plain (Lucia v2) or sha256 (a digest of the token).",
                           nullptr, &session_id_storage, static_cast<int>(SessionIdStorage::kPlain),
                           kSessionIdStorageOptions, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineCustomIntVariable(
      "lucia_auth.max_sessions_per_user",
      "Sessions a user may have at once; create_session removes the oldest beyond it (0: no limit).", nullptr,
      &max_sessions_per_user, 0, 0, 1000000, PGC_SUSET, 0, nullptr, nullptr, nullptr);
  DefineLoginSettings();
  DefineTableSetting("lucia_auth.user_table", "Table of users (Lucia's auth_user).", &user_table,
                     "public.auth_user");
  DefineTableSetting("lucia_auth.key_table", "Table of keys (Lucia's user_key).", &key_table,
                     "public.user_key");
  DefineTableSetting("lucia_auth.session_table", "Table of sessions (Lucia's user_session).", &session_table,
                     "public.user_session");
  DefineCustomStringVariable(
      "lucia_auth.cookie_name",
      "Name of the session cookie that lucia_auth.postgrest_pre_request() reads and renews.", nullptr,
      &cookie_name, "auth_session", PGC_SUSET, 0, CheckCookieName, nullptr, nullptr);
  MarkGUCPrefixReserved("lucia_auth");
}

core::PasswordPolicy CurrentPasswordPolicy() noexcept {
  core::PasswordPolicy policy;
  policy.algorithm =
      password_hash == kHashArgon2id ? core::HashAlgorithm::kArgon2id : core::HashAlgorithm::kS2;
  policy.argon2id.memory_kib = static_cast<std::uint32_t>(argon2id_memory_kib);
  policy.argon2id.iterations = static_cast<std::uint32_t>(argon2id_iterations);
  policy.argon2id_bound.memory_kib = static_cast<std::uint32_t>(argon2id_max_memory_kib);
  policy.argon2id_bound.iterations = static_cast<std::uint32_t>(argon2id_max_iterations);
  policy.verify_bcrypt = verify_bcrypt;
  policy.bcrypt_max_cost = static_cast<std::uint32_t>(bcrypt_max_cost);
  return policy;
}

double ActivePeriodMs() noexcept { return active_period_ms; }
double IdlePeriodMs() noexcept { return idle_period_ms; }
double AbsolutePeriodMs() noexcept { return absolute_period_ms; }
SessionIdStorage SessionIdStorageSetting() noexcept {
  return static_cast<SessionIdStorage>(session_id_storage);
}
int MaxSessionsPerUser() noexcept { return max_sessions_per_user; }
int MaxConcurrentHashes() noexcept { return max_concurrent_hashes; }
int HashQueueTimeoutMs() noexcept { return hash_queue_timeout_ms; }
int ThrottleKeyAttempts() noexcept { return throttle_key_attempts; }
int ThrottleClientAttempts() noexcept { return throttle_client_attempts; }
int ThrottleWindowSeconds() noexcept { return throttle_window_s; }
bool RehashOnLogin() noexcept { return rehash_on_login; }
bool RevokeSessionsOnPasswordChange() noexcept { return revoke_sessions_on_password_change; }
const char* UserTableSetting() noexcept { return user_table; }
const char* KeyTableSetting() noexcept { return key_table; }
const char* SessionTableSetting() noexcept { return session_table; }
std::uint64_t TableSettingsGeneration() noexcept { return table_generation; }
const char* CookieNameSetting() noexcept { return cookie_name; }

}  // namespace lucia::pg
