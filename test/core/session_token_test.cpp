// Session ids at rest: the stored form of a token is "sha256$" and the hex SHA-256 of its bytes.
#include "core/session_token.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/crypto.hpp"

namespace lucia::core {
namespace {

std::string Stored(std::string_view token) {
  char out[kStoredDigestLength];
  StoredDigest(token, out);
  return std::string(out, sizeof out);
}

TEST(StoredDigestTest, KnownDigests) {
  ASSERT_TRUE(InitCrypto());
  // FIPS 180-2 test vectors.
  EXPECT_EQ(Stored("abc"), "sha256$ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Stored(""), "sha256$e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Stored("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "sha256$248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(StoredDigestTest, ALuciaIdHasTheStoredLength) {
  ASSERT_TRUE(InitCrypto());
  std::string stored = Stored("0123456789abcdefghij0123456789abcdefghij");
  EXPECT_EQ(stored.size(), 71u);
  EXPECT_LE(stored.size(), 128u) << "fits Lucia's Drizzle schema, varchar(128)";
}

TEST(StoredDigestTest, PrefixTellsAStoredValueFromAToken) {
  EXPECT_TRUE(HasStoredDigestPrefix("sha256$abc"));
  EXPECT_TRUE(HasStoredDigestPrefix(Stored("x")));
  EXPECT_FALSE(HasStoredDigestPrefix("sha256"));
  EXPECT_FALSE(HasStoredDigestPrefix("Sha256$abc"));
  EXPECT_FALSE(HasStoredDigestPrefix("abcdefghij0123456789abcdefghij0123456789"));
  EXPECT_FALSE(HasStoredDigestPrefix(""));
}

}  // namespace
}  // namespace lucia::core
