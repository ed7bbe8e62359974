// Counting failed login attempts in a table of fixed size, for throttling. No Postgres header may be
// included here: the Postgres layer puts the table in shared memory and locks it.
//
// The table holds no ids: an entry is found by a keyed digest of what it counts (BLAKE2b under a key
// drawn at random when the table is made), so its memory shows neither key ids nor client ids, and
// nobody without the key can choose ids that land in one set of the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lucia::core {

inline constexpr std::size_t kThrottleDigestBytes = 16;
inline constexpr std::size_t kThrottleKeyBytes = 32;
// Entries of one set: a digest lives in one set, and a new entry replaces one of these.
inline constexpr std::size_t kThrottleWays = 8;

struct ThrottleDigest {
  std::uint8_t bytes[kThrottleDigestBytes];
};

// What is counted: the attempts on one key id, or the attempts of one client.
enum class ThrottleScope : std::uint8_t { kKey = 1, kClient = 2 };

// Fills key with random bytes.
void NewThrottleKey(std::uint8_t (&key)[kThrottleKeyBytes]) noexcept;

// The digest of an id in a scope and database, under key.
ThrottleDigest DigestOf(const std::uint8_t (&key)[kThrottleKeyBytes], ThrottleScope scope,
                        std::uint32_t database, std::string_view id) noexcept;

// One entry; zeroed memory is an empty table. Times are in microseconds on any one clock.
struct ThrottleEntry {
  ThrottleDigest digest;
  std::uint32_t failures;  // in the window that began at window_start; 0: the entry is free
  std::uint32_t reserved;
  std::int64_t window_start;
};

// A view of sets * kThrottleWays entries (sets at least 1). Not synchronised: the caller locks.
//
// A window begins at the first failure counted in it and lasts `window` microseconds; then the count
// starts again from zero. When a set is full, a new entry replaces, in this order, a free entry, one
// whose window has ended, or the one with the fewest failures (the oldest of those): so an entry is only
// ever pushed out by a flood of others when all of its set have as many failures as it has, and a key
// under attack keeps its count while single failures of other ids come and go.
class ThrottleTable {
 public:
  ThrottleTable(ThrottleEntry* entries, std::size_t sets) noexcept : entries_(entries), sets_(sets) {}

  // Failures counted for digest in its current window (0 when none, or when its window has ended).
  std::uint32_t Failures(const ThrottleDigest& digest, std::int64_t now, std::int64_t window) const noexcept;

  // Counts one failure for digest.
  void RecordFailure(const ThrottleDigest& digest, std::int64_t now, std::int64_t window) noexcept;

  // Forgets digest's failures.
  void Clear(const ThrottleDigest& digest) noexcept;

 private:
  ThrottleEntry* SetOf(const ThrottleDigest& digest) const noexcept;
  ThrottleEntry* Find(const ThrottleDigest& digest) const noexcept;

  ThrottleEntry* entries_;
  std::size_t sets_;
};

}  // namespace lucia::core
