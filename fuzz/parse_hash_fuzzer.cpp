// Fuzzes the stored-hash parser: ParseHash, NeedsRehash under both policies, and VerifyPassword for
// the hashes it rejects without deriving a key or derives cheaply (Argon2id with tiny parameters, bcrypt
// at cost 4). Checks that every view ParseHash returns lies inside its input, that each kind really has
// the shape it names, that RejectsWithoutDerivation agrees with what VerifyPassword does, and that
// libsodium derives a key for every Argon2id string taken as one.
#include <sodium.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/crypto.hpp"
#include "core/error.hpp"

namespace {

using lucia::core::HashKind;

void Require(bool condition) {
  if (!condition) std::abort();
}

bool Inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (sodium_init() < 0) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view hash(reinterpret_cast<const char*>(data), size);
  lucia::core::ParsedHash parsed = lucia::core::ParseHash(hash);
  Require(Inside(parsed.salt, hash) && Inside(parsed.key, hash));

  Require(size <= lucia::core::kMaxStoredHashLength || parsed.kind == HashKind::kUnknown ||
          parsed.kind == HashKind::kBcrypt);
  switch (parsed.kind) {
    case HashKind::kBcrypt:
      Require(hash.substr(0, 3) == "$2a" || hash.substr(0, 4) == "$2b$" || hash.substr(0, 4) == "$2y$");
      Require(parsed.bcrypt_cost == 0 || (hash.size() == lucia::core::kBcryptHashLength &&
                                          parsed.bcrypt_cost >= 4 && parsed.bcrypt_cost <= 31));
      break;
    case HashKind::kArgon2id:
      Require(hash.substr(0, 10) == "$argon2id$");
      break;
    case HashKind::kS2:
      // "s2:" salt ":" key, exactly three parts.
      Require(hash.size() == 3 + parsed.salt.size() + 1 + parsed.key.size());
      Require(hash.substr(0, 3) == "s2:" && parsed.salt.data() == hash.data() + 3);
      Require(parsed.salt.find(':') == std::string_view::npos);
      Require(parsed.key.find(':') == std::string_view::npos);
      Require(parsed.salt.size() <= lucia::core::kMaxSaltLength);
      break;
    case HashKind::kLuciaV1:
    case HashKind::kHexScrypt:
      // salt ":" key, exactly two parts; the salt alone tells the two apart.
      Require(hash.size() == parsed.salt.size() + 1 + parsed.key.size());
      Require(parsed.salt.find(':') == std::string_view::npos);
      Require(parsed.key.find(':') == std::string_view::npos);
      Require(hash.substr(0, 3) != "$2a" && hash.substr(0, 10) != "$argon2id$");
      Require(parsed.salt.size() <= lucia::core::kMaxSaltLength);
      Require((parsed.kind == HashKind::kHexScrypt) == (parsed.salt.size() == 32 && IsLowerHex(parsed.salt)));
      break;
    case HashKind::kUnknown:
      break;
  }

  lucia::core::PasswordPolicy s2;
  if (!lucia::core::NeedsRehash(hash, s2)) {
    Require(parsed.kind == HashKind::kS2 && !parsed.salt.empty() &&
            parsed.key.size() == lucia::core::kLuciaKeyHexLength && IsLowerHex(parsed.key));
  }
  lucia::core::PasswordPolicy argon2id;
  argon2id.algorithm = lucia::core::HashAlgorithm::kArgon2id;
  argon2id.argon2id = {8, 1};
  if (!lucia::core::NeedsRehash(hash, argon2id)) {
    Require(parsed.kind == HashKind::kArgon2id && parsed.argon2id.memory_kib == 8 &&
            parsed.argon2id.iterations == 1 && parsed.argon2id_lanes == 1);
  }

  // libsodium derives a key for every Argon2id string taken as one (a mismatch sets EINVAL; a string it
  // cannot decode does not).
  if (parsed.kind == HashKind::kArgon2id && parsed.argon2id.memory_kib <= 64 &&
      parsed.argon2id.iterations <= 2 && parsed.argon2id_lanes == 1) {
    char buffer[crypto_pwhash_STRBYTES];
    Require(hash.size() < sizeof buffer);
    std::memcpy(buffer, hash.data(), hash.size());
    buffer[hash.size()] = '\0';
    errno = 0;
    int rc = crypto_pwhash_argon2id_str_verify(buffer, "password", 8);
    Require(rc == 0 || errno == EINVAL);
  }

  // VerifyPassword only where it costs no scrypt derivation, at most a tiny Argon2id one, or bcrypt at
  // cost 4; with bcrypt off and on.
  for (bool bcrypt : {false, true}) {
    lucia::core::PasswordPolicy policy;
    policy.verify_bcrypt = bcrypt;
    policy.argon2id = {8, 1};
    policy.argon2id_bound = {64, 2};
    policy.bcrypt_max_cost = 4;
    bool rejects = lucia::core::RejectsWithoutDerivation(hash, policy);
    Require(rejects == (parsed.kind == HashKind::kUnknown ||
                        (parsed.kind == HashKind::kArgon2id &&
                         (parsed.argon2id_lanes != 1 || parsed.argon2id.memory_kib > 64 ||
                          parsed.argon2id.iterations > 2)) ||
                        (parsed.kind == HashKind::kBcrypt &&
                         (bcrypt ? parsed.bcrypt_cost != 4 : hash.substr(0, 3) != "$2a"))));
    bool cheap = rejects || parsed.kind == HashKind::kArgon2id || parsed.kind == HashKind::kBcrypt;
    if (!cheap) continue;
    try {
      bool match = lucia::core::VerifyPassword("password", hash, policy);
      Require(!rejects || !match);
    } catch (const lucia::core::AuthError& e) {
      Require(!bcrypt && parsed.kind == HashKind::kBcrypt && hash.substr(0, 3) == "$2a" &&
              e.code() == lucia::core::ErrorCode::kOutdatedPassword);
    }
  }
  return 0;
}
