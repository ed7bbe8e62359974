// Fuzzes the Cookie header reader and its helpers: ReadCookie, DecodeUriComponent,
// EncodeUriComponent and TrimJsWhitespace. The first byte picks the length of a cookie name taken
// from the input; the rest is the header. Properties checked:
//   - ReadCookie never returns a value with a NUL character;
//   - DecodeUriComponent(EncodeUriComponent(x)) is x for valid UTF-8 x, and never something else;
//   - EncodeUriComponent writes only unreserved characters and upper-case %XX escapes;
//   - TrimJsWhitespace returns a view into its input, is idempotent, and on valid UTF-8 equals a
//     plain code-point-by-code-point trim of JavaScript's white space.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cookie.hpp"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

// Strict UTF-8 (no overlong forms, no surrogates, at most U+10FFFF) into code points.
bool DecodeStrict(std::string_view text, std::vector<std::uint32_t>& cps, std::vector<std::size_t>& starts) {
  std::size_t i = 0;
  while (i < text.size()) {
    unsigned char b0 = static_cast<unsigned char>(text[i]);
    std::size_t length;
    std::uint32_t cp;
    std::uint32_t min;
    if (b0 < 0x80) {
      length = 1, cp = b0, min = 0;
    } else if ((b0 & 0xe0) == 0xc0) {
      length = 2, cp = b0 & 0x1f, min = 0x80;
    } else if ((b0 & 0xf0) == 0xe0) {
      length = 3, cp = b0 & 0x0f, min = 0x800;
    } else if ((b0 & 0xf8) == 0xf0) {
      length = 4, cp = b0 & 0x07, min = 0x10000;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      unsigned char b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    cps.push_back(cp);
    starts.push_back(i);
    i += length;
  }
  starts.push_back(text.size());
  return true;
}

// ECMAScript WhiteSpace and LineTerminator code points.
bool IsJsWhitespace(std::uint32_t cp) {
  switch (cp) {
    case 0x09: case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x20: case 0xa0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202f: case 0x205f: case 0x3000: case 0xfeff:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200a;
  }
}

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' || c == ')';
}

void CheckTrim(std::string_view text) {
  std::string_view trimmed = lucia::core::TrimJsWhitespace(text);
  Require(trimmed.empty() ||
          (trimmed.data() >= text.data() && trimmed.data() + trimmed.size() <= text.data() + text.size()));
  Require(lucia::core::TrimJsWhitespace(trimmed) == trimmed);
  std::vector<std::uint32_t> cps;
  std::vector<std::size_t> starts;
  if (!DecodeStrict(text, cps, starts)) return;
  std::size_t first = 0;
  std::size_t last = cps.size();
  while (first < last && IsJsWhitespace(cps[first])) ++first;
  while (last > first && IsJsWhitespace(cps[last - 1])) --last;
  Require(trimmed == text.substr(starts[first], starts[last] - starts[first]));
}

void CheckUriRoundTrip(std::string_view text) {
  std::string encoded = lucia::core::EncodeUriComponent(text);
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(encoded[i]);
    if (c == '%') {
      Require(i + 2 < encoded.size());
      for (std::size_t k = 1; k <= 2; ++k) {
        char h = encoded[i + k];
        Require((h >= '0' && h <= '9') || (h >= 'A' && h <= 'F'));
      }
      i += 2;
    } else {
      Require(Unreserved(c));
    }
  }
  std::optional<std::string> decoded = lucia::core::DecodeUriComponent(encoded);
  Require(!decoded || *decoded == text);
  std::vector<std::uint32_t> cps;
  std::vector<std::size_t> starts;
  if (DecodeStrict(text, cps, starts)) Require(decoded.has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view name = lucia::core::kDefaultSessionCookieName;
  std::string_view header = input;
  if (!input.empty()) {
    std::size_t name_length = static_cast<unsigned char>(input[0]) % 16;
    if (name_length > 0 && name_length < input.size()) {
      name = input.substr(1, name_length);
      header = input.substr(1 + name_length);
    }
  }
  for (std::string_view n : {name, lucia::core::kDefaultSessionCookieName}) {
    std::optional<std::string> value = lucia::core::ReadCookie(header, n);
    if (value) {
      Require(value->find('\0') == std::string::npos);
      Require(header.find('=') != std::string_view::npos);
    }
  }
  std::optional<std::string> decoded = lucia::core::DecodeUriComponent(header);
  if (header.find('%') == std::string_view::npos) Require(decoded && *decoded == header);
  CheckUriRoundTrip(header);
  CheckTrim(header);
  return 0;
}
