#include "pg/secret.hpp"

extern "C" {
#include "common/unicode_norm.h"
#include "common/unicode_norm_table.h"
#include "mb/pg_wchar.h"
#include "utils/memutils.h"
}

#include <cstring>

#include "core/crypto.hpp"
#include "core/error.hpp"
#include "pg/boundary.hpp"

namespace lucia::pg {

namespace {

struct WipeOnReset {
  MemoryContextCallback callback;
  void* data;
  std::size_t length;
};

void WipeCallback(void* arg) {
  auto* w = static_cast<WipeOnReset*>(arg);
  core::Wipe(w->data, w->length);
}

// palloc'd memory that is wiped when its context goes away, whatever the reason.
void* AllocSecret(std::size_t length) {
  void* data = palloc(length);
  auto* w = static_cast<WipeOnReset*>(palloc(sizeof(WipeOnReset)));
  w->data = data;
  w->length = length;
  w->callback.func = WipeCallback;
  w->callback.arg = w;
  MemoryContextRegisterResetCallback(CurrentMemoryContext, &w->callback);
  return data;
}

// Longest run of combining characters (non-starters) accepted in a password: the limit of Unicode's
// Stream-Safe Text Format (UAX #15). PostgreSQL puts each run into canonical order by exchanging
// neighbours, in time quadratic in its length and without checking for cancellation: a password of
// 65536 bytes that is one run would take seconds, on every attempt to log in with it.
constexpr std::size_t kMaxCombiningRun = 30;

const pg_unicode_decomposition* DecompositionEntry(pg_wchar code) noexcept {
  std::size_t low = 0;
  std::size_t high = lengthof(UnicodeDecompMain);
  while (low < high) {
    std::size_t mid = low + (high - low) / 2;
    if (UnicodeDecompMain[mid].codepoint < code) {
      low = mid + 1;
    } else if (UnicodeDecompMain[mid].codepoint > code) {
      high = mid;
    } else {
      return &UnicodeDecompMain[mid];
    }
  }
  return nullptr;
}

// Follows code through its full compatibility decomposition (as NFKC does), counting consecutive
// non-starters in run and keeping the longest run in longest. Hangul syllables have no entry: they
// decompose into jamo, which are starters.
void CountCombiningRun(pg_wchar code, int depth, std::size_t* run, std::size_t* longest) noexcept {
  const pg_unicode_decomposition* entry = DecompositionEntry(code);
  if (entry != nullptr && DECOMPOSITION_SIZE(entry) > 0 && depth < 8) {
    if (DECOMPOSITION_IS_INLINE(entry)) {
      CountCombiningRun(static_cast<pg_wchar>(entry->dec_index), depth + 1, run, longest);
    } else {
      for (int i = 0; i < DECOMPOSITION_SIZE(entry); ++i) {
        CountCombiningRun(UnicodeDecomp_codepoints[entry->dec_index + i], depth + 1, run, longest);
      }
    }
    return;
  }
  if (entry == nullptr || entry->comb_class == 0) {
    *run = 0;
  } else if (++*run > *longest) {
    *longest = *run;
  }
}

std::size_t LongestCombiningRun(const pg_wchar* code_points, std::size_t count) noexcept {
  std::size_t run = 0;
  std::size_t longest = 0;
  for (std::size_t i = 0; i < count; ++i) CountCombiningRun(code_points[i], 0, &run, &longest);
  return longest;
}

// The password converted from the database encoding to UTF-8. The conversion's own error would show
// the bytes of the character it cannot convert: it is replaced by one that shows nothing.
const char* PasswordToUtf8(const char* src, std::size_t length) {
  const char* utf8 = nullptr;
  RewriteErrors([&] { utf8 = pg_server_to_any(src, static_cast<int>(length), PG_UTF8); },
                [](ErrorData* error) {
                  if (error->sqlerrcode == ERRCODE_UNTRANSLATABLE_CHARACTER ||
                      error->sqlerrcode == ERRCODE_CHARACTER_NOT_IN_REPERTOIRE) {
                    ereport(ERROR, (errcode(error->sqlerrcode),
                                    errmsg("password has a character that cannot be converted to UTF-8")));
                  }
                });
  return utf8;
}

bool IsAscii(const char* s, std::size_t length) noexcept {
  for (std::size_t i = 0; i < length; ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  }
  return true;
}

// The password in UTF-8, with its length in *length: the argument itself when it already is UTF-8,
// else a converted copy (the caller wipes and frees it when it differs from the argument).
const char* PasswordUtf8(const text* password, std::size_t* length) {
  const char* src = VARDATA_ANY(password);
  *length = VARSIZE_ANY_EXHDR(password);
  if (*length > kMaxPasswordBytes) {
    RaiseError(core::ErrorCode::kLimitExceeded, "password is longer than 65536 bytes");
  }
  // ASCII is the same in every server encoding.
  if (IsAscii(src, *length)) return src;
  int encoding = GetDatabaseEncoding();
  if (encoding == PG_SQL_ASCII) {
    if (!pg_verify_mbstr(PG_UTF8, src, static_cast<int>(*length), true)) {
      ereport(ERROR, (errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE), errmsg("password is not valid UTF-8"),
                      errdetail("In a SQL_ASCII database, passwords are read as UTF-8.")));
    }
    return src;
  }
  if (encoding == PG_UTF8) return src;
  const char* utf8 = PasswordToUtf8(src, *length);
  if (utf8 != src) *length = std::strlen(utf8);
  return utf8;
}

}  // namespace

SecretText PreparePasswordAsTyped(const text* password) {
  std::size_t length = 0;
  const char* utf8 = PasswordUtf8(password, &length);
  if (utf8 == VARDATA_ANY(password)) return SecretText{const_cast<char*>(utf8), length, false};
  auto* copy = static_cast<char*>(AllocSecret(length + 1));
  std::memcpy(copy, utf8, length);
  core::Wipe(const_cast<char*>(utf8), length);
  pfree(const_cast<char*>(utf8));
  return SecretText{copy, length, true};
}

SecretText PreparePassword(const text* password) {
  const char* src = VARDATA_ANY(password);
  std::size_t length = 0;
  // Lucia normalises the JavaScript string and hashes its UTF-8 bytes: convert to UTF-8 first.
  const char* utf8 = PasswordUtf8(password, &length);
  // NFKC leaves ASCII unchanged.
  if (utf8 == src && IsAscii(src, length)) return SecretText{const_cast<char*>(src), length, false};

  // Decode to code points, normalise, and encode back; every intermediate copy is wiped.
  std::size_t code_points = 0;
  for (std::size_t pos = 0; pos < length; ++code_points) {
    pos += static_cast<std::size_t>(pg_utf_mblen(reinterpret_cast<const unsigned char*>(utf8) + pos));
  }
  auto* input = static_cast<pg_wchar*>(AllocSecret((code_points + 1) * sizeof(pg_wchar)));
  const unsigned char* p = reinterpret_cast<const unsigned char*>(utf8);
  for (std::size_t i = 0; i < code_points; ++i) {
    input[i] = utf8_to_unicode(p);
    p += pg_utf_mblen(p);
  }
  input[code_points] = 0;
  if (utf8 != src) {
    core::Wipe(const_cast<char*>(utf8), length);
    pfree(const_cast<char*>(utf8));
  }
  if (LongestCombiningRun(input, code_points) > kMaxCombiningRun) {
    ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                    errmsg("password has more than 30 combining characters in a row")));
  }

  pg_wchar* normalized = unicode_normalize(UNICODE_NFKC, input);
  core::Wipe(input, (code_points + 1) * sizeof(pg_wchar));
  std::size_t normalized_points = 0;
  while (normalized[normalized_points] != 0) ++normalized_points;

  auto* out = static_cast<char*>(AllocSecret(normalized_points * 4 + 1));
  unsigned char* q = reinterpret_cast<unsigned char*>(out);
  for (std::size_t i = 0; i < normalized_points; ++i) {
    unicode_to_utf8(normalized[i], q);
    q += pg_utf_mblen(q);
  }
  core::Wipe(normalized, normalized_points * sizeof(pg_wchar));
  pfree(normalized);
  return SecretText{out, static_cast<std::size_t>(reinterpret_cast<char*>(q) - out), true};
}

void WipeSecret(SecretText* secret) noexcept {
  if (secret->owned) core::Wipe(secret->data, secret->length);
  secret->length = 0;
}

}  // namespace lucia::pg
