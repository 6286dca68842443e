#include "tlsrpt/text.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace tlsrpt {

std::string lowercase(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = ascii_lower(c);
  return result;
}

std::string_view lowercase_view(std::string_view text, std::string& scratch) {
  if (std::none_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
    return text;
  scratch.assign(text);
  for (char& c : scratch) c = ascii_lower(c);
  return scratch;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view text) {
  // A plain loop: find_first_not_of(" \t\r\n") calls memchr once per character it passes.
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t first = 0;
  std::size_t last = text.size();
  while (first < last && space(text[first])) ++first;
  while (last > first && space(text[last - 1])) --last;
  return text.substr(first, last - first);
}

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  std::uint32_t code = 0;
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    code = (code << 6) | (byte(i + k) & 0x3Fu);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are not valid UTF-8.
  if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10FFFF)) ||
      (code >= 0xD800 && code <= 0xDFFF)) {
    return 0;
  }
  return length;
}

std::string group_digits(std::uint64_t value) {
  const std::string digits = std::to_string(value);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return grouped;
}

std::size_t shortest_double(double value, char* out) {
  const auto [end, error] = std::to_chars(out, out + kShortestDoubleChars - 2, value);
  auto size = static_cast<std::size_t>(end - out);
  if (std::string_view(out, size).find_first_of(".e") == std::string_view::npos) {
    out[size++] = '.';
    out[size++] = '0';
  }
  return size;
}

std::string format_percent(double fraction) {
  if (fraction > 0 && fraction < 0.0001) return "<0.01%";
  return fmt::format("{:.2f}%", fraction * 100);
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) ++width;
  }
  return width;
}

std::string wrap_text(std::string_view text, std::size_t width, std::string_view first,
                      std::string_view next) {
  std::string out(first);
  std::size_t column = display_width(first);
  const std::size_t next_width = display_width(next);
  bool line_empty = true;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t start = text.find_first_not_of(' ', at);
    if (start == std::string_view::npos) break;
    const std::size_t stop = std::min(text.find(' ', start), text.size());
    const std::string_view word = text.substr(start, stop - start);
    const std::size_t word_width = display_width(word);
    if (!line_empty && column + 1 + word_width > width) {
      (out += '\n') += next;
      column = next_width;
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++column;
    }
    out += word;
    column += word_width;
    line_empty = false;
    at = stop;
  }
  return out + '\n';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view text, bool* malformed) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      if (text[i] == '%' && malformed) *malformed = true;
      out += text[i];
    }
  }
  return out;
}

}  // namespace tlsrpt
