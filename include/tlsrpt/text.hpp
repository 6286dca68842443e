// Small ASCII text helpers shared by the modules (domain names, header names, keys are ASCII;
// other bytes pass through unchanged).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tlsrpt {

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowercase(std::string_view text);
// `text` lower-cased: `text` itself when it has no upper-case ASCII letter, else a copy made in
// `scratch` (no allocation on the usual path).
std::string_view lowercase_view(std::string_view text, std::string& scratch);
bool iequals(std::string_view a, std::string_view b);
// The first position from `pos` of a character in `set` (a few characters), or npos: what
// string_view::find_first_of does, without its memchr call per character.
inline std::size_t find_any(std::string_view text, std::string_view set, std::size_t pos = 0) {
  for (; pos < text.size(); ++pos) {
    for (const char c : set) {
      if (text[pos] == c) return pos;
    }
  }
  return std::string_view::npos;
}
// Without leading and trailing spaces, tabs, CR and LF.
std::string_view trim(std::string_view text);
// Length of the valid UTF-8 sequence starting at text[i] (1 to 4), or 0 when the bytes there are
// not valid UTF-8 (stray continuation, overlong form, surrogate, past U+10FFFF, truncated).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);
// 1234567 → "1,234,567"
std::string group_digits(std::uint64_t value);
// The value of a hexadecimal digit, -1 for another character.
int hex_value(char c);
// %XX escapes decoded (RFC 3986, RFC 2231); a '%' not followed by two hex digits stays as it is,
// and sets *malformed when given.
std::string percent_decode(std::string_view text, bool* malformed = nullptr);
// The shortest text that reads back as the same double, with ".0" on an integral value (as JSON
// writers print a float): written to `out`, which holds kShortestDoubleChars; returns its length.
// Not for NaN or infinities.
inline constexpr std::size_t kShortestDoubleChars = 40;
std::size_t shortest_double(double value, char* out);
// 0.0538 → "5.38%"; a rate above 0 but below 0.01% → "<0.01%", never a misleading "0.00%".
std::string format_percent(double fraction);
// Width in terminal columns: UTF-8 code points (escape_for_terminal has made the text safe).
std::size_t display_width(std::string_view text);
// `text` broken at spaces into lines of at most `width` columns: the first starts with `first`,
// the others with `next` (an indent); every line ends with '\n'. A word longer than a line stands
// alone on its line, never broken.
std::string wrap_text(std::string_view text, std::size_t width, std::string_view first,
                      std::string_view next);

}  // namespace tlsrpt
