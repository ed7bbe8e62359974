// Password hashing and verification on SQL arguments, shared by the password and key functions, and the
// login check of use_key. Every hash and verification runs holding one of the server's hash slots
// (hash_slots.hpp). These may raise Postgres errors: call them from frames without C++ objects.
#pragma once

extern "C" {
#include "postgres.h"
}

#include "core/error.hpp"

namespace lucia::pg {

// A new hash of the password in the current format (lucia_auth.password_hash).
text* HashPasswordArg(const text* password);

// True when the password matches the hash, under the current settings; AUTH_OUTDATED_PASSWORD for "$2a"
// hashes while lucia_auth.verify_bcrypt is off. A hash that cannot be read, or asks for more than the
// settings allow, is false at once.
bool VerifyPasswordArg(const text* password, const text* hash);

struct LoginResult {
  bool succeeded;
  core::ErrorCode failure;  // Lucia's error when it did not
};

// use_key's login check: the password given (NULL allowed) against what the key table holds for the key
// id: no key (key_found false), a key without password (stored_hash NULL), or a stored hash. The table of
// cases, and with it the rule that timing tells nothing, is core::PlanLogin (core/login.hpp); this runs
// the one verification the plan asks for, with the password prepared once in the form the hash needs.
LoginResult CheckLogin(const text* password, bool key_found, const text* stored_hash);

}  // namespace lucia::pg
