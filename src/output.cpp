#include "tlsrpt/output.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tlsrpt/text.hpp"

namespace tlsrpt {

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(std::min<std::size_t>(text.size(), 4 * kMaxShownColumns));
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size(); ++shown) {
    if (shown == kMaxShownColumns) {  // a terminal line of this is already unreadable
      out += fmt::format("\u2026 ({} more bytes)", text.size() - i);
      break;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      out += fmt::format("\\x{:02X}", c);
      ++i;
    } else if (length == 1 && (c < 0x20 || c == 0x7F)) {
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        out += fmt::format("\\x{:02X}", c);
      }
      ++i;
    } else if (length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      // C1 controls U+0080..U+009F (CSI is U+009B) act on terminals too.
      out += fmt::format("\\u{{{:02X}}}", static_cast<unsigned char>(text[i + 1]));
      i += 2;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

std::string format_diagnostic_line(const Diagnostic& diagnostic) {
  return fmt::format("tlsrpt: {}: {}{}", severity_name(diagnostic.severity),
                     escape_for_terminal(format_location(diagnostic)),
                     diagnostic.severity == Severity::error ? "; skipped" : "");
}

}  // namespace tlsrpt
