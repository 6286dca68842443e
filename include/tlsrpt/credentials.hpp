// Where an IMAP fetch gets its secret: a password file, the TLSRPT_IMAP_PASSWORD variable or
// ~/.netrc — never the command line, where other users could read it — or an OAuth2 access token
// printed by a command the operator names (docs/fetch.md).
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <string_view>

namespace tlsrpt {

// The password of `host` (and `user`, when the entry names a login) in .netrc text: "machine",
// "login" and "password" tokens as ftp(1) reads them; a "default" entry matches no host here.
std::optional<std::string> netrc_password(std::istream& netrc, std::string_view host,
                                          std::string_view user);

// The first line of `file`, else TLSRPT_IMAP_PASSWORD, else ~/.netrc's entry for host and user.
// Throws UsageError naming every place looked in when there is none.
std::string imap_password(const std::string& file, const std::string& host,
                          const std::string& user);

// The first line `command` prints (run by /bin/sh, at most 64 KiB read); it must exit 0 and print
// something. Throws UsageError otherwise. The token itself never appears in a message.
std::string token_from_command(const std::string& command);

}  // namespace tlsrpt
