#include "tlsrpt/dns.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include <arpa/inet.h>
#include <poll.h>
#include <unbound.h>

namespace tlsrpt {

namespace {

// The root trust anchor Debian's dns-root-data installs; unbound-anchor's copy otherwise.
constexpr const char* kRootAnchors[] = {"/usr/share/dns/root.key", "/var/lib/unbound/root.key"};

std::string without_dot(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

// A wire-format name (uncompressed, as libunbound hands record data out) from `data` at `at`.
std::optional<std::string> wire_name(std::string_view data, std::size_t& at) {
  std::string name;
  while (true) {
    if (at >= data.size()) return std::nullopt;
    const auto length = static_cast<unsigned char>(data[at++]);
    if (length == 0) return name;
    if (length > 63 || at + length > data.size() || name.size() + length > 253) {
      return std::nullopt;
    }
    if (!name.empty()) name += '.';
    name.append(data.substr(at, length));
    at += length;
  }
}

struct Pending {
  bool done = false;
  int error = 0;
  ub_result* result = nullptr;
};

void on_result(void* data, int error, ub_result* result) {
  auto* pending = static_cast<Pending*>(data);
  pending->done = true;
  pending->error = error;
  pending->result = result;
}

}  // namespace

std::string_view dns_status_name(DnsStatus status) {
  switch (status) {
    case DnsStatus::ok:
      return "ok";
    case DnsStatus::nodata:
      return "nodata";
    case DnsStatus::nxdomain:
      return "nxdomain";
    case DnsStatus::servfail:
      return "servfail";
    case DnsStatus::bogus:
      return "bogus";
    case DnsStatus::error:
      return "error";
  }
  return "error";
}

struct Resolver::Context {
  ub_ctx* ctx = nullptr;
  ~Context() {
    if (ctx) ub_ctx_delete(ctx);
  }
};

Resolver::Resolver(const ResolverOptions& options)
    : context_(std::make_unique<Context>()), timeout_seconds_(options.timeout_seconds) {
  context_->ctx = ub_ctx_create();
  if (!context_->ctx) throw std::runtime_error("cannot create a DNS resolver (libunbound)");
  ub_ctx* ctx = context_->ctx;
  const auto fail = [](const std::string& what, int code) {
    throw std::runtime_error(fmt::format("{}: {}", what, ub_strerror(code)));
  };
  // Trust anchors first: later settings finalise the context.
  if (!options.trust_anchor.empty()) {
    if (const int code = ub_ctx_add_ta_file(ctx, options.trust_anchor.c_str())) {
      fail(fmt::format("--trust-anchor {}", options.trust_anchor), code);
    }
  } else {
    for (const char* file : kRootAnchors) {
      if (std::filesystem::exists(file)) {
        if (const int code = ub_ctx_add_ta_file(ctx, file)) fail(file, code);
        break;
      }
    }
  }
  ub_ctx_async(ctx, 1);  // a thread, not a forked process, answers the asynchronous queries
  if (options.forward.empty()) {
    if (const int code = ub_ctx_resolvconf(ctx, nullptr)) fail("/etc/resolv.conf", code);
  } else {
    if (const int code = ub_ctx_set_option(ctx, "do-not-query-localhost:", "no")) {
      fail("do-not-query-localhost", code);
    }
    if (const int code = ub_ctx_set_fwd(ctx, options.forward.c_str())) {
      fail(fmt::format("--resolver {}", options.forward), code);
    }
  }
}

Resolver::~Resolver() = default;

DnsAnswer Resolver::query(const std::string& name, int type) {
  DnsAnswer answer;
  ub_ctx* ctx = context_->ctx;
  Pending pending;
  int id = 0;
  if (const int code =
          ub_resolve_async(ctx, name.c_str(), type, 1 /* IN */, &pending, on_result, &id)) {
    answer.error = ub_strerror(code);
    return answer;
  }
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<long>(timeout_seconds_ * 1000));
  while (!pending.done) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) {
      ub_cancel(ctx, id);
      answer.error = fmt::format("no answer within {} s", timeout_seconds_);
      return answer;
    }
    pollfd fd{ub_fd(ctx), POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left)) > 0) ub_process(ctx);
  }
  if (pending.error != 0) {
    answer.error = ub_strerror(pending.error);
    return answer;
  }
  ub_result* result = pending.result;
  answer.secure = result->secure != 0;
  if (result->canonname) answer.canonical = without_dot(result->canonname);
  if (result->bogus) {
    answer.status = DnsStatus::bogus;
    answer.error = result->why_bogus ? result->why_bogus : "DNSSEC validation failed";
  } else if (result->rcode == 3) {
    answer.status = DnsStatus::nxdomain;
  } else if (result->rcode != 0) {
    answer.status = DnsStatus::servfail;
    answer.error = fmt::format("the resolver answered rcode {}", result->rcode);
  } else if (!result->havedata) {
    answer.status = DnsStatus::nodata;
  } else {
    answer.status = DnsStatus::ok;
    for (int i = 0; result->data[i]; ++i)
      answer.rdata.emplace_back(result->data[i], result->len[i]);
  }
  ub_resolve_free(result);
  return answer;
}

std::optional<std::string> txt_text(std::string_view rdata) {
  std::string text;
  std::size_t at = 0;
  while (at < rdata.size()) {
    const auto length = static_cast<unsigned char>(rdata[at++]);
    if (at + length > rdata.size()) return std::nullopt;
    text.append(rdata.substr(at, length));
    at += length;
  }
  return text;
}

std::optional<MxRecord> mx_record(std::string_view rdata) {
  if (rdata.size() < 3) return std::nullopt;
  MxRecord record;
  record.preference = static_cast<std::uint16_t>(static_cast<unsigned char>(rdata[0]) << 8 |
                                                 static_cast<unsigned char>(rdata[1]));
  std::size_t at = 2;
  auto host = wire_name(rdata, at);
  if (!host || at != rdata.size()) return std::nullopt;
  record.host = std::move(*host);
  return record;
}

std::optional<std::string> address_text(std::string_view rdata) {
  char text[INET6_ADDRSTRLEN] = {};
  if (rdata.size() == 4) {
    if (!inet_ntop(AF_INET, rdata.data(), text, sizeof text)) return std::nullopt;
  } else if (rdata.size() == 16) {
    if (!inet_ntop(AF_INET6, rdata.data(), text, sizeof text)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<TlsaRecord> tlsa_record(std::string_view rdata) {
  if (rdata.size() < 4) return std::nullopt;
  TlsaRecord record;
  record.usage = static_cast<std::uint8_t>(rdata[0]);
  record.selector = static_cast<std::uint8_t>(rdata[1]);
  record.matching = static_cast<std::uint8_t>(rdata[2]);
  record.data = rdata.substr(3);
  return record;
}

}  // namespace tlsrpt
