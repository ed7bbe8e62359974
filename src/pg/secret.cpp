#include "pg/secret.hpp"

extern "C" {
#include "common/unicode_norm.h"
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

bool IsAscii(const char* s, std::size_t length) noexcept {
  for (std::size_t i = 0; i < length; ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  }
  return true;
}

}  // namespace

SecretText PreparePassword(const text* password) {
  const char* src = VARDATA_ANY(password);
  std::size_t length = VARSIZE_ANY_EXHDR(password);
  if (length > kMaxPasswordBytes) {
    RaiseError(core::ErrorCode::kLimitExceeded, "password is longer than 65536 bytes");
  }
  // NFKC leaves ASCII unchanged, and ASCII is the same in every server encoding.
  if (IsAscii(src, length)) return SecretText{const_cast<char*>(src), length, false};

  // Lucia normalises the JavaScript string and hashes its UTF-8 bytes: convert to UTF-8 first.
  const char* utf8 = src;
  int encoding = GetDatabaseEncoding();
  if (encoding == PG_SQL_ASCII) {
    if (!pg_verify_mbstr(PG_UTF8, src, static_cast<int>(length), true)) {
      ereport(ERROR, (errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE), errmsg("password is not valid UTF-8"),
                      errdetail("In a SQL_ASCII database, passwords are read as UTF-8.")));
    }
  } else if (encoding != PG_UTF8) {
    utf8 = pg_server_to_any(src, static_cast<int>(length), PG_UTF8);
    if (utf8 != src) length = std::strlen(utf8);
  }

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
