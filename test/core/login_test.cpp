// use_key's table of cases (core/login.hpp), and the rule of its timing: every case with a non-empty
// password costs exactly one verification whose cost is that of a new hash under the policy (the stored
// hash in the current format, or the dummy), every case without one costs none. Timing itself is
// measured by test/timing/key_timing.sh; here the cost is checked as what is derived: the kind of
// verification and its parameters.
#include "core/login.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lucia::core {
namespace {

class LoginTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(InitCrypto()); }
};

PasswordPolicy Argon2idPolicy() {
  PasswordPolicy policy;
  policy.algorithm = HashAlgorithm::kArgon2id;
  policy.argon2id = Argon2idParams{64, 1};  // cheap: these tests derive keys
  return policy;
}

std::string NewHash(std::string_view password, const PasswordPolicy& policy) {
  char out[kHashBufferSize];
  std::size_t length = HashPassword(password, policy, out);
  return std::string(out, length);
}

// What one verification derives: its kind and, for Argon2id, its parameters.
struct Cost {
  VerificationKind kind;
  std::uint32_t memory_kib;
  std::uint32_t iterations;
  bool operator==(const Cost& other) const {
    return kind == other.kind && memory_kib == other.memory_kib && iterations == other.iterations;
  }
};

Cost CostOf(const Verification& v) {
  return Cost{v.kind, v.parsed.argon2id.memory_kib, v.parsed.argon2id.iterations};
}

// The verification a plan spends, as the caller runs it.
Verification Spent(const LoginPlan& plan, const PasswordPolicy& policy, char (&dummy)[kHashBufferSize]) {
  return plan.work == LoginWork::kVerifyDummy ? DummyVerification(policy, dummy) : plan.verification;
}

TEST_F(LoginTest, EveryCaseOfTheTable) {
  for (const PasswordPolicy& policy : {PasswordPolicy{}, Argon2idPolicy()}) {
    std::string current = NewHash("right", policy);
    const std::string lucia_beta_bcrypt = "$2a$10$anything";
    const std::string unreadable = "not a hash";
    struct Case {
      GivenPassword password;
      StoredKey key;
      std::string stored;
      LoginWork work;
      bool succeeds;
      ErrorCode failure;
    } cases[] = {
        {GivenPassword::kNull, StoredKey::kMissing, "", LoginWork::kNone, false, ErrorCode::kInvalidKeyId},
        {GivenPassword::kEmpty, StoredKey::kMissing, "", LoginWork::kNone, false, ErrorCode::kInvalidKeyId},
        {GivenPassword::kNonEmpty, StoredKey::kMissing, "", LoginWork::kVerifyDummy, false,
         ErrorCode::kInvalidKeyId},
        {GivenPassword::kNull, StoredKey::kWithoutHash, "", LoginWork::kNone, true,
         ErrorCode::kInvalidPassword},
        {GivenPassword::kEmpty, StoredKey::kWithoutHash, "", LoginWork::kNone, false,
         ErrorCode::kInvalidPassword},
        {GivenPassword::kNonEmpty, StoredKey::kWithoutHash, "", LoginWork::kVerifyDummy, false,
         ErrorCode::kInvalidPassword},
        {GivenPassword::kNull, StoredKey::kWithHash, current, LoginWork::kNone, false,
         ErrorCode::kInvalidPassword},
        {GivenPassword::kEmpty, StoredKey::kWithHash, current, LoginWork::kNone, false,
         ErrorCode::kInvalidPassword},
        {GivenPassword::kNonEmpty, StoredKey::kWithHash, lucia_beta_bcrypt, LoginWork::kNone, false,
         ErrorCode::kOutdatedPassword},
        {GivenPassword::kNonEmpty, StoredKey::kWithHash, unreadable, LoginWork::kVerifyDummy, false,
         ErrorCode::kInvalidPassword},
        // An empty stored hash is a hash that cannot be read, not a missing one (Lucia tests for null).
        {GivenPassword::kNonEmpty, StoredKey::kWithHash, "", LoginWork::kVerifyDummy, false,
         ErrorCode::kInvalidPassword},
        {GivenPassword::kNonEmpty, StoredKey::kWithHash, current, LoginWork::kVerifyStored, false,
         ErrorCode::kInvalidPassword},
    };
    for (const Case& c : cases) {
      SCOPED_TRACE(::testing::Message() << "password " << static_cast<int>(c.password) << ", key "
                                        << static_cast<int>(c.key) << ", stored \"" << c.stored << "\"");
      LoginPlan plan = PlanLogin(c.password, c.key, c.stored, policy);
      EXPECT_EQ(plan.work, c.work);
      EXPECT_EQ(plan.failure, c.failure);
      if (plan.work == LoginWork::kNone) {
        EXPECT_EQ(plan.succeeds, c.succeeds);
      }
    }
  }
}

// The timing rule: a given password always spends one verification with the cost of a new hash in the
// current format (stored hashes in another format take their own time, as documented), no password
// spends none; the outdated bcrypt of Lucia's beta is refused at once, as in Lucia.
TEST_F(LoginTest, OneVerificationOfTheCurrentCostWhenAPasswordIsGiven) {
  for (const PasswordPolicy& policy : {PasswordPolicy{}, Argon2idPolicy()}) {
    std::string current = NewHash("right", policy);
    Cost expected = CostOf(PlanVerification(current, policy));
    ASSERT_NE(expected.kind, VerificationKind::kReject);
    const struct {
      StoredKey key;
      std::string stored;
    } holdings[] = {
        {StoredKey::kMissing, ""},
        {StoredKey::kWithoutHash, ""},
        {StoredKey::kWithHash, current},
        {StoredKey::kWithHash, "not a hash"},
        {StoredKey::kWithHash, "s2:" + std::string(200, 'a') + ":00"},  // salt beyond the bound
        {StoredKey::kWithHash,
         "$argon2id$v=19$m=1048576,t=64,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},  // beyond the bounds
        {StoredKey::kWithHash, "$2b$10$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"},  // bcrypt off
    };
    for (const auto& holding : holdings) {
      SCOPED_TRACE(holding.stored);
      char dummy[kHashBufferSize];
      LoginPlan given = PlanLogin(GivenPassword::kNonEmpty, holding.key, holding.stored, policy);
      ASSERT_NE(given.work, LoginWork::kNone);
      EXPECT_TRUE(CostOf(Spent(given, policy, dummy)) == expected);
      for (GivenPassword none : {GivenPassword::kNull, GivenPassword::kEmpty}) {
        EXPECT_EQ(PlanLogin(none, holding.key, holding.stored, policy).work, LoginWork::kNone);
      }
    }
    EXPECT_EQ(PlanLogin(GivenPassword::kNonEmpty, StoredKey::kWithHash, "$2a$10$x", policy).work,
              LoginWork::kNone);
  }
}

// Running the plans: the right password matches the stored hash, a wrong one does not, and the dummy
// never lets a caller in (the caller treats it as a failure whatever it returns; for s2 it is the hash of
// the empty password, which is never verified since an empty password spends nothing).
TEST_F(LoginTest, RunningThePlans) {
  for (const PasswordPolicy& policy : {PasswordPolicy{}, Argon2idPolicy()}) {
    std::string current = NewHash("right", policy);
    LoginPlan plan = PlanLogin(GivenPassword::kNonEmpty, StoredKey::kWithHash, current, policy);
    ASSERT_EQ(plan.work, LoginWork::kVerifyStored);
    EXPECT_TRUE(RunVerification("right", plan.verification));
    EXPECT_FALSE(RunVerification("wrong", plan.verification));
    char dummy[kHashBufferSize];
    Verification d = DummyVerification(policy, dummy);
    EXPECT_FALSE(RunVerification("right", d));
    EXPECT_FALSE(RunVerification("wrong", d));
  }
}

}  // namespace
}  // namespace lucia::core
