#include "pg/passwords.hpp"

extern "C" {
#include "utils/builtins.h"
}

#include "core/crypto.hpp"
#include "pg/boundary.hpp"
#include "pg/secret.hpp"
#include "pg/settings.hpp"

namespace lucia::pg {

namespace {

bool Verify(const text* password, std::string_view hash, const core::PasswordPolicy& policy) {
  SecretText secret = core::PasswordFormFor(hash, policy) == core::PasswordForm::kAsTyped
                          ? PreparePasswordAsTyped(password)
                          : PreparePassword(password);
  bool match = false;
  PendingError err;
  bool ok = RunCore(&err, [&] { match = core::VerifyPassword(secret.view(), hash, policy); });
  WipeSecret(&secret);
  if (!ok) RaisePending(&err);
  return match;
}

void VerifyDummy(const text* password, const core::PasswordPolicy& policy) {
  // Built from the parameters rather than hashed: a verification of it costs one of a real hash, and
  // making it costs nothing, so that no call (the first of a backend included) takes longer than another.
  char dummy[core::kHashBufferSize];
  std::size_t length = core::DummyHash(policy, dummy);
  (void)Verify(password, std::string_view(dummy, length), policy);
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
  return Verify(password, TextView(hash), CurrentPasswordPolicy());
}

bool VerifyStoredPassword(const text* password, const text* hash) {
  core::PasswordPolicy policy = CurrentPasswordPolicy();
  if (core::RejectsWithoutDerivation(TextView(hash), policy)) {
    VerifyDummy(password, policy);
    return false;
  }
  return Verify(password, TextView(hash), policy);
}

void VerifyAgainstDummy(const text* password) { VerifyDummy(password, CurrentPasswordPolicy()); }

}  // namespace lucia::pg
