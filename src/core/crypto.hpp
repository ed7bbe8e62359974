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
// The range of every Argon2id setting, new hashes and bounds alike.
inline constexpr std::uint32_t kArgon2idMinMemoryKib = 8;
inline constexpr std::uint32_t kArgon2idMaxMemoryKib = 1048576;  // 1 GiB
inline constexpr std::uint32_t kArgon2idMinIterations = 1;
inline constexpr std::uint32_t kArgon2idMaxIterations = 64;
// What a stored Argon2id hash may ask for by default: libsodium's interactive memory limit and enough
// passes for every configuration OWASP lists; at most about 4 times the time of an s2 hash and twice its
// memory.
inline constexpr Argon2idParams kDefaultArgon2idBound{65536, 8};

// bcrypt: the cost factor is the base-2 logarithm of the number of rounds. Cost 12 takes about 4 times
// as long as an s2 hash (cost 10, bcryptjs's default, about as long).
inline constexpr std::uint32_t kBcryptMinCost = 4;
inline constexpr std::uint32_t kBcryptMaxCost = 31;
inline constexpr std::uint32_t kDefaultBcryptMaxCost = 12;
// "$2b$" + two-digit cost + "$" + 22 characters of salt + 31 of hash.
inline constexpr std::size_t kBcryptHashLength = 60;
// bcrypt reads at most this many bytes of a password.
inline constexpr std::size_t kBcryptMaxPasswordBytes = 72;

// Longest stored hash read at all, and longest salt of the scrypt formats. Every hash lucia_auth reads
// is far shorter (Lucia v3's, the longest, is 161 characters); anything longer is malformed, refused
// before it is parsed.
inline constexpr std::size_t kMaxStoredHashLength = 256;
inline constexpr std::size_t kMaxSaltLength = 64;
// Lucia v3's and Better Auth's salt: 16 random bytes as lower-case hex.
inline constexpr std::size_t kHexSaltLength = 32;

enum class HashAlgorithm { kS2, kArgon2id };

// What new hashes are, and what a stored hash may ask of a verification.
struct PasswordPolicy {
  HashAlgorithm algorithm = HashAlgorithm::kS2;
  // New Argon2id hashes. A stored hash asking for no more than these, in each, is always verified.
  Argon2idParams argon2id = kDefaultArgon2id;
  // Stored Argon2id hashes asking for no more than these, in each, are verified too.
  Argon2idParams argon2id_bound = kDefaultArgon2idBound;
  // bcrypt hashes are verified only when this is on; otherwise "$2a…" is AUTH_OUTDATED_PASSWORD, as in
  // Lucia, and "$2b$…"/"$2y$…" are not hashes.
  bool verify_bcrypt = false;
  std::uint32_t bcrypt_max_cost = kDefaultBcryptMaxCost;
};

// The formats a stored hash string can be in.
enum class HashKind {
  kS2,         // Lucia v2: "s2:<salt>:<hex key>", scrypt r=16
  kLuciaV1,    // Lucia v1: "<salt>:<hex key>", scrypt r=8
  kHexScrypt,  // Lucia v3's Scrypt and Better Auth: "<32 hex digits salt>:<hex key>", scrypt r=16
  kArgon2id,   // libsodium's "$argon2id$v=19$m=…,t=…,p=…$<salt>$<key>"
  kBcrypt,     // "$2a…" (any string, as Lucia decides), "$2b$…", "$2y$…"
  kUnknown,
};

struct ParsedHash {
  HashKind kind = HashKind::kUnknown;
  std::string_view salt;  // the scrypt formats: the salt text, which is what scrypt is given
  std::string_view key;   // the scrypt formats: the hex key as stored
  Argon2idParams argon2id{0, 0};
  std::uint32_t argon2id_lanes = 0;
  // bcrypt: the cost of a well-formed hash ("$2a$", "$2b$" or "$2y$", cost 04 to 31, 53 characters of
  // bcrypt's base64); 0 for any other string of the family.
  std::uint32_t bcrypt_cost = 0;
};

// Never throws, and reads at most kMaxStoredHashLength characters; anything it does not recognise,
// longer hashes and longer salts included, is kUnknown. An Argon2id string is recognised only when
// libsodium would decode it.
ParsedHash ParseHash(std::string_view hash) noexcept;

// Writes "s2:<salt>:<hex>" with a fresh random salt (or the given one), NUL-terminated, into out;
// returns the length. The password must already be in NFKC form, encoded as UTF-8.
std::size_t HashS2(std::string_view password, char (&out)[kHashBufferSize]);
std::size_t HashS2WithSalt(std::string_view password, std::string_view salt, char (&out)[kHashBufferSize]);
// libsodium's "$argon2id$v=19$m=…,t=…,p=1$…$…" string.
std::size_t HashArgon2id(std::string_view password, Argon2idParams params, char (&out)[kHashBufferSize]);
std::size_t HashPassword(std::string_view password, const PasswordPolicy& policy,
                         char (&out)[kHashBufferSize]);

// How the password must be given to VerifyPassword for this hash: in NFKC form for every format that
// Lucia or Better Auth made (they normalise), as typed for bcrypt (bcrypt libraries do not). In both
// cases encoded as UTF-8.
enum class PasswordForm { kNfkc, kAsTyped };
PasswordForm PasswordFormFor(std::string_view hash, const PasswordPolicy& policy) noexcept;

// What verifying a password against a stored hash does under a policy, decided once from the hash parsed
// once: refuse it at once (kReject: unreadable, or beyond the policy's bounds), raise
// AUTH_OUTDATED_PASSWORD at once (kOutdated: Lucia's "$2a" while bcrypt is off), or derive a key in one
// of the formats.
enum class VerificationKind { kReject, kOutdated, kS2, kLuciaV1, kHexScrypt, kArgon2id, kBcrypt };
struct Verification {
  VerificationKind kind = VerificationKind::kReject;
  std::string_view hash;  // the stored hash, which must outlive this
  ParsedHash parsed;
  PasswordForm form = PasswordForm::kNfkc;  // how the password is given to RunVerification
};
Verification PlanVerification(std::string_view hash, const PasswordPolicy& policy) noexcept;

// True when password (in verification.form) matches: what VerifyPassword does once the hash is planned.
bool RunVerification(std::string_view password, const Verification& verification);

// True when password matches hash. A "$2a" hash throws AuthError(kOutdatedPassword) unless the policy
// verifies bcrypt, as Lucia does; any other hash that cannot be read, or that asks for more than the
// policy allows, is simply false, found without deriving a key. Comparison is constant-time.
bool VerifyPassword(std::string_view password, std::string_view hash, const PasswordPolicy& policy);

// True exactly when VerifyPassword(password, hash, policy) returns false at once, without deriving a key
// (a format it does not read, a salt or hash too long, parameters beyond the policy). A caller that must
// not reveal by its timing which kind of hash it holds spends the time of one verification itself then.
bool RejectsWithoutDerivation(std::string_view hash, const PasswordPolicy& policy) noexcept;

// A hash in the policy's format and parameters whose verification costs exactly what one of a real hash
// costs, for callers that spend that time on purpose: the s2 hash of the empty password under a salt of
// zeros, or an Argon2id string with a salt and key of zeros. Made without hashing.
std::size_t DummyHash(const PasswordPolicy& policy, char (&out)[kHashBufferSize]) noexcept;

// True when hash is not in the policy's format and parameters (malformed and imported hashes included).
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
