#include "pg/passwords.hpp"

extern "C" {
#include "utils/builtins.h"
}

#include <cstring>

#include "core/crypto.hpp"
#include "pg/boundary.hpp"
#include "pg/secret.hpp"
#include "pg/settings.hpp"

namespace lucia::pg {

namespace {

// The s2 dummy: the empty password under a salt of zeros. It is written here rather than made at the
// first missing key, so that no call pays for making it: that extra time would tell the caller
// something.
constexpr std::string_view kDummyS2 =
    "s2:0000000000000000:fc67cbdcdbd4f5c77534b6bce9f305722702e082dad70c063672144962c6afad"
    "e6b483a9ffff5be62fe96ab2c5544dd37dab0a24c8bf6f2270766c58bef20a57";

// An Argon2id dummy is made once per parameters (libsodium picks its salt).
struct DummyHash {
  core::PasswordPolicy policy;
  char hash[core::kHashBufferSize];
  std::size_t length;
};
DummyHash dummy{{core::HashAlgorithm::kArgon2id, {0, 0}}, {0}, 0};

bool SamePolicy(const core::PasswordPolicy& a, const core::PasswordPolicy& b) {
  return a.algorithm == b.algorithm &&
         (a.algorithm == core::HashAlgorithm::kS2 ||
          (a.argon2id.memory_kib == b.argon2id.memory_kib && a.argon2id.iterations == b.argon2id.iterations));
}

}  // namespace

text* HashPasswordArg(const text* password) {
  SecretText secret = PreparePassword(password);
  core::PasswordPolicy policy = CurrentPasswordPolicy();
  char hash[core::kHashBufferSize];
  std::size_t length = 0;
  PendingError err;
  bool ok = RunCore(&err, [&] { length = core::HashPassword(secret.view(), policy, hash); });
  WipeSecret(&secret);
  if (!ok) RaisePending(&err);
  return cstring_to_text_with_len(hash, static_cast<int>(length));
}

bool VerifyPasswordArg(const text* password, const text* hash) {
  SecretText secret = PreparePassword(password);
  bool match = false;
  PendingError err;
  bool ok = RunCore(&err, [&] { match = core::VerifyPassword(secret.view(), TextView(hash)); });
  WipeSecret(&secret);
  if (!ok) RaisePending(&err);
  return match;
}

void VerifyAgainstDummy(const text* password) {
  core::PasswordPolicy policy = CurrentPasswordPolicy();
  PendingError err;
  std::string_view dummy_hash = kDummyS2;
  if (policy.algorithm == core::HashAlgorithm::kArgon2id) {
    if (dummy.length == 0 || !SamePolicy(dummy.policy, policy)) {
      bool ok = RunCore(&err, [&] { dummy.length = core::HashArgon2id("", policy.argon2id, dummy.hash); });
      if (!ok) RaisePending(&err);
      dummy.policy = policy;
    }
    dummy_hash = std::string_view(dummy.hash, dummy.length);
  }
  SecretText secret = PreparePassword(password);
  bool ok = RunCore(&err, [&] { (void)core::VerifyPassword(secret.view(), dummy_hash); });
  WipeSecret(&secret);
  if (!ok) RaisePending(&err);
}

}  // namespace lucia::pg
