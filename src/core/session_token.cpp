#include "core/session_token.hpp"

#include <sodium.h>

#include <cstring>

namespace lucia::core {

void StoredDigest(std::string_view token, char (&out)[kStoredDigestLength]) noexcept {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  std::memcpy(out, kStoredDigestPrefix.data(), kStoredDigestPrefix.size());
  static const char kDigits[] = "0123456789abcdef";
  char* hex = out + kStoredDigestPrefix.size();
  for (std::size_t i = 0; i < sizeof digest; ++i) {
    hex[2 * i] = kDigits[digest[i] >> 4];
    hex[2 * i + 1] = kDigits[digest[i] & 0x0f];
  }
}

bool HasStoredDigestPrefix(std::string_view value) noexcept {
  return value.substr(0, kStoredDigestPrefix.size()) == kStoredDigestPrefix;
}

}  // namespace lucia::core
