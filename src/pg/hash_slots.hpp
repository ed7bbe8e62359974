// The server-wide cap on concurrent password hashing (lucia_auth.max_concurrent_hashes).
//
// Every password hash and verification of lucia_auth (hash_password, verify_password, create_user,
// create_key, use_key, update_key_password) runs holding one of the server's slots. A call that finds
// them all taken waits for one, without using a core, for up to lucia_auth.hash_queue_timeout; the wait
// ends early at a cancel or statement_timeout (with PostgreSQL's own errors) and, at the timeout, with
// 53000. Callers take a slot before they lock any row (use_key before it reads the key; the others hash
// before they write), so that nothing waits on a caller that waits for a slot.
//
// A slot is given back by LeaveHashing, and in any case when the (sub)transaction that took it aborts or
// the backend exits; a backend killed outright makes the postmaster reinitialise shared memory, which
// frees every slot. Without shared_preload_libraries there are no slots and these calls do nothing.
#pragma once

namespace lucia::pg {

// Takes a slot, or waits for one; nested calls share the slot already held. May raise: call it from a
// frame without C++ objects.
void EnterHashing();

// Gives back the slot taken by the matching EnterHashing.
void LeaveHashing() noexcept;

// The default of lucia_auth.max_concurrent_hashes: the CPUs this server may use, at least one.
int DefaultMaxConcurrentHashes() noexcept;
inline constexpr int kMaxConcurrentHashesLimit = 10000;

}  // namespace lucia::pg
