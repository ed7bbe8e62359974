#include "core/crypto.hpp"

#include <crypt.h>
#include <sodium.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

#include "core/error.hpp"

namespace lucia::core {

namespace {

constexpr std::string_view kS2Prefix = "s2";
constexpr std::string_view kLuciaBcryptPrefix = "$2a";
constexpr std::string_view kArgon2idPrefix = "$argon2id$";
// Argon2's shortest salt and key (ARGON2_MIN_SALT_LENGTH, ARGON2_MIN_OUTLEN): libsodium refuses less.
constexpr std::size_t kArgon2MinSaltBytes = 8;
constexpr std::size_t kArgon2MinKeyBytes = 16;

// The s2 dummy: the empty password under a salt of zeros, written here so that nobody pays for making it.
constexpr std::string_view kDummyS2 =
    "s2:0000000000000000:fc67cbdcdbd4f5c77534b6bce9f305722702e082dad70c063672144962c6afad"
    "e6b483a9ffff5be62fe96ab2c5544dd37dab0a24c8bf6f2270766c58bef20a57";
// The Argon2id dummy's salt (16 bytes) and key (32 bytes, libsodium's length) of zeros, in base64.
constexpr std::string_view kDummyArgon2idSalt = "AAAAAAAAAAAAAAAAAAAAAA";
constexpr std::string_view kDummyArgon2idKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

const std::uint8_t* Bytes(std::string_view s) noexcept {
  // libsodium may not accept a null pointer for an empty input.
  static const std::uint8_t kEmpty = 0;
  return s.empty() ? &kEmpty : reinterpret_cast<const std::uint8_t*>(s.data());
}

void ToLowerHex(const std::uint8_t* bytes, std::size_t length, char* out) noexcept {
  static const char kDigits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < length; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
}

bool IsLowerHex(std::string_view s) noexcept {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes exactly out_length bytes of hex, either case, as Lucia v3's decodeHex reads them.
bool DecodeHex(std::string_view hex, std::uint8_t* out, std::size_t out_length) noexcept {
  if (hex.size() != 2 * out_length) return false;
  for (std::size_t i = 0; i < out_length; ++i) {
    int high = HexValue(hex[2 * i]);
    int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    out[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

void LuciaScrypt(std::string_view password, std::string_view salt, std::uint32_t block_size,
                 std::uint8_t (&key)[kLuciaKeyBytes]) {
  try {
    Scrypt(password, salt, kLuciaScryptN, block_size, 1, key, sizeof key);
  } catch (...) {
    Wipe(key, sizeof key);
    throw;
  }
}

// Lucia's scrypt key of password under salt, as lower-case hex, into out (kLuciaKeyHexLength chars).
void LuciaScryptHex(std::string_view password, std::string_view salt, std::uint32_t block_size, char* out) {
  std::uint8_t key[kLuciaKeyBytes];
  LuciaScrypt(password, salt, block_size, key);
  ToLowerHex(key, sizeof key, out);
  Wipe(key, sizeof key);
}

// s2 and Lucia v1: the hex strings are compared, as Lucia v2 compares them. The key is derived even
// when the stored one has the wrong length, so that a malformed key costs the time of a wrong password.
bool VerifyLuciaScrypt(std::string_view password, const ParsedHash& parsed, std::uint32_t block_size) {
  char target[kLuciaKeyHexLength];
  LuciaScryptHex(password, parsed.salt, block_size, target);
  bool equal = parsed.key.size() == kLuciaKeyHexLength &&
               sodium_memcmp(target, parsed.key.data(), kLuciaKeyHexLength) == 0;
  Wipe(target, sizeof target);
  return equal;
}

// Lucia v3 and Better Auth: the stored hex is decoded and the bytes compared, as Lucia v3 does (Better
// Auth compares lower-case hex text; both write lower case).
bool VerifyHexScrypt(std::string_view password, const ParsedHash& parsed) {
  std::uint8_t target[kLuciaKeyBytes];
  LuciaScrypt(password, parsed.salt, kS2BlockSize, target);
  std::uint8_t stored[kLuciaKeyBytes];
  bool equal =
      DecodeHex(parsed.key, stored, sizeof stored) && sodium_memcmp(target, stored, sizeof stored) == 0;
  Wipe(target, sizeof target);
  return equal;
}

// Reads a decimal number that fits in 32 bits, without leading zeros (libsodium refuses them); advances
// pos.
bool ReadUint32(std::string_view s, std::size_t& pos, std::uint32_t& value) noexcept {
  std::uint64_t v = 0;
  std::size_t start = pos;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && pos - start < 10) {
    v = v * 10 + static_cast<std::uint64_t>(s[pos] - '0');
    ++pos;
  }
  if (pos == start || v > 0xffffffffULL || (pos < s.size() && s[pos] >= '0' && s[pos] <= '9')) {
    return false;
  }
  if (s[start] == '0' && pos - start > 1) return false;
  value = static_cast<std::uint32_t>(v);
  return true;
}

bool Expect(std::string_view s, std::size_t& pos, std::string_view literal) noexcept {
  if (s.substr(pos, literal.size()) != literal) return false;
  pos += literal.size();
  return true;
}

// The number of bytes of a part written in base64 without padding, as libsodium decodes it (trailing
// bits must be zero); 0 when libsodium would refuse it.
std::size_t Base64Bytes(std::string_view part) noexcept {
  std::uint8_t bytes[crypto_pwhash_STRBYTES];
  std::size_t length = 0;
  const char* end = nullptr;
  if (part.empty() || part.size() >= sizeof bytes ||
      sodium_base642bin(bytes, sizeof bytes, part.data(), part.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
      end != part.data() + part.size()) {
    return 0;
  }
  return length;
}

// libsodium's Argon2id string, accepted only as libsodium's decoder accepts it (so that a string taken
// here always costs a derivation): "$argon2id$v=19$m=<kib>,t=<iterations>,p=<lanes>$<salt>$<key>",
// numbers without leading zeros, a salt of at least 8 bytes and a key of at least 16, and a string short
// enough for libsodium's buffer.
bool ParseArgon2id(std::string_view hash, ParsedHash& out) noexcept {
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::size_t pos = kArgon2idPrefix.size();
  std::uint32_t version = 0;
  if (!Expect(hash, pos, "v=") || !ReadUint32(hash, pos, version) || version != 19) return false;
  if (!Expect(hash, pos, "$m=") || !ReadUint32(hash, pos, out.argon2id.memory_kib)) return false;
  if (!Expect(hash, pos, ",t=") || !ReadUint32(hash, pos, out.argon2id.iterations)) return false;
  if (!Expect(hash, pos, ",p=") || !ReadUint32(hash, pos, out.argon2id_lanes)) return false;
  if (!Expect(hash, pos, "$")) return false;
  std::size_t salt_end = hash.find('$', pos);
  if (salt_end == std::string_view::npos) return false;
  if (Base64Bytes(hash.substr(pos, salt_end - pos)) < kArgon2MinSaltBytes) return false;
  if (Base64Bytes(hash.substr(salt_end + 1)) < kArgon2MinKeyBytes) return false;
  return out.argon2id_lanes >= 1 && out.argon2id.memory_kib >= 8 * out.argon2id_lanes &&
         out.argon2id.iterations >= 1;
}

bool IsBcryptBase64(char c) noexcept {
  return c == '.' || c == '/' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// "$2a$", "$2b$" or "$2y$", a two-digit cost, "$", then 53 characters of bcrypt's base64. Returns the
// cost, or 0.
std::uint32_t BcryptCost(std::string_view hash) noexcept {
  if (hash.size() != kBcryptHashLength || hash[0] != '$' || hash[1] != '2' ||
      (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') || hash[3] != '$' || hash[6] != '$') {
    return 0;
  }
  if (hash[4] < '0' || hash[4] > '9' || hash[5] < '0' || hash[5] > '9') return 0;
  std::uint32_t cost = static_cast<std::uint32_t>((hash[4] - '0') * 10 + (hash[5] - '0'));
  if (cost < kBcryptMinCost || cost > kBcryptMaxCost) return 0;
  for (std::size_t i = 7; i < hash.size(); ++i) {
    if (!IsBcryptBase64(hash[i])) return 0;
  }
  return cost;
}

bool WithinEach(Argon2idParams asked, Argon2idParams limit) noexcept {
  return asked.memory_kib <= limit.memory_kib && asked.iterations <= limit.iterations;
}

bool Argon2idAllowed(const ParsedHash& parsed, const PasswordPolicy& policy) noexcept {
  return parsed.argon2id_lanes == 1 &&
         (WithinEach(parsed.argon2id, policy.argon2id_bound) || WithinEach(parsed.argon2id, policy.argon2id));
}

// What a verification of a hash does: one plan for VerifyPassword and RejectsWithoutDerivation, so that
// they cannot disagree.
VerificationKind KindFor(std::string_view hash, const ParsedHash& parsed,
                         const PasswordPolicy& policy) noexcept {
  switch (parsed.kind) {
    case HashKind::kS2:
      return VerificationKind::kS2;
    case HashKind::kLuciaV1:
      return VerificationKind::kLuciaV1;
    case HashKind::kHexScrypt:
      return VerificationKind::kHexScrypt;
    case HashKind::kArgon2id:
      return Argon2idAllowed(parsed, policy) ? VerificationKind::kArgon2id : VerificationKind::kReject;
    case HashKind::kBcrypt:
      if (!policy.verify_bcrypt) {
        return hash.substr(0, kLuciaBcryptPrefix.size()) == kLuciaBcryptPrefix ? VerificationKind::kOutdated
                                                                               : VerificationKind::kReject;
      }
      return parsed.bcrypt_cost != 0 && parsed.bcrypt_cost <= policy.bcrypt_max_cost
                 ? VerificationKind::kBcrypt
                 : VerificationKind::kReject;
    case HashKind::kUnknown:
      break;
  }
  return VerificationKind::kReject;
}

bool VerifyArgon2id(std::string_view password, std::string_view hash) {
  char buffer[crypto_pwhash_STRBYTES];
  std::memcpy(buffer, hash.data(), hash.size());  // ParseArgon2id made sure that it fits
  buffer[hash.size()] = '\0';
  errno = 0;
  int rc =
      crypto_pwhash_argon2id_str_verify(buffer, password.empty() ? "" : password.data(), password.size());
  if (rc != 0 && errno == ENOMEM) throw std::bad_alloc();
  return rc == 0;
}

// bcrypt by libxcrypt, which writes the whole hash string again to be compared with the stored one.
// bcrypt reads at most 72 bytes of the password (and stops at a NUL): longer passwords are cut here, as
// bcrypt itself cuts them, since libxcrypt refuses phrases over 512 bytes.
bool VerifyBcrypt(std::string_view password, std::string_view hash) {
  struct Work {
    crypt_data data;
    char phrase[kBcryptMaxPasswordBytes + 1];
    char setting[kBcryptHashLength + 1];
  };
  auto* work = static_cast<Work*>(std::calloc(1, sizeof(Work)));
  if (work == nullptr) throw std::bad_alloc();
  std::size_t length = password.size() < kBcryptMaxPasswordBytes ? password.size() : kBcryptMaxPasswordBytes;
  std::memcpy(work->phrase, password.data(), length);
  std::memcpy(work->setting, hash.data(), hash.size());
  errno = 0;
  const char* out = crypt_rn(work->phrase, work->setting, &work->data, sizeof work->data);
  int crypt_errno = errno;
  bool equal = out != nullptr && std::strlen(out) == kBcryptHashLength &&
               sodium_memcmp(out, hash.data(), kBcryptHashLength) == 0;
  Wipe(work, sizeof(Work));
  std::free(work);
  if (out == nullptr && crypt_errno == ENOMEM) throw std::bad_alloc();
  return equal;
}

}  // namespace

bool InitCrypto() noexcept { return sodium_init() >= 0; }

void Wipe(void* data, std::size_t length) noexcept {
  if (data != nullptr && length > 0) sodium_memzero(data, length);
}

void Scrypt(std::string_view password, std::string_view salt, std::uint64_t n, std::uint32_t r,
            std::uint32_t p, std::uint8_t* out, std::size_t out_length) {
  errno = 0;
  if (crypto_pwhash_scryptsalsa208sha256_ll(Bytes(password), password.size(), Bytes(salt), salt.size(), n, r,
                                            p, out, out_length) != 0) {
    if (errno == ENOMEM) throw std::bad_alloc();
    throw AuthError(ErrorCode::kCryptoFailure, "scrypt rejected its parameters");
  }
}

ParsedHash ParseHash(std::string_view hash) noexcept {
  ParsedHash parsed;
  // Lucia tests for bcrypt first, by this prefix alone, whatever follows.
  if (hash.substr(0, kLuciaBcryptPrefix.size()) == kLuciaBcryptPrefix || hash.substr(0, 4) == "$2b$" ||
      hash.substr(0, 4) == "$2y$") {
    parsed.kind = HashKind::kBcrypt;
    parsed.bcrypt_cost = BcryptCost(hash);
    return parsed;
  }
  if (hash.size() > kMaxStoredHashLength) return parsed;
  if (hash.substr(0, kArgon2idPrefix.size()) == kArgon2idPrefix) {
    if (ParseArgon2id(hash, parsed)) parsed.kind = HashKind::kArgon2id;
    return parsed;
  }
  // Then Lucia counts the ':'-separated parts.
  std::size_t first = hash.find(':');
  if (first == std::string_view::npos) return parsed;
  std::size_t second = hash.find(':', first + 1);
  if (second == std::string_view::npos) {
    std::string_view salt = hash.substr(0, first);
    if (salt.size() > kMaxSaltLength) return parsed;
    // Lucia v1 salts are 16 characters of a-z0-9; Lucia v3 and Better Auth write 32 hex digits.
    parsed.kind =
        salt.size() == kHexSaltLength && IsLowerHex(salt) ? HashKind::kHexScrypt : HashKind::kLuciaV1;
    parsed.salt = salt;
    parsed.key = hash.substr(first + 1);
    return parsed;
  }
  if (hash.find(':', second + 1) != std::string_view::npos) return parsed;
  if (hash.substr(0, first) != kS2Prefix) return parsed;
  if (second - first - 1 > kMaxSaltLength) return parsed;
  parsed.kind = HashKind::kS2;
  parsed.salt = hash.substr(first + 1, second - first - 1);
  parsed.key = hash.substr(second + 1);
  return parsed;
}

std::size_t HashS2WithSalt(std::string_view password, std::string_view salt, char (&out)[kHashBufferSize]) {
  if (salt.size() > kHashBufferSize - 5 - kLuciaKeyHexLength || salt.find(':') != std::string_view::npos) {
    throw AuthError(ErrorCode::kInvalidParameter, "an s2 salt must be short and contain no ':'");
  }
  std::size_t pos = 0;
  std::memcpy(out, "s2:", 3);
  pos += 3;
  std::memcpy(out + pos, salt.data(), salt.size());
  pos += salt.size();
  out[pos++] = ':';
  LuciaScryptHex(password, salt, kS2BlockSize, out + pos);
  pos += kLuciaKeyHexLength;
  out[pos] = '\0';
  return pos;
}

std::size_t HashS2(std::string_view password, char (&out)[kHashBufferSize]) {
  char salt[kS2SaltLength];
  RandomString(kDefaultAlphabet, salt, sizeof salt);
  return HashS2WithSalt(password, std::string_view(salt, sizeof salt), out);
}

std::size_t HashArgon2id(std::string_view password, Argon2idParams params, char (&out)[kHashBufferSize]) {
  static_assert(kHashBufferSize >= crypto_pwhash_STRBYTES, "hash buffer too small for libsodium");
  if (params.memory_kib < kArgon2idMinMemoryKib || params.memory_kib > kArgon2idMaxMemoryKib ||
      params.iterations < kArgon2idMinIterations || params.iterations > kArgon2idMaxIterations) {
    throw AuthError(ErrorCode::kValueOutOfRange, "Argon2id parameters are out of range");
  }
  errno = 0;
  if (crypto_pwhash_str_alg(out, password.empty() ? "" : password.data(), password.size(), params.iterations,
                            static_cast<std::size_t>(params.memory_kib) * 1024U,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    if (errno == ENOMEM) throw std::bad_alloc();
    throw AuthError(ErrorCode::kCryptoFailure, "Argon2id hashing failed");
  }
  // libsodium pads its buffer; the hash is the NUL-terminated prefix.
  return std::strlen(out);
}

std::size_t HashPassword(std::string_view password, const PasswordPolicy& policy,
                         char (&out)[kHashBufferSize]) {
  if (policy.algorithm == HashAlgorithm::kArgon2id) return HashArgon2id(password, policy.argon2id, out);
  return HashS2(password, out);
}

Verification PlanVerification(std::string_view hash, const PasswordPolicy& policy) noexcept {
  Verification verification;
  verification.hash = hash;
  verification.parsed = ParseHash(hash);
  verification.kind = KindFor(hash, verification.parsed, policy);
  verification.form =
      verification.kind == VerificationKind::kBcrypt ? PasswordForm::kAsTyped : PasswordForm::kNfkc;
  return verification;
}

bool RunVerification(std::string_view password, const Verification& verification) {
  switch (verification.kind) {
    case VerificationKind::kOutdated:
      throw AuthError(ErrorCode::kOutdatedPassword, "AUTH_OUTDATED_PASSWORD");
    case VerificationKind::kS2:
      return VerifyLuciaScrypt(password, verification.parsed, kS2BlockSize);
    case VerificationKind::kLuciaV1:
      return VerifyLuciaScrypt(password, verification.parsed, kLuciaV1BlockSize);
    case VerificationKind::kHexScrypt:
      return VerifyHexScrypt(password, verification.parsed);
    case VerificationKind::kArgon2id:
      return VerifyArgon2id(password, verification.hash);
    case VerificationKind::kBcrypt:
      return VerifyBcrypt(password, verification.hash);
    case VerificationKind::kReject:
      break;
  }
  return false;
}

PasswordForm PasswordFormFor(std::string_view hash, const PasswordPolicy& policy) noexcept {
  return PlanVerification(hash, policy).form;
}

bool VerifyPassword(std::string_view password, std::string_view hash, const PasswordPolicy& policy) {
  return RunVerification(password, PlanVerification(hash, policy));
}

bool RejectsWithoutDerivation(std::string_view hash, const PasswordPolicy& policy) noexcept {
  return PlanVerification(hash, policy).kind == VerificationKind::kReject;
}

std::size_t DummyHash(const PasswordPolicy& policy, char (&out)[kHashBufferSize]) noexcept {
  int length = 0;
  if (policy.algorithm == HashAlgorithm::kArgon2id) {
    length = std::snprintf(out, sizeof out, "$argon2id$v=19$m=%u,t=%u,p=1$%.*s$%.*s",
                           static_cast<unsigned>(policy.argon2id.memory_kib),
                           static_cast<unsigned>(policy.argon2id.iterations),
                           static_cast<int>(kDummyArgon2idSalt.size()), kDummyArgon2idSalt.data(),
                           static_cast<int>(kDummyArgon2idKey.size()), kDummyArgon2idKey.data());
  } else {
    length = std::snprintf(out, sizeof out, "%.*s", static_cast<int>(kDummyS2.size()), kDummyS2.data());
  }
  return length < 0 ? 0 : static_cast<std::size_t>(length);
}

bool NeedsRehash(std::string_view hash, const PasswordPolicy& policy) noexcept {
  ParsedHash parsed = ParseHash(hash);
  if (policy.algorithm == HashAlgorithm::kS2) {
    return !(parsed.kind == HashKind::kS2 && !parsed.salt.empty() &&
             parsed.key.size() == kLuciaKeyHexLength && IsLowerHex(parsed.key));
  }
  if (parsed.kind != HashKind::kArgon2id || parsed.argon2id_lanes != 1) return true;
  return parsed.argon2id.memory_kib != policy.argon2id.memory_kib ||
         parsed.argon2id.iterations != policy.argon2id.iterations;
}

void RandomIndices(std::uint32_t bound, std::uint32_t* out, std::size_t count) {
  if (bound == 0) throw AuthError(ErrorCode::kInvalidParameter, "the alphabet must not be empty");
  // Rejection sampling as libsodium's randombytes_uniform() does it, but drawing the random words
  // in batches: values below 2^32 mod bound are discarded so that every residue is equally likely.
  const std::uint32_t reject_below = static_cast<std::uint32_t>(-bound) % bound;
  std::uint32_t batch[64];
  std::size_t filled = 0;
  while (filled < count) {
    std::size_t want = count - filled;
    if (want > sizeof batch / sizeof batch[0]) want = sizeof batch / sizeof batch[0];
    // A few spare words cover most rejections without another call.
    std::size_t draw = want + (want < 60 ? 4 : 0);
    randombytes_buf(batch, draw * sizeof batch[0]);
    for (std::size_t i = 0; i < draw && filled < count; ++i) {
      if (batch[i] >= reject_below) out[filled++] = batch[i] % bound;
    }
  }
  Wipe(batch, sizeof batch);
}

void RandomString(std::string_view alphabet, char* out, std::size_t length) {
  if (alphabet.empty()) throw AuthError(ErrorCode::kInvalidParameter, "the alphabet must not be empty");
  if (alphabet.size() > 0xffffffffULL) throw AuthError(ErrorCode::kValueOutOfRange, "alphabet too long");
  std::uint32_t indices[64];
  std::size_t done = 0;
  while (done < length) {
    std::size_t n = length - done;
    if (n > 64) n = 64;
    RandomIndices(static_cast<std::uint32_t>(alphabet.size()), indices, n);
    for (std::size_t i = 0; i < n; ++i) out[done + i] = alphabet[indices[i]];
    done += n;
  }
  Wipe(indices, sizeof indices);
}

}  // namespace lucia::core
