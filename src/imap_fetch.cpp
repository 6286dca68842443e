// tlsrpt fetch over libetpan: connect (TLS or STARTTLS), check the server's certificate before any
// credential is sent, log in (password or XOAUTH2), find the folder by the server's hierarchy
// separator, EXAMINE it (read-only: nothing changes on the server unless --move-to or --delete),
// then fetch the new UIDs in batches, one message body at a time with BODY.PEEK[] (which never
// sets \Seen), into the Maildir, recording the last UID after each batch.
#include "tlsrpt/imap_fetch.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tls_verify.hpp"
#include "tlsrpt/json_writer.hpp"
#include "tlsrpt/mail.hpp"
#include "tlsrpt/maildir.hpp"
#include "tlsrpt/mime.hpp"
#include "tlsrpt/text.hpp"
#include <fcntl.h>
#include <libetpan/libetpan.h>
#include <openssl/x509.h>
#include <sys/file.h>
#include <unistd.h>

namespace tlsrpt {

namespace {

// libetpan's error codes in words.
std::string imap_error(int code) {
  switch (code) {
    case MAILIMAP_ERROR_STREAM:
      return "the connection was closed or timed out";
    case MAILIMAP_ERROR_PARSE:
      return "the server's answer is not IMAP";
    case MAILIMAP_ERROR_CONNECTION_REFUSED:
      return "the connection was refused";
    case MAILIMAP_ERROR_SSL:
      return "the TLS handshake failed";
    case MAILIMAP_ERROR_STARTTLS:
      return "STARTTLS failed";
    case MAILIMAP_ERROR_LOGIN:
    case MAILIMAP_ERROR_SASL:
      return "the server refused the login";
    case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
      return "the server does not accept the connection";
    case MAILIMAP_ERROR_MEMORY:
      return "out of memory";
    default:
      return fmt::format("IMAP error {}", code);
  }
}

void set_server_name(mailstream_ssl_context* context, void* host) {
  mailstream_ssl_set_server_name(context, static_cast<char*>(host));
}

class Session {
 public:
  explicit Session(double timeout) : imap_(mailimap_new(0, nullptr)) {
    if (!imap_) throw std::bad_alloc();
    mailimap_set_timeout(imap_, std::max<time_t>(1, static_cast<time_t>(timeout)));
  }
  ~Session() {
    if (connected_) mailimap_logout(imap_);
    mailimap_free(imap_);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  mailimap* get() const { return imap_; }
  void set_connected() { connected_ = true; }
  // The server's last words, for an error message ("" when it said nothing useful).
  std::string response() const {
    return imap_->imap_response ? std::string(imap_->imap_response) : std::string();
  }

 private:
  mailimap* imap_;
  bool connected_ = false;
};

// The certificate chain the server sent, checked before credentials go out.
std::string check_certificate(mailimap* imap, const std::string& host, const std::string& ca_file) {
  carray* chain = mailstream_get_certificate_chain(imap->imap_stream);
  if (!chain || carray_count(chain) == 0) return "the server sent no certificate";
  std::vector<X509*> certificates;
  for (unsigned i = 0; i < carray_count(chain); ++i) {
    auto* der = static_cast<MMAPString*>(carray_get(chain, i));
    const auto* data = reinterpret_cast<const unsigned char*>(der->str);
    if (X509* certificate = d2i_X509(nullptr, &data, static_cast<long>(der->len))) {
      certificates.push_back(certificate);
    }
    mmap_string_free(der);
  }
  carray_free(chain);
  if (certificates.empty()) return "the server's certificate could not be read";
  STACK_OF(X509)* intermediates = sk_X509_new_null();
  for (std::size_t i = 1; i < certificates.size(); ++i)
    sk_X509_push(intermediates, certificates[i]);
  const ChainVerdict verdict = verify_chain(certificates[0], intermediates, host, ca_file);
  sk_X509_free(intermediates);
  for (X509* certificate : certificates) X509_free(certificate);
  if (!verdict.trusted) {
    return fmt::format("its certificate is not trusted ({}); for a private CA give --ca-file",
                       verdict.trust_error);
  }
  if (!verdict.name_matches) return fmt::format("its certificate is not for {}", host);
  if (!verdict.in_validity) return "its certificate is expired or not yet valid";
  return "";
}

std::vector<std::uint32_t> uids_from(mailimap* imap, std::uint32_t first, int& code) {
  std::vector<std::uint32_t> uids;
  mailimap_search_key* key = mailimap_search_key_new_uid(mailimap_set_new_interval(first, 0));
  clist* found = nullptr;
  code = mailimap_uid_search(imap, nullptr, key, &found);
  mailimap_search_key_free(key);
  if (code != MAILIMAP_NO_ERROR) return uids;
  for (clistiter* it = clist_begin(found); it; it = clist_next(it)) {
    const std::uint32_t uid = *static_cast<std::uint32_t*>(clist_content(it));
    if (uid >= first) uids.push_back(uid);  // "first:*" also answers the last UID below first
  }
  mailimap_search_result_free(found);
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

// The sizes of `uids` (one batch), by UID.
std::map<std::uint32_t, std::uint32_t> sizes_of(mailimap* imap,
                                                const std::vector<std::uint32_t>& uids, int& code) {
  std::map<std::uint32_t, std::uint32_t> sizes;
  mailimap_set* set = mailimap_set_new_empty();
  for (std::uint32_t uid : uids) mailimap_set_add_single(set, uid);
  mailimap_fetch_type* type = mailimap_fetch_type_new_fetch_att_list_empty();
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_uid());
  mailimap_fetch_type_new_fetch_att_list_add(type, mailimap_fetch_att_new_rfc822_size());
  clist* result = nullptr;
  code = mailimap_uid_fetch(imap, set, type, &result);
  mailimap_fetch_type_free(type);
  mailimap_set_free(set);
  if (code != MAILIMAP_NO_ERROR) return sizes;
  for (clistiter* it = clist_begin(result); it; it = clist_next(it)) {
    auto* message = static_cast<mailimap_msg_att*>(clist_content(it));
    std::uint32_t uid = 0;
    std::uint32_t size = 0;
    for (clistiter* item = clist_begin(message->att_list); item; item = clist_next(item)) {
      auto* attribute = static_cast<mailimap_msg_att_item*>(clist_content(item));
      if (attribute->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC) continue;
      const mailimap_msg_att_static* value = attribute->att_data.att_static;
      if (value->att_type == MAILIMAP_MSG_ATT_UID) uid = value->att_data.att_uid;
      if (value->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE) size = value->att_data.att_rfc822_size;
    }
    if (uid) sizes[uid] = size;
  }
  mailimap_fetch_list_free(result);
  return sizes;
}

// BODY.PEEK[] of one message: the whole message, \Seen untouched.
std::optional<std::string> body_of(mailimap* imap, std::uint32_t uid, int& code) {
  mailimap_set* set = mailimap_set_new_single(uid);
  mailimap_fetch_type* type = mailimap_fetch_type_new_fetch_att(
      mailimap_fetch_att_new_body_peek_section(mailimap_section_new(nullptr)));
  clist* result = nullptr;
  code = mailimap_uid_fetch(imap, set, type, &result);
  mailimap_fetch_type_free(type);
  mailimap_set_free(set);
  if (code != MAILIMAP_NO_ERROR) return std::nullopt;
  std::optional<std::string> body;
  for (clistiter* it = clist_begin(result); it && !body; it = clist_next(it)) {
    auto* message = static_cast<mailimap_msg_att*>(clist_content(it));
    for (clistiter* item = clist_begin(message->att_list); item; item = clist_next(item)) {
      auto* attribute = static_cast<mailimap_msg_att_item*>(clist_content(item));
      if (attribute->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC) continue;
      const mailimap_msg_att_static* value = attribute->att_data.att_static;
      if (value->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && value->att_data.att_body_section &&
          value->att_data.att_body_section->sec_body_part) {
        body = std::string(value->att_data.att_body_section->sec_body_part,
                           value->att_data.att_body_section->sec_length);
        break;
      }
    }
  }
  mailimap_fetch_list_free(result);
  return body;
}

bool holds_report(const std::string& message) {
  return !scan_message(parse_message(message)).parts.empty();
}

// The server's name for `folder`: "/" between levels becomes its hierarchy separator, non-ASCII
// becomes modified UTF-7.
std::string server_folder_name(mailimap* imap, const std::string& folder) {
  char separator = '/';
  clist* list = nullptr;
  if (mailimap_list(imap, "", "", &list) == MAILIMAP_NO_ERROR && list) {
    if (clist_begin(list)) {
      const auto* entry = static_cast<mailimap_mailbox_list*>(clist_content(clist_begin(list)));
      if (entry->mb_delimiter) separator = entry->mb_delimiter;
    }
    mailimap_list_result_free(list);
  }
  std::string name = folder;
  std::replace(name.begin(), name.end(), '/', separator);
  return modified_utf7(name);
}

bool folder_exists(mailimap* imap, const std::string& name) {
  clist* list = nullptr;
  if (mailimap_list(imap, "", name.c_str(), &list) != MAILIMAP_NO_ERROR || !list) return false;
  const bool found = clist_begin(list) != nullptr;
  mailimap_list_result_free(list);
  return found;
}

// Removes the messages `uids` from the folder: moved to `move_to` (MOVE, or COPY and \Deleted),
// or only flagged \Deleted; then expunged by UID when the server can (UIDPLUS), so that messages
// others flagged are left alone.
std::string remove_messages(mailimap* imap, const std::vector<std::uint32_t>& uids,
                            const std::string& move_to) {
  if (uids.empty()) return "";
  mailimap_set* set = mailimap_set_new_empty();
  for (std::uint32_t uid : uids) mailimap_set_add_single(set, uid);
  int code = MAILIMAP_NO_ERROR;
  bool expunge = true;
  if (!move_to.empty() && mailimap_has_extension(imap, const_cast<char*>("MOVE"))) {
    code = mailimap_uid_move(imap, set, move_to.c_str());
    expunge = false;
  } else {
    if (!move_to.empty()) code = mailimap_uid_copy(imap, set, move_to.c_str());
    if (code == MAILIMAP_NO_ERROR) {
      mailimap_flag_list* flags = mailimap_flag_list_new_empty();
      mailimap_flag_list_add(flags, mailimap_flag_new_deleted());
      mailimap_store_att_flags* store = mailimap_store_att_flags_new_add_flags_silent(flags);
      code = mailimap_uid_store(imap, set, store);
      mailimap_store_att_flags_free(store);
    }
  }
  if (code == MAILIMAP_NO_ERROR && expunge && mailimap_has_uidplus(imap)) {
    code = mailimap_uid_expunge(imap, set);
  }
  mailimap_set_free(set);
  return code == MAILIMAP_NO_ERROR ? "" : imap_error(code);
}

// An exclusive lock on `path` for the run: two fetches into one Maildir would both append to
// the state.
class StateLock {
 public:
  explicit StateLock(const std::string& path)
      : fd_(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ < 0 || flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      throw std::runtime_error(
          fmt::format("another tlsrpt fetch holds {}; try again when it has finished", path));
    }
  }
  ~StateLock() { close(fd_); }
  StateLock(const StateLock&) = delete;
  StateLock& operator=(const StateLock&) = delete;

 private:
  int fd_;
};

}  // namespace

std::optional<ImapUrl> parse_imap_url(std::string_view url, std::string& error) {
  ImapUrl parsed;
  if (url.starts_with("imaps://")) {
    url.remove_prefix(8);
  } else if (url.starts_with("imap://")) {
    url.remove_prefix(7);
    parsed.implicit_tls = false;
    parsed.port = 143;
  } else {
    error = "the URL must start imaps:// (or imap:// for STARTTLS)";
    return std::nullopt;
  }
  const auto slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos || at == 0) {
    error = "the URL must name the user: imaps://USER@HOST/FOLDER";
    return std::nullopt;
  }
  bool malformed = false;
  const std::string user = percent_decode(authority.substr(0, at), &malformed);
  if (malformed) {
    error = "the user name has a bad %-escape";
    return std::nullopt;
  }
  parsed.user = user;
  std::string_view host = authority.substr(at + 1);
  std::string_view port;
  if (host.starts_with("[")) {
    const auto close = host.find(']');
    if (close == std::string_view::npos) {
      error = "an IPv6 address must end with ]";
      return std::nullopt;
    }
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
    if (!port.empty() && port.front() != ':') {
      error = "expected :PORT after the address";
      return std::nullopt;
    }
    if (!port.empty()) port.remove_prefix(1);
  } else if (const auto colon = host.find(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.empty()) {
    error = "the URL has no host";
    return std::nullopt;
  }
  parsed.host = host;
  if (!port.empty()) {
    unsigned value = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || (value = value * 10 + static_cast<unsigned>(c - '0')) > 65535) {
        error = fmt::format("\"{}\" is not a port", port);
        return std::nullopt;
      }
    }
    if (value == 0) {
      error = "port 0";
      return std::nullopt;
    }
    parsed.port = static_cast<std::uint16_t>(value);
  }
  if (slash != std::string_view::npos && slash + 1 < url.size()) {
    const std::string folder = percent_decode(url.substr(slash + 1), &malformed);
    if (malformed || folder.empty()) {
      error = "the folder has a bad %-escape";
      return std::nullopt;
    }
    parsed.folder = folder;
  }
  return parsed;
}

std::string modified_utf7(std::string_view utf8) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
  std::string out;
  std::vector<std::uint16_t> run;  // UTF-16 units of non-ASCII characters in a row
  const auto flush = [&] {
    if (run.empty()) return;
    out += '&';
    std::uint32_t bits = 0;
    int count = 0;
    for (std::uint16_t unit : run) {
      for (int shift : {8, 0}) {
        bits = (bits << 8) | ((unit >> shift) & 0xff);
        count += 8;
        while (count >= 6) {
          count -= 6;
          out += kAlphabet[(bits >> count) & 0x3f];
        }
      }
    }
    if (count > 0) out += kAlphabet[(bits << (6 - count)) & 0x3f];
    out += '-';
    run.clear();
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      flush();
      out += static_cast<char>(byte);
      if (byte == '&') out += '-';
      ++i;
      continue;
    }
    // One UTF-8 sequence (an invalid byte is taken as Latin-1).
    const auto next = [&](std::size_t k) {
      return static_cast<std::uint32_t>(static_cast<unsigned char>(utf8[k]) & 0x3fu);
    };
    std::uint32_t code = byte;
    std::size_t length = 1;
    if (byte >= 0xf0 && i + 3 < utf8.size()) {
      code = ((byte & 0x07u) << 18) | (next(i + 1) << 12) | (next(i + 2) << 6) | next(i + 3);
      length = 4;
    } else if (byte >= 0xe0 && i + 2 < utf8.size()) {
      code = ((byte & 0x0fu) << 12) | (next(i + 1) << 6) | next(i + 2);
      length = 3;
    } else if (byte >= 0xc0 && i + 1 < utf8.size()) {
      code = ((byte & 0x1fu) << 6) | next(i + 1);
      length = 2;
    }
    if (code >= 0x10000) {
      code -= 0x10000;
      run.push_back(static_cast<std::uint16_t>(0xd800 + (code >> 10)));
      run.push_back(static_cast<std::uint16_t>(0xdc00 + (code & 0x3ff)));
    } else {
      run.push_back(static_cast<std::uint16_t>(code));
    }
    i += length;
  }
  flush();
  return out;
}

std::vector<FolderState> read_fetch_state(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::vector<FolderState> states;
  try {
    const nlohmann::json document = nlohmann::json::parse(in);
    for (const auto& entry : document.at("folders")) {
      states.push_back({entry.at("server").get<std::string>(), entry.at("user").get<std::string>(),
                        entry.at("folder").get<std::string>(),
                        entry.at("uidvalidity").get<std::uint32_t>(),
                        entry.at("last_uid").get<std::uint32_t>()});
    }
  } catch (const nlohmann::json::exception& error) {
    throw std::runtime_error(fmt::format(
        "{} is not a fetch state file ({}); move it away to fetch everything again (messages "
        "already in the Maildir are recognised and not stored twice)",
        path, error.what()));
  }
  return states;
}

void write_fetch_state(const std::string& path, const std::vector<FolderState>& states) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    JsonWriter json(out);
    json.begin_object();
    json.key("folders");
    json.array(states, [&json](const FolderState& state) {
      json.begin_object();
      json.field("server", state.server);
      json.field("user", state.user);
      json.field("folder", state.folder);
      json.field("uidvalidity", std::uint64_t{state.uidvalidity});
      json.field("last_uid", std::uint64_t{state.last_uid});
      json.end_object();
    });
    json.end_object();
    json.end_document();
    out.flush();
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", temporary));
  }
  const int fd = open(temporary.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error(fmt::format("cannot replace {}", path));
  }
}

FetchResult fetch_to_maildir(const FetchOptions& options,
                             const std::function<void(const FetchProgress&)>& progress) {
  FetchResult result;
  const ImapUrl& url = options.url;
  const std::string where = fmt::format("{}:{}", url.host, url.port);
  try {
    MaildirWriter maildir(options.maildir);
    const std::string state_path = maildir.directory() + ".tlsrpt-fetch.json";
    const StateLock lock(state_path + ".lock");
    std::vector<FolderState> states = read_fetch_state(state_path);
    auto state = std::find_if(states.begin(), states.end(), [&](const FolderState& s) {
      return s.server == where && s.user == url.user && s.folder == url.folder;
    });
    if (state == states.end()) {
      states.push_back({where, url.user, url.folder, 0, 0});
      state = states.end() - 1;
    }

    Session session(options.timeout_seconds);
    mailimap* imap = session.get();
    std::string host = url.host;
    int code = url.implicit_tls ? mailimap_ssl_connect_with_callback(imap, host.c_str(), url.port,
                                                                     set_server_name, host.data())
                                : mailimap_socket_connect(imap, host.c_str(), url.port);
    if (code != MAILIMAP_NO_ERROR && code != MAILIMAP_NO_ERROR_AUTHENTICATED &&
        code != MAILIMAP_NO_ERROR_NON_AUTHENTICATED) {
      result.error = fmt::format("cannot connect to {}: {}", where, imap_error(code));
      return result;
    }
    session.set_connected();
    if (!url.implicit_tls && !options.insecure_plain) {
      code = mailimap_socket_starttls_with_callback(imap, set_server_name, host.data());
      if (code != MAILIMAP_NO_ERROR) {
        result.error = fmt::format(
            "{} does not do STARTTLS ({}): the password would go in clear; use imaps:// or, for "
            "a local test server only, --insecure-plain",
            where, imap_error(code));
        return result;
      }
    }
    if (url.implicit_tls || !options.insecure_plain) {
      if (std::string problem = check_certificate(imap, url.host, options.ca_file);
          !problem.empty()) {
        result.error = fmt::format("{}: {}; nothing sent, nothing fetched", where, problem);
        return result;
      }
    }
    code = options.oauth2_token.empty()
               ? mailimap_login(imap, url.user.c_str(), options.password.c_str())
               : mailimap_oauth2_authenticate(imap, url.user.c_str(), options.oauth2_token.c_str());
    if (code != MAILIMAP_NO_ERROR) {
      result.error =
          fmt::format("login as {} at {} failed: {}{}", url.user, where, imap_error(code),
                      session.response().empty() ? "" : " (" + session.response() + ")");
      return result;
    }
    const std::string folder = server_folder_name(imap, url.folder);
    if (!folder_exists(imap, folder)) {
      result.error = fmt::format("{} has no folder \"{}\" for {}", where, url.folder, url.user);
      return result;
    }
    std::string move_to;
    if (!options.move_to.empty()) {
      move_to = server_folder_name(imap, options.move_to);
      if (!folder_exists(imap, move_to)) {
        result.error = fmt::format("{} has no folder \"{}\" to move messages to (--move-to)", where,
                                   options.move_to);
        return result;
      }
    }
    const bool changes = !move_to.empty() || options.delete_after;
    code = changes ? mailimap_select(imap, folder.c_str()) : mailimap_examine(imap, folder.c_str());
    if (code != MAILIMAP_NO_ERROR) {
      result.error =
          fmt::format("cannot open \"{}\" at {}: {}", url.folder, where, imap_error(code));
      return result;
    }
    const std::uint32_t uidvalidity =
        imap->imap_selection_info ? imap->imap_selection_info->sel_uidvalidity : 0;
    if (state->uidvalidity != 0 && state->uidvalidity != uidvalidity) {
      // The server renumbered the folder: every message is fetched again and recognised by
      // content, so nothing is stored twice.
      result.uidvalidity_changed = true;
      state->last_uid = 0;
    }
    state->uidvalidity = uidvalidity;
    const std::vector<std::uint32_t> uids = uids_from(imap, state->last_uid + 1, code);
    if (code != MAILIMAP_NO_ERROR) {
      result.error =
          fmt::format("cannot list the messages of \"{}\": {}", url.folder, imap_error(code));
      return result;
    }
    FetchProgress shown{0, uids.size(), 0};
    for (std::size_t start = 0; start < uids.size(); start += options.batch) {
      const std::vector<std::uint32_t> batch(
          uids.begin() + static_cast<std::ptrdiff_t>(start),
          uids.begin() + static_cast<std::ptrdiff_t>(std::min(uids.size(), start + options.batch)));
      const auto sizes = sizes_of(imap, batch, code);
      std::vector<std::uint32_t> stored;  // on disk: may now be moved or deleted
      std::string stopped;
      if (code != MAILIMAP_NO_ERROR) stopped = imap_error(code);
      for (std::size_t i = 0; i < batch.size() && stopped.empty(); ++i) {
        const std::uint32_t uid = batch[i];
        const auto size = sizes.find(uid);
        if (size != sizes.end() && size->second > options.max_message_bytes) {
          result.skipped.push_back(fmt::format(
              "UID {} of \"{}\": {} bytes, above --max-file-size {}; left on the server", uid,
              url.folder, size->second, options.max_message_bytes));
          state->last_uid = uid;
          continue;
        }
        auto body = body_of(imap, uid, code);
        if (!body) {
          if (code == MAILIMAP_NO_ERROR) {  // expunged meanwhile
            state->last_uid = uid;
            continue;
          }
          stopped = fmt::format("{} while fetching UID {}", imap_error(code), uid);
          break;
        }
        if (body->size() > options.max_message_bytes) {
          result.skipped.push_back(
              fmt::format("UID {} of \"{}\": {} bytes, above --max-file-size {}; not stored", uid,
                          url.folder, body->size(), options.max_message_bytes));
          state->last_uid = uid;
          continue;
        }
        const std::string hash = MaildirWriter::content_hash(*body);
        if (maildir.contains(hash)) {
          ++result.duplicates;
        } else {
          maildir.deliver(*body, hash);
          ++result.messages;
          result.bytes += body->size();
          if (holds_report(*body)) ++result.reports;
        }
        stored.push_back(uid);
        state->last_uid = uid;
        ++shown.done;
        shown.bytes += body->size();
        if (progress) progress(shown);
      }
      if (changes && !stored.empty()) {
        if (std::string problem = remove_messages(imap, stored, move_to); !problem.empty()) {
          result.error = fmt::format("fetched, but could not {} them: {}",
                                     move_to.empty() ? "delete" : "move", problem);
        } else if (move_to.empty()) {
          result.deleted += stored.size();
        } else {
          result.moved += stored.size();
        }
      }
      write_fetch_state(state_path, states);
      if (!stopped.empty()) {
        result.error = fmt::format(
            "{}: {}; what was fetched until then is kept, and the next run "
            "goes on from there",
            where, stopped);
        return result;
      }
      if (!result.error.empty()) return result;
    }
    write_fetch_state(state_path, states);
  } catch (const std::runtime_error& error) {
    result.error = error.what();
  }
  return result;
}

}  // namespace tlsrpt
