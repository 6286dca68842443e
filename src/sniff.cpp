#include "tlsrpt/sniff.hpp"

#include "tlsrpt/gzip.hpp"
#include "tlsrpt/mbox.hpp"
#include "tlsrpt/mime.hpp"
#include "tlsrpt/zip.hpp"

namespace tlsrpt {

Content sniff(std::string_view bytes) {
  // Magic numbers first: binary formats are never anything else.
  if (has_gzip_magic(bytes)) return Content::gzip;
  if (has_zip_magic(bytes)) return Content::zip;
  if (has_mbox_magic(bytes)) return Content::mbox;
  std::string_view text = bytes;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const auto first = text.find_first_not_of(std::string_view(" \t\r\n\0", 5));
  if (first == std::string_view::npos) return Content::empty;
  switch (text[first]) {
    case '{':
    case '[':
      return Content::json;
    case '<':
      return text.find("<feedback") != std::string_view::npos ? Content::dmarc_xml : Content::xml;
    default:
      return looks_like_message(bytes) ? Content::message : Content::other;
  }
}

}  // namespace tlsrpt
