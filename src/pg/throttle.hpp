// Throttling of use_key (lucia_auth.throttle_key_attempts, throttle_client_attempts, throttle_window).
//
// Failed attempts are counted per key id and per client in shared memory (shared_state.hpp), outside any
// transaction: a failure counts although the call raises an error and its transaction rolls back. The
// key id counted is the one asked for, whether or not such a key exists, so that a missing key is
// throttled exactly like an existing one: same counts, same error, same time. Only attempts that give a
// password count (an empty or NULL password guesses nothing); a success clears the key's count, and so
// does update_key_password. Counts are per database.
#pragma once

extern "C" {
#include "postgres.h"
}

#include "core/throttle.hpp"

namespace lucia::pg {

struct LoginThrottle {
  bool by_key = false;
  bool by_client = false;
  core::ThrottleDigest key;
  core::ThrottleDigest client;
};

// What this attempt is counted under, from the settings; client may be NULL (no client throttle). Raises
// 55000 when a throttle setting is on and lucia_auth is not in shared_preload_libraries.
LoginThrottle ThrottleFor(const text* key_id, const text* client);

// True when the key or the client has used up its failed attempts in the current window.
bool IsThrottled(const LoginThrottle& throttle);

// Counts one failed attempt for the key and the client.
void CountFailure(const LoginThrottle& throttle);

// Forgets the key's failed attempts (its client's count stays).
void ClearKeyFailures(const LoginThrottle& throttle);

// The same by key id, whatever the settings of this session (when lucia_auth is preloaded): for
// update_key_password.
void ClearKeyFailuresOf(const text* key_id);

}  // namespace lucia::pg
