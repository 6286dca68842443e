#include "tlsrpt/json_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

// A newline and the indentation of the current depth, from one constant when it is that deep.
constexpr std::string_view kIndent =
    "\n                                                              ";

// Printable ASCII but '"' and '\\': written as is.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x7f; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

}  // namespace

JsonWriter::JsonWriter(std::ostream& out, bool compact)
    : out_(out), compact_(compact), buffer_(kSize) {}

JsonWriter::~JsonWriter() { flush(); }

void JsonWriter::open(char bracket) {
  put(bracket);
  ++depth_;
  first_ = true;
}

void JsonWriter::close(char bracket) {
  --depth_;
  if (!first_) newline();
  put(bracket);
  first_ = false;  // the container just closed is an element of the one around it
}

void JsonWriter::key(std::string_view name) {
  element();
  put('"');
  append(name.data(), name.size());
  compact_ ? append("\":", 2) : append("\": ", 3);
}

void JsonWriter::element() {
  if (!first_) put(',');
  first_ = false;
  newline();
}

void JsonWriter::newline() {
  if (compact_) return;
  const std::size_t width = 1 + 2 * depth_;
  if (width <= kIndent.size()) return append(kIndent.data(), width);
  put('\n');
  for (std::size_t i = 1; i < width; ++i) put(' ');
}

void JsonWriter::string(std::string_view text) {
  put('"');
  std::size_t run = 0;  // start of the plain bytes not yet written
  const auto flush_run = [&](std::size_t end) { append(text.data() + run, end - run); };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (kPlain[c]) {
      ++i;
      continue;
    }
    const std::size_t length = c >= 0x80 ? utf8_sequence_length(text, i) : 1;
    if (length > 1 && !(c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0)) {
      i += length;  // valid UTF-8 other than a C1 control: kept
      continue;
    }
    flush_run(i);
    switch (c) {
      case '"':
        append("\\\"", 2);
        break;
      case '\\':
        append("\\\\", 2);
        break;
      case '\b':
        append("\\b", 2);
        break;
      case '\f':
        append("\\f", 2);
        break;
      case '\n':
        append("\\n", 2);
        break;
      case '\r':
        append("\\r", 2);
        break;
      case '\t':
        append("\\t", 2);
        break;
      default:
        if (length == 0) {
          append("\xEF\xBF\xBD", 3);  // not UTF-8: U+FFFD
        } else if (length == 2) {     // a C1 control, U+0080..U+009F
          const std::string escaped =
              fmt::format("\\u{:04x}", static_cast<unsigned char>(text[i + 1]));
          append(escaped.data(), escaped.size());
        } else if (c == 0x7F) {
          put(static_cast<char>(c));  // DEL: JSON allows it raw
        } else {
          const std::string escaped = fmt::format("\\u{:04x}", c);
          append(escaped.data(), escaped.size());
        }
    }
    i += length == 0 ? 1 : length;
    run = i;
  }
  flush_run(text.size());
  put('"');
}

void JsonWriter::number(std::uint64_t value) {
  const fmt::format_int digits(value);
  append(digits.data(), digits.size());
}

void JsonWriter::number(double value) {
  if (!std::isfinite(value)) return null();
  if (value == 0.0 && !std::signbit(value)) return append("0.0", 3);  // most days fail nothing
  char digits[kShortestDoubleChars];
  append(digits, shortest_double(value, digits));
}

void JsonWriter::field(std::string_view name, const std::vector<std::string>& list) {
  key(name);
  array(list, [this](const std::string& item) { string(item); });
}

void JsonWriter::end_document() {
  put('\n');
  flush();
}

const std::string& JsonWriter::date(std::int64_t day) {
  auto [it, inserted] = dates_.try_emplace(day);
  if (inserted) it->second = format_day(day);
  return it->second;
}

void JsonWriter::append(const char* data, std::size_t size) {
  if (size > kSize - used_) {
    flush();
    if (size > kSize) {
      out_.write(data, static_cast<std::streamsize>(size));
      return;
    }
  }
  std::memcpy(buffer_.data() + used_, data, size);
  used_ += size;
}

void JsonWriter::flush() {
  out_.write(buffer_.data(), static_cast<std::streamsize>(used_));
  used_ = 0;
  ++flushes_;
}

}  // namespace tlsrpt
