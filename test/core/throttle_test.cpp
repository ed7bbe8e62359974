// The table of failed attempts (core/throttle.hpp): counts within a window, the window's end, clearing,
// digests that keep ids apart by scope, database and key, and which entry a full set gives up.
#include "core/throttle.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/crypto.hpp"

namespace lucia::core {
namespace {

class ThrottleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(InitCrypto()); }
  void SetUp() override { NewThrottleKey(key_); }

  ThrottleDigest Key(std::string_view id, std::uint32_t database = 1) {
    return DigestOf(key_, ThrottleScope::kKey, database, id);
  }

  std::uint8_t key_[kThrottleKeyBytes];
};

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kWindow = 60 * kSecond;

TEST_F(ThrottleTest, CountsWithinTheWindowThenStartsAgain) {
  std::vector<ThrottleEntry> entries(16 * kThrottleWays);
  ThrottleTable table(entries.data(), 16);
  ThrottleDigest a = Key("email:a@example.com");
  EXPECT_EQ(table.Failures(a, 0, kWindow), 0u);
  for (int i = 0; i < 5; ++i) table.RecordFailure(a, i * kSecond, kWindow);
  EXPECT_EQ(table.Failures(a, 5 * kSecond, kWindow), 5u);
  // The window is counted from the first failure, not the last.
  EXPECT_EQ(table.Failures(a, kWindow - 1, kWindow), 5u);
  EXPECT_EQ(table.Failures(a, kWindow, kWindow), 0u);
  table.RecordFailure(a, kWindow + kSecond, kWindow);
  EXPECT_EQ(table.Failures(a, kWindow + 2 * kSecond, kWindow), 1u);
  // A shorter window set later ends it sooner.
  EXPECT_EQ(table.Failures(a, kWindow + 3 * kSecond, kSecond), 0u);
}

TEST_F(ThrottleTest, ClearForgetsOneDigestOnly) {
  std::vector<ThrottleEntry> entries(4 * kThrottleWays);
  ThrottleTable table(entries.data(), 4);
  ThrottleDigest a = Key("a");
  ThrottleDigest b = Key("b");
  table.RecordFailure(a, 0, kWindow);
  table.RecordFailure(b, 0, kWindow);
  table.RecordFailure(b, 0, kWindow);
  table.Clear(a);
  EXPECT_EQ(table.Failures(a, 1, kWindow), 0u);
  EXPECT_EQ(table.Failures(b, 1, kWindow), 2u);
  table.Clear(Key("never counted"));
  EXPECT_EQ(table.Failures(b, 1, kWindow), 2u);
}

TEST_F(ThrottleTest, DigestsSeparateScopesDatabasesAndKeys) {
  ThrottleDigest key_scope = DigestOf(key_, ThrottleScope::kKey, 1, "x");
  ThrottleDigest client_scope = DigestOf(key_, ThrottleScope::kClient, 1, "x");
  ThrottleDigest other_database = DigestOf(key_, ThrottleScope::kKey, 2, "x");
  ThrottleDigest again = DigestOf(key_, ThrottleScope::kKey, 1, "x");
  EXPECT_EQ(std::memcmp(key_scope.bytes, again.bytes, kThrottleDigestBytes), 0);
  EXPECT_NE(std::memcmp(key_scope.bytes, client_scope.bytes, kThrottleDigestBytes), 0);
  EXPECT_NE(std::memcmp(key_scope.bytes, other_database.bytes, kThrottleDigestBytes), 0);
  std::uint8_t other_key[kThrottleKeyBytes];
  NewThrottleKey(other_key);
  ThrottleDigest under_other_key = DigestOf(other_key, ThrottleScope::kKey, 1, "x");
  EXPECT_NE(std::memcmp(key_scope.bytes, under_other_key.bytes, kThrottleDigestBytes), 0);
  // The id itself is nowhere in the digest's bytes.
  std::string id = "email:someone.with.a.long.address@example.com";
  ThrottleDigest d = DigestOf(key_, ThrottleScope::kKey, 1, id);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(d.bytes), kThrottleDigestBytes).find("someone"),
            std::string::npos);
}

// One set (sets = 1): a flood of single failures of new ids replaces only entries with one failure;
// an entry with more keeps its count; expired entries go first.
TEST_F(ThrottleTest, AFullSetGivesUpItsLeastCountedEntry) {
  std::vector<ThrottleEntry> entries(kThrottleWays);
  ThrottleTable table(entries.data(), 1);
  ThrottleDigest target = Key("target");
  for (int i = 0; i < 3; ++i) table.RecordFailure(target, 0, kWindow);
  for (int i = 0; i < 1000; ++i) table.RecordFailure(Key("flood" + std::to_string(i)), 10 + i, kWindow);
  EXPECT_EQ(table.Failures(target, 2000, kWindow), 3u);
  // The flood kept its newest entries: the oldest single failures were replaced first.
  EXPECT_EQ(table.Failures(Key("flood999"), 2000, kWindow), 1u);
  EXPECT_EQ(table.Failures(Key("flood0"), 2000, kWindow), 0u);

  // Every way holds 3 failures or more: a new id replaces the oldest of the least counted.
  std::vector<ThrottleEntry> full(kThrottleWays);
  ThrottleTable busy(full.data(), 1);
  for (std::size_t w = 0; w < kThrottleWays; ++w) {
    for (int i = 0; i < 3 + static_cast<int>(w); ++i)
      busy.RecordFailure(Key("busy" + std::to_string(w)), w, kWindow);
  }
  busy.RecordFailure(Key("newcomer"), 100, kWindow);
  EXPECT_EQ(busy.Failures(Key("busy0"), 101, kWindow), 0u);
  EXPECT_EQ(busy.Failures(Key("busy1"), 101, kWindow), 4u);
  EXPECT_EQ(busy.Failures(Key("newcomer"), 101, kWindow), 1u);

  // An entry whose window ended is replaced before any counted one.
  // At kWindow + 3 the windows of busy1 to busy3 (begun at 1 to 3) have ended, busy7's (at 7) has not.
  busy.RecordFailure(Key("late"), kWindow + 3, kWindow);
  EXPECT_EQ(busy.Failures(Key("late"), kWindow + 3, kWindow), 1u);
  EXPECT_EQ(busy.Failures(Key("busy7"), kWindow + 3, kWindow), 10u);
  EXPECT_EQ(busy.Failures(Key("newcomer"), kWindow + 3, kWindow), 1u);
}

TEST_F(ThrottleTest, CountsSaturate) {
  std::vector<ThrottleEntry> entries(kThrottleWays);
  ThrottleTable table(entries.data(), 1);
  ThrottleDigest a = Key("a");
  table.RecordFailure(a, 0, kWindow);
  entries[0].failures = UINT32_MAX;  // as after four billion failures
  table.RecordFailure(a, 1, kWindow);
  EXPECT_EQ(table.Failures(a, 2, kWindow), UINT32_MAX);
}

}  // namespace
}  // namespace lucia::core
