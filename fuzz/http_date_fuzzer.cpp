// Fuzzes HttpDate (JavaScript's Date.prototype.toUTCString) and SerializeSessionCookie. Each date it
// writes is read back with an independent calendar computation and must name the same second and the
// right weekday; a time outside JavaScript's Date range must throw kValueOutOfRange.
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "core/cookie.hpp"
#include "core/error.hpp"

namespace {

constexpr std::int64_t kMaxDateMs = 8640000000000000LL;

void Require(bool condition) {
  if (!condition) std::abort();
}

// Days from 1970-01-01 to a proleptic Gregorian date, counted the slow way: whole 400-year cycles,
// then years, then months.
std::int64_t DaysFromCivil(std::int64_t year, int month, int day) {
  auto leap = [](std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; };
  static const int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  std::int64_t cycles = (year >= 1970 ? year - 1970 : year - 1970 - 399) / 400;
  std::int64_t days = cycles * 146097;
  for (std::int64_t y = 1970 + cycles * 400; y < year; ++y) days += leap(y) ? 366 : 365;
  for (int m = 1; m < month; ++m) days += kMonthDays[m - 1] + (m == 2 && leap(year) ? 1 : 0);
  return days + day - 1;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void CheckDate(std::int64_t ms, const std::string& date) {
  static const char* const kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char weekday[4] = {0};
  char month_name[4] = {0};
  char sign[2] = {0};
  int day = 0, hour = 0, minute = 0, second = 0, used = 0;
  long long year = 0;
  const char* year_text = date.c_str() + 12;
  Require(date.size() > 12 && date[3] == ',' && date[4] == ' ' && date[7] == ' ' && date[11] == ' ');
  Require(std::sscanf(date.c_str(), "%3c, %2d %3c ", weekday, &day, month_name) == 3);
  if (*year_text == '-') {
    sign[0] = '-';
    ++year_text;
  }
  Require(*year_text >= '0' && *year_text <= '9');
  Require(std::sscanf(year_text, "%lld %2d:%2d:%2d GMT%n", &year, &hour, &minute, &second, &used) == 4);
  Require(year_text[used] == '\0');
  // At least four year digits, zero-padded, as ECMAScript's DateString writes them.
  Require(std::strchr(year_text, ' ') - year_text >= 4);
  if (sign[0] == '-') year = -year;
  int month = 0;
  for (int m = 0; m < 12; ++m) {
    if (std::strcmp(month_name, kMonths[m]) == 0) month = m + 1;
  }
  Require(month != 0 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 60);
  std::int64_t days = DaysFromCivil(year, month, day);
  Require(days * 86400 + hour * 3600 + minute * 60 + second == FloorDiv(ms, 1000));
  Require(std::strcmp(weekday, kWeekdays[((days % 7) + 7) % 7]) == 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 9) return 0;
  std::int64_t raw;
  std::memcpy(&raw, data + 1, sizeof raw);
  // Mostly times inside the Date range (any bit pattern folded into it), sometimes the raw value.
  std::int64_t ms = raw;
  if ((data[0] & 1) == 0) {
    std::uint64_t span = 2 * static_cast<std::uint64_t>(kMaxDateMs) + 1;
    ms = static_cast<std::int64_t>(static_cast<std::uint64_t>(raw) % span) - kMaxDateMs;
  }
  bool in_range = ms >= -kMaxDateMs && ms <= kMaxDateMs;
  try {
    std::string date = lucia::core::HttpDate(ms);
    Require(in_range);
    CheckDate(ms, date);
  } catch (const lucia::core::AuthError& e) {
    Require(!in_range && e.code() == lucia::core::ErrorCode::kValueOutOfRange);
  }

  // The cookie: the name and the session id come from the rest of the input.
  std::string_view rest(reinterpret_cast<const char*>(data + 9), size - 9);
  std::size_t split = rest.find('\n');
  std::string_view name = rest.substr(0, split);
  std::optional<std::string_view> id;
  if (split != std::string_view::npos) id = rest.substr(split + 1);
  bool secure = (data[0] & 2) != 0;
  try {
    std::string cookie = lucia::core::SerializeSessionCookie(name, id, ms, secure);
    Require(in_range || !id);
    Require(cookie.compare(0, name.size(), name) == 0 && cookie[name.size()] == '=');
    std::string tail = secure ? "; HttpOnly; Secure; SameSite=Lax" : "; HttpOnly; SameSite=Lax";
    Require(cookie.size() > tail.size() && cookie.compare(cookie.size() - tail.size(), tail.size(), tail) == 0);
    std::string_view value(cookie.c_str() + name.size() + 1);
    value = value.substr(0, value.find(';'));
    std::optional<std::string> decoded = lucia::core::DecodeUriComponent(value);
    Require(!decoded || (id && *decoded == *id) || (!id && decoded->empty()));
    if (!id) Require(value.empty() && cookie.find("Expires=Thu, 01 Jan 1970 00:00:00 GMT") != std::string::npos);
  } catch (const lucia::core::AuthError& e) {
    Require(id && !in_range && e.code() == lucia::core::ErrorCode::kValueOutOfRange);
  }
  return 0;
}
