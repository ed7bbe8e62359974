#include "core/crypto.hpp"

#include <sodium.h>

#include <cerrno>
#include <cstring>
#include <new>

#include "core/error.hpp"

namespace lucia::core {

namespace {

constexpr std::string_view kS2Prefix = "s2";
constexpr std::string_view kBcryptPrefix = "$2a";
constexpr std::string_view kArgon2idPrefix = "$argon2id$";

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

// Lucia's scrypt key of password under salt, as lower-case hex, into out (kLuciaKeyHexLength chars).
void LuciaScryptHex(std::string_view password, std::string_view salt, std::uint32_t block_size, char* out) {
  std::uint8_t key[kLuciaKeyBytes];
  try {
    Scrypt(password, salt, kLuciaScryptN, block_size, 1, key, sizeof key);
  } catch (...) {
    Wipe(key, sizeof key);
    throw;
  }
  ToLowerHex(key, sizeof key, out);
  Wipe(key, sizeof key);
}

bool VerifyLuciaScrypt(std::string_view password, const ParsedHash& parsed, std::uint32_t block_size) {
  char target[kLuciaKeyHexLength];
  // The key is derived even when the stored one has the wrong length, so that a malformed hash costs
  // the same time as a wrong password.
  LuciaScryptHex(password, parsed.salt, block_size, target);
  bool equal = parsed.key.size() == kLuciaKeyHexLength &&
               sodium_memcmp(target, parsed.key.data(), kLuciaKeyHexLength) == 0;
  Wipe(target, sizeof target);
  return equal;
}

// Reads a decimal number of at most 10 digits that fits in 32 bits; advances pos.
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
  value = static_cast<std::uint32_t>(v);
  return true;
}

bool Expect(std::string_view s, std::size_t& pos, std::string_view literal) noexcept {
  if (s.substr(pos, literal.size()) != literal) return false;
  pos += literal.size();
  return true;
}

bool ParseArgon2id(std::string_view hash, ParsedHash& out) noexcept {
  // $argon2id$v=19$m=<kib>,t=<iterations>,p=<lanes>$<salt>$<key>
  std::size_t pos = kArgon2idPrefix.size();
  std::uint32_t version = 0;
  if (!Expect(hash, pos, "v=") || !ReadUint32(hash, pos, version) || version != 19) return false;
  if (!Expect(hash, pos, "$m=") || !ReadUint32(hash, pos, out.argon2id.memory_kib)) return false;
  if (!Expect(hash, pos, ",t=") || !ReadUint32(hash, pos, out.argon2id.iterations)) return false;
  if (!Expect(hash, pos, ",p=") || !ReadUint32(hash, pos, out.argon2id_lanes)) return false;
  if (!Expect(hash, pos, "$")) return false;
  std::size_t salt_end = hash.find('$', pos);
  if (salt_end == std::string_view::npos || salt_end == pos) return false;
  if (salt_end + 1 >= hash.size() || hash.find('$', salt_end + 1) != std::string_view::npos) return false;
  return true;
}

bool Argon2idWithinBounds(const ParsedHash& parsed) noexcept {
  return parsed.argon2id.memory_kib >= kArgon2idMinMemoryKib &&
         parsed.argon2id.memory_kib <= kArgon2idMaxMemoryKib &&
         parsed.argon2id.iterations >= kArgon2idMinIterations &&
         parsed.argon2id.iterations <= kArgon2idMaxIterations && parsed.argon2id_lanes == 1;
}

// Copies hash into a NUL-terminated buffer of libsodium's string size; false when it does not fit.
bool CopyArgon2idString(std::string_view hash, char (&buffer)[crypto_pwhash_STRBYTES]) noexcept {
  if (hash.size() >= sizeof buffer || hash.find('\0') != std::string_view::npos) return false;
  std::memcpy(buffer, hash.data(), hash.size());
  buffer[hash.size()] = '\0';
  return true;
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
  // The order of these tests is Lucia's: bcrypt first, then the number of ':'-separated parts.
  if (hash.substr(0, kBcryptPrefix.size()) == kBcryptPrefix) {
    parsed.kind = HashKind::kBcrypt;
    return parsed;
  }
  if (hash.substr(0, kArgon2idPrefix.size()) == kArgon2idPrefix) {
    if (ParseArgon2id(hash, parsed)) parsed.kind = HashKind::kArgon2id;
    return parsed;
  }
  std::size_t first = hash.find(':');
  if (first == std::string_view::npos) return parsed;
  std::size_t second = hash.find(':', first + 1);
  if (second == std::string_view::npos) {
    parsed.kind = HashKind::kLuciaV1;
    parsed.salt = hash.substr(0, first);
    parsed.key = hash.substr(first + 1);
    return parsed;
  }
  if (hash.find(':', second + 1) != std::string_view::npos) return parsed;
  if (hash.substr(0, first) != kS2Prefix) return parsed;
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

bool VerifyPassword(std::string_view password, std::string_view hash) {
  ParsedHash parsed = ParseHash(hash);
  switch (parsed.kind) {
    case HashKind::kBcrypt:
      throw AuthError(ErrorCode::kOutdatedPassword, "AUTH_OUTDATED_PASSWORD");
    case HashKind::kS2:
      return VerifyLuciaScrypt(password, parsed, kS2BlockSize);
    case HashKind::kLuciaV1:
      return VerifyLuciaScrypt(password, parsed, kLuciaV1BlockSize);
    case HashKind::kArgon2id: {
      char buffer[crypto_pwhash_STRBYTES];
      if (!Argon2idWithinBounds(parsed) || !CopyArgon2idString(hash, buffer)) return false;
      errno = 0;
      int rc = crypto_pwhash_str_verify(buffer, password.empty() ? "" : password.data(), password.size());
      if (rc != 0 && errno == ENOMEM) throw std::bad_alloc();
      return rc == 0;
    }
    case HashKind::kUnknown:
      break;
  }
  return false;
}

bool RejectsWithoutDerivation(std::string_view hash) noexcept {
  ParsedHash parsed = ParseHash(hash);
  switch (parsed.kind) {
    case HashKind::kS2:
    case HashKind::kLuciaV1:
    case HashKind::kBcrypt:
      return false;
    case HashKind::kArgon2id: {
      char buffer[crypto_pwhash_STRBYTES];
      return !Argon2idWithinBounds(parsed) || !CopyArgon2idString(hash, buffer);
    }
    case HashKind::kUnknown:
      break;
  }
  return true;
}

bool NeedsRehash(std::string_view hash, const PasswordPolicy& policy) noexcept {
  ParsedHash parsed = ParseHash(hash);
  if (policy.algorithm == HashAlgorithm::kS2) {
    return !(parsed.kind == HashKind::kS2 && !parsed.salt.empty() &&
             parsed.key.size() == kLuciaKeyHexLength && IsLowerHex(parsed.key));
  }
  if (parsed.kind != HashKind::kArgon2id || !Argon2idWithinBounds(parsed)) return true;
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
