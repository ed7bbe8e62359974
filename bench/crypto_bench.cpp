// Micro-benchmarks of the core's hashing and id generation, each beside the libsodium call it wraps.
#include <benchmark/benchmark.h>
#include <sodium.h>

#include "core/crypto.hpp"

namespace {

using namespace lucia::core;

const bool kInit = InitCrypto();

// Reference: libsodium's scrypt with Lucia's s2 parameters, called directly.
void BM_LibsodiumScryptS2(benchmark::State& state) {
  std::uint8_t out[64];
  const char* password = "correct horse battery staple";
  const char* salt = "abcdefghijklmnop";
  for (auto _ : state) {
    int rc = crypto_pwhash_scryptsalsa208sha256_ll(reinterpret_cast<const std::uint8_t*>(password), 28,
                                                   reinterpret_cast<const std::uint8_t*>(salt), 16, 16384, 16,
                                                   1, out, sizeof out);
    benchmark::DoNotOptimize(rc);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_LibsodiumScryptS2)->Unit(benchmark::kMillisecond);

void BM_HashS2(benchmark::State& state) {
  char hash[kHashBufferSize];
  for (auto _ : state) benchmark::DoNotOptimize(HashS2("correct horse battery staple", hash));
}
BENCHMARK(BM_HashS2)->Unit(benchmark::kMillisecond);

void BM_VerifyS2(benchmark::State& state) {
  char hash[kHashBufferSize];
  HashS2("correct horse battery staple", hash);
  for (auto _ : state) benchmark::DoNotOptimize(VerifyPassword("correct horse battery staple", hash));
}
BENCHMARK(BM_VerifyS2)->Unit(benchmark::kMillisecond);

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
