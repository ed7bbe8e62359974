// Password hashing and verification on SQL arguments, shared by the password and key functions.
// These may raise Postgres errors: call them from frames without C++ objects.
#pragma once

extern "C" {
#include "postgres.h"
}

namespace lucia::pg {

// A new hash of the password in the current format (lucia_auth.password_hash).
text* HashPasswordArg(const text* password);

// True when the password matches the hash, under the current settings; AUTH_OUTDATED_PASSWORD for "$2a"
// hashes while lucia_auth.verify_bcrypt is off. A hash that cannot be read, or asks for more than the
// settings allow, is false at once.
bool VerifyPasswordArg(const text* password, const text* hash);

// As VerifyPasswordArg, but a hash that would be refused at once costs one verification of the current
// format first: a stored hash lucia_auth cannot read costs what a wrong password costs.
bool VerifyStoredPassword(const text* password, const text* hash);

// Spends the time of one verification with the current format, so that a missing key costs what a
// wrong password costs.
void VerifyAgainstDummy(const text* password);

}  // namespace lucia::pg
