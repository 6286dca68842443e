// Internet messages (RFC 5322) and MIME (RFC 2045-2047, 2231): headers, parts, transfer
// decoding. Knows nothing of TLS-RPT.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tlsrpt {

inline constexpr int kMaxMimeDepth = 16;            // nested multiparts
inline constexpr std::size_t kMaxMimeParts = 1000;  // leaf parts in one message

// A header block's fields in order: each name as written and its value unfolded (CRLF/LF + WSP
// joined), not RFC 2047-decoded. All of them kept in one buffer: a message has dozens of fields,
// and a string for each would be most of the allocations of reading a report email.
class Headers {
 public:
  void add(std::string_view name, std::string_view value);
  // A folded line's text, joined to the last field's value with one space (nothing without a
  // field before it).
  void continue_last(std::string_view text);
  std::size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }
  std::string_view name(std::size_t i) const {
    return view(fields_[i].name_at, fields_[i].name_size);
  }
  std::string_view value(std::size_t i) const {
    return view(fields_[i].value_at, fields_[i].value_size);
  }
  // The first header named `name` (case-insensitive), or "" when absent.
  std::string_view get(std::string_view name) const;
  std::vector<std::string_view> all(std::string_view name) const;

 private:
  struct Field {
    std::size_t name_at, name_size, value_at, value_size;
  };
  std::string_view view(std::size_t at, std::size_t size) const {
    return std::string_view(text_).substr(at, size);
  }
  std::string text_;
  std::vector<Field> fields_;
};

struct ContentType {
  std::string type = "text";  // lower-cased; RFC 2045 default text/plain
  std::string subtype = "plain";
  std::map<std::string, std::string> params;  // names lower-cased, RFC 2231 decoded
  std::string mime_type() const { return type + "/" + subtype; }
};

// "type/subtype; a=b; c*=utf-8''x%20y". Malformed values give text/plain.
ContentType parse_content_type(std::string_view value);
// Parameters after the first ';' of a structured header value (Content-Disposition too).
std::map<std::string, std::string> parse_parameters(std::string_view value);
// RFC 2047 encoded words (=?charset?B|Q?...?=) decoded; ISO-8859-1 turned into UTF-8, other
// charsets kept as bytes. Text outside encoded words is kept.
std::string decode_encoded_words(std::string_view text);

// Base64 with any line breaks or spaces and optional padding. Throws InputError("byte N", ...)
// on a character outside the alphabet (N counts within `text`).
std::string decode_base64(std::string_view text);
std::string decode_quoted_printable(std::string_view text);

struct MimePart {
  std::string number;  // IMAP-style: "1", "2", "2.1"; "1" for a single-part message
  Headers headers;
  ContentType content_type;
  std::string filename;  // Content-Disposition filename, else Content-Type name; decoded
  std::string body;      // after transfer decoding
  // Set when the transfer encoding could not be undone ("byte 12: base64: ..."); body is then
  // empty. A broken human-readable part should not cost the report next to it.
  std::string decode_error;
};

struct Message {
  Headers headers;
  ContentType content_type;
  std::vector<MimePart> leaves;  // every non-multipart part, in order
};

// True when `bytes` starts like a message: a header line ("Name: value") after optional
// whitespace, or an mbox "From " line followed by one.
bool looks_like_message(std::string_view bytes);

// Splits headers from body (at the first empty line; CRLF or LF).
Headers parse_headers(std::string_view raw, std::size_t& body_offset);

// Parses a whole message. Throws InputError("part N", ...) when multiparts nest deeper than
// kMaxMimeDepth or there are more than kMaxMimeParts parts. A multipart without its closing
// boundary ends at the end of the message.
Message parse_message(std::string_view raw);

}  // namespace tlsrpt
