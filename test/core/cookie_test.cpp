#include "core/cookie.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace lucia::core {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

// The expected values of the tables below are not computed here: test/core/cookie_vectors.inc holds what
// lucia@2.7.7 and JavaScript (Node) return for each input, written by test/vectors/make_cookie_vectors.mjs.

struct CookieVector {
  std::string_view header;
  std::string_view name;
  std::optional<std::string_view> expected;  // Lucia's readSessionCookie (parseCookie(header)[name])
};

struct BearerVector {
  std::string_view header;
  std::optional<std::string_view> expected;  // Lucia's readBearerToken
};

struct HttpDateVector {
  std::int64_t ms;
  std::string_view expected;  // new Date(ms).toUTCString()
};

struct SessionCookieVector {
  std::string_view name;
  std::optional<std::string_view> session_id;
  std::int64_t idle_expires;
  bool secure;
  std::string_view expected;  // Lucia's createSessionCookie(session).serialize()
};

struct EncodeVector {
  std::string_view text;
  std::string_view expected;  // encodeURIComponent(text)
};

struct DecodeVector {
  std::string_view text;
  std::optional<std::string_view> expected;  // decodeURIComponent(text), nullopt where it throws URIError
};

struct TrimVector {
  std::string_view text;
  std::string_view expected;  // text.trim()
};

#include "cookie_vectors.inc"

std::optional<std::string> Owned(std::optional<std::string_view> view) {
  return view ? std::optional<std::string>(*view) : std::nullopt;
}

struct ByteRange {
  unsigned min;
  unsigned max;
};
using ByteRanges = std::vector<ByteRange>;  // one range for each byte of a sequence

// Every well-formed UTF-8 sequence of one code point: the Unicode Standard's table of them (Table 3-7),
// so that the tests below enumerate every scalar value without encoding code points themselves.
const std::vector<ByteRanges> kWellFormedUtf8 = {
    {{0x00, 0x7f}},
    {{0xc2, 0xdf}, {0x80, 0xbf}},
    {{0xe0, 0xe0}, {0xa0, 0xbf}, {0x80, 0xbf}},
    {{0xe1, 0xec}, {0x80, 0xbf}, {0x80, 0xbf}},
    {{0xed, 0xed}, {0x80, 0x9f}, {0x80, 0xbf}},
    {{0xee, 0xef}, {0x80, 0xbf}, {0x80, 0xbf}},
    {{0xf0, 0xf0}, {0x90, 0xbf}, {0x80, 0xbf}, {0x80, 0xbf}},
    {{0xf1, 0xf3}, {0x80, 0xbf}, {0x80, 0xbf}, {0x80, 0xbf}},
    {{0xf4, 0xf4}, {0x80, 0x8f}, {0x80, 0xbf}, {0x80, 0xbf}},
};
// The sequences that table leaves out after ED: the surrogates U+D800..U+DFFF.
const std::vector<ByteRanges> kSurrogatesUtf8 = {{{0xed, 0xed}, {0xa0, 0xbf}, {0x80, 0xbf}}};

// Calls visit with every byte sequence of the rows, in order, until it returns false; returns how many
// sequences it visited.
template <typename Visit>
std::size_t ForEachSequence(const std::vector<ByteRanges>& rows, Visit visit) {
  std::size_t count = 0;
  for (const ByteRanges& row : rows) {
    std::string bytes;
    for (const ByteRange& range : row) bytes.push_back(static_cast<char>(range.min));
    while (true) {
      ++count;
      if (!visit(static_cast<const std::string&>(bytes))) return count;
      // The next sequence: the last byte that is below its maximum goes up, the bytes after it restart.
      std::size_t i = row.size();
      while (i > 0 && static_cast<unsigned char>(bytes[i - 1]) == row[i - 1].max) --i;
      if (i == 0) break;
      bytes[i - 1] = static_cast<char>(static_cast<unsigned char>(bytes[i - 1]) + 1);
      for (std::size_t j = i; j < row.size(); ++j) bytes[j] = static_cast<char>(row[j].min);
    }
  }
  return count;
}

// Every scalar value: U+0000..U+10FFFF without the 2048 surrogates.
constexpr std::size_t kScalarValues = 0x110000 - 0x800;

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

TEST(ReadCookieTest, MatchesLuciaParseCookie) {
  for (const CookieVector& c : kCookieVectors) {
    SCOPED_TRACE(testing::Message() << "header=" << testing::PrintToString(std::string(c.header))
                                    << " name=" << testing::PrintToString(std::string(c.name)));
    if (c.expected && c.expected->find('\0') != std::string_view::npos) {
      // Lucia returns a value holding a NUL character; lucia_auth refuses it (see DecodedNulIsRefused).
      EXPECT_EQ(ReadCookie(c.header, c.name), std::nullopt);
    } else {
      EXPECT_EQ(ReadCookie(c.header, c.name), Owned(c.expected));
    }
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

TEST(ReadBearerTokenTest, MatchesLuciaReadBearerToken) {
  for (const BearerVector& c : kBearerVectors) {
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

TEST(HttpDateTest, MatchesJavaScriptToUTCString) {
  for (const HttpDateVector& c : kHttpDateVectors) {
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

TEST(EncodeUriComponentTest, MatchesJavaScript) {
  // Every ASCII character alone and together, code points of every UTF-8 length, lead byte and
  // continuation byte, and mixed text.
  for (const EncodeVector& c : kEncodeVectors) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.text)));
    EXPECT_EQ(EncodeUriComponent(c.text), c.expected);
    EXPECT_EQ(DecodeUriComponent(c.expected), std::optional<std::string>(c.text));
  }
}

TEST(DecodeUriComponentTest, MatchesJavaScript) {
  for (const DecodeVector& c : kDecodeVectors) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.text)));
    EXPECT_EQ(DecodeUriComponent(c.text), Owned(c.expected));
  }
}

TEST(DecodeUriComponentTest, EveryScalarValueRoundTrips) {
  std::size_t count = ForEachSequence(kWellFormedUtf8, [](const std::string& text) {
    std::optional<std::string> decoded = DecodeUriComponent(EncodeUriComponent(text));
    EXPECT_EQ(decoded, std::optional<std::string>(text)) << testing::PrintToString(text);
    return decoded == text;
  });
  EXPECT_EQ(count, kScalarValues);
}

TEST(DecodeUriComponentTest, SurrogatesAreRefused) {
  std::size_t count = ForEachSequence(kSurrogatesUtf8, [](const std::string& bytes) {
    std::string escaped;
    for (unsigned char b : bytes) {
      char escape[4];
      std::snprintf(escape, sizeof escape, "%%%02X", b);
      escaped += escape;
    }
    std::optional<std::string> decoded = DecodeUriComponent(escaped);
    EXPECT_EQ(decoded, std::nullopt) << escaped;
    return !decoded.has_value();
  });
  EXPECT_EQ(count, 2048u);
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
  const std::set<std::string_view> whitespace(std::begin(kJsWhitespace), std::end(kJsWhitespace));
  std::size_t spaces = 0;
  std::size_t count = ForEachSequence(kWellFormedUtf8, [&](const std::string& c) {
    bool is_space = whitespace.count(c) > 0;
    spaces += is_space;
    std::string text = c + "x" + c;
    std::string_view expected = is_space ? std::string_view("x") : std::string_view(text);
    std::string_view trimmed = TrimJsWhitespace(text);
    EXPECT_EQ(trimmed, expected) << testing::PrintToString(c);
    return trimmed == expected;
  });
  EXPECT_EQ(count, kScalarValues);
  EXPECT_EQ(spaces, whitespace.size());
  std::string all;
  for (std::string_view c : kJsWhitespace) all += c;
  EXPECT_EQ(TrimJsWhitespace(all + "a" + all + "b" + all), "a" + all + "b");
  EXPECT_EQ(TrimJsWhitespace(all), "");
}

TEST(TrimJsWhitespaceTest, MatchesJavaScriptTrim) {
  for (const TrimVector& c : kTrimVectors) {
    SCOPED_TRACE(testing::PrintToString(std::string(c.text)));
    EXPECT_EQ(TrimJsWhitespace(c.text), c.expected);
  }
}

TEST(TrimJsWhitespaceTest, ResultIsAViewIntoTheInput) {
  const std::string text =
      " \xc2\xa0"
      "abc\t";
  std::string_view trimmed = TrimJsWhitespace(text);
  EXPECT_EQ(trimmed.data(), text.data() + 3);
  EXPECT_EQ(trimmed, "abc");
}

// ---------------------------------------------------------------------------------------------------
// SerializeSessionCookie

TEST(SerializeSessionCookieTest, MatchesLuciaCreateSessionCookie) {
  // env "PROD" (secure) or "DEV"; the default cookie name or sessionCookie: { name: "sid" }.
  for (const SessionCookieVector& c : kSessionCookieVectors) {
    SCOPED_TRACE(std::string(c.expected));
    EXPECT_EQ(SerializeSessionCookie(c.name, c.session_id, c.idle_expires, c.secure), c.expected);
  }
}

TEST(SerializeSessionCookieTest, BlankCookieIgnoresTheExpiry) {
  // With no session the cookie always expires at the epoch, even for an expiry no Date could hold.
  EXPECT_EQ(
      SerializeSessionCookie("auth_session", std::nullopt, std::numeric_limits<std::int64_t>::max(), false),
      "auth_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax");
}

TEST(SerializeSessionCookieTest, ExpiryOutsideTheDateRangeThrows) {
  ExpectOutOfRange([] { SerializeSessionCookie("auth_session", "abc"sv, 8640000000000001LL, true); });
  ExpectOutOfRange([] { SerializeSessionCookie("auth_session", "abc"sv, -8640000000000001LL, false); });
}

}  // namespace
}  // namespace lucia::core
