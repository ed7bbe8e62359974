// Fuzzes ReadBearerToken against Lucia's readBearerToken: header.split(" ") must give exactly
// "Bearer" first, and the token is the second part (possibly empty).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "core/cookie.hpp"

namespace {

void Require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view header(reinterpret_cast<const char*>(data), size);
  std::optional<std::string_view> token = lucia::core::ReadBearerToken(header);
  bool bearer = header.substr(0, 7) == "Bearer ";
  Require(token.has_value() == bearer);
  if (token) {
    std::size_t end = header.find(' ', 7);
    Require(*token == header.substr(7, end == std::string_view::npos ? std::string_view::npos : end - 7));
    Require(token->empty() || token->data() == header.data() + 7);
    Require(token->find(' ') == std::string_view::npos);
  }
  return 0;
}
