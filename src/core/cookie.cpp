#include "core/cookie.hpp"

#include <cstdio>

#include "core/error.hpp"

namespace lucia::core {

namespace {

// Decodes the UTF-8 sequence at text[pos]; returns its length, or 0 when it is not valid UTF-8.
std::size_t DecodeUtf8(std::string_view text, std::size_t pos, std::uint32_t& code_point) noexcept {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char b0 = byte(pos);
  std::size_t length;
  std::uint32_t cp;
  if (b0 < 0x80) {
    code_point = b0;
    return 1;
  } else if ((b0 & 0xe0) == 0xc0) {
    length = 2;
    cp = b0 & 0x1f;
  } else if ((b0 & 0xf0) == 0xe0) {
    length = 3;
    cp = b0 & 0x0f;
  } else if ((b0 & 0xf8) == 0xf0) {
    length = 4;
    cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(pos + i) & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (byte(pos + i) & 0x3f);
  }
  code_point = cp;
  return length;
}

bool IsJsWhitespace(std::uint32_t cp) noexcept {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
    case 0xfeff:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200a;
  }
}

// Length of the whitespace code point ending at text[end-1], or 0.
std::size_t TrailingWhitespace(std::string_view text, std::size_t end) noexcept {
  for (std::size_t length = 1; length <= 3 && length <= end; ++length) {
    std::uint32_t cp;
    if (DecodeUtf8(text, end - length, cp) == length) return IsJsWhitespace(cp) ? length : 0;
  }
  return 0;
}

int HexValue(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian).
void CivilFromDays(std::int64_t days, std::int64_t& year, unsigned& month, unsigned& day) noexcept {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
}

// JavaScript's Date range: +-8.64e15 ms around the epoch.
constexpr std::int64_t kMaxDateMs = 8640000000000000LL;

}  // namespace

std::string_view TrimJsWhitespace(std::string_view text) noexcept {
  std::size_t start = 0;
  while (start < text.size()) {
    std::uint32_t cp;
    std::size_t length = DecodeUtf8(text, start, cp);
    if (length == 0 || !IsJsWhitespace(cp)) break;
    start += length;
  }
  std::size_t end = text.size();
  while (end > start) {
    std::size_t length = TrailingWhitespace(text, end);
    if (length == 0) break;
    end -= length;
  }
  return text.substr(start, end - start);
}

std::optional<std::string> DecodeUriComponent(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] != '%') {
      out.push_back(text[pos++]);
      continue;
    }
    if (pos + 2 >= text.size()) return std::nullopt;
    int hi = HexValue(text[pos + 1]);
    int lo = HexValue(text[pos + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    unsigned b0 = static_cast<unsigned>(hi * 16 + lo);
    pos += 3;
    if (b0 < 0x80) {
      out.push_back(static_cast<char>(b0));
      continue;
    }
    std::size_t extra;
    std::uint32_t cp;
    std::uint32_t min;
    if ((b0 & 0xe0) == 0xc0) {
      extra = 1, cp = b0 & 0x1f, min = 0x80;
    } else if ((b0 & 0xf0) == 0xe0) {
      extra = 2, cp = b0 & 0x0f, min = 0x800;
    } else if ((b0 & 0xf8) == 0xf0) {
      extra = 3, cp = b0 & 0x07, min = 0x10000;
    } else {
      return std::nullopt;
    }
    for (std::size_t i = 0; i < extra; ++i) {
      if (pos + 2 >= text.size() || text[pos] != '%') return std::nullopt;
      int h = HexValue(text[pos + 1]);
      int l = HexValue(text[pos + 2]);
      if (h < 0 || l < 0) return std::nullopt;
      unsigned b = static_cast<unsigned>(h * 16 + l);
      if ((b & 0xc0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (b & 0x3f);
      pos += 3;
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
    AppendUtf8(out, cp);
  }
  return out;
}

std::string EncodeUriComponent(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' ||
                      c == '(' || c == ')';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::optional<std::string> ReadCookie(std::string_view str, std::string_view name) {
  std::size_t index = 0;
  while (index < str.size()) {
    std::size_t eq = str.find('=', index);
    if (eq == std::string_view::npos) break;
    std::size_t end = str.find(';', index);
    if (end == std::string_view::npos) {
      end = str.size();
    } else if (end < eq) {
      // A pair without '=': resume after the last ';' before this '='.
      index = str.rfind(';', eq - 1) + 1;
      continue;
    }
    std::string_view key = TrimJsWhitespace(str.substr(index, eq - index));
    if (key == name) {
      std::string_view value = TrimJsWhitespace(str.substr(eq + 1, end - eq - 1));
      if (!value.empty() && value.front() == '"') {
        // JavaScript's slice(1, -1): drop the first character and the last one.
        value.remove_prefix(1);
        if (!value.empty()) {
          std::size_t last = 1;
          while (last < value.size() &&
                 (static_cast<unsigned char>(value[value.size() - last]) & 0xc0) == 0x80) {
            ++last;
          }
          value.remove_suffix(last);
        }
      }
      std::optional<std::string> decoded = DecodeUriComponent(value);
      std::string result = decoded ? std::move(*decoded) : std::string(value);
      if (result.find('\0') != std::string::npos) return std::nullopt;
      return result;
    }
    index = end + 1;
  }
  return std::nullopt;
}

std::optional<std::string_view> ReadBearerToken(std::string_view header) noexcept {
  std::size_t first = header.find(' ');
  std::string_view scheme = header.substr(0, first);
  if (scheme != "Bearer" || first == std::string_view::npos) return std::nullopt;
  std::size_t second = header.find(' ', first + 1);
  return header.substr(first + 1,
                       second == std::string_view::npos ? std::string_view::npos : second - first - 1);
}

std::string HttpDate(std::int64_t ms) {
  if (ms > kMaxDateMs || ms < -kMaxDateMs) {
    throw AuthError(ErrorCode::kValueOutOfRange, "cookie expiry is outside the range of a JavaScript Date");
  }
  static const char* const kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::int64_t days = ms / 86400000;
  std::int64_t rem = ms % 86400000;
  if (rem < 0) {
    rem += 86400000;
    --days;
  }
  std::int64_t year;
  unsigned month;
  unsigned day;
  CivilFromDays(days, year, month, day);
  int weekday = static_cast<int>(((days % 7) + 7) % 7);
  int seconds = static_cast<int>(rem / 1000);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %s%04lld %02d:%02d:%02d GMT", kWeekdays[weekday], day,
                kMonths[month - 1], year < 0 ? "-" : "", static_cast<long long>(year < 0 ? -year : year),
                seconds / 3600, (seconds / 60) % 60, seconds % 60);
  return buffer;
}

std::string SerializeSessionCookie(std::string_view name, std::optional<std::string_view> session_id,
                                   std::int64_t idle_expires_ms, bool secure) {
  std::string cookie(name);
  cookie += '=';
  cookie += EncodeUriComponent(session_id.value_or(std::string_view()));
  cookie += "; Path=/; Expires=";
  cookie += HttpDate(session_id ? idle_expires_ms : 0);
  cookie += "; HttpOnly";
  if (secure) cookie += "; Secure";
  cookie += "; SameSite=Lax";
  return cookie;
}

}  // namespace lucia::core
