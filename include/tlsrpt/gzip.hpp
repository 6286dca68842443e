// Bounded gzip inflate (RFC 1952 via zlib). Knows nothing of TLS-RPT.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tlsrpt {

inline bool has_gzip_magic(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

// Inflates every gzip member in `compressed` (concatenated members are one stream, as gunzip
// treats them). Trailing zero bytes after the last member are ignored (tape padding).
// Throws InputError("byte N", ...) on corrupt or truncated data, on trailing garbage, and when
// the output would exceed `max_output_bytes`.
std::string gunzip(std::string_view compressed, std::uint64_t max_output_bytes);
// The same into `output` (its content replaced, its capacity reused across calls).
void gunzip(std::string_view compressed, std::uint64_t max_output_bytes, std::string& output);

}  // namespace tlsrpt
