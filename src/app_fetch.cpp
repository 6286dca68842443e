// `tlsrpt fetch` in the application layer: the credentials, the fetch, what it did.
#include <fmt/format.h>

#include "tlsrpt/app.hpp"
#include "tlsrpt/credentials.hpp"
#include "tlsrpt/render_json.hpp"
#include "tlsrpt/render_text.hpp"
#include "tlsrpt/text.hpp"

namespace tlsrpt {

Outcome run_fetch(const FetchRequest& request, const Io& io) {
  FetchOptions fetch = request.fetch;
  if (!request.token_command.empty()) {
    fetch.oauth2_token = token_from_command(request.token_command);
  } else {
    fetch.password = imap_password(request.password_file, fetch.url.host, fetch.url.user);
  }
  const FetchResult result = fetch_to_maildir(fetch, [&](const FetchProgress& now) {
    if (!request.progress) return;
    io.err << fmt::format("\r\x1b[Ktlsrpt: fetched {} of {} messages ({} bytes)", now.done,
                          now.total, group_digits(now.bytes))
           << std::flush;
  });
  if (request.progress) io.err << "\r\x1b[K" << std::flush;
  for (const std::string& line : result.skipped) {
    io.err << "tlsrpt: error: " << escape_for_terminal(line) << '\n';
  }
  if (!result.error.empty()) {
    io.err << "tlsrpt: error: " << escape_for_terminal(result.error) << '\n';
  }
  if (request.format == Format::json) {
    write_fetch_json(result, fetch.maildir, io.out);
  } else {
    render_fetch_text(result, fetch, request.output, io.out);
  }
  return Outcome{Answer::none, result.skipped.size() + (result.error.empty() ? 0u : 1u)};
}

}  // namespace tlsrpt
