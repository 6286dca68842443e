#include "tlsrpt/mime.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "tlsrpt/error.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {

// Reads the line starting at `pos` (without its LF / CRLF); moves `pos` past it.
std::string_view next_line(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  const std::size_t newline = text.find('\n', pos);
  std::size_t end = newline == std::string_view::npos ? text.size() : newline;
  pos = newline == std::string_view::npos ? text.size() : newline + 1;
  if (end > start && text[end - 1] == '\r') --end;
  return text.substr(start, end - start);
}

bool is_header_line(std::string_view line) {
  const auto colon = line.find(':');
  if (colon == 0 || colon == std::string_view::npos) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = line[i];
    // RFC 5322 allows any printable ASCII; real field names use letters, digits, '-' and '_',
    // and the narrower set keeps JSON ({"a": 1}) from looking like a header.
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string latin1_to_utf8(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x80) {
      out += c;
    } else {
      out += static_cast<char>(0xC0 | (byte >> 6));
      out += static_cast<char>(0x80 | (byte & 0x3F));
    }
  }
  return out;
}

// RFC 2231 extended value "charset'language'percent-encoded".
std::string decode_extended(std::string_view value, bool first_section) {
  std::string charset;
  if (first_section) {
    const auto first_quote = value.find('\'');
    const auto second_quote =
        first_quote == std::string_view::npos ? first_quote : value.find('\'', first_quote + 1);
    if (second_quote != std::string_view::npos) {
      charset = lowercase(value.substr(0, first_quote));
      value = value.substr(second_quote + 1);
    }
  }
  const std::string decoded = percent_decode(value);
  return charset == "iso-8859-1" || charset == "latin1" ? latin1_to_utf8(decoded) : decoded;
}

void split_multipart(std::string_view body, const std::string& boundary,
                     std::vector<std::string_view>& parts) {
  const std::string delimiter = "--" + boundary;
  std::size_t pos = 0;
  std::size_t part_start = std::string_view::npos;
  while (pos < body.size()) {
    const std::size_t line_start = pos;
    const std::string_view line = next_line(body, pos);
    if (!line.starts_with(delimiter)) continue;
    const std::string_view rest = line.substr(delimiter.size());
    const bool closing = rest.starts_with("--");
    if (!closing && !trim(rest).empty()) continue;  // a longer boundary that shares the prefix
    if (part_start != std::string_view::npos) {
      // The line break before the delimiter belongs to the delimiter (RFC 2046 §5.1.1).
      std::size_t end = line_start;
      if (end > part_start && body[end - 1] == '\n') --end;
      if (end > part_start && body[end - 1] == '\r') --end;
      parts.push_back(body.substr(part_start, end - part_start));
    }
    if (closing) return;
    part_start = pos;
  }
  // No closing delimiter (Mail.ru, and truncated mail): the last part runs to the end.
  if (part_start != std::string_view::npos && part_start < body.size()) {
    parts.push_back(body.substr(part_start));
  }
}

class Walker {
 public:
  explicit Walker(Message& message) : message_(message) {}

  // `type` is the part's parsed Content-Type header.
  void walk(std::string_view raw, const std::string& number, int depth, const Headers& headers,
            const ContentType& type, std::size_t body_offset) {
    const std::string_view body = raw.substr(std::min(body_offset, raw.size()));
    if (type.type == "multipart") {
      const auto boundary = type.params.find("boundary");
      if (boundary != type.params.end() && !boundary->second.empty()) {
        if (depth >= kMaxMimeDepth) {
          throw InputError(fmt::format("part {}", number.empty() ? "1" : number),
                           fmt::format("multiparts nested deeper than {} levels", kMaxMimeDepth));
        }
        std::vector<std::string_view> parts;
        split_multipart(body, boundary->second, parts);
        int index = 0;
        for (const std::string_view part : parts) {
          if (trim(part).empty()) continue;  // the empty "part" after a bare final delimiter
          ++index;
          std::size_t part_body = 0;
          const Headers part_headers = parse_headers(part, part_body);
          walk(part, number.empty() ? std::to_string(index) : fmt::format("{}.{}", number, index),
               depth + 1, part_headers, parse_content_type(part_headers.get("Content-Type")),
               part_body);
        }
        return;
      }
      // A multipart without a boundary cannot be split: treat it as one opaque part.
    }
    if (message_.leaves.size() >= kMaxMimeParts) {
      throw InputError(fmt::format("part {}", number),
                       fmt::format("more than {} MIME parts", kMaxMimeParts));
    }
    MimePart leaf;
    leaf.number = number.empty() ? "1" : number;
    leaf.content_type = type;
    const auto disposition = parse_parameters(headers.get("Content-Disposition"));
    if (const auto it = disposition.find("filename"); it != disposition.end()) {
      leaf.filename = decode_encoded_words(it->second);
    } else if (const auto name = type.params.find("name"); name != type.params.end()) {
      leaf.filename = decode_encoded_words(name->second);
    }
    const std::string encoding = lowercase(trim(headers.get("Content-Transfer-Encoding")));
    try {
      if (encoding == "base64") {
        leaf.body = decode_base64(body);
      } else if (encoding == "quoted-printable") {
        leaf.body = decode_quoted_printable(body);
      } else {
        leaf.body = body;  // 7bit, 8bit, binary, or none
      }
    } catch (const InputError& error) {
      leaf.decode_error = error.what();
    }
    leaf.headers = headers;
    message_.leaves.push_back(std::move(leaf));
  }

 private:
  Message& message_;
};

}  // namespace

void Headers::add(std::string_view name, std::string_view value) {
  if (text_.empty()) text_.reserve(1024);
  if (fields_.empty()) fields_.reserve(16);
  Field field{text_.size(), name.size(), text_.size() + name.size(), value.size()};
  text_.append(name).append(value);
  fields_.push_back(field);
}

void Headers::continue_last(std::string_view text) {
  if (fields_.empty()) return;
  // The last field's value ends the buffer: grow it in place.
  text_.push_back(' ');
  text_.append(text);
  fields_.back().value_size += 1 + text.size();
}

std::string_view Headers::get(std::string_view name) const {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (iequals(this->name(i), name)) return value(i);
  }
  return {};
}

std::vector<std::string_view> Headers::all(std::string_view name) const {
  std::vector<std::string_view> values;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    if (iequals(this->name(i), name)) values.push_back(value(i));
  }
  return values;
}

std::map<std::string, std::string> parse_parameters(std::string_view value) {
  std::map<std::string, std::string> params;
  // RFC 2231 sections: name*0, name*1*, ... collected then joined in order.
  std::map<std::string, std::map<int, std::pair<std::string, bool>>> sections;
  std::size_t pos = value.find(';');
  while (pos != std::string_view::npos && pos < value.size()) {
    ++pos;
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t' || value[pos] == ';'))
      ++pos;
    const auto equals = value.find('=', pos);
    if (equals == std::string_view::npos) break;
    std::string name = lowercase(trim(value.substr(pos, equals - pos)));
    pos = equals + 1;
    while (pos < value.size() && (value[pos] == ' ' || value[pos] == '\t')) ++pos;
    std::string parameter;
    if (pos < value.size() && value[pos] == '"') {
      ++pos;
      while (pos < value.size() && value[pos] != '"') {
        const std::size_t run_end = std::min(find_any(value, "\"\\", pos), value.size());
        parameter.append(value.substr(pos, run_end - pos));  // the text up to '"' or '\\'
        pos = run_end;
        if (pos == value.size() || value[pos] == '"') break;
        if (pos + 1 < value.size()) ++pos;  // a quoted pair: the next character as it is
        parameter += value[pos++];
      }
      if (pos < value.size()) ++pos;  // closing quote
      pos = value.find(';', pos);
    } else {
      const auto end = value.find(';', pos);
      parameter = trim(
          value.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
      pos = end;
    }
    const bool extended = name.ends_with('*');
    if (extended) name.pop_back();
    const auto star = name.find('*');
    if (star != std::string::npos) {
      int section = 0;
      for (std::size_t i = star + 1; i < name.size() && section < 1000; ++i) {
        if (name[i] < '0' || name[i] > '9') break;
        section = section * 10 + (name[i] - '0');
      }
      sections[name.substr(0, star)][section] = {parameter, extended};
    } else {
      params[name] = extended ? decode_extended(parameter, true) : parameter;
    }
  }
  for (const auto& [name, parts] : sections) {
    std::string joined;
    for (const auto& [index, part] : parts) {
      joined += part.second ? decode_extended(part.first, index == 0) : part.first;
    }
    params[name] = joined;
  }
  return params;
}

ContentType parse_content_type(std::string_view value) {
  ContentType type;
  const std::string_view media = trim(value.substr(0, value.find(';')));
  const auto slash = media.find('/');
  if (slash != std::string_view::npos && slash > 0 && slash + 1 < media.size()) {
    type.type = lowercase(trim(media.substr(0, slash)));
    type.subtype = lowercase(trim(media.substr(slash + 1)));
  }
  type.params = parse_parameters(value);
  return type;
}

std::string decode_encoded_words(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  bool last_was_word = false;
  // One pass: every search below starts at or after where the previous one of its kind started,
  // so each remembers what it found and searches again only when that lies behind it: decoding is
  // linear in the header, whatever its "=?" and "?" say.
  std::size_t next_open = 0, next_question = 0, next_close = 0;
  bool open_known = false, question_known = false, close_known = false;
  const auto find_from = [&](std::string_view needle, std::size_t from, std::size_t& cached,
                             bool& known) {
    if (!known || (cached != std::string_view::npos && cached < from)) {
      cached = text.find(needle, from);
      known = true;
    }
    return cached;
  };
  while (pos < text.size()) {
    const auto start = find_from("=?", pos, next_open, open_known);
    if (start == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    const auto charset_end = find_from("?", start + 2, next_question, question_known);
    const auto encoding_end = charset_end == std::string_view::npos
                                  ? charset_end
                                  : find_from("?", charset_end + 1, next_question, question_known);
    const auto end = encoding_end == std::string_view::npos
                         ? encoding_end
                         : find_from("?=", encoding_end + 1, next_close, close_known);
    if (end == std::string_view::npos || encoding_end != charset_end + 2) {
      out.append(text.substr(pos, start + 2 - pos));
      pos = start + 2;
      last_was_word = false;
      continue;
    }
    const std::string_view between = text.substr(pos, start - pos);
    // Whitespace between two encoded words is dropped (RFC 2047 §6.2).
    if (!(last_was_word && trim(between).empty())) out.append(between);
    std::string charset = lowercase(text.substr(start + 2, charset_end - start - 2));
    if (const auto star = charset.find('*'); star != std::string::npos)
      charset.resize(star);  // RFC 2231 language
    const char encoding = ascii_lower(text[charset_end + 1]);
    const std::string_view payload = text.substr(encoding_end + 1, end - encoding_end - 1);
    std::string decoded;
    try {
      if (encoding == 'b') {
        decoded = decode_base64(payload);
      } else {
        for (std::size_t i = 0; i < payload.size(); ++i) {
          if (payload[i] == '_') {
            decoded += ' ';
          } else if (payload[i] == '=' && i + 2 < payload.size() &&
                     hex_value(payload[i + 1]) >= 0 && hex_value(payload[i + 2]) >= 0) {
            decoded +=
                static_cast<char>(hex_value(payload[i + 1]) * 16 + hex_value(payload[i + 2]));
            i += 2;
          } else {
            decoded += payload[i];
          }
        }
      }
    } catch (const InputError&) {
      decoded = std::string(text.substr(start, end + 2 - start));  // keep it as written
    }
    out += charset == "iso-8859-1" || charset == "latin1" ? latin1_to_utf8(decoded) : decoded;
    pos = end + 2;
    last_was_word = true;
  }
  return out;
}

std::string decode_base64(std::string_view text) {
  static constexpr std::array<signed char, 256> kTable = [] {
    std::array<signed char, 256> table{};
    table.fill(-1);
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i)
      table[static_cast<unsigned char>(alphabet[i])] = static_cast<signed char>(i);
    return table;
  }();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  char* next = out.data();
  std::uint32_t buffer = 0;
  int bits = 0;
  bool padding = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // The usual case: four alphabet characters at a quantum boundary make three bytes.
    if (bits == 0 && !padding && i + 4 <= text.size()) {
      const int a = kTable[static_cast<unsigned char>(text[i])];
      const int b = kTable[static_cast<unsigned char>(text[i + 1])];
      const int c = kTable[static_cast<unsigned char>(text[i + 2])];
      const int d = kTable[static_cast<unsigned char>(text[i + 3])];
      if ((a | b | c | d) >= 0) {
        const auto quantum = static_cast<std::uint32_t>((a << 18) | (b << 12) | (c << 6) | d);
        *next++ = static_cast<char>(quantum >> 16);
        *next++ = static_cast<char>((quantum >> 8) & 0xFFu);
        *next++ = static_cast<char>(quantum & 0xFFu);
        i += 3;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    const int value = kTable[c];
    if (value < 0 || padding) {
      throw InputError(fmt::format("byte {}", i),
                       value < 0 ? fmt::format("base64: invalid character 0x{:02X}", c)
                                 : std::string("base64: data after the padding"));
    }
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *next++ = static_cast<char>((buffer >> bits) & 0xFFu);
    }
  }
  out.resize(static_cast<std::size_t>(next - out.data()));
  return out;
}

std::string decode_quoted_printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
      continue;
    }
    if (i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else if (i + 1 < text.size() && text[i + 1] == '\n') {
      i += 1;  // soft line break
    } else if (i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;
    } else if (i + 1 == text.size()) {
      // a trailing '=' at the very end: soft break before the end
    } else {
      out += '=';  // not an escape: kept literally (RFC 2045 §6.7 note 1)
    }
  }
  return out;
}

bool looks_like_message(std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size() && (bytes[pos] == '\r' || bytes[pos] == '\n')) ++pos;
  std::string_view line = next_line(bytes, pos);
  if (line.starts_with("From ")) line = next_line(bytes, pos);
  return is_header_line(line);
}

Headers parse_headers(std::string_view raw, std::size_t& body_offset) {
  Headers headers;
  std::size_t pos = 0;
  bool first = true;
  while (pos < raw.size()) {
    const std::size_t line_start = pos;
    const std::string_view line = next_line(raw, pos);
    if (line.empty()) {
      body_offset = pos;
      return headers;
    }
    if (first && line.starts_with("From ")) {  // mbox separator kept in an .eml export
      first = false;
      continue;
    }
    first = false;
    if ((line[0] == ' ' || line[0] == '\t') && !headers.empty()) {
      headers.continue_last(trim(line));
    } else if (is_header_line(line)) {
      const auto colon = line.find(':');
      headers.add(line.substr(0, colon), trim(line.substr(colon + 1)));
    } else {
      // Not a header: the header block ended without an empty line (a part with no headers).
      body_offset = line_start;
      return headers;
    }
  }
  body_offset = raw.size();
  return headers;
}

Message parse_message(std::string_view raw) {
  Message message;
  std::size_t body_offset = 0;
  message.headers = parse_headers(raw, body_offset);
  message.content_type = parse_content_type(message.headers.get("Content-Type"));
  Walker walker(message);
  walker.walk(raw, "", 0, message.headers, message.content_type, body_offset);
  return message;
}

}  // namespace tlsrpt
