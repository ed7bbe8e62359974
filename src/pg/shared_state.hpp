// lucia_auth's state shared by every backend of the server: the hash slots (hash_slots.hpp) and the
// counts of failed logins (throttle.hpp). Shared memory is reserved when the server starts, so this
// exists only when lucia_auth is in shared_preload_libraries; without it the accessors return nullptr
// and what needs them is off (the hash cap) or refused (throttling).
//
// It lives as long as the server's shared memory: a restart, and the reinitialisation that follows a
// crashed backend (kill -9 included), start it empty: no slot taken, no failure counted.
#pragma once

extern "C" {
#include "postgres.h"

#include "storage/condition_variable.h"
#include "storage/lwlock.h"
#include "storage/spin.h"
}

#include <cstddef>

#include "core/throttle.hpp"

namespace lucia::pg {

struct HashSlots {
  slock_t mutex;
  int running;  // hashes running now
  int waiting;  // calls waiting for a slot
  ConditionVariable freed;
};

// 4096 sets of 8 entries of 32 bytes: 1 MiB.
inline constexpr std::size_t kThrottleSets = 4096;

struct ThrottleCounts {
  LWLock* lock;
  std::uint8_t key[core::kThrottleKeyBytes];  // drawn when the memory is initialised
  core::ThrottleEntry entries[kThrottleSets * core::kThrottleWays];
};

// Called by _PG_init while shared_preload_libraries is being processed: asks for the memory and lock,
// and initialises them when the server starts (and again after a crash).
void InstallSharedStateHooks();

HashSlots* SharedHashSlots() noexcept;
ThrottleCounts* SharedThrottleCounts() noexcept;

}  // namespace lucia::pg
