// use_key's login check as a table: for each case of the password given and what the key table holds,
// what is verified and what the caller is told. No Postgres header may be included here.
//
// Timing must not tell which keys exist, which have a password, or which stored hashes lucia_auth can
// read. So every case with a non-empty password costs exactly one verification in the current format
// (the stored hash, or the policy's dummy hash when there is nothing real to verify), and every case
// without one costs none. The only exception is Lucia's own: a "$2a" hash while bcrypt is off is
// AUTH_OUTDATED_PASSWORD at once.
#pragma once

#include <string_view>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace lucia::core {

enum class GivenPassword { kNull, kEmpty, kNonEmpty };

// What the key table holds for the key id.
enum class StoredKey { kMissing, kWithoutHash, kWithHash };

enum class LoginWork {
  kNone,          // nothing is verified: the outcome is `succeeds`/`failure`
  kVerifyStored,  // the stored hash is verified: success on a match, `failure` otherwise
  kVerifyDummy,   // the policy's dummy hash is verified (never a match): `failure`
};

struct LoginPlan {
  LoginWork work = LoginWork::kNone;
  bool succeeds = false;  // kNone only
  ErrorCode failure = ErrorCode::kInvalidPassword;
  Verification verification;  // kVerifyStored: the stored hash's
};

// The whole table of cases. stored_hash is read only for StoredKey::kWithHash and must outlive the plan.
//
// | password  | key table holds           | verified          | outcome                    |
// |-----------|---------------------------|-------------------|----------------------------|
// | any       | no key                    | dummy if given    | AUTH_INVALID_KEY_ID        |
// | NULL      | a key without hash        | nothing           | success                    |
// | ''        | a key without hash        | nothing           | AUTH_INVALID_PASSWORD      |
// | given     | a key without hash        | dummy             | AUTH_INVALID_PASSWORD      |
// | NULL, ''  | a key with a hash         | nothing           | AUTH_INVALID_PASSWORD      |
// | given     | "$2a…", bcrypt off        | nothing           | AUTH_OUTDATED_PASSWORD     |
// | given     | a hash refused unread     | dummy             | AUTH_INVALID_PASSWORD      |
// | given     | a hash it reads           | the stored hash   | success or AUTH_INVALID_PASSWORD |
//
// "Given" is a non-empty password; "refused unread" is what RejectsWithoutDerivation says of the hash.
LoginPlan PlanLogin(GivenPassword password, StoredKey key, std::string_view stored_hash,
                    const PasswordPolicy& policy) noexcept;

// The verification of the policy's dummy hash (DummyHash), written into buffer, which must outlive it.
Verification DummyVerification(const PasswordPolicy& policy, char (&buffer)[kHashBufferSize]) noexcept;

}  // namespace lucia::core
