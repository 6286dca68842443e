// One MX address probed as a sending MTA would (RFC 8461 §4.2, §7; RFC 7672): connect to port
// 25, read the banner, EHLO, STARTTLS, a TLS handshake with SNI = the MX name. The chain the
// server sent is then checked as MTA-STS senders check it (a trusted root, a SAN matching the MX
// name, the validity period) and, when usable TLSA records were found, as DANE senders check it
// (OpenSSL's DANE verification, DANE-EE without name checks as Postfix does). Every step has a
// deadline and every read a size bound: a server that drips or never ends a line costs at most
// the timeout.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include <fmt/format.h>

#include "tls_verify.hpp"
#include "tlsrpt/live.hpp"
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tlsrpt {

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxLine = 4096;       // bytes in one reply line
constexpr std::size_t kMaxReplyLines = 100;  // lines in one multi-line reply

class Connection {
 public:
  explicit Connection(double timeout_seconds)
      : step_(std::chrono::milliseconds(static_cast<long>(timeout_seconds * 1000))) {}
  ~Connection() {
    if (ssl_) SSL_free(ssl_);
    if (fd_ >= 0) close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects to address:port within one step's time. "" or what went wrong.
  std::string connect_to(const std::string& address, int port) {
    addrinfo hints{};
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (getaddrinfo(address.c_str(), service.c_str(), &hints, &found) != 0 || !found) {
      return fmt::format("\"{}\" is not an IP address", address);
    }
    fd_ = socket(found->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
      freeaddrinfo(found);
      return std::strerror(errno);
    }
    start_step();
    int result = ::connect(fd_, found->ai_addr, found->ai_addrlen);
    freeaddrinfo(found);
    if (result != 0 && errno != EINPROGRESS) return std::strerror(errno);
    if (result != 0) {
      if (!wait(POLLOUT)) return "no connection within the timeout";
      int error = 0;
      socklen_t size = sizeof error;
      getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &size);
      if (error != 0) return std::strerror(error);
    }
    return "";
  }

  void start_step() { deadline_ = Clock::now() + step_; }

  // One SMTP reply, all its lines: (code, text). code 0: no complete reply (see `error`).
  std::pair<int, std::string> reply(std::string& error) {
    std::string text;
    for (std::size_t lines = 0; lines < kMaxReplyLines; ++lines) {
      std::string line;
      if (!read_line(line, error)) return {0, text};
      if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0]))) {
        error = "the server's reply is not SMTP";
        return {0, text};
      }
      text += line;
      text += '\n';
      if (line.size() == 3 || line[3] != '-') return {std::stoi(line.substr(0, 3)), text};
    }
    error = fmt::format("a reply of more than {} lines", kMaxReplyLines);
    return {0, text};
  }

  bool send(std::string_view text, std::string& error) {
    while (!text.empty()) {
      const ssize_t sent = ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
      if (sent > 0) {
        text.remove_prefix(static_cast<std::size_t>(sent));
      } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!wait(POLLOUT)) {
          error = "the server did not read within the timeout";
          return false;
        }
      } else {
        error = std::strerror(errno);
        return false;
      }
    }
    return true;
  }

  // The TLS handshake on this connection; "" or what went wrong.
  std::string handshake(SSL_CTX* context, const std::string& host,
                        const std::vector<TlsaRecord>& tlsa) {
    ssl_ = SSL_new(context);
    if (!ssl_) return "cannot start TLS (OpenSSL)";
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, host.c_str());
    if (!tlsa.empty()) {
      SSL_dane_enable(ssl_, host.c_str());
      SSL_dane_set_flags(ssl_, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
      for (const TlsaRecord& record : tlsa) {
        SSL_dane_tlsa_add(ssl_, record.usage, record.selector, record.matching,
                          reinterpret_cast<const unsigned char*>(record.data.data()),
                          record.data.size());
      }
    }
    start_step();
    while (true) {
      ERR_clear_error();
      const int result = SSL_connect(ssl_);
      if (result == 1) return "";
      const int why = SSL_get_error(ssl_, result);
      if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE) {
        if (!wait(why == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT)) {
          return "no TLS handshake within the timeout";
        }
        continue;
      }
      const unsigned long code = ERR_get_error();
      if (code != 0) {
        char text[256];
        ERR_error_string_n(code, text, sizeof text);
        return fmt::format("TLS handshake failed: {}", text);
      }
      return "TLS handshake failed: the server closed the connection";
    }
  }

  SSL* ssl() const { return ssl_; }

 private:
  bool wait(short events) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
    if (left <= 0) return false;
    pollfd fd{fd_, events, 0};
    return poll(&fd, 1, static_cast<int>(left)) > 0;
  }

  bool read_line(std::string& line, std::string& error) {
    while (true) {
      const auto newline = buffer_.find('\n');
      if (newline != std::string::npos) {
        line = buffer_.substr(0, newline);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        buffer_.erase(0, newline + 1);
        return true;
      }
      if (buffer_.size() > kMaxLine) {
        error = fmt::format("a reply line longer than {} bytes", kMaxLine);
        return false;
      }
      char chunk[1024];
      const ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
      if (got > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(got));
      } else if (got == 0) {
        error = "the server closed the connection";
        return false;
      } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (!wait(POLLIN)) {
          error = "no complete reply within the timeout";
          return false;
        }
      } else {
        error = std::strerror(errno);
        return false;
      }
    }
  }

  std::chrono::milliseconds step_;
  Clock::time_point deadline_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buffer_;
};

std::string name_text(const X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string text(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return text;
}

std::int64_t unix_time(const ASN1_TIME* time) {
  std::tm parts{};
  if (!time || ASN1_TIME_to_tm(time, &parts) != 1) return 0;
  return static_cast<std::int64_t>(timegm(&parts));
}

}  // namespace

SmtpProbe probe_smtp(const std::string& mx_host, const std::string& address,
                     const std::vector<TlsaRecord>& tlsa, const LiveOptions& options) {
  SmtpProbe probe;
  probe.address = address;
  std::string dial = address;
  int port = 25;
  if (auto target = connect_to_target(options.connect_to, mx_host, 25)) {
    dial = target->first;
    port = target->second;
  }
  probe.dialed = dial.find(':') != std::string::npos ? fmt::format("[{}]:{}", dial, port)
                                                     : fmt::format("{}:{}", dial, port);
  Connection connection(options.timeout_seconds);
  if (std::string error = connection.connect_to(dial, port); !error.empty()) {
    probe.error = fmt::format("cannot connect to {}: {}", probe.dialed, error);
    probe.could_not_tell = true;
    return probe;
  }
  probe.connected = true;
  std::string error;
  connection.start_step();
  auto [code, text] = connection.reply(error);
  probe.banner = text.substr(0, text.find('\n'));
  if (code != 220) {
    probe.error = code == 0
                      ? fmt::format("no greeting: {}", error)
                      : fmt::format("the server greets with {}, not 220: {}", code, probe.banner);
    probe.could_not_tell = true;  // it may refuse us, not every sender
    return probe;
  }
  connection.start_step();
  if (!connection.send("EHLO tlsrpt.invalid\r\n", error)) {
    probe.error = fmt::format("EHLO: {}", error);
    probe.could_not_tell = true;
    return probe;
  }
  std::tie(code, text) = connection.reply(error);
  if (code != 250) {
    probe.error = code == 0 ? fmt::format("no answer to EHLO: {}", error)
                            : fmt::format("EHLO answered {}", code);
    probe.could_not_tell = true;
    return probe;
  }
  // "250-STARTTLS" or "250 STARTTLS", any case.
  for (std::size_t at = 0; at < text.size();) {
    const auto end = text.find('\n', at);
    std::string keyword = text.substr(at + 4, end - at - 4);
    for (char& c : keyword) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (keyword == "STARTTLS" || keyword.starts_with("STARTTLS ")) probe.starttls_offered = true;
    at = end + 1;
  }
  if (!probe.starttls_offered) return probe;
  connection.start_step();
  if (!connection.send("STARTTLS\r\n", error)) {
    probe.error = fmt::format("STARTTLS: {}", error);
    return probe;
  }
  std::tie(code, text) = connection.reply(error);
  if (code != 220) {
    probe.error = code == 0 ? fmt::format("no answer to STARTTLS: {}", error)
                            : fmt::format("STARTTLS answered {}", code);
    probe.starttls_offered = false;
    return probe;
  }

  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_min_proto_version(context, TLS1_VERSION);   // to see an old server, not to use it
  SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);  // judged below, each check apart
  SSL_CTX_set_default_verify_paths(context);
  if (!tlsa.empty()) SSL_CTX_dane_enable(context);
  error = connection.handshake(context, mx_host, tlsa);
  if (!error.empty()) {
    probe.error = error;
    SSL_CTX_free(context);
    return probe;
  }
  probe.handshake = true;
  SSL* ssl = connection.ssl();
  probe.tls_version = SSL_get_version(ssl);
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  X509* leaf = SSL_get0_peer_certificate(ssl);
  for (int i = 0; chain && i < sk_X509_num(chain); ++i) {
    X509* certificate = sk_X509_value(chain, i);
    probe.chain.push_back({name_text(X509_get_subject_name(certificate)),
                           name_text(X509_get_issuer_name(certificate)),
                           unix_time(X509_get0_notBefore(certificate)),
                           unix_time(X509_get0_notAfter(certificate))});
  }
  if (leaf) {
    // As MTA-STS senders check it (RFC 8461 §4.2); expiry is judged from the dates above.
    const ChainVerdict verdict = verify_chain(leaf, chain, mx_host, options.ca_file);
    probe.trusted = verdict.trusted;
    probe.trust_error = verdict.trust_error;
    probe.name_matches = verdict.name_matches;
  } else {
    probe.trust_error = "the server sent no certificate";
  }
  if (!tlsa.empty()) {
    probe.dane_checked = true;
    probe.dane_matched = SSL_get0_dane_authority(ssl, nullptr, nullptr) >= 0 &&
                         SSL_get_verify_result(ssl) == X509_V_OK;
    if (!probe.dane_matched) {
      probe.dane_error = X509_verify_cert_error_string(SSL_get_verify_result(ssl));
    }
  }
  SSL_shutdown(ssl);
  SSL_CTX_free(context);
  return probe;
}

}  // namespace tlsrpt
