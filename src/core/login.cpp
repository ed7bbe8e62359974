#include "core/login.hpp"

namespace lucia::core {

namespace {

LoginPlan Outcome(bool succeeds, ErrorCode failure) noexcept {
  LoginPlan plan;
  plan.work = LoginWork::kNone;
  plan.succeeds = succeeds;
  plan.failure = failure;
  return plan;
}

LoginPlan Dummy(ErrorCode failure) noexcept {
  LoginPlan plan;
  plan.work = LoginWork::kVerifyDummy;
  plan.failure = failure;
  return plan;
}

}  // namespace

LoginPlan PlanLogin(GivenPassword password, StoredKey key, std::string_view stored_hash,
                    const PasswordPolicy& policy) noexcept {
  bool given = password == GivenPassword::kNonEmpty;
  switch (key) {
    case StoredKey::kMissing:
      return given ? Dummy(ErrorCode::kInvalidKeyId) : Outcome(false, ErrorCode::kInvalidKeyId);
    case StoredKey::kWithoutHash:
      if (password == GivenPassword::kNull) return Outcome(true, ErrorCode::kInvalidPassword);
      return given ? Dummy(ErrorCode::kInvalidPassword) : Outcome(false, ErrorCode::kInvalidPassword);
    case StoredKey::kWithHash:
      break;
  }
  if (!given) return Outcome(false, ErrorCode::kInvalidPassword);
  Verification verification = PlanVerification(stored_hash, policy);
  switch (verification.kind) {
    case VerificationKind::kOutdated:
      return Outcome(false, ErrorCode::kOutdatedPassword);
    case VerificationKind::kReject:
      return Dummy(ErrorCode::kInvalidPassword);
    default:
      break;
  }
  LoginPlan plan;
  plan.work = LoginWork::kVerifyStored;
  plan.failure = ErrorCode::kInvalidPassword;
  plan.verification = verification;
  return plan;
}

Verification DummyVerification(const PasswordPolicy& policy, char (&buffer)[kHashBufferSize]) noexcept {
  std::size_t length = DummyHash(policy, buffer);
  return PlanVerification(std::string_view(buffer, length), policy);
}

}  // namespace lucia::core
