#include "pg/throttle.hpp"

extern "C" {
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/timestamp.h"
}

#include "pg/boundary.hpp"
#include "pg/settings.hpp"
#include "pg/shared_state.hpp"

namespace lucia::pg {

namespace {

core::ThrottleTable TableOf(ThrottleCounts* counts) noexcept {
  return core::ThrottleTable(counts->entries, kThrottleSets);
}

std::int64_t WindowMicroseconds() noexcept {
  return static_cast<std::int64_t>(ThrottleWindowSeconds()) * USECS_PER_SEC;
}

core::ThrottleDigest Digest(ThrottleCounts* counts, core::ThrottleScope scope, const text* id) noexcept {
  return core::DigestOf(counts->key, scope, static_cast<std::uint32_t>(MyDatabaseId), TextView(id));
}

}  // namespace

LoginThrottle ThrottleFor(const text* key_id, const text* client) {
  LoginThrottle throttle;
  bool by_key = ThrottleKeyAttempts() > 0;
  bool by_client = ThrottleClientAttempts() > 0;
  if (!by_key && !by_client) return throttle;
  ThrottleCounts* counts = SharedThrottleCounts();
  if (counts == nullptr) {
    ereport(ERROR,
            (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
             errmsg("lucia_auth.%s needs lucia_auth in shared_preload_libraries",
                    by_key ? "throttle_key_attempts" : "throttle_client_attempts"),
             errdetail("Failed attempts are counted in shared memory, which is reserved at server start."),
             errhint("Add lucia_auth to shared_preload_libraries and restart the server, or set the "
                     "throttle settings to 0.")));
  }
  throttle.by_key = by_key;
  if (by_key) throttle.key = Digest(counts, core::ThrottleScope::kKey, key_id);
  throttle.by_client = by_client && client != nullptr;
  if (throttle.by_client) throttle.client = Digest(counts, core::ThrottleScope::kClient, client);
  return throttle;
}

bool IsThrottled(const LoginThrottle& throttle) {
  if (!throttle.by_key && !throttle.by_client) return false;
  ThrottleCounts* counts = SharedThrottleCounts();
  std::int64_t now = GetCurrentTimestamp();
  std::int64_t window = WindowMicroseconds();
  LWLockAcquire(counts->lock, LW_SHARED);
  core::ThrottleTable table = TableOf(counts);
  bool throttled = (throttle.by_key && table.Failures(throttle.key, now, window) >=
                                           static_cast<std::uint32_t>(ThrottleKeyAttempts())) ||
                   (throttle.by_client && table.Failures(throttle.client, now, window) >=
                                              static_cast<std::uint32_t>(ThrottleClientAttempts()));
  LWLockRelease(counts->lock);
  return throttled;
}

void CountFailure(const LoginThrottle& throttle) {
  if (!throttle.by_key && !throttle.by_client) return;
  ThrottleCounts* counts = SharedThrottleCounts();
  std::int64_t now = GetCurrentTimestamp();
  std::int64_t window = WindowMicroseconds();
  LWLockAcquire(counts->lock, LW_EXCLUSIVE);
  core::ThrottleTable table = TableOf(counts);
  if (throttle.by_key) table.RecordFailure(throttle.key, now, window);
  if (throttle.by_client) table.RecordFailure(throttle.client, now, window);
  LWLockRelease(counts->lock);
}

void ClearKeyFailures(const LoginThrottle& throttle) {
  if (!throttle.by_key) return;
  ThrottleCounts* counts = SharedThrottleCounts();
  LWLockAcquire(counts->lock, LW_EXCLUSIVE);
  TableOf(counts).Clear(throttle.key);
  LWLockRelease(counts->lock);
}

void ClearKeyFailuresOf(const text* key_id) {
  ThrottleCounts* counts = SharedThrottleCounts();
  if (counts == nullptr) return;
  LoginThrottle throttle;
  throttle.by_key = true;
  throttle.key = Digest(counts, core::ThrottleScope::kKey, key_id);
  ClearKeyFailures(throttle);
}

}  // namespace lucia::pg
