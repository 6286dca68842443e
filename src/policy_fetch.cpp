// The MTA-STS policy fetched as a sending MTA fetches it (RFC 8461 §3.3): HTTPS to
// mta-sts.DOMAIN at addresses our resolver found, the certificate checked for that name, HTTP 200
// only, redirects not followed, the body capped and the whole fetch timed out.
#include <mutex>

#include <fmt/format.h>

#include "tlsrpt/live.hpp"
#include "tlsrpt/text.hpp"
#include <curl/curl.h>

namespace tlsrpt {

namespace {

struct Body {
  std::string text;
  bool too_large = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  const std::size_t bytes = size * count;
  if (body->text.size() + bytes > kMaxPolicyBytes) {
    body->too_large = true;
    return 0;  // aborts the transfer
  }
  body->text.append(data, bytes);
  return bytes;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// The policy's lines, LF or CRLF (RFC 8461 errata 6253).
std::vector<std::string> policy_lines(std::string_view body) {
  std::vector<std::string> lines;
  while (!body.empty()) {
    const auto newline = body.find('\n');
    std::string_view line = body.substr(0, newline);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    if (newline == std::string_view::npos) break;
    body = body.substr(newline + 1);
  }
  return lines;
}

}  // namespace

PolicyFetch fetch_policy(const std::string& domain, const std::vector<std::string>& addresses,
                         const LiveOptions& options) {
  global_init();
  PolicyFetch fetch;
  const std::string host = "mta-sts." + domain;
  fetch.url = fmt::format("https://{}/.well-known/mta-sts.txt", host);
  fetch.attempted = true;
  CURL* curl = curl_easy_init();
  if (!curl) {
    fetch.error = "cannot start an HTTPS client (libcurl)";
    return fetch;
  }
  Body body;
  char error[CURL_ERROR_SIZE] = {};
  curl_slist* resolve = nullptr;
  curl_slist* connect_to = nullptr;
  // The addresses come from our own resolver; curl does not look the name up again.
  if (!addresses.empty()) {
    std::string entry = fmt::format("{}:443:", host);
    for (std::size_t i = 0; i < addresses.size(); ++i) {
      entry += i ? "," : "";
      entry +=
          addresses[i].find(':') != std::string::npos ? "[" + addresses[i] + "]" : addresses[i];
    }
    resolve = curl_slist_append(resolve, entry.c_str());
  }
  for (const std::string& entry : options.connect_to) {
    connect_to = curl_slist_append(connect_to, entry.c_str());
  }
  const auto timeout_ms = static_cast<long>(options.timeout_seconds * 1000);
  curl_easy_setopt(curl, CURLOPT_URL, fetch.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // RFC 8461 §3.3: never follow
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxPolicyBytes));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "tlsrpt-domain-check");
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(curl, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
  // A gzip body is not a policy: ask for none and decode none.
  curl_easy_setopt(curl, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  if (!options.ca_file.empty()) {
    // Extra roots beside the system's: curl reads CAINFO and the system directory both.
    curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
    curl_easy_setopt(curl, CURLOPT_CAPATH, "/etc/ssl/certs");
  }
  if (resolve) curl_easy_setopt(curl, CURLOPT_RESOLVE, resolve);
  if (connect_to) curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to);

  const CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &fetch.http_status);
  if (char* type = nullptr;
      curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type) {
    fetch.content_type = type;
  }
  if (char* location = nullptr;
      curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
    fetch.location = location;
  }
  if (code != CURLE_OK) {
    if (body.too_large || code == CURLE_FILESIZE_EXCEEDED) {
      fetch.error = fmt::format("the policy is larger than {} KiB; senders give up on it",
                                kMaxPolicyBytes / 1024);
    } else {
      fetch.certificate_error =
          code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE;
      fetch.error = error[0] ? error : curl_easy_strerror(code);
    }
  } else if (fetch.http_status != 200) {
    fetch.error = fetch.location.empty()
                      ? fmt::format("HTTP status {}; senders accept only 200", fetch.http_status)
                      : fmt::format(
                            "HTTP status {} redirecting to {}; senders do not follow "
                            "redirects (RFC 8461 §3.3)",
                            fetch.http_status, fetch.location);
  } else {
    fetch.body = std::move(body.text);
    fetch.policy = parse_sts_policy(policy_lines(fetch.body));
  }
  curl_slist_free_all(resolve);
  curl_slist_free_all(connect_to);
  curl_easy_cleanup(curl);
  return fetch;
}

}  // namespace tlsrpt
