#include "core/crypto.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <cerrno>
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

// Verification under a policy: the default one (s2, no bcrypt, default bounds) unless given.
bool Verify(std::string_view password, std::string_view hash, const PasswordPolicy& policy = {}) {
  return VerifyPassword(password, hash, policy);
}

bool Rejects(std::string_view hash, const PasswordPolicy& policy = {}) {
  return RejectsWithoutDerivation(hash, policy);
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
  EXPECT_TRUE(Verify("correct horse", hash));
  EXPECT_FALSE(Verify("correct horsf", hash));
  EXPECT_FALSE(Verify("", hash));
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
  EXPECT_TRUE(Verify("pw", hash));
  EXPECT_FALSE(Verify("pW", hash));
  // The same key under r=16 is not a v1 hash.
  EXPECT_FALSE(Verify("pw", "somesalt:" + ScryptHex("pw", "somesalt", 16384, 16, 1)));
}

TEST_F(CryptoTest, UpperCaseHexDoesNotMatch) {
  // Lucia compares the hex strings themselves.
  std::string key = ScryptHex("pw", "s", 16384, 16, 1);
  for (auto& c : key) c = static_cast<char>(std::toupper(c));
  EXPECT_FALSE(Verify("pw", "s2:s:" + key));
}

TEST_F(CryptoTest, Argon2idRoundTrip) {
  char hash[kHashBufferSize];
  std::size_t length = HashArgon2id("pw", Argon2idParams{64, 1}, hash);
  std::string h(hash, length);
  EXPECT_EQ(h.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0U) << h;
  EXPECT_EQ(h.size(), std::strlen(hash));
  EXPECT_TRUE(Verify("pw", h));
  EXPECT_FALSE(Verify("pw2", h));
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
  EXPECT_TRUE(Verify("pw", theirs));
}

// A well-formed Argon2id string (16-byte salt, 32-byte key, as libsodium writes them) with the given
// parameters; no password matches it.
std::string Argon2idString(const std::string& params) {
  return "$argon2id$v=19$" + params + "$c2FsdHNhbHRzYWx0c2FsdA$" + std::string(43, 'A');
}

// libsodium decoded the string and derived a key (then found it different), rather than refusing it.
bool LibsodiumDerives(const std::string& hash) {
  errno = 0;
  int rc = crypto_pwhash_argon2id_str_verify(hash.c_str(), "pw", 2);
  return rc == -1 && errno == EINVAL;
}

TEST_F(CryptoTest, Argon2idBeyondTheBoundIsFalseWithoutDerivation) {
  PasswordPolicy policy;  // bound m=65536 KiB, t=8; new hashes m=19456 KiB, t=2
  EXPECT_FALSE(Rejects(Argon2idString("m=65536,t=8,p=1"), policy));
  EXPECT_TRUE(Rejects(Argon2idString("m=65537,t=1,p=1"), policy));
  EXPECT_TRUE(Rejects(Argon2idString("m=8,t=9,p=1"), policy));
  EXPECT_TRUE(Rejects(Argon2idString("m=1048576,t=64,p=1"), policy));
  EXPECT_TRUE(Rejects(Argon2idString("m=4194304,t=2,p=1"), policy));
  EXPECT_TRUE(Rejects(Argon2idString("m=64,t=100000,p=1"), policy));
  EXPECT_TRUE(Rejects(Argon2idString("m=64,t=1,p=2"), policy));  // one lane only
  EXPECT_FALSE(Verify("pw", Argon2idString("m=4194304,t=2,p=1"), policy));
  EXPECT_FALSE(Verify("pw", Argon2idString("m=64,t=100000,p=1"), policy));
  // A raised bound lets more through.
  policy.argon2id_bound = Argon2idParams{131072, 9};
  EXPECT_FALSE(Rejects(Argon2idString("m=131072,t=9,p=1"), policy));
  EXPECT_TRUE(Rejects(Argon2idString("m=131073,t=1,p=1"), policy));
}

TEST_F(CryptoTest, Argon2idOfTheCurrentSettingsIsAlwaysVerified) {
  PasswordPolicy policy;
  policy.argon2id = Argon2idParams{262144, 2};  // more memory than the bound
  policy.argon2id_bound = Argon2idParams{65536, 4};
  EXPECT_FALSE(Rejects(Argon2idString("m=262144,t=2,p=1"), policy));
  EXPECT_FALSE(Rejects(Argon2idString("m=100000,t=1,p=1"), policy));  // no more than the settings in each
  EXPECT_FALSE(Rejects(Argon2idString("m=65536,t=4,p=1"), policy));   // no more than the bound in each
  EXPECT_TRUE(Rejects(Argon2idString("m=262144,t=3,p=1"), policy));   // more than both
  EXPECT_TRUE(Rejects(Argon2idString("m=100000,t=4,p=1"), policy));

  // With real hashes: beyond the bound and the settings, the right password is refused.
  char hash[kHashBufferSize];
  HashArgon2id("pw", Argon2idParams{64, 3}, hash);
  PasswordPolicy tight;
  tight.argon2id = Argon2idParams{8, 1};
  tight.argon2id_bound = Argon2idParams{64, 2};
  EXPECT_FALSE(Verify("pw", hash, tight));
  EXPECT_TRUE(Rejects(hash, tight));
  tight.argon2id_bound = Argon2idParams{64, 3};  // the bound's edge is inside
  EXPECT_TRUE(Verify("pw", hash, tight));
  tight.argon2id_bound = Argon2idParams{63, 3};
  EXPECT_FALSE(Verify("pw", hash, tight));
  tight.argon2id = Argon2idParams{64, 3};  // the current settings
  EXPECT_TRUE(Verify("pw", hash, tight));
}

TEST_F(CryptoTest, Argon2idIsReadOnlyAsLibsodiumReadsIt) {
  // Each of these libsodium refuses at once, so they are not Argon2id hashes here either.
  const std::string key(43, 'A');
  for (const std::string& hash :
       {"$argon2id$v=19$m=064,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + key,  // leading zero
        "$argon2id$v=019$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + key,
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbA$" + key,                            // 7-byte salt
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + key.substr(0, 20),  // 15-byte key
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdB$" + key,                // non-zero trailing bits
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA==$" + key,              // padding
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + key + "$",
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNh*HRzYWx0c2FsdA$" + key,
        "$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + key,
        "$argon2id$v=19$m=7,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + key, "$argon2id$v=19$m=64,t=1,p=1$$" + key}) {
    EXPECT_EQ(ParseHash(hash).kind, HashKind::kUnknown) << hash;
    EXPECT_TRUE(Rejects(hash)) << hash;
    EXPECT_FALSE(LibsodiumDerives(hash)) << hash;
  }
  // Nor is a string longer than libsodium's buffer for them (crypto_pwhash_STRBYTES).
  std::string too_long = "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + std::string(120, 'A');
  EXPECT_EQ(ParseHash(too_long).kind, HashKind::kUnknown);
  EXPECT_TRUE(Rejects(too_long));
  // And what it reads, libsodium derives a key for.
  for (const std::string& hash :
       {Argon2idString("m=64,t=1,p=1"), Argon2idString("m=8,t=1,p=1"), Argon2idString("m=64,t=2,p=1"),
        "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$" + key.substr(0, 22)}) {
    EXPECT_EQ(ParseHash(hash).kind, HashKind::kArgon2id) << hash;
    EXPECT_FALSE(Rejects(hash)) << hash;
    EXPECT_TRUE(LibsodiumDerives(hash)) << hash;
  }
}

TEST_F(CryptoTest, LongHashesAndSaltsAreRefusedUnread) {
  const std::string key(128, '0');
  EXPECT_EQ(ParseHash("s2:" + std::string(64, 's') + ":" + key).kind, HashKind::kS2);
  EXPECT_EQ(ParseHash("s2:" + std::string(65, 's') + ":" + key).kind, HashKind::kUnknown);
  EXPECT_EQ(ParseHash(std::string(64, 's') + ":" + key).kind, HashKind::kLuciaV1);
  EXPECT_EQ(ParseHash(std::string(65, 's') + ":" + key).kind, HashKind::kUnknown);
  // 256 characters are read; 257 are not, whatever they hold.
  std::string longest = "s2:" + std::string(64, 's') + ":" + std::string(256 - 68, '0');
  ASSERT_EQ(longest.size(), kMaxStoredHashLength);
  EXPECT_EQ(ParseHash(longest).kind, HashKind::kS2);
  EXPECT_EQ(ParseHash(longest + "0").kind, HashKind::kUnknown);
  std::string huge = "s2:" + std::string(10000000, 's') + ":" + key;
  EXPECT_TRUE(Rejects(huge));
  EXPECT_FALSE(Verify("pw", huge));
  EXPECT_TRUE(Rejects(std::string(1000000, ':')));
  EXPECT_FALSE(Rejects(longest));
}

TEST_F(CryptoTest, HexScryptIsLuciaV3AndBetterAuth) {
  // Lucia v3's Scrypt and Better Auth: scrypt r=16 over the salt's hex text.
  const std::string salt = "0123456789abcdef0123456789abcdef";
  const std::string hash = salt + ":" + ScryptHex("pw", salt, 16384, 16, 1);
  EXPECT_EQ(ParseHash(hash).kind, HashKind::kHexScrypt);
  EXPECT_TRUE(Verify("pw", hash));
  EXPECT_FALSE(Verify("pW", hash));
  EXPECT_FALSE(Rejects(hash));
  // The key is compared as bytes, as Lucia v3 compares it: upper-case hex matches too.
  std::string upper = hash;
  for (std::size_t i = salt.size() + 1; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_TRUE(Verify("pw", upper));
  // A key of another length, or not hex, is no match (after the derivation, as for s2).
  EXPECT_FALSE(Verify("pw", hash.substr(0, hash.size() - 2)));
  EXPECT_FALSE(Verify("pw", hash.substr(0, hash.size() - 1) + "g"));
  EXPECT_FALSE(Rejects(salt + ":zz"));
  // The same key under r=8 is not such a hash.
  EXPECT_FALSE(Verify("pw", salt + ":" + ScryptHex("pw", salt, 16384, 8, 1)));
}

TEST_F(CryptoTest, HexScryptIsToldFromLuciaV1ByItsSalt) {
  const std::string key = ScryptHex("pw", "abcdefghijklmnop", 16384, 8, 1);
  EXPECT_EQ(ParseHash("abcdefghijklmnop:" + key).kind, HashKind::kLuciaV1);
  EXPECT_TRUE(Verify("pw", "abcdefghijklmnop:" + key));
  for (const std::string& salt : {std::string(31, 'a'), std::string(33, 'a'), std::string(32, 'g'),
                                  std::string("0123456789ABCDEF0123456789ABCDEF")}) {
    EXPECT_EQ(ParseHash(salt + ":" + key).kind, HashKind::kLuciaV1) << salt;
    // Verified as v1 (r=8), never as the other form too.
    EXPECT_TRUE(Verify("pw", salt + ":" + ScryptHex("pw", salt, 16384, 8, 1))) << salt;
    EXPECT_FALSE(Verify("pw", salt + ":" + ScryptHex("pw", salt, 16384, 16, 1))) << salt;
  }
  const std::string hex_salt(32, 'a');
  EXPECT_EQ(ParseHash(hex_salt + ":" + key).kind, HashKind::kHexScrypt);
  EXPECT_FALSE(Verify("pw", hex_salt + ":" + ScryptHex("pw", hex_salt, 16384, 8, 1)));
}

PasswordPolicy WithBcrypt(std::uint32_t max_cost = kDefaultBcryptMaxCost) {
  PasswordPolicy policy;
  policy.verify_bcrypt = true;
  policy.bcrypt_max_cost = max_cost;
  return policy;
}

// crypt_blowfish's own test vectors (Openwall), cost 5.
TEST_F(CryptoTest, BcryptVerifiesWhenOn) {
  PasswordPolicy on = WithBcrypt();
  EXPECT_TRUE(Verify("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", on));
  EXPECT_TRUE(Verify("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", on));
  EXPECT_TRUE(Verify("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a", on));
  EXPECT_TRUE(Verify("", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy", on));
  EXPECT_TRUE(Verify("U*U", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", on));
  EXPECT_TRUE(Verify("U*U", "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", on));
  EXPECT_FALSE(Verify("U*V", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", on));
  EXPECT_FALSE(Verify("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeX", on));
  EXPECT_FALSE(Rejects("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", on));
  EXPECT_EQ(PasswordFormFor("$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", on),
            PasswordForm::kAsTyped);
  EXPECT_EQ(PasswordFormFor("s2:a:b", on), PasswordForm::kNfkc);
}

TEST_F(CryptoTest, BcryptReadsSeventyTwoBytes) {
  PasswordPolicy on = WithBcrypt();
  const std::string hash = "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
  const std::string first72 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  ASSERT_EQ(first72.size(), 72U);
  EXPECT_TRUE(Verify(first72 + "chars after 72 are ignored", hash, on));
  EXPECT_TRUE(Verify(first72, hash, on));
  EXPECT_TRUE(Verify(first72 + std::string(100000, 'x'), hash, on));  // beyond libxcrypt's 512 bytes
  EXPECT_FALSE(Verify(first72.substr(0, 71), hash, on));
}

TEST_F(CryptoTest, BcryptCostIsBounded) {
  // Cost 13 and 31, well formed; refused at once under the default bound of 12.
  PasswordPolicy on = WithBcrypt();
  const std::string tail = "$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  EXPECT_EQ(ParseHash("$2b$13" + tail).bcrypt_cost, 13U);
  EXPECT_TRUE(Rejects("$2b$13" + tail, on));
  EXPECT_TRUE(Rejects("$2b$31" + tail, on));
  EXPECT_FALSE(Verify("U*U", "$2b$31" + tail, on));
  EXPECT_FALSE(Rejects("$2b$12" + tail, on));
  // The cost-5 vector under a bound of 4, then of 5.
  EXPECT_FALSE(Verify("U*U", "$2a$05" + tail, WithBcrypt(4)));
  EXPECT_TRUE(Rejects("$2a$05" + tail, WithBcrypt(4)));
  EXPECT_TRUE(Verify("U*U", "$2a$05" + tail, WithBcrypt(5)));
}

TEST_F(CryptoTest, MalformedBcryptIsFalseWhenOn) {
  PasswordPolicy on = WithBcrypt();
  const std::string tail = "$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  for (const std::string& hash :
       {std::string("$2a"), std::string("$2a$10$abc"), "$2a$03" + tail, "$2a$32" + tail, "$2a$5$" + tail,
        "$2a$05" + tail + "x", "$2a$05" + tail.substr(0, 53) + "*", "$2x$05" + tail, "$2$05" + tail,
        "$2a$05" + tail.substr(0, 10) + "$" + tail.substr(11)}) {
    EXPECT_FALSE(Verify("U*U", hash, on)) << hash;
    EXPECT_TRUE(Rejects(hash, on)) << hash;
  }
}

TEST_F(CryptoTest, BcryptWhenOffIsLuciasOutdatedOnlyForTwoA) {
  // Off (the default), "$2a" is Lucia's AUTH_OUTDATED_PASSWORD whatever follows; "$2b$"/"$2y$" are not
  // hashes Lucia knows: false, at once.
  for (const std::string& hash :
       {std::string("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"), std::string("$2a"),
        std::string("$2a:x"), "$2a" + std::string(1000000, 'x')}) {
    try {
      Verify("pw", hash);
      FAIL() << "no error for " << hash.substr(0, 60);
    } catch (const AuthError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kOutdatedPassword);
      EXPECT_STREQ(e.what(), "AUTH_OUTDATED_PASSWORD");
    }
    EXPECT_FALSE(Rejects(hash));
  }
  for (const char* hash : {"$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
                           "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"}) {
    EXPECT_FALSE(Verify("U*U", hash)) << hash;
    EXPECT_TRUE(Rejects(hash)) << hash;
    EXPECT_EQ(PasswordFormFor(hash, PasswordPolicy{}), PasswordForm::kNfkc);
  }
}

TEST_F(CryptoTest, MalformedHashesAreFalse) {
  for (const char* hash :
       {"", "s2", "s2:", "s2::", "s3:a:b", "a:b:c:d", "$argon2id$", "$argon2id$v=19",
        "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$2b$10$abc",
        "s2:salt:zz", ":", "plain"}) {
    EXPECT_FALSE(Verify("pw", hash)) << hash;
  }
}

TEST_F(CryptoTest, RejectsWithoutDerivationOnlyWhereVerifyReturnsAtOnce) {
  for (const char* hash :
       {"", "plain", "x:y:z", "$argon2id$v=19", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdA$aGFzaA",
        "$argon2id$v=19$m=64,t=1,p=2$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA",
        "$2b$10$abc"}) {
    EXPECT_TRUE(Rejects(hash)) << hash;
  }
  // The scrypt formats derive a key even when the stored key is malformed; "$2a" is an error.
  for (const char* hash :
       {"s2:salt:zz", "s2::", "salt:key", ":", "0123456789abcdef0123456789abcdef:zz", "$2a$10$abc"}) {
    EXPECT_FALSE(Rejects(hash)) << hash;
  }
  EXPECT_FALSE(Rejects(Argon2idString("m=64,t=1,p=1")));
}

TEST_F(CryptoTest, DummyHashesCostOneVerificationOfTheCurrentFormat) {
  PasswordPolicy s2;
  char dummy[kHashBufferSize];
  std::size_t length = DummyHash(s2, dummy);
  std::string s2_dummy(dummy, length);
  EXPECT_EQ(s2_dummy, "s2:0000000000000000:" + ScryptHex("", "0000000000000000", 16384, 16, 1));
  EXPECT_FALSE(NeedsRehash(s2_dummy, s2));

  for (Argon2idParams params : {Argon2idParams{64, 1}, kDefaultArgon2id, Argon2idParams{1048576, 64}}) {
    PasswordPolicy argon;
    argon.algorithm = HashAlgorithm::kArgon2id;
    argon.argon2id = params;
    argon.argon2id_bound = Argon2idParams{8, 1};  // the current settings are verified whatever the bound
    length = DummyHash(argon, dummy);
    std::string argon_dummy(dummy, length);
    ASSERT_EQ(argon_dummy.size(), std::strlen(dummy));
    ParsedHash parsed = ParseHash(argon_dummy);
    EXPECT_EQ(parsed.kind, HashKind::kArgon2id) << argon_dummy;
    EXPECT_EQ(parsed.argon2id.memory_kib, params.memory_kib);
    EXPECT_EQ(parsed.argon2id.iterations, params.iterations);
    EXPECT_FALSE(NeedsRehash(argon_dummy, argon)) << argon_dummy;
    EXPECT_FALSE(Rejects(argon_dummy, argon)) << argon_dummy;
    if (params.memory_kib <= 64) {
      // libsodium derives a key for it: a full verification, as for a real hash.
      EXPECT_TRUE(LibsodiumDerives(argon_dummy)) << argon_dummy;
      EXPECT_FALSE(Verify("", argon_dummy, argon));
    }
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
  EXPECT_EQ(ParseHash("$2a:x").bcrypt_cost, 0U);
  EXPECT_EQ(ParseHash(Argon2idString("m=19456,t=2,p=1")).kind, HashKind::kArgon2id);
  EXPECT_EQ(ParseHash(Argon2idString("m=19456,t=2,p=1") + "$").kind, HashKind::kUnknown);
  EXPECT_EQ(ParseHash(Argon2idString("m=99999999999,t=2,p=1")).kind, HashKind::kUnknown);
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
  // Imported formats always need a rehash, whatever verifies them.
  const std::string hex_salt(32, 'a');
  PasswordPolicy bcrypt_on = s2;
  bcrypt_on.verify_bcrypt = true;
  for (const PasswordPolicy& policy : {s2, argon, bcrypt_on}) {
    EXPECT_TRUE(NeedsRehash(hex_salt + ":" + ScryptHex("pw", hex_salt, 16384, 16, 1), policy));
    EXPECT_TRUE(NeedsRehash("$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", policy));
    EXPECT_TRUE(NeedsRehash("abcdefghijklmnop:" + ScryptHex("pw", "abcdefghijklmnop", 16384, 8, 1), policy));
  }
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
