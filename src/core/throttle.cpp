#include "core/throttle.hpp"

#include <sodium.h>

#include <cstring>

namespace lucia::core {

namespace {

bool Same(const ThrottleDigest& a, const ThrottleDigest& b) noexcept {
  return std::memcmp(a.bytes, b.bytes, kThrottleDigestBytes) == 0;
}

bool Ended(const ThrottleEntry& entry, std::int64_t now, std::int64_t window) noexcept {
  // A clock that went back leaves the window as it is; one that went far forward ends it.
  return now - entry.window_start >= window;
}

}  // namespace

void NewThrottleKey(std::uint8_t (&key)[kThrottleKeyBytes]) noexcept { randombytes_buf(key, sizeof key); }

ThrottleDigest DigestOf(const std::uint8_t (&key)[kThrottleKeyBytes], ThrottleScope scope,
                        std::uint32_t database, std::string_view id) noexcept {
  crypto_generichash_state state;
  crypto_generichash_init(&state, key, sizeof key, kThrottleDigestBytes);
  std::uint8_t prefix[5] = {static_cast<std::uint8_t>(scope), static_cast<std::uint8_t>(database >> 24),
                            static_cast<std::uint8_t>(database >> 16),
                            static_cast<std::uint8_t>(database >> 8), static_cast<std::uint8_t>(database)};
  crypto_generichash_update(&state, prefix, sizeof prefix);
  crypto_generichash_update(&state, reinterpret_cast<const std::uint8_t*>(id.data()), id.size());
  ThrottleDigest digest;
  crypto_generichash_final(&state, digest.bytes, sizeof digest.bytes);
  sodium_memzero(&state, sizeof state);
  return digest;
}

ThrottleEntry* ThrottleTable::SetOf(const ThrottleDigest& digest) const noexcept {
  std::uint32_t h;
  std::memcpy(&h, digest.bytes, sizeof h);
  return entries_ + (h % sets_) * kThrottleWays;
}

ThrottleEntry* ThrottleTable::Find(const ThrottleDigest& digest) const noexcept {
  ThrottleEntry* set = SetOf(digest);
  for (std::size_t i = 0; i < kThrottleWays; ++i) {
    if (set[i].failures != 0 && Same(set[i].digest, digest)) return &set[i];
  }
  return nullptr;
}

std::uint32_t ThrottleTable::Failures(const ThrottleDigest& digest, std::int64_t now,
                                      std::int64_t window) const noexcept {
  const ThrottleEntry* entry = Find(digest);
  if (entry == nullptr || Ended(*entry, now, window)) return 0;
  return entry->failures;
}

void ThrottleTable::RecordFailure(const ThrottleDigest& digest, std::int64_t now,
                                  std::int64_t window) noexcept {
  ThrottleEntry* entry = Find(digest);
  if (entry != nullptr) {
    if (Ended(*entry, now, window)) {
      entry->failures = 1;
      entry->window_start = now;
    } else if (entry->failures < UINT32_MAX) {
      ++entry->failures;
    }
    return;
  }
  ThrottleEntry* set = SetOf(digest);
  ThrottleEntry* victim = nullptr;
  for (std::size_t i = 0; i < kThrottleWays && victim == nullptr; ++i) {
    if (set[i].failures == 0 || Ended(set[i], now, window)) victim = &set[i];
  }
  if (victim == nullptr) {
    victim = &set[0];
    for (std::size_t i = 1; i < kThrottleWays; ++i) {
      if (set[i].failures < victim->failures ||
          (set[i].failures == victim->failures && set[i].window_start < victim->window_start)) {
        victim = &set[i];
      }
    }
  }
  victim->digest = digest;
  victim->failures = 1;
  victim->reserved = 0;
  victim->window_start = now;
}

void ThrottleTable::Clear(const ThrottleDigest& digest) noexcept {
  ThrottleEntry* entry = Find(digest);
  if (entry != nullptr) std::memset(entry, 0, sizeof *entry);
}

}  // namespace lucia::core
