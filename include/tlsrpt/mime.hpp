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

struct Header {
  std::string name;   // as written
  std::string value;  // unfolded (CRLF/LF + WSP joined), not RFC 2047-decoded
};

struct Headers {
  std::vector<Header> list;
  // The first header named `name` (case-insensitive), or "" when absent.
  std::string_view get(std::string_view name) const;
  std::vector<std::string_view> all(std::string_view name) const;
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
