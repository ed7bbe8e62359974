// Passwords as the core wants them: NFKC-normalised UTF-8, in memory that is wiped after use.
#pragma once

extern "C" {
#include "postgres.h"
}

#include <cstddef>
#include <string_view>

namespace lucia::pg {

// Longest password accepted, in bytes of the database encoding.
inline constexpr std::size_t kMaxPasswordBytes = 65536;

// A password prepared for hashing. Its bytes are wiped by WipeSecret, and in any case when the memory
// context it was made in is reset or deleted (which is what happens when an error aborts the call).
struct SecretText {
  char* data;
  std::size_t length;
  bool owned;  // false when data points into the argument itself (already NFKC, nothing to copy)

  std::string_view view() const noexcept { return std::string_view(data, length); }
};

// The NFKC form of a password argument, as UTF-8. May raise a Postgres error: call it from a frame
// without C++ objects.
SecretText PreparePassword(const text* password);

// The password as typed (not normalised), as UTF-8: what bcrypt libraries hash. Same limits and errors as
// PreparePassword, but for the run of combining characters, which only normalisation needs.
SecretText PreparePasswordAsTyped(const text* password);

// Overwrites the copy made by PreparePassword.
void WipeSecret(SecretText* secret) noexcept;

}  // namespace lucia::pg
