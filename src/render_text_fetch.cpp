// `tlsrpt fetch` as text: one sentence of what was fetched from where.
#include "render_text_internal.hpp"
#include "tlsrpt/render_text.hpp"

namespace tlsrpt {

void render_fetch_text(const FetchResult& result, const FetchOptions& fetch,
                       const OutputOptions& options, std::ostream& out) {
  if (!result.error.empty() && result.messages == 0 && result.duplicates == 0) return;
  std::string text = fmt::format(
      "Fetched {} new message{} ({} with a TLS report, {} bytes) from \"{}\" at {} into {}",
      result.messages, result.messages == 1 ? "" : "s", result.reports,
      group_digits(result.bytes), escape_for_terminal(fetch.url.folder),
      escape_for_terminal(fetch.url.host), escape_for_terminal(fetch.maildir));
  if (result.duplicates) text += fmt::format("; {} already there", result.duplicates);
  if (result.moved) text += fmt::format("; {} moved", result.moved);
  if (result.deleted) text += fmt::format("; {} deleted", result.deleted);
  text += ".";
  if (result.uidvalidity_changed) {
    text +=
        " The server renumbered the folder (UIDVALIDITY changed): every message was looked at "
        "again; those already fetched were recognised.";
  }
  out << wrap_text(text, options.width, "", "  ");
}

}  // namespace tlsrpt
