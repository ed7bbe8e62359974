// Password hashing and random strings, on top of libsodium. No Postgres header may be included here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lucia::core {

// Calls sodium_init(); returns false when libsodium cannot be used.
bool InitCrypto() noexcept;

// scrypt as in RFC 7914, computed by libsodium. Throws AuthError on parameters libsodium refuses and
// std::bad_alloc when it cannot get the memory (128 * r * n bytes).
void Scrypt(std::string_view password, std::string_view salt, std::uint64_t n, std::uint32_t r,
            std::uint32_t p, std::uint8_t* out, std::size_t out_length);

// Lucia's scrypt parameters: N=16384, p=1, 64-byte key; r=16 for "s2:" hashes, r=8 for Lucia v1.
inline constexpr std::uint64_t kLuciaScryptN = 16384;
inline constexpr std::uint32_t kS2BlockSize = 16;
inline constexpr std::uint32_t kLuciaV1BlockSize = 8;
inline constexpr std::size_t kLuciaKeyBytes = 64;
inline constexpr std::size_t kLuciaKeyHexLength = 2 * kLuciaKeyBytes;
inline constexpr std::size_t kS2SaltLength = 16;
// "s2:" + salt + ":" + hex key
inline constexpr std::size_t kS2HashLength = 3 + kS2SaltLength + 1 + kLuciaKeyHexLength;
// Room for any hash this library writes (libsodium's Argon2id strings are below 128 bytes) and its NUL.
inline constexpr std::size_t kHashBufferSize = 160;

// Argon2id parameters as libsodium takes them: memory in KiB, iterations (opslimit), one lane.
struct Argon2idParams {
  std::uint32_t memory_kib;
  std::uint32_t iterations;
};
inline constexpr Argon2idParams kDefaultArgon2id{19456, 2};
// Bounds of the settings, and of what a stored hash may ask for before it is refused as malformed.
inline constexpr std::uint32_t kArgon2idMinMemoryKib = 8;
inline constexpr std::uint32_t kArgon2idMaxMemoryKib = 1048576;  // 1 GiB
inline constexpr std::uint32_t kArgon2idMinIterations = 1;
inline constexpr std::uint32_t kArgon2idMaxIterations = 64;

enum class HashAlgorithm { kS2, kArgon2id };

struct PasswordPolicy {
  HashAlgorithm algorithm = HashAlgorithm::kS2;
  Argon2idParams argon2id = kDefaultArgon2id;
};

// The formats a stored hash string can be in, decided the way Lucia v2 decides them.
enum class HashKind { kS2, kLuciaV1, kArgon2id, kBcrypt, kUnknown };

struct ParsedHash {
  HashKind kind = HashKind::kUnknown;
  std::string_view salt;  // s2 and Lucia v1
  std::string_view key;   // s2 and Lucia v1: the hex key as stored
  Argon2idParams argon2id{0, 0};
  std::uint32_t argon2id_lanes = 0;
};

// Never throws; anything it does not recognise is kUnknown.
ParsedHash ParseHash(std::string_view hash) noexcept;

// Writes "s2:<salt>:<hex>" with a fresh random salt (or the given one), NUL-terminated, into out;
// returns the length. The password must already be in NFKC form, encoded as UTF-8.
std::size_t HashS2(std::string_view password, char (&out)[kHashBufferSize]);
std::size_t HashS2WithSalt(std::string_view password, std::string_view salt, char (&out)[kHashBufferSize]);
// libsodium's "$argon2id$v=19$m=…,t=…,p=1$…$…" string.
std::size_t HashArgon2id(std::string_view password, Argon2idParams params, char (&out)[kHashBufferSize]);
std::size_t HashPassword(std::string_view password, const PasswordPolicy& policy,
                         char (&out)[kHashBufferSize]);

// True when password matches hash. A bcrypt ("$2a") hash throws AuthError(kOutdatedPassword), as Lucia
// does; any other hash that cannot be read is simply false. Comparison is constant-time.
bool VerifyPassword(std::string_view password, std::string_view hash);

// True when VerifyPassword(password, hash) returns false at once, without deriving a key: a format it
// does not read, or Argon2id parameters beyond the bounds above. (libsodium may still refuse at once an
// Argon2id string it cannot decode.) A caller that must not reveal by its timing which kind of hash it
// holds spends the time of one verification itself in that case.
bool RejectsWithoutDerivation(std::string_view hash) noexcept;

// True when hash is not in the policy's format and parameters (malformed hashes included).
bool NeedsRehash(std::string_view hash, const PasswordPolicy& policy) noexcept;

// Fills out[0..count) with independent uniform values in [0, bound), from libsodium's CSPRNG.
// bound must be at least 1.
void RandomIndices(std::uint32_t bound, std::uint32_t* out, std::size_t count);

// Fills out[0..length) with characters drawn uniformly from a single-byte alphabet.
void RandomString(std::string_view alphabet, char* out, std::size_t length);

inline constexpr std::string_view kDefaultAlphabet = "abcdefghijklmnopqrstuvwxyz1234567890";

// Overwrites memory in a way the compiler cannot elide.
void Wipe(void* data, std::size_t length) noexcept;

}  // namespace lucia::core
