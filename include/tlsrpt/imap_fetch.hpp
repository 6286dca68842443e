// `tlsrpt fetch`: copies the messages of an IMAP folder into a local Maildir, incrementally and
// without altering the mailbox unless asked (docs/fetch.md). The IMAP protocol is libetpan's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsrpt {

struct ImapUrl {
  bool implicit_tls = true;  // imaps://; imap:// is STARTTLS (or plain with --insecure-plain)
  std::string user;
  std::string host;
  std::uint16_t port = 993;
  std::string folder = "INBOX";  // as the user wrote it, "/" between levels
};

// imaps://USER@HOST[:PORT]/FOLDER, percent-escapes decoded; nullopt with `error` set otherwise.
std::optional<ImapUrl> parse_imap_url(std::string_view url, std::string& error);

// RFC 3501 §5.1.3 modified UTF-7, as IMAP names folders: "Rapports été" → "Rapports &AOk-t&AOk-".
std::string modified_utf7(std::string_view utf8);

// What a previous run fetched from one folder: the state file (FILE next to the Maildir, named
// DIR.tlsrpt-fetch.json) lists one per server, user and folder.
struct FolderState {
  std::string server;  // host:port
  std::string user;
  std::string folder;
  std::uint32_t uidvalidity = 0;
  std::uint32_t last_uid = 0;  // every message up to it is in the Maildir
};
std::vector<FolderState> read_fetch_state(const std::string& path);  // throws runtime_error
void write_fetch_state(const std::string& path, const std::vector<FolderState>& states);

struct FetchOptions {
  ImapUrl url;
  std::string maildir;
  std::string password;      // for LOGIN; empty with an OAuth2 token
  std::string oauth2_token;  // XOAUTH2
  std::string ca_file;
  bool insecure_plain = false;
  std::string move_to;  // a folder to move fetched messages to
  bool delete_after = false;
  std::uint64_t max_message_bytes = 64 * 1024 * 1024;
  double timeout_seconds = 60;
  std::uint32_t batch = 500;  // UIDs asked about at once
};

struct FetchProgress {
  std::uint64_t done = 0;   // messages looked at
  std::uint64_t total = 0;  // new messages in the folder
  std::uint64_t bytes = 0;
};

struct FetchResult {
  std::uint64_t messages = 0;    // new in the Maildir
  std::uint64_t reports = 0;     // of them, messages with a TLS report
  std::uint64_t bytes = 0;       // of them
  std::uint64_t duplicates = 0;  // fetched but already in the Maildir (same content)
  std::uint64_t moved = 0;
  std::uint64_t deleted = 0;
  bool uidvalidity_changed = false;
  std::vector<std::string> skipped;  // one line per message not fetched, its UID named
  std::string error;                 // what stopped the run; empty when it ran to the end
};

// Fetches every message of the folder not fetched before. Never throws for a network or server
// problem: `error` says what happened, and what was fetched until then is kept (and recorded).
FetchResult fetch_to_maildir(const FetchOptions& options,
                             const std::function<void(const FetchProgress&)>& progress = nullptr);

}  // namespace tlsrpt
