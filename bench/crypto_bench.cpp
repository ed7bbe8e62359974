// Micro-benchmarks of the core's hashing and id generation, each beside the libsodium call it wraps, and
// the cost of verifying each stored format at the default bounds on what a stored hash may ask for.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include <string>

#include "core/crypto.hpp"

namespace {

using namespace lucia::core;

const bool kInit = InitCrypto();

constexpr char kPassword[] = "correct horse battery staple";

// Reference: libsodium's scrypt with Lucia's s2 parameters, called directly.
void BM_LibsodiumScryptS2(benchmark::State& state) {
  std::uint8_t out[64];
  const char* salt = "abcdefghijklmnop";
  for (auto _ : state) {
    int rc = crypto_pwhash_scryptsalsa208sha256_ll(reinterpret_cast<const std::uint8_t*>(kPassword), 28,
                                                   reinterpret_cast<const std::uint8_t*>(salt), 16, 16384, 16,
                                                   1, out, sizeof out);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_LibsodiumScryptS2)->Unit(benchmark::kMillisecond);

void BM_HashS2(benchmark::State& state) {
  char hash[kHashBufferSize];
  for (auto _ : state) benchmark::DoNotOptimize(HashS2(kPassword, hash));
}
BENCHMARK(BM_HashS2)->Unit(benchmark::kMillisecond);

void BM_VerifyS2(benchmark::State& state) {
  char hash[kHashBufferSize];
  HashS2(kPassword, hash);
  for (auto _ : state) benchmark::DoNotOptimize(VerifyPassword(kPassword, hash, PasswordPolicy{}));
}
BENCHMARK(BM_VerifyS2)->Unit(benchmark::kMillisecond);

// Lucia v3 / Better Auth: the same scrypt as s2, over a 32-character salt.
void BM_VerifyHexScrypt(benchmark::State& state) {
  const std::string salt = "0123456789abcdef0123456789abcdef";
  std::uint8_t key[kLuciaKeyBytes];
  Scrypt(kPassword, salt, kLuciaScryptN, kS2BlockSize, 1, key, sizeof key);
  std::string hash = salt + ":";
  for (std::uint8_t b : key) hash += "0123456789abcdef"[b >> 4], hash += "0123456789abcdef"[b & 15];
  for (auto _ : state) benchmark::DoNotOptimize(VerifyPassword(kPassword, hash, PasswordPolicy{}));
}
BENCHMARK(BM_VerifyHexScrypt)->Unit(benchmark::kMillisecond);

// Argon2id verification with the parameters (memory KiB, passes): the defaults of new hashes, then the
// corners of the default bound on stored hashes.
void BM_VerifyArgon2id(benchmark::State& state) {
  Argon2idParams params{static_cast<std::uint32_t>(state.range(0)),
                        static_cast<std::uint32_t>(state.range(1))};
  char hash[kHashBufferSize];
  HashArgon2id(kPassword, params, hash);
  PasswordPolicy policy;
  policy.argon2id = params;
  for (auto _ : state) benchmark::DoNotOptimize(VerifyPassword(kPassword, hash, policy));
}
BENCHMARK(BM_VerifyArgon2id)
    ->Args({kDefaultArgon2id.memory_kib, kDefaultArgon2id.iterations})
    ->Args({kDefaultArgon2idBound.memory_kib, 1})
    ->Args({kDefaultArgon2idBound.memory_kib, kDefaultArgon2idBound.iterations})
    ->Unit(benchmark::kMillisecond);

// The Argon2id dummy of the default parameters: made without hashing, verified at the cost of a real hash.
void BM_VerifyArgon2idDummy(benchmark::State& state) {
  PasswordPolicy policy;
  policy.algorithm = HashAlgorithm::kArgon2id;
  for (auto _ : state) {
    char dummy[kHashBufferSize];
    std::size_t length = DummyHash(policy, dummy);
    benchmark::DoNotOptimize(VerifyPassword(kPassword, std::string_view(dummy, length), policy));
  }
}
BENCHMARK(BM_VerifyArgon2idDummy)->Unit(benchmark::kMillisecond);

// bcrypt through libxcrypt at cost 10 (bcryptjs's default) and at the default bound.
void BM_VerifyBcrypt(benchmark::State& state) {
  // The hash is compared after it is computed: any salt gives the time of a real verification.
  std::string hash =
      "$2b$" + std::to_string(state.range(0)) + "$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  PasswordPolicy policy;
  policy.verify_bcrypt = true;
  for (auto _ : state) benchmark::DoNotOptimize(VerifyPassword(kPassword, hash, policy));
}
BENCHMARK(BM_VerifyBcrypt)->Arg(10)->Arg(kDefaultBcryptMaxCost)->Unit(benchmark::kMillisecond);

void BM_LibsodiumRandomUniform40(benchmark::State& state) {
  char out[40];
  for (auto _ : state) {
    for (char& c : out) c = kDefaultAlphabet[randombytes_uniform(36)];
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_LibsodiumRandomUniform40);

void BM_RandomString40(benchmark::State& state) {
  char out[40];
  for (auto _ : state) {
    RandomString(kDefaultAlphabet, out, sizeof out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_RandomString40);

}  // namespace
