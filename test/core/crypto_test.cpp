#include "core/crypto.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace lucia::core {
namespace {

class CryptoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(InitCrypto()); }
};

std::string Hex(const std::vector<std::uint8_t>& bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (auto b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

std::string ScryptHex(std::string_view password, std::string_view salt, std::uint64_t n, std::uint32_t r,
                      std::uint32_t p) {
  std::vector<std::uint8_t> out(64);
  Scrypt(password, salt, n, r, p, out.data(), out.size());
  return Hex(out);
}

// RFC 7914, section 12.
TEST_F(CryptoTest, ScryptRfc7914Vector1) {
  EXPECT_EQ(ScryptHex("", "", 16, 1, 1),
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
}

TEST_F(CryptoTest, ScryptRfc7914Vector2) {
  EXPECT_EQ(ScryptHex("password", "NaCl", 1024, 8, 16),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

TEST_F(CryptoTest, ScryptRfc7914Vector3) {
  EXPECT_EQ(ScryptHex("pleaseletmein", "SodiumChloride", 16384, 8, 1),
            "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
            "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
}

TEST_F(CryptoTest, ScryptRefusesBadCost) {
  std::uint8_t out[64];
  EXPECT_THROW(Scrypt("pw", "salt", 1000, 8, 1, out, sizeof out), AuthError);  // N not a power of two
}

TEST_F(CryptoTest, S2HashHasLuciaShape) {
  char hash[kHashBufferSize];
  std::size_t length = HashS2("hello", hash);
  ASSERT_EQ(length, kS2HashLength);
  std::string h(hash, length);
  EXPECT_EQ(h.substr(0, 3), "s2:");
  EXPECT_EQ(h[19], ':');
  for (std::size_t i = 3; i < 19; ++i) EXPECT_NE(kDefaultAlphabet.find(h[i]), std::string_view::npos) << h;
  for (std::size_t i = 20; i < h.size(); ++i) EXPECT_TRUE(std::isxdigit(h[i]) && !std::isupper(h[i])) << h;
}

TEST_F(CryptoTest, S2WithSaltIsScryptR16OfSalt) {
  char hash[kHashBufferSize];
  std::size_t length = HashS2WithSalt("hello", "abcdefghijklmnop", hash);
  EXPECT_EQ(std::string(hash, length),
            "s2:abcdefghijklmnop:" + ScryptHex("hello", "abcdefghijklmnop", 16384, 16, 1));
}

TEST_F(CryptoTest, S2RoundTrip) {
  char hash[kHashBufferSize];
  HashS2("correct horse", hash);
  EXPECT_TRUE(VerifyPassword("correct horse", hash));
  EXPECT_FALSE(VerifyPassword("correct horsf", hash));
  EXPECT_FALSE(VerifyPassword("", hash));
}

TEST_F(CryptoTest, TwoHashesOfOnePasswordDiffer) {
  char a[kHashBufferSize];
  char b[kHashBufferSize];
  HashS2("same", a);
  HashS2("same", b);
  EXPECT_NE(std::string(a), std::string(b));
}

TEST_F(CryptoTest, LuciaV1IsScryptR8) {
  std::string hash = "somesalt:" + ScryptHex("pw", "somesalt", 16384, 8, 1);
  EXPECT_TRUE(VerifyPassword("pw", hash));
  EXPECT_FALSE(VerifyPassword("pW", hash));
  // The same key under r=16 is not a v1 hash.
  EXPECT_FALSE(VerifyPassword("pw", "somesalt:" + ScryptHex("pw", "somesalt", 16384, 16, 1)));
}

TEST_F(CryptoTest, UpperCaseHexDoesNotMatch) {
  // Lucia compares the hex strings themselves.
  std::string key = ScryptHex("pw", "s", 16384, 16, 1);
  for (auto& c : key) c = static_cast<char>(std::toupper(c));
  EXPECT_FALSE(VerifyPassword("pw", "s2:s:" + key));
}

TEST_F(CryptoTest, Argon2idRoundTrip) {
  char hash[kHashBufferSize];
  std::size_t length = HashArgon2id("pw", Argon2idParams{64, 1}, hash);
  std::string h(hash, length);
  EXPECT_EQ(h.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0U) << h;
  EXPECT_EQ(h.size(), std::strlen(hash));
  EXPECT_TRUE(VerifyPassword("pw", h));
  EXPECT_FALSE(VerifyPassword("pw2", h));
  ParsedHash parsed = ParseHash(h);
  EXPECT_EQ(parsed.kind, HashKind::kArgon2id);
  EXPECT_EQ(parsed.argon2id.memory_kib, 64U);
  EXPECT_EQ(parsed.argon2id.iterations, 1U);
}

TEST_F(CryptoTest, Argon2idAgreesWithLibsodium) {
  char ours[kHashBufferSize];
  HashArgon2id("pw", Argon2idParams{64, 1}, ours);
  EXPECT_EQ(crypto_pwhash_str_verify(ours, "pw", 2), 0);
  char theirs[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(theirs, "pw", 2, 1, 64 * 1024, crypto_pwhash_ALG_ARGON2ID13), 0);
  EXPECT_TRUE(VerifyPassword("pw", theirs));
}

TEST_F(CryptoTest, Argon2idBeyondBoundsIsFalseNotAnAllocation) {
  EXPECT_FALSE(VerifyPassword("pw", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaA"));
  EXPECT_FALSE(VerifyPassword("pw", "$argon2id$v=19$m=64,t=100000,p=1$c2FsdHNhbHRzYWx0$aGFzaA"));
}

TEST_F(CryptoTest, BcryptIsOutdated) {
  try {
    VerifyPassword("pw", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy");
    FAIL() << "no error";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kOutdatedPassword);
    EXPECT_STREQ(e.what(), "AUTH_OUTDATED_PASSWORD");
  }
}

TEST_F(CryptoTest, MalformedHashesAreFalse) {
  for (const char* hash :
       {"", "s2", "s2:", "s2::", "s3:a:b", "a:b:c:d", "$argon2id$", "$argon2id$v=19",
        "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$2b$10$abc",
        "s2:salt:zz", ":", "plain"}) {
    EXPECT_FALSE(VerifyPassword("pw", hash)) << hash;
  }
}

TEST_F(CryptoTest, RejectsWithoutDerivationOnlyWhereVerifyReturnsAtOnce) {
  for (const char* hash :
       {"", "plain", "x:y:z", "$argon2id$v=19", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdA$aGFzaA",
        "$argon2id$v=19$m=64,t=1,p=2$c2FsdA$aGFzaA"}) {
    EXPECT_TRUE(RejectsWithoutDerivation(hash)) << hash;
  }
  // s2 and Lucia v1 hashes derive a key even when the stored key is malformed; bcrypt is an error.
  for (const char* hash :
       {"s2:salt:zz", "s2::", "salt:key", ":", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$2a$10$abc"}) {
    EXPECT_FALSE(RejectsWithoutDerivation(hash)) << hash;
  }
}

TEST_F(CryptoTest, ParseFollowsLuciaSplitting) {
  EXPECT_EQ(ParseHash("s2:a:b").kind, HashKind::kS2);
  EXPECT_EQ(ParseHash("s2:a:b").salt, "a");
  EXPECT_EQ(ParseHash("s2:a:b").key, "b");
  EXPECT_EQ(ParseHash("s2:b").kind, HashKind::kLuciaV1);  // two parts: a v1 hash whose salt is "s2"
  EXPECT_EQ(ParseHash("s2:b").salt, "s2");
  EXPECT_EQ(ParseHash("x:y:z").kind, HashKind::kUnknown);
  EXPECT_EQ(ParseHash("$2a:x").kind, HashKind::kBcrypt);
  EXPECT_EQ(ParseHash("$argon2id$v=19$m=19456,t=2,p=1$abc$def").kind, HashKind::kArgon2id);
  EXPECT_EQ(ParseHash("$argon2id$v=19$m=19456,t=2,p=1$abc$def$").kind, HashKind::kUnknown);
  EXPECT_EQ(ParseHash("$argon2id$v=19$m=99999999999,t=2,p=1$abc$def").kind, HashKind::kUnknown);
}

TEST_F(CryptoTest, NeedsRehashFollowsPolicy) {
  PasswordPolicy s2;
  PasswordPolicy argon;
  argon.algorithm = HashAlgorithm::kArgon2id;
  argon.argon2id = Argon2idParams{64, 1};
  char s2_hash[kHashBufferSize];
  char argon_hash[kHashBufferSize];
  HashS2("pw", s2_hash);
  HashArgon2id("pw", Argon2idParams{64, 1}, argon_hash);
  EXPECT_FALSE(NeedsRehash(s2_hash, s2));
  EXPECT_TRUE(NeedsRehash(s2_hash, argon));
  EXPECT_TRUE(NeedsRehash(argon_hash, s2));
  EXPECT_FALSE(NeedsRehash(argon_hash, argon));
  PasswordPolicy stronger = argon;
  stronger.argon2id.iterations = 2;
  EXPECT_TRUE(NeedsRehash(argon_hash, stronger));
  EXPECT_TRUE(NeedsRehash("salt:abcd", s2));
  EXPECT_TRUE(NeedsRehash("garbage", s2));
  EXPECT_TRUE(NeedsRehash("$2a$10$x", s2));
}

TEST_F(CryptoTest, RandomStringUsesOnlyTheAlphabetAndAllOfIt) {
  std::vector<char> out(20000);
  RandomString(kDefaultAlphabet, out.data(), out.size());
  std::set<char> seen(out.begin(), out.end());
  EXPECT_EQ(seen.size(), kDefaultAlphabet.size());
  for (char c : seen) EXPECT_NE(kDefaultAlphabet.find(c), std::string_view::npos);
}

TEST_F(CryptoTest, RandomIndicesStayInBoundsAndCoverThem) {
  for (std::uint32_t bound : {1U, 2U, 3U, 36U, 255U, 65537U}) {
    std::vector<std::uint32_t> out(4096);
    RandomIndices(bound, out.data(), out.size());
    std::set<std::uint32_t> seen;
    for (auto v : out) {
      ASSERT_LT(v, bound);
      seen.insert(v);
    }
    if (bound <= 36) {
      EXPECT_EQ(seen.size(), bound);
    }
  }
}

TEST_F(CryptoTest, RandomIndicesAreRoughlyUniform) {
  // With 3 symbols a biased generator (for example one taking a byte modulo 3 without rejection)
  // would still pass; a gross error such as never drawing the last symbol or favouring the first does
  // not: each count must be within 5% of the mean over 300,000 draws (about 12 standard deviations).
  std::vector<std::uint32_t> out(300000);
  RandomIndices(3, out.data(), out.size());
  std::size_t counts[3] = {0, 0, 0};
  for (auto v : out) ++counts[v];
  for (auto c : counts) EXPECT_NEAR(static_cast<double>(c), 100000.0, 5000.0);
}

TEST_F(CryptoTest, EmptyAlphabetIsAnError) {
  char out[4];
  EXPECT_THROW(RandomString("", out, sizeof out), AuthError);
  std::uint32_t idx[4];
  EXPECT_THROW(RandomIndices(0, idx, 4), AuthError);
}

TEST_F(CryptoTest, WipeZeroes) {
  char secret[] = "hunter2";
  Wipe(secret, sizeof secret);
  for (char c : secret) EXPECT_EQ(c, 0);
}

}  // namespace
}  // namespace lucia::core
