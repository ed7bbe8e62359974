#include "core/cookie.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lucia::core {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

// The UTF-8 encoding of one code point.
std::string Utf8(std::uint32_t cp) {
  std::string out;
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
  return out;
}

void ExpectOutOfRange(const std::function<void()>& call) {
  try {
    call();
    ADD_FAILURE() << "no AuthError was thrown";
  } catch (const AuthError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValueOutOfRange) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------------
// ReadCookie

struct CookieCase {
  std::string_view header;
  std::string_view name;
  std::optional<std::string> expected;
};

// Expected values are the outputs of lucia@2.7.7 readSessionCookie (parseCookie) for these inputs.
const std::vector<CookieCase>& CookieCases() {
  static const std::vector<CookieCase> cases = {
      {"a=1; auth_session=abc; b=2"sv, "auth_session"sv, "abc"s},
      {"auth_session=abc"sv, "auth_session"sv, "abc"s},
      {"auth_session=first; auth_session=second"sv, "auth_session"sv, "first"s},
      {"auth_session=; auth_session=second"sv, "auth_session"sv, ""s},
      {"auth_session = first;auth_session=second"sv, "auth_session"sv, "first"s},
      {"xauth_session=1; auth_session_x=2; auth_session=3"sv, "auth_session"sv, "3"s},
      {"xauth_session=1; auth_session_x=2; auth_sessio=3"sv, "auth_session"sv, std::nullopt},
      {"auth_session_x=1; auth_session=2"sv, "auth_session"sv, "2"s},
      {"auth_session2=x"sv, "auth_session"sv, std::nullopt},
      {"Auth_Session=abc"sv, "auth_session"sv, std::nullopt},
      {"  auth_session  =  abc  ; x=1"sv, "auth_session"sv, "abc"s},
      {"\tauth_session\t=\tabc\t;\tx=1"sv, "auth_session"sv, "abc"s},
      {"\xc2\xa0" "auth_session\xc2\xa0=\xc2\xa0" "abc\xc2\xa0"sv, "auth_session"sv, "abc"s},
      {"\xef\xbb\xbf" "auth_session\xef\xbb\xbf=\xef\xbb\xbf" "abc\xef\xbb\xbf"sv, "auth_session"sv, "abc"s},
      {"\xe3\x80\x80" "auth_session\xe2\x80\xa8=\xe2\x80\xa9" "abc\xe2\x81\x9f\xe1\x9a\x80"sv, "auth_session"sv, "abc"s},
      {"auth_session=\r\nabc\r\n"sv, "auth_session"sv, "abc"s},
      {"auth_session=\xc2\x85" "abc\xc2\x85"sv, "auth_session"sv, "\xc2\x85" "abc\xc2\x85"s},
      {"auth_session=\xe1\xa0\x8e" "abc\xe2\x80\x8b"sv, "auth_session"sv, "\xe1\xa0\x8e" "abc\xe2\x80\x8b"s},
      {"\xc2\x85" "auth_session=abc"sv, "auth_session"sv, std::nullopt},
      {"auth_session=a b\tc"sv, "auth_session"sv, "a b\tc"s},
      {"auth_session=\"abc\""sv, "auth_session"sv, "abc"s},
      {"auth_session= \"abc\" "sv, "auth_session"sv, "abc"s},
      {"auth_session=\" abc \""sv, "auth_session"sv, " abc "s},
      {"auth_session=\""sv, "auth_session"sv, ""s},
      {"auth_session=\"\""sv, "auth_session"sv, ""s},
      {"auth_session=\"abc"sv, "auth_session"sv, "ab"s},
      {"auth_session=abc\""sv, "auth_session"sv, "abc\""s},
      {"auth_session=a\"b\""sv, "auth_session"sv, "a\"b\""s},
      {"auth_session=\"ab\xc3\xa9"sv, "auth_session"sv, "ab"s},
      {"auth_session=\"ab\xe2\x82\xac"sv, "auth_session"sv, "ab"s},
      {"auth_session=\"\xc3\xa9"sv, "auth_session"sv, ""s},
      {"auth_session=\"%41%42\""sv, "auth_session"sv, "AB"s},
      {"auth_session=\"\"abc\"\""sv, "auth_session"sv, "\"abc\""s},
      {"flag; auth_session=abc"sv, "auth_session"sv, "abc"s},
      {"flag;auth_session=abc;other"sv, "auth_session"sv, "abc"s},
      {"a; b; auth_session=x"sv, "auth_session"sv, "x"s},
      {"x;y;z=1;auth_session=2"sv, "auth_session"sv, "2"s},
      {"auth_session; auth_session=2"sv, "auth_session"sv, "2"s},
      {"auth_session"sv, "auth_session"sv, std::nullopt},
      {"auth_session;x=1"sv, "auth_session"sv, std::nullopt},
      {";;auth_session=abc;;"sv, "auth_session"sv, "abc"s},
      {"a=1;;b;auth_session=x;"sv, "auth_session"sv, "x"s},
      {"auth_session=a=b=c"sv, "auth_session"sv, "a=b=c"s},
      {"auth_session=="sv, "auth_session"sv, "="s},
      {"auth_session="sv, "auth_session"sv, ""s},
      {"auth_session=  "sv, "auth_session"sv, ""s},
      {"auth_session=;"sv, "auth_session"sv, ""s},
      {"=abc; auth_session=def"sv, "auth_session"sv, "def"s},
      {"=abc"sv, ""sv, "abc"s},
      {"a=1; =2"sv, ""sv, "2"s},
      {"auth_session=abc;"sv, "auth_session"sv, "abc"s},
      {"auth_session=%41%42%43"sv, "auth_session"sv, "ABC"s},
      {"auth_session=%c3%a9%C3%A9"sv, "auth_session"sv, "\xc3\xa9\xc3\xa9"s},
      {"auth_session=%F0%9F%98%80"sv, "auth_session"sv, "\xf0\x9f\x98\x80"s},
      {"auth_session=%E2%82%AC"sv, "auth_session"sv, "\xe2\x82\xac"s},
      {"auth_session=%EF%BB%BF"sv, "auth_session"sv, "\xef\xbb\xbf"s},
      {"auth_session=%20abc%20"sv, "auth_session"sv, " abc "s},
      {"auth_session=%22abc%22"sv, "auth_session"sv, "\"abc\""s},
      {"auth_session=%3B%3D%25"sv, "auth_session"sv, ";=%"s},
      {"auth_session=a+b"sv, "auth_session"sv, "a+b"s},
      {"auth_session=%zz"sv, "auth_session"sv, "%zz"s},
      {"auth_session=%"sv, "auth_session"sv, "%"s},
      {"auth_session=%2"sv, "auth_session"sv, "%2"s},
      {"auth_session=%25"sv, "auth_session"sv, "%"s},
      {"auth_session=abc%"sv, "auth_session"sv, "abc%"s},
      {"auth_session=%41%"sv, "auth_session"sv, "%41%"s},
      {"auth_session=%E0%A4%A"sv, "auth_session"sv, "%E0%A4%A"s},
      {"auth_session=%E0%A4"sv, "auth_session"sv, "%E0%A4"s},
      {"auth_session=%C0%80"sv, "auth_session"sv, "%C0%80"s},
      {"auth_session=%C1%BF"sv, "auth_session"sv, "%C1%BF"s},
      {"auth_session=%E0%80%80"sv, "auth_session"sv, "%E0%80%80"s},
      {"auth_session=%F0%80%80%80"sv, "auth_session"sv, "%F0%80%80%80"s},
      {"auth_session=%ED%A0%80"sv, "auth_session"sv, "%ED%A0%80"s},
      {"auth_session=%ED%BF%BF"sv, "auth_session"sv, "%ED%BF%BF"s},
      {"auth_session=%ED%9F%BF"sv, "auth_session"sv, "\xed\x9f\xbf"s},
      {"auth_session=%EE%80%80"sv, "auth_session"sv, "\xee\x80\x80"s},
      {"auth_session=%F4%8F%BF%BF"sv, "auth_session"sv, "\xf4\x8f\xbf\xbf"s},
      {"auth_session=%F4%90%80%80"sv, "auth_session"sv, "%F4%90%80%80"s},
      {"auth_session=%F5%80%80%80"sv, "auth_session"sv, "%F5%80%80%80"s},
      {"auth_session=%F8%88%80%80%80"sv, "auth_session"sv, "%F8%88%80%80%80"s},
      {"auth_session=%FF"sv, "auth_session"sv, "%FF"s},
      {"auth_session=%80"sv, "auth_session"sv, "%80"s},
      {"auth_session=%BF%41"sv, "auth_session"sv, "%BF%41"s},
      {"auth_session=%C3"sv, "auth_session"sv, "%C3"s},
      {"auth_session=%C3%"sv, "auth_session"sv, "%C3%"s},
      {"auth_session=%C3A9"sv, "auth_session"sv, "%C3A9"s},
      {"auth_session=%C3%41"sv, "auth_session"sv, "%C3%41"s},
      {"auth_session=%C3%C3%A9"sv, "auth_session"sv, "%C3%C3%A9"s},
      {"auth_session=%41%zz"sv, "auth_session"sv, "%41%zz"s},
      {"auth_session=%g1"sv, "auth_session"sv, "%g1"s},
      {"auth_session=%1g"sv, "auth_session"sv, "%1g"s},
      {"auth_session=%00%zz"sv, "auth_session"sv, "%00%zz"s},
      {"auth_session=h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\x96\xe7\x95\x8c"sv, "auth_session"sv, "h\xc3\xa9llo \xf0\x9f\x98\x80 \xe4\xb8\x96\xe7\x95\x8c"s},
      {"auth_session=caf%C3%A9 \xc3\xa9"sv, "auth_session"sv, "caf\xc3\xa9 \xc3\xa9"s},
      {"caf\xc3\xa9=1; auth_session=2"sv, "caf\xc3\xa9"sv, "1"s},
      {"other=1"sv, "auth_session"sv, std::nullopt},
      {""sv, "auth_session"sv, std::nullopt},
      {"   "sv, "auth_session"sv, std::nullopt},
      {";"sv, "auth_session"sv, std::nullopt},
      {"sid=abc; auth_session=def"sv, "sid"sv, "abc"s},
      {"my cookie=1"sv, "my cookie"sv, "1"s},
      {"a=1; b=\"2\"; c=%33"sv, "c"sv, "3"s},
  };
  return cases;
}

TEST(ReadCookieTest, MatchesLuciaParseCookie) {
  for (const CookieCase& c : CookieCases()) {
    SCOPED_TRACE(testing::Message() << "header=" << testing::PrintToString(std::string(c.header))
                                    << " name=" << testing::PrintToString(std::string(c.name)));
    EXPECT_EQ(ReadCookie(c.header, c.name), c.expected);
  }
}

TEST(ReadCookieTest, DefaultNameIsAuthSession) {
  EXPECT_EQ(kDefaultSessionCookieName, "auth_session"sv);
  EXPECT_EQ(ReadCookie("sid=1; auth_session=2", kDefaultSessionCookieName), std::optional<std::string>("2"));
}

TEST(ReadCookieTest, EmptyValueIsPresentNotMissing) {
  // Lucia's readSessionCookie gives "" (not null) for "auth_session=".
  std::optional<std::string> value = ReadCookie("auth_session=", "auth_session");
  ASSERT_TRUE(value.has_value());
  EXPECT_EQ(*value, "");
  EXPECT_FALSE(ReadCookie("auth_session", "auth_session").has_value());
}

TEST(ReadCookieTest, DecodedNulIsRefused) {
  // lucia@2.7.7 gives "\0", "a\0b" and "\0" for these headers; a value holding a NUL is refused here,
  // and the refusal is not a reason to look at a later occurrence of the cookie.
  EXPECT_EQ(ReadCookie("auth_session=%00", "auth_session"), std::nullopt);
  EXPECT_EQ(ReadCookie("auth_session=a%00b", "auth_session"), std::nullopt);
  EXPECT_EQ(ReadCookie("auth_session=\"%00\"", "auth_session"), std::nullopt);
  EXPECT_EQ(ReadCookie("auth_session=%00; auth_session=abc", "auth_session"), std::nullopt);
  EXPECT_EQ(ReadCookie("auth_session=a\0b"sv, "auth_session"), std::nullopt);
  // A NUL in another cookie does not matter.
  EXPECT_EQ(ReadCookie("x=%00; auth_session=abc", "auth_session"), std::optional<std::string>("abc"));
  // When the escapes do not decode, the value is kept as written and holds no NUL.
  EXPECT_EQ(ReadCookie("auth_session=%00%zz", "auth_session"), std::optional<std::string>("%00%zz"));
}

// ---------------------------------------------------------------------------------------------------
// ReadBearerToken

struct BearerCase {
  std::string_view header;
  std::optional<std::string_view> expected;
};

TEST(ReadBearerTokenTest, MatchesLuciaReadBearerToken) {
  // Expected values are the outputs of lucia@2.7.7 readBearerToken for these inputs.
  const std::vector<BearerCase> cases = {
      {"Bearer abc"sv, "abc"sv},
      {"Bearer"sv, std::nullopt},
      {"Bearer "sv, ""sv},
      {"Bearer  abc"sv, ""sv},
      {"bearer abc"sv, std::nullopt},
      {"BEARER abc"sv, std::nullopt},
      {"Bearer abc def"sv, "abc"sv},
      {"Bearer abc "sv, "abc"sv},
      {"Basic abc"sv, std::nullopt},
      {""sv, std::nullopt},
      {" Bearer abc"sv, std::nullopt},
      {"Bearer\tabc"sv, std::nullopt},
      {"Bearer\xc2\xa0" "abc"sv, std::nullopt},
      {"Bearer abc\tdef"sv, "abc\tdef"sv},
      {"Bearerabc"sv, std::nullopt},
      {"Bearer \xc3\xa9\xf0\x9f\x98\x80"sv, "\xc3\xa9\xf0\x9f\x98\x80"sv},
      {"Bearer a=b;c"sv, "a=b;c"sv},
      {"Bearer a b c"sv, "a"sv},
      {"Bearer abc def ghi"sv, "abc"sv},
      {"Bearer  "sv, ""sv},
      {"Bearer   abc"sv, ""sv},
  };
  for (const BearerCase& c : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.header)));
    EXPECT_EQ(ReadBearerToken(c.header), c.expected);
  }
}

TEST(ReadBearerTokenTest, TokenIsAViewIntoTheHeader) {
  const std::string header = "Bearer tok123 rest";
  std::optional<std::string_view> token = ReadBearerToken(header);
  ASSERT_TRUE(token.has_value());
  EXPECT_EQ(token->data(), header.data() + 7);
  EXPECT_EQ(token->size(), 6u);
}

// ---------------------------------------------------------------------------------------------------
// HttpDate

struct DateCase {
  std::int64_t ms;
  const char* expected;
};

TEST(HttpDateTest, MatchesJavaScriptToUTCString) {
  // Expected values are the outputs of JavaScript's new Date(ms).toUTCString() (Node 20) for these inputs.
  const std::vector<DateCase> cases = {
      {0LL, "Thu, 01 Jan 1970 00:00:00 GMT"},
      {1LL, "Thu, 01 Jan 1970 00:00:00 GMT"},
      {-1LL, "Wed, 31 Dec 1969 23:59:59 GMT"},
      {999LL, "Thu, 01 Jan 1970 00:00:00 GMT"},
      {1000LL, "Thu, 01 Jan 1970 00:00:01 GMT"},
      {-1000LL, "Wed, 31 Dec 1969 23:59:59 GMT"},
      {-1001LL, "Wed, 31 Dec 1969 23:59:58 GMT"},
      {59999LL, "Thu, 01 Jan 1970 00:00:59 GMT"},
      {60000LL, "Thu, 01 Jan 1970 00:01:00 GMT"},
      {3599999LL, "Thu, 01 Jan 1970 00:59:59 GMT"},
      {86399999LL, "Thu, 01 Jan 1970 23:59:59 GMT"},
      {86400000LL, "Fri, 02 Jan 1970 00:00:00 GMT"},
      {-86400000LL, "Wed, 31 Dec 1969 00:00:00 GMT"},
      {-86400001LL, "Tue, 30 Dec 1969 23:59:59 GMT"},
      {951782400000LL, "Tue, 29 Feb 2000 00:00:00 GMT"},
      {951868799999LL, "Tue, 29 Feb 2000 23:59:59 GMT"},
      {951868800000LL, "Wed, 01 Mar 2000 00:00:00 GMT"},
      {1709164800000LL, "Thu, 29 Feb 2024 00:00:00 GMT"},
      {1709251199999LL, "Thu, 29 Feb 2024 23:59:59 GMT"},
      {1709251200000LL, "Fri, 01 Mar 2024 00:00:00 GMT"},
      {4107456000000LL, "Sun, 28 Feb 2100 00:00:00 GMT"},
      {4107542400000LL, "Mon, 01 Mar 2100 00:00:00 GMT"},
      {-2203891200000LL, "Thu, 01 Mar 1900 00:00:00 GMT"},
      {1700000000000LL, "Tue, 14 Nov 2023 22:13:20 GMT"},
      {2147483647000LL, "Tue, 19 Jan 2038 03:14:07 GMT"},
      {2147483648000LL, "Tue, 19 Jan 2038 03:14:08 GMT"},
      {4294967296000LL, "Sun, 07 Feb 2106 06:28:16 GMT"},
      {-62198755200000LL, "Fri, 01 Jan -0001 00:00:00 GMT"},
      {-62167219200000LL, "Sat, 01 Jan 0000 00:00:00 GMT"},
      {-62167219200001LL, "Fri, 31 Dec -0001 23:59:59 GMT"},
      {-62135596800000LL, "Mon, 01 Jan 0001 00:00:00 GMT"},
      {-62135596800001LL, "Sun, 31 Dec 0000 23:59:59 GMT"},
      {-62162035200000LL, "Wed, 01 Mar 0000 00:00:00 GMT"},
      {253402300799999LL, "Fri, 31 Dec 9999 23:59:59 GMT"},
      {253402300800000LL, "Sat, 01 Jan 10000 00:00:00 GMT"},
      {253402387200000LL, "Sun, 02 Jan 10000 00:00:00 GMT"},
      {3093527980800000LL, "Sat, 01 Jan 100000 00:00:00 GMT"},
      {8640000000000000LL, "Sat, 13 Sep 275760 00:00:00 GMT"},
      {8639999999999999LL, "Fri, 12 Sep 275760 23:59:59 GMT"},
      {-8640000000000000LL, "Tue, 20 Apr -271821 00:00:00 GMT"},
      {-8639999999999999LL, "Tue, 20 Apr -271821 00:00:00 GMT"},
      {2681061957478523LL, "Tue, 21 Jun 86929 16:37:58 GMT"},
      {-3372808227539062LL, "Tue, 17 Dec -104911 17:41:00 GMT"},
      {2289314575195312LL, "Sat, 29 Jun 74515 11:19:55 GMT"},
      {8568825073242188LL, "Wed, 05 Apr 273505 03:00:42 GMT"},
      {3101094360351562LL, "Tue, 08 Oct 100239 20:05:51 GMT"},
      {2991571655273437LL, "Mon, 17 Feb 96769 22:27:53 GMT"},
      {-5655778198242188LL, "Wed, 11 Jul -177255 04:29:17 GMT"},
      {6621213283538818LL, "Sat, 24 Nov 211787 00:05:38 GMT"},
      {3581691970825195LL, "Tue, 20 Apr 115469 04:20:25 GMT"},
      {5659797134399414LL, "Fri, 31 Oct 181321 06:39:59 GMT"},
      {4137166213989258LL, "Mon, 31 Jul 133071 05:13:09 GMT"},
      {-2803822860717773LL, "Sun, 23 May -86880 12:28:02 GMT"},
      {2351168632507LL, "Sun, 03 Jul 2044 14:23:52 GMT"},
      {-2462319374084LL, "Mon, 21 Dec 1891 22:23:45 GMT"},
      {638972520828LL, "Sun, 01 Apr 1990 12:22:00 GMT"},
      {-2129903793334LL, "Sat, 05 Jul 1902 08:03:26 GMT"},
      {-2328412771224LL, "Thu, 19 Mar 1896 18:40:28 GMT"},
      {2300588130950LL, "Wed, 26 Nov 2042 04:15:30 GMT"},
      {2970451354980LL, "Sun, 17 Feb 2064 05:22:34 GMT"},
      {2751899719238LL, "Thu, 15 Mar 2057 16:35:19 GMT"},
  };
  for (const DateCase& c : cases) {
    SCOPED_TRACE(c.ms);
    EXPECT_EQ(HttpDate(c.ms), c.expected);
  }
}

TEST(HttpDateTest, EveryDayOfAFourHundredYearCycleIsConsistent) {
  // Walks 146097 consecutive days from 2000-03-01 (a Wednesday): the weekday advances by one each day, the
  // day of the month restarts at 01 exactly when the month name changes, and 29 Feb appears 97 times.
  static const char* const kWeekdays[] = {"Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue"};
  const std::int64_t start = 951868800000LL;
  int leap_days = 0;
  std::string previous_month = "Feb";
  for (std::int64_t day = 0; day < 146097; ++day) {
    std::string date = HttpDate(start + day * 86400000LL + 43200000LL);
    ASSERT_EQ(date.substr(0, 3), kWeekdays[day % 7]) << date;
    std::string month = date.substr(8, 3);
    ASSERT_EQ(date.substr(5, 2) == "01", month != previous_month) << date;
    if (date.substr(5, 6) == "29 Feb") ++leap_days;
    ASSERT_EQ(date.substr(date.size() - 13), " 12:00:00 GMT") << date;
    previous_month = month;
  }
  EXPECT_EQ(leap_days, 97);
  EXPECT_EQ(HttpDate(start + 146097LL * 86400000LL), "Wed, 01 Mar 2400 00:00:00 GMT");
}

TEST(HttpDateTest, OutsideTheJavaScriptDateRangeThrows) {
  // JavaScript gives "Invalid Date" for these.
  ExpectOutOfRange([] { HttpDate(8640000000000001LL); });
  ExpectOutOfRange([] { HttpDate(-8640000000000001LL); });
  ExpectOutOfRange([] { HttpDate(std::numeric_limits<std::int64_t>::max()); });
  ExpectOutOfRange([] { HttpDate(std::numeric_limits<std::int64_t>::min()); });
  EXPECT_NO_THROW(HttpDate(8640000000000000LL));
  EXPECT_NO_THROW(HttpDate(-8640000000000000LL));
}

// ---------------------------------------------------------------------------------------------------
// EncodeUriComponent / DecodeUriComponent

TEST(EncodeUriComponentTest, PrintableAscii) {
  // Output of JavaScript's encodeURIComponent for the characters 0x20 to 0x7E.
  EXPECT_EQ(EncodeUriComponent(
      " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"),
            "%20!%22%23%24%25%26'()*%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~");
}

TEST(EncodeUriComponentTest, ControlCharacters) {
  // Output of JavaScript's encodeURIComponent for the characters 0x00 to 0x1F and 0x7F.
  EXPECT_EQ(EncodeUriComponent("\0"sv), "%00");
  EXPECT_EQ(EncodeUriComponent("\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"sv),
            "%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F%7F");
}

TEST(EncodeUriComponentTest, EachAsciiCharacterAlone) {
  // encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) as they are and escapes every other byte.
  const std::string_view unreserved =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()";
  static const char kHex[] = "0123456789ABCDEF";
  for (int c = 0; c < 0x80; ++c) {
    std::string in(1, static_cast<char>(c));
    std::string expected = unreserved.find(static_cast<char>(c)) != std::string_view::npos
                               ? in
                               : std::string{'%', kHex[c >> 4], kHex[c & 15]};
    EXPECT_EQ(EncodeUriComponent(in), expected) << c;
  }
}

struct EncodeCase {
  std::string_view text;
  const char* expected;
};

TEST(EncodeUriComponentTest, MultibyteUtf8) {
  // Expected values are the outputs of JavaScript's encodeURIComponent for these inputs.
  const std::vector<EncodeCase> cases = {
      {"\xc2\x80"sv, "%C2%80"},
      {"\xc2\xa0"sv, "%C2%A0"},
      {"\xc3\xa9"sv, "%C3%A9"},
      {"\xdf\xbf"sv, "%DF%BF"},
      {"\xe0\xa0\x80"sv, "%E0%A0%80"},
      {"\xe2\x82\xac"sv, "%E2%82%AC"},
      {"\xed\x9f\xbf"sv, "%ED%9F%BF"},
      {"\xee\x80\x80"sv, "%EE%80%80"},
      {"\xef\xbb\xbf"sv, "%EF%BB%BF"},
      {"\xef\xbf\xbf"sv, "%EF%BF%BF"},
      {"\xf0\x90\x80\x80"sv, "%F0%90%80%80"},
      {"\xf0\x9f\x98\x80"sv, "%F0%9F%98%80"},
      {"\xf4\x8f\xbf\xbf"sv, "%F4%8F%BF%BF"},
      {"h\xc3\xa9llo w\xc3\xb6rld \xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\x98\x80!"sv, "h%C3%A9llo%20w%C3%B6rld%20%E4%B8%96%E7%95%8C%20%F0%9F%98%80!"},
      {"a b+c&d=e/f?g#h%i"sv, "a%20b%2Bc%26d%3De%2Ff%3Fg%23h%25i"},
  };
  for (const EncodeCase& c : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.text)));
    EXPECT_EQ(EncodeUriComponent(c.text), c.expected);
    EXPECT_EQ(DecodeUriComponent(EncodeUriComponent(c.text)), std::optional<std::string>(c.text));
  }
}

struct DecodeCase {
  std::string_view text;
  std::optional<std::string> expected;
};

TEST(DecodeUriComponentTest, MatchesJavaScript) {
  // Expected values are the outputs of JavaScript's decodeURIComponent for these inputs (nullopt where it
  // throws URIError).
  const std::vector<DecodeCase> cases = {
      {""sv, ""s},
      {"abc"sv, "abc"s},
      {"%41"sv, "A"s},
      {"%4a%4A"sv, "JJ"s},
      {"%25"sv, "%"s},
      {"%2525"sv, "%25"s},
      {"%00"sv, "\x00"s},
      {"a%00b"sv, "a\x00" "b"s},
      {"%7F"sv, "\x7f"s},
      {"%C2%80"sv, "\xc2\x80"s},
      {"%c2%a0"sv, "\xc2\xa0"s},
      {"%DF%BF"sv, "\xdf\xbf"s},
      {"%E0%A0%80"sv, "\xe0\xa0\x80"s},
      {"%EF%BF%BF"sv, "\xef\xbf\xbf"s},
      {"%EF%BB%BF"sv, "\xef\xbb\xbf"s},
      {"%F0%90%80%80"sv, "\xf0\x90\x80\x80"s},
      {"%F4%8F%BF%BF"sv, "\xf4\x8f\xbf\xbf"s},
      {"%ED%9F%BF"sv, "\xed\x9f\xbf"s},
      {"%EE%80%80"sv, "\xee\x80\x80"s},
      {"%F0%9F%98%80"sv, "\xf0\x9f\x98\x80"s},
      {"%"sv, std::nullopt},
      {"%4"sv, std::nullopt},
      {"a%"sv, std::nullopt},
      {"%zz"sv, std::nullopt},
      {"%G0"sv, std::nullopt},
      {"%0G"sv, std::nullopt},
      {"%80"sv, std::nullopt},
      {"%BF"sv, std::nullopt},
      {"%C0%80"sv, std::nullopt},
      {"%C1%BF"sv, std::nullopt},
      {"%E0%80%80"sv, std::nullopt},
      {"%E0%9F%BF"sv, std::nullopt},
      {"%ED%A0%80"sv, std::nullopt},
      {"%ED%BF%BF"sv, std::nullopt},
      {"%F0%80%80%80"sv, std::nullopt},
      {"%F0%8F%BF%BF"sv, std::nullopt},
      {"%F4%90%80%80"sv, std::nullopt},
      {"%F5%80%80%80"sv, std::nullopt},
      {"%F8%88%80%80%80"sv, std::nullopt},
      {"%FC%84%80%80%80%80"sv, std::nullopt},
      {"%FE"sv, std::nullopt},
      {"%FF"sv, std::nullopt},
      {"%C3"sv, std::nullopt},
      {"%C3%"sv, std::nullopt},
      {"%C3%A"sv, std::nullopt},
      {"%C3A9"sv, std::nullopt},
      {"%C3%41"sv, std::nullopt},
      {"%C3%C3%A9"sv, std::nullopt},
      {"%E0%A4%A"sv, std::nullopt},
      {"%E0%A4"sv, std::nullopt},
      {"%E0%A4%"sv, std::nullopt},
      {"%F0%9F%98"sv, std::nullopt},
      {"%F0%9F%98%"sv, std::nullopt},
      {"%F0%9F%98%8"sv, std::nullopt},
      {"%E2%82%ACx"sv, "\xe2\x82\xacx"s},
      {"+"sv, "+"s},
      {"caf\xc3\xa9%20\xf0\x9f\x98\x80"sv, "caf\xc3\xa9 \xf0\x9f\x98\x80"s},
      {"%e2%82%ac"sv, "\xe2\x82\xac"s},
  };
  for (const DecodeCase& c : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.text)));
    EXPECT_EQ(DecodeUriComponent(c.text), c.expected);
  }
}

TEST(DecodeUriComponentTest, EveryScalarValueRoundTrips) {
  for (std::uint32_t cp = 0; cp <= 0x10ffff; ++cp) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    std::string text = Utf8(cp);
    std::string encoded = EncodeUriComponent(text);
    std::optional<std::string> decoded = DecodeUriComponent(encoded);
    ASSERT_TRUE(decoded.has_value()) << std::hex << cp;
    ASSERT_EQ(*decoded, text) << std::hex << cp;
  }
}

TEST(DecodeUriComponentTest, SurrogatesAreRefused) {
  for (std::uint32_t cp = 0xd800; cp <= 0xdfff; ++cp) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string escaped;
    for (unsigned char b : Utf8(cp)) escaped += std::string{'%', kHex[b >> 4], kHex[b & 15]};
    ASSERT_EQ(DecodeUriComponent(escaped), std::nullopt) << escaped;
  }
}

TEST(DecodeUriComponentTest, DoesNotReadPastTheEndOfTheView) {
  // Each view stops inside an escape; the bytes after its end would complete the escape.
  const std::string_view buffer = "%41%C3%A9";
  EXPECT_EQ(DecodeUriComponent(buffer.substr(0, 2)), std::nullopt);
  EXPECT_EQ(DecodeUriComponent(buffer.substr(0, 1)), std::nullopt);
  EXPECT_EQ(DecodeUriComponent(buffer.substr(0, 3)), std::optional<std::string>("A"));
  EXPECT_EQ(DecodeUriComponent(buffer.substr(0, 5)), std::nullopt);
  EXPECT_EQ(DecodeUriComponent(buffer.substr(0, 8)), std::nullopt);
  EXPECT_EQ(DecodeUriComponent(buffer), std::optional<std::string>("A\xc3\xa9"));
  const std::string_view header = "auth_session=%41%C3%A9";
  EXPECT_EQ(ReadCookie(header.substr(0, 15), "auth_session"), std::optional<std::string>("%4"));
  EXPECT_EQ(ReadCookie(header.substr(0, 21), "auth_session"), std::optional<std::string>("%41%C3%A"));
}

// ---------------------------------------------------------------------------------------------------
// TrimJsWhitespace

TEST(TrimJsWhitespaceTest, ExactlyTheJavaScriptWhitespaceIsTrimmed) {
  // The BMP code points that JavaScript's String.prototype.trim removes (Node 20); none outside the BMP.
  const std::vector<std::uint32_t> whitespace = {
      0x9, 0xa, 0xb, 0xc, 0xd, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff};
  for (std::uint32_t cp = 0; cp <= 0x10ffff; ++cp) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    bool is_space = std::find(whitespace.begin(), whitespace.end(), cp) != whitespace.end();
    std::string c = Utf8(cp);
    std::string text = c + "x" + c;
    ASSERT_EQ(TrimJsWhitespace(text), is_space ? "x" : text) << std::hex << cp;
  }
  std::string all;
  for (std::uint32_t cp : whitespace) all += Utf8(cp);
  EXPECT_EQ(TrimJsWhitespace(all + "a" + all + "b" + all), "a" + all + "b");
  EXPECT_EQ(TrimJsWhitespace(all), "");
}

struct TrimCase {
  std::string_view text;
  std::string_view expected;
};

TEST(TrimJsWhitespaceTest, MatchesJavaScriptTrim) {
  // Expected values are the outputs of JavaScript's String.prototype.trim for these inputs.
  const std::vector<TrimCase> cases = {
      {""sv, ""sv},
      {" "sv, ""sv},
      {"  abc  "sv, "abc"sv},
      {"\t\n\x0b\x0c\r abc \r\x0c\x0b\n\t"sv, "abc"sv},
      {"\xc2\xa0\xef\xbb\xbf" "a b\xe3\x80\x80"sv, "a b"sv},
      {"a\xc2\xa0" "b"sv, "a\xc2\xa0" "b"sv},
      {"\xc2\x85x\xc2\x85"sv, "\xc2\x85x\xc2\x85"sv},
      {"\xe2\x80\x8bx\xe2\x80\x8b"sv, "\xe2\x80\x8bx\xe2\x80\x8b"sv},
      {"\xe1\xa0\x8ex\xe1\xa0\x8e"sv, "\xe1\xa0\x8ex\xe1\xa0\x8e"sv},
      {"\xe2\x80\x80\xe2\x80\x8ax\xe2\x80\x89\xe2\x80\xaf"sv, "x"sv},
      {"x"sv, "x"sv},
      {"\xc3\xa9 "sv, "\xc3\xa9"sv},
      {" \xf0\x9f\x98\x80"sv, "\xf0\x9f\x98\x80"sv},
  };
  for (const TrimCase& c : cases) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.text)));
    EXPECT_EQ(TrimJsWhitespace(c.text), c.expected);
  }
}

TEST(TrimJsWhitespaceTest, ResultIsAViewIntoTheInput) {
  const std::string text = " \xc2\xa0" "abc\t";
  std::string_view trimmed = TrimJsWhitespace(text);
  EXPECT_EQ(trimmed.data(), text.data() + 3);
  EXPECT_EQ(trimmed, "abc");
}

// ---------------------------------------------------------------------------------------------------
// SerializeSessionCookie

struct SerializeCase {
  std::string_view name;
  std::optional<std::string_view> session_id;
  std::int64_t idle_expires;
  bool secure;
  const char* expected;
};

TEST(SerializeSessionCookieTest, MatchesLuciaCreateSessionCookie) {
  // Expected values are the outputs of lucia@2.7.7 auth.createSessionCookie(session).serialize() with
  // env "PROD" (secure) or "DEV", for a session { sessionId, idlePeriodExpiresAt: new Date(idle_expires) }
  // or null, with the default cookie name or sessionCookie: { name: "sid" }.
  const std::vector<SerializeCase> cases = {
      {"auth_session"sv, std::nullopt, 1700000000000LL, true, "auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"auth_session"sv, "abcdefghijklmnopqrstuvwxyz0123456789abcd"sv, 1700000000000LL, true, "auth_session=abcdefghijklmnopqrstuvwxyz0123456789abcd; Path=/; Expires=Tue, 14 Nov 2023 22:13:20 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"auth_session"sv, "abc"sv, 0LL, true, "auth_session=abc; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"auth_session"sv, "a b;c=d,e\"f"sv, -1LL, true, "auth_session=a%20b%3Bc%3Dd%2Ce%22f; Path=/; Expires=Wed, 31 Dec 1969 23:59:59 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"auth_session"sv, "\xc3\xa9\xf0\x9f\x98\x80"sv, 1709164800000LL, true, "auth_session=%C3%A9%F0%9F%98%80; Path=/; Expires=Thu, 29 Feb 2024 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"auth_session"sv, ""sv, 253402300800000LL, true, "auth_session=; Path=/; Expires=Sat, 01 Jan 10000 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"auth_session"sv, "!'()*-._~"sv, 8640000000000000LL, true, "auth_session=!'()*-._~; Path=/; Expires=Sat, 13 Sep 275760 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"auth_session"sv, std::nullopt, 1700000000000LL, false, "auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"auth_session"sv, "abcdefghijklmnopqrstuvwxyz0123456789abcd"sv, 1709164800000LL, false, "auth_session=abcdefghijklmnopqrstuvwxyz0123456789abcd; Path=/; Expires=Thu, 29 Feb 2024 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"auth_session"sv, "abc"sv, 253402300800000LL, false, "auth_session=abc; Path=/; Expires=Sat, 01 Jan 10000 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"auth_session"sv, "a b;c=d,e\"f"sv, 8640000000000000LL, false, "auth_session=a%20b%3Bc%3Dd%2Ce%22f; Path=/; Expires=Sat, 13 Sep 275760 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"auth_session"sv, "\xc3\xa9\xf0\x9f\x98\x80"sv, -8640000000000000LL, false, "auth_session=%C3%A9%F0%9F%98%80; Path=/; Expires=Tue, 20 Apr -271821 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"auth_session"sv, ""sv, -62198755200000LL, false, "auth_session=; Path=/; Expires=Fri, 01 Jan -0001 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"auth_session"sv, "!'()*-._~"sv, 1LL, false, "auth_session=!'()*-._~; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"sid"sv, std::nullopt, 1700000000000LL, true, "sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"sid"sv, "abcdefghijklmnopqrstuvwxyz0123456789abcd"sv, 0LL, true, "sid=abcdefghijklmnopqrstuvwxyz0123456789abcd; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"sid"sv, "abc"sv, -1LL, true, "sid=abc; Path=/; Expires=Wed, 31 Dec 1969 23:59:59 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"sid"sv, "a b;c=d,e\"f"sv, 1709164800000LL, true, "sid=a%20b%3Bc%3Dd%2Ce%22f; Path=/; Expires=Thu, 29 Feb 2024 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"sid"sv, "\xc3\xa9\xf0\x9f\x98\x80"sv, 253402300800000LL, true, "sid=%C3%A9%F0%9F%98%80; Path=/; Expires=Sat, 01 Jan 10000 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"sid"sv, ""sv, 8640000000000000LL, true, "sid=; Path=/; Expires=Sat, 13 Sep 275760 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"sid"sv, "!'()*-._~"sv, -8640000000000000LL, true, "sid=!'()*-._~; Path=/; Expires=Tue, 20 Apr -271821 00:00:00 GMT; HttpOnly; Secure; SameSite=Lax"},
      {"sid"sv, std::nullopt, 1700000000000LL, false, "sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"sid"sv, "abcdefghijklmnopqrstuvwxyz0123456789abcd"sv, 253402300800000LL, false, "sid=abcdefghijklmnopqrstuvwxyz0123456789abcd; Path=/; Expires=Sat, 01 Jan 10000 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"sid"sv, "abc"sv, 8640000000000000LL, false, "sid=abc; Path=/; Expires=Sat, 13 Sep 275760 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"sid"sv, "a b;c=d,e\"f"sv, -8640000000000000LL, false, "sid=a%20b%3Bc%3Dd%2Ce%22f; Path=/; Expires=Tue, 20 Apr -271821 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"sid"sv, "\xc3\xa9\xf0\x9f\x98\x80"sv, -62198755200000LL, false, "sid=%C3%A9%F0%9F%98%80; Path=/; Expires=Fri, 01 Jan -0001 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"sid"sv, ""sv, 1LL, false, "sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax"},
      {"sid"sv, "!'()*-._~"sv, 1700000000000LL, false, "sid=!'()*-._~; Path=/; Expires=Tue, 14 Nov 2023 22:13:20 GMT; HttpOnly; SameSite=Lax"},
  };
  for (const SerializeCase& c : cases) {
    SCOPED_TRACE(c.expected);
    EXPECT_EQ(SerializeSessionCookie(c.name, c.session_id, c.idle_expires, c.secure), c.expected);
  }
}

TEST(SerializeSessionCookieTest, BlankCookieIgnoresTheExpiry) {
  // With no session the cookie always expires at the epoch, even for an expiry no Date could hold.
  EXPECT_EQ(SerializeSessionCookie("auth_session", std::nullopt, std::numeric_limits<std::int64_t>::max(), false),
            "auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
}

TEST(SerializeSessionCookieTest, ExpiryOutsideTheDateRangeThrows) {
  ExpectOutOfRange([] { SerializeSessionCookie("auth_session", "abc"sv, 8640000000000001LL, true); });
  ExpectOutOfRange([] { SerializeSessionCookie("auth_session", "abc"sv, -8640000000000001LL, false); });
}

}  // namespace
}  // namespace lucia::core
