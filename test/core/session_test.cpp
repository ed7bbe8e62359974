#include "core/session.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lucia::core {
namespace {

using namespace std::string_view_literals;

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

// ---------------------------------------------------------------------------------------------------
// ClassifySession

struct ClassifyCase {
  std::int64_t now;
  std::int64_t active_expires;
  std::int64_t idle_expires;
  SessionState expected;
};

TEST(ClassifySessionTest, BoundariesFollowLuciaIsWithinExpiration) {
  // Lucia: a session is valid while !(now > idle_expires), and active while !(now > active_expires).
  const std::int64_t active = 1700086400000LL;
  const std::int64_t idle = 1701296000000LL;
  const std::vector<ClassifyCase> cases = {
      {active - 1, active, idle, SessionState::kActive},
      {active, active, idle, SessionState::kActive},
      {active + 1, active, idle, SessionState::kIdle},
      {idle - 1, active, idle, SessionState::kIdle},
      {idle, active, idle, SessionState::kIdle},
      {idle + 1, active, idle, SessionState::kDead},
      {kMax, active, idle, SessionState::kDead},
      {kMin, active, idle, SessionState::kActive},
      // active_expires == idle_expires: there is no idle period.
      {100, 100, 100, SessionState::kActive},
      {101, 100, 100, SessionState::kDead},
      // A row whose active period outlasts its idle period: the idle expiry is checked first.
      {150, 200, 100, SessionState::kDead},
      {100, 200, 100, SessionState::kActive},
      {101, 200, 100, SessionState::kDead},
      {250, 200, 100, SessionState::kDead},
      // Negative times (before the epoch) and the extremes of a bigint.
      {-5, -5, -1, SessionState::kActive},
      {-4, -5, -1, SessionState::kIdle},
      {0, -5, -1, SessionState::kDead},
      {kMax, kMax, kMax, SessionState::kActive},
      {kMax, kMax - 1, kMax, SessionState::kIdle},
      {kMin, kMin, kMin, SessionState::kActive},
      {kMin + 1, kMin, kMin, SessionState::kDead},
  };
  for (const ClassifyCase& c : cases) {
    SCOPED_TRACE(testing::Message() << "now=" << c.now << " active=" << c.active_expires
                                    << " idle=" << c.idle_expires);
    EXPECT_EQ(ClassifySession(c.now, c.active_expires, c.idle_expires), c.expected);
  }
}

TEST(ClassifySessionTest, StateNames) {
  EXPECT_STREQ(SessionStateName(SessionState::kActive), "active");
  EXPECT_STREQ(SessionStateName(SessionState::kIdle), "idle");
  EXPECT_STREQ(SessionStateName(SessionState::kDead), "dead");
}

// ---------------------------------------------------------------------------------------------------
// NewSessionExpiry

struct ExpiryCase {
  std::int64_t now;
  double active_period;
  double idle_period;
  std::int64_t active_expires;
  std::int64_t idle_expires;
};

TEST(NewSessionExpiryTest, MatchesLuciaGetNewSessionExpiration) {
  // Expected values are the outputs of JavaScript (Node 20) for Lucia's getNewSessionExpiration:
  // a = new Date(now + active_period).getTime(), i = new Date(a + idle_period).getTime().
  const std::vector<ExpiryCase> cases = {
      {1700000000000LL, 86400000, 1209600000, 1700086400000LL, 1701296000000LL},
      {0LL, 86400000, 1209600000, 86400000LL, 1296000000LL},
      {-1LL, 86400000, 1209600000, 86399999LL, 1295999999LL},
      {1700000000000LL, 0.5, 0.5, 1700000000000LL, 1700000000000LL},
      {1700000000000LL, 0.9999, 1.9999, 1700000000001LL, 1700000000003LL},
      {1700000000000LL, -0.5, -0.5, 1699999999999LL, 1699999999998LL},
      {-1000LL, 0.5, 0.5, -999LL, -998LL},
      {-1000LL, -0.5, -0.25, -1000LL, -1000LL},
      {1700000000000LL, 1.5, 2.5, 1700000000001LL, 1700000000003LL},
      {1700000000000LL, 3600000.7, 86400000.3, 1700003600000LL, 1700090000000LL},
      {1700000000000LL, -86400000, -1209600000, 1699913600000LL, 1698704000000LL},
      {1700000000000LL, 1e-9, 1e-9, 1700000000000LL, 1700000000000LL},
      {0LL, 0.5, -0.5, 0LL, 0LL},
      {1700000000000LL, 1000000000000000, 1000000000000000, 1001700000000000LL, 2001700000000000LL},
      {0LL, 8640000000000000, 0, 8640000000000000LL, 8640000000000000LL},
      {0LL, 8639999999999999, 1, 8639999999999999LL, 8640000000000000LL},
      {0LL, -8640000000000000, 0, -8640000000000000LL, -8640000000000000LL},
      {1LL, -8640000000000000, -1, -8639999999999999LL, -8640000000000000LL},
      {1LL, 1.0000000000000002, 0, 2LL, 2LL},
  };
  for (const ExpiryCase& c : cases) {
    SCOPED_TRACE(testing::Message() << "now=" << c.now << " active_period=" << c.active_period
                                    << " idle_period=" << c.idle_period);
    SessionExpiry expiry = NewSessionExpiry(c.now, c.active_period, c.idle_period);
    EXPECT_EQ(expiry.active_expires, c.active_expires);
    EXPECT_EQ(expiry.idle_expires, c.idle_expires);
  }
}

TEST(NewSessionExpiryTest, LuciaDefaultPeriods) {
  // Lucia's defaults: one day active, then fourteen days idle.
  SessionExpiry expiry = NewSessionExpiry(1000, 86400000.0, 1209600000.0);
  EXPECT_EQ(expiry.active_expires, 86401000);
  EXPECT_EQ(expiry.idle_expires, 1296001000);
  EXPECT_EQ(ClassifySession(86401000, expiry.active_expires, expiry.idle_expires), SessionState::kActive);
  EXPECT_EQ(ClassifySession(86401001, expiry.active_expires, expiry.idle_expires), SessionState::kIdle);
  EXPECT_EQ(ClassifySession(1296001001, expiry.active_expires, expiry.idle_expires), SessionState::kDead);
}

void ExpectOutOfRange(std::int64_t now, double active_period, double idle_period) {
  SCOPED_TRACE(testing::Message() << "now=" << now << " active_period=" << active_period
                                  << " idle_period=" << idle_period);
  try {
    NewSessionExpiry(now, active_period, idle_period);
    ADD_FAILURE() << "no AuthError was thrown";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValueOutOfRange) << e.what();
  }
}

TEST(NewSessionExpiryTest, BeyondTheJavaScriptDateRangeThrows) {
  // new Date(x) is an Invalid Date for |x| > 8.64e15: Lucia would store NaN.
  ExpectOutOfRange(0, 8640000000000001.0, 0);
  ExpectOutOfRange(0, 8640000000000000.0, 1);
  ExpectOutOfRange(0, -8640000000000001.0, 0);
}

TEST(NewSessionExpiryTest, OverflowThrowsValueOutOfRange) {
  const double two53 = 9007199254740992.0;
  ExpectOutOfRange(0, two53 * 2, 0);
  ExpectOutOfRange(0, -two53 * 2, 0);
  ExpectOutOfRange(9007199254740000LL, 1e6, 0);
  ExpectOutOfRange(-9007199254740000LL, -1e6, 0);
  // The active expiry fits, the idle one does not.
  ExpectOutOfRange(0, 8e15, 2e15);
  ExpectOutOfRange(0, -8e15, -2e15);
  ExpectOutOfRange(0, 1e300, 0);
  ExpectOutOfRange(0, 86400000, 1e300);
  ExpectOutOfRange(kMax, 0, 0);
  ExpectOutOfRange(kMin, 0, 0);
  ExpectOutOfRange(0, std::numeric_limits<double>::infinity(), 0);
  ExpectOutOfRange(0, 0, -std::numeric_limits<double>::infinity());
  ExpectOutOfRange(0, std::nan(""), 0);
  ExpectOutOfRange(0, 0, std::nan(""));
}

// ---------------------------------------------------------------------------------------------------
// Absolute lifetimes (lucia_auth.absolute_period)

TEST(AbsoluteEndTest, CreationPlusPeriodOrNoEnd) {
  EXPECT_EQ(AbsoluteEnd(true, 1000, 5000.0), 6000);
  EXPECT_EQ(AbsoluteEnd(true, 1000, 0.0), kNoEnd) << "a period of 0 is no limit";
  EXPECT_EQ(AbsoluteEnd(false, 1000, 5000.0), kNoEnd) << "an unknown creation time is no limit";
  EXPECT_EQ(AbsoluteEnd(true, 1000, 1.9), 1001) << "truncated to a whole millisecond";
  EXPECT_EQ(AbsoluteEnd(true, INT64_MAX - 10, 1e18), kNoEnd) << "beyond the range is no limit";
}

TEST(AbsoluteEndTest, DeadAfterTheEndWhateverTheExpiries) {
  // now = end: still alive (Lucia's own boundaries are inclusive); one millisecond later: dead.
  EXPECT_EQ(ClassifySession(6000, 10000, 20000, 6000), SessionState::kActive);
  EXPECT_EQ(ClassifySession(6001, 10000, 20000, 6000), SessionState::kDead);
  EXPECT_EQ(ClassifySession(15000, 10000, 20000, kNoEnd), SessionState::kIdle);
  EXPECT_EQ(ClassifySession(15000, 10000, 20000, 16000), SessionState::kIdle);
  EXPECT_EQ(ClassifySession(16001, 10000, 20000, 16000), SessionState::kDead);
}

TEST(AbsoluteEndTest, RenewalNeverPassesTheEnd) {
  // Lucia's expiries from now = 1000 with periods 100 and 1000: 1100 and 2100.
  SessionExpiry free = NewSessionExpiry(1000, 100.0, 1000.0, kNoEnd);
  EXPECT_EQ(free.active_expires, 1100);
  EXPECT_EQ(free.idle_expires, 2100);
  SessionExpiry idle_clamped = NewSessionExpiry(1000, 100.0, 1000.0, 1500);
  EXPECT_EQ(idle_clamped.active_expires, 1100);
  EXPECT_EQ(idle_clamped.idle_expires, 1500);
  SessionExpiry both_clamped = NewSessionExpiry(1000, 100.0, 1000.0, 1050);
  EXPECT_EQ(both_clamped.active_expires, 1050);
  EXPECT_EQ(both_clamped.idle_expires, 1050);
}

// ---------------------------------------------------------------------------------------------------
// Key ids

TEST(KeyIdTest, IsValidProviderIdRefusesAnyColon) {
  // Lucia's createKeyId throws a TypeError exactly when providerId.includes(":").
  EXPECT_TRUE(IsValidProviderId("email"));
  EXPECT_TRUE(IsValidProviderId("github"));
  EXPECT_TRUE(IsValidProviderId(""));
  EXPECT_TRUE(IsValidProviderId("e-mail_1.x"));
  EXPECT_TRUE(IsValidProviderId("caf\xc3\xa9"));
  EXPECT_TRUE(IsValidProviderId("a;b=c d"));
  EXPECT_FALSE(IsValidProviderId(":"));
  EXPECT_FALSE(IsValidProviderId("a:b"));
  EXPECT_FALSE(IsValidProviderId(":email"));
  EXPECT_FALSE(IsValidProviderId("email:"));
  EXPECT_FALSE(IsValidProviderId("a\0:"sv));
}

struct SplitCase {
  std::string_view key_id;
  std::string_view provider_id;
  std::string_view provider_user_id;
};

TEST(KeyIdTest, SplitKeyIdMatchesLuciaTransformDatabaseKey) {
  // Expected values are the outputs of lucia@2.7.7 transformDatabaseKey ({ providerId, providerUserId })
  // for these key ids.
  const std::vector<SplitCase> cases = {
      {"email:a@b.c"sv, "email"sv, "a@b.c"sv},
      {"a:b:c"sv, "a"sv, "b:c"sv},
      {"nocolon"sv, "nocolon"sv, ""sv},
      {":x"sv, ""sv, "x"sv},
      {"x:"sv, "x"sv, ""sv},
      {""sv, ""sv, ""sv},
      {":"sv, ""sv, ""sv},
      {"::"sv, ""sv, ":"sv},
      {"github:123"sv, "github"sv, "123"sv},
      {"e\xc3\xa9:\xf0\x9f\x98\x80:"sv, "e\xc3\xa9"sv, "\xf0\x9f\x98\x80:"sv},
  };
  for (const SplitCase& c : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.key_id)));
    KeyIdParts parts = SplitKeyId(c.key_id);
    EXPECT_EQ(parts.provider_id, c.provider_id);
    EXPECT_EQ(parts.provider_user_id, c.provider_user_id);
  }
}

TEST(KeyIdTest, SplitKeyIdReturnsViewsIntoTheKeyId) {
  const std::string key_id = "email:user@example.com:x";
  KeyIdParts parts = SplitKeyId(key_id);
  EXPECT_EQ(parts.provider_id.data(), key_id.data());
  EXPECT_EQ(parts.provider_id.size(), 5u);
  EXPECT_EQ(parts.provider_user_id.data(), key_id.data() + 6);
  EXPECT_EQ(parts.provider_user_id, "user@example.com:x");
}

TEST(KeyIdTest, SplitUndoesLuciaCreateKeyId) {
  // createKeyId(p, u) is `${p}:${u}`; for a valid provider id the split gives p and u back.
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"email", "a@b.c"}, {"github", "123:456"}, {"", ""}, {"x", ":"}, {"p", "::u::"}};
  for (const auto& [provider_id, provider_user_id] : pairs) {
    ASSERT_TRUE(IsValidProviderId(provider_id));
    std::string key_id = provider_id + ":" + provider_user_id;
    KeyIdParts parts = SplitKeyId(key_id);
    EXPECT_EQ(parts.provider_id, provider_id) << key_id;
    EXPECT_EQ(parts.provider_user_id, provider_user_id) << key_id;
  }
}

}  // namespace
}  // namespace lucia::core
