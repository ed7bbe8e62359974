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

// A hash of a password nobody knows, in the current format; Argon2id ones are made once per parameters.
struct DummyHash {
  core::PasswordPolicy policy;
  char hash[core::kHashBufferSize];
  std::size_t length;
};
DummyHash dummy{{core::HashAlgorithm::kS2, {0, 0}}, {0}, 0};

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
  if (dummy.length == 0 || !SamePolicy(dummy.policy, policy)) {
    bool ok = RunCore(&err, [&] {
      if (policy.algorithm == core::HashAlgorithm::kS2) {
        dummy.length = core::HashS2WithSalt("", "0000000000000000", dummy.hash);
      } else {
        dummy.length = core::HashArgon2id("", policy.argon2id, dummy.hash);
      }
    });
    if (!ok) RaisePending(&err);
    dummy.policy = policy;
  }
  SecretText secret = PreparePassword(password);
  bool ok = RunCore(
      &err, [&] { (void)core::VerifyPassword(secret.view(), std::string_view(dummy.hash, dummy.length)); });
  WipeSecret(&secret);
  if (!ok) RaisePending(&err);
}

}  // namespace lucia::pg
