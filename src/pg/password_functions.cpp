// hash_password, verify_password, password_needs_rehash, generate_random_string.
#include "pg/boundary.hpp"

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
}

#include "core/crypto.hpp"
#include "pg/passwords.hpp"
#include "pg/settings.hpp"

namespace lucia::pg {

namespace {

using core::ErrorCode;

// Longest string generate_random_string makes, in characters.
constexpr int kMaxRandomStringLength = 1048576;

}  // namespace

// SQL: hash_password(password text) returns text
LUCIA_FUNCTION(lucia_hash_password) { PG_RETURN_TEXT_P(HashPasswordArg(PG_GETARG_TEXT_PP(0))); }

// SQL: verify_password(password text, hash text) returns boolean
LUCIA_FUNCTION(lucia_verify_password) {
  PG_RETURN_BOOL(VerifyPasswordArg(PG_GETARG_TEXT_PP(0), PG_GETARG_TEXT_PP(1)));
}

// SQL: password_needs_rehash(hash text) returns boolean
LUCIA_FUNCTION(lucia_password_needs_rehash) {
  text* hash = PG_GETARG_TEXT_PP(0);
  PG_RETURN_BOOL(core::NeedsRehash(TextView(hash), CurrentPasswordPolicy()));
}

// SQL: generate_random_string(length integer, alphabet text) returns text
LUCIA_FUNCTION(lucia_generate_random_string) {
  int32 length = PG_GETARG_INT32(0);
  text* alphabet = PG_GETARG_TEXT_PP(1);
  if (length < 0) RaiseError(ErrorCode::kInvalidParameter, "length must not be negative");
  if (length > kMaxRandomStringLength) {
    RaiseError(ErrorCode::kLimitExceeded, "length must be at most 1048576");
  }
  if (length == 0) PG_RETURN_TEXT_P(cstring_to_text(""));
  const char* symbols = VARDATA_ANY(alphabet);
  int alphabet_bytes = static_cast<int>(VARSIZE_ANY_EXHDR(alphabet));
  if (alphabet_bytes == 0) RaiseError(ErrorCode::kInvalidParameter, "alphabet must not be empty");

  int symbol_count = pg_mbstrlen_with_len(symbols, alphabet_bytes);
  if (symbol_count == alphabet_bytes) {
    // Single-byte characters: each byte is one symbol.
    text* result = static_cast<text*>(palloc(VARHDRSZ + length));
    SET_VARSIZE(result, VARHDRSZ + length);
    CallCore([&] {
      core::RandomString(std::string_view(symbols, static_cast<std::size_t>(alphabet_bytes)), VARDATA(result),
                         static_cast<std::size_t>(length));
    });
    PG_RETURN_TEXT_P(result);
  }

  // Multi-byte alphabet: draw indices of characters and copy each character's bytes.
  int* offsets = static_cast<int*>(palloc((symbol_count + 1) * sizeof(int)));
  int max_symbol_bytes = 1;
  for (int i = 0, pos = 0; i < symbol_count; ++i) {
    offsets[i] = pos;
    int width = pg_mblen(symbols + pos);
    if (width > max_symbol_bytes) max_symbol_bytes = width;
    pos += width;
  }
  offsets[symbol_count] = alphabet_bytes;
  auto* indices =
      static_cast<std::uint32_t*>(palloc(sizeof(std::uint32_t) * static_cast<std::size_t>(length)));
  CallCore([&] {
    core::RandomIndices(static_cast<std::uint32_t>(symbol_count), indices, static_cast<std::size_t>(length));
  });
  text* result = static_cast<text*>(palloc(VARHDRSZ + static_cast<std::size_t>(length) * max_symbol_bytes));
  char* out = VARDATA(result);
  for (int i = 0; i < length; ++i) {
    int start = offsets[indices[i]];
    int width = offsets[indices[i] + 1] - start;
    memcpy(out, symbols + start, width);
    out += width;
  }
  SET_VARSIZE(result, out - reinterpret_cast<char*>(result));
  PG_RETURN_TEXT_P(result);
}

}  // namespace lucia::pg
