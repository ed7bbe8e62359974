// Fuzzes the stored-hash parser: ParseHash, NeedsRehash under both policies, and VerifyPassword for
// the formats it rejects without deriving a key (unknown, bcrypt) or derives cheaply (Argon2id with
// tiny parameters). Checks that every view ParseHash returns lies inside its input and that each kind
// really has the shape it names.
#include <sodium.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
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

  switch (parsed.kind) {
    case HashKind::kBcrypt:
      Require(hash.substr(0, 3) == "$2a");
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
      break;
    case HashKind::kLuciaV1:
      // salt ":" key, exactly two parts.
      Require(hash.size() == parsed.salt.size() + 1 + parsed.key.size());
      Require(parsed.salt.find(':') == std::string_view::npos);
      Require(parsed.key.find(':') == std::string_view::npos);
      Require(hash.substr(0, 3) != "$2a" && hash.substr(0, 10) != "$argon2id$");
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

  // VerifyPassword only where it costs no scrypt derivation and at most a tiny Argon2id one.
  bool cheap = parsed.kind == HashKind::kUnknown || parsed.kind == HashKind::kBcrypt ||
               (parsed.kind == HashKind::kArgon2id && parsed.argon2id.memory_kib <= 64 &&
                parsed.argon2id.iterations <= 2);
  if (cheap) {
    try {
      bool match = lucia::core::VerifyPassword("password", hash);
      Require(parsed.kind != HashKind::kUnknown || !match);
      Require(parsed.kind != HashKind::kBcrypt);
    } catch (const lucia::core::AuthError& e) {
      Require(parsed.kind == HashKind::kBcrypt &&
              e.code() == lucia::core::ErrorCode::kOutdatedPassword);
    }
  }
  return 0;
}
