// What a run of bytes holds, decided by its first bytes, never by a file name: the one place
// that tells a report from an archive, a mailbox, a message or something else. The pipeline and
// the mail layer's part selection ask it.
#pragma once

#include <string_view>

namespace tlsrpt {

enum class Content {
  gzip,       // magic 1f 8b
  zip,        // "PK\3\4"
  mbox,       // "From " (RFC 4155 separator)
  json,       // '{' or '[' after an optional UTF-8 BOM and whitespace
  dmarc_xml,  // XML with a <feedback> element: a DMARC aggregate report
  xml,        // other XML
  message,    // a header line first (RFC 5322): an e-mail message
  empty,      // nothing but whitespace and NUL bytes
  other,
};

Content sniff(std::string_view bytes);

}  // namespace tlsrpt
