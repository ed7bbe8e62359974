#include "pg/passwords.hpp"

extern "C" {
#include "utils/builtins.h"
}

#include "core/crypto.hpp"
#include "core/login.hpp"
#include "pg/boundary.hpp"
#include "pg/hash_slots.hpp"
#include "pg/secret.hpp"
#include "pg/settings.hpp"

namespace lucia::pg {

namespace {

bool Derives(const core::Verification& verification) noexcept {
  return verification.kind != core::VerificationKind::kReject &&
         verification.kind != core::VerificationKind::kOutdated;
}

// Runs one planned verification, with the password prepared in the form the plan names and, when a key
// is derived, holding a hash slot.
bool Run(const text* password, const core::Verification& verification) {
  bool derives = Derives(verification);
  if (derives) EnterHashing();
  SecretText secret = verification.form == core::PasswordForm::kAsTyped ? PreparePasswordAsTyped(password)
                                                                        : PreparePassword(password);
  bool match = false;
  PendingError err;
  bool ok = RunCore(&err, [&] { match = core::RunVerification(secret.view(), verification); });
  WipeSecret(&secret);
  if (derives) LeaveHashing();
  if (!ok) RaisePending(&err);
  return match;
}

}  // namespace

text* HashPasswordArg(const text* password) {
  EnterHashing();
  SecretText secret = PreparePassword(password);
  core::PasswordPolicy policy = CurrentPasswordPolicy();
  char hash[core::kHashBufferSize];
  std::size_t length = 0;
  PendingError err;
  bool ok = RunCore(&err, [&] { length = core::HashPassword(secret.view(), policy, hash); });
  WipeSecret(&secret);
  LeaveHashing();
  if (!ok) RaisePending(&err);
  return cstring_to_text_with_len(hash, static_cast<int>(length));
}

bool VerifyPasswordArg(const text* password, const text* hash) {
  return Run(password, core::PlanVerification(TextView(hash), CurrentPasswordPolicy()));
}

LoginResult CheckLogin(const text* password, bool key_found, const text* stored_hash) {
  core::PasswordPolicy policy = CurrentPasswordPolicy();
  core::GivenPassword given = password == nullptr                ? core::GivenPassword::kNull
                              : VARSIZE_ANY_EXHDR(password) == 0 ? core::GivenPassword::kEmpty
                                                                 : core::GivenPassword::kNonEmpty;
  core::StoredKey key = !key_found               ? core::StoredKey::kMissing
                        : stored_hash == nullptr ? core::StoredKey::kWithoutHash
                                                 : core::StoredKey::kWithHash;
  core::LoginPlan plan = core::PlanLogin(
      given, key, stored_hash != nullptr ? TextView(stored_hash) : std::string_view(), policy);
  switch (plan.work) {
    case core::LoginWork::kNone:
      break;
    case core::LoginWork::kVerifyStored:
      return LoginResult{Run(password, plan.verification), plan.failure};
    case core::LoginWork::kVerifyDummy: {
      // The dummy is built from the parameters rather than hashed: verifying it costs what verifying a
      // real hash costs, and making it costs nothing, so no call (a backend's first included) takes longer.
      char dummy[core::kHashBufferSize];
      (void)Run(password, core::DummyVerification(policy, dummy));
      return LoginResult{false, plan.failure};
    }
  }
  return LoginResult{plan.succeeds, plan.failure};
}

}  // namespace lucia::pg
