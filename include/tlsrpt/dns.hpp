// DNS lookups for the live domain check, over libunbound: a validating stub resolver that says of
// each answer whether DNSSEC proved it (secure), disproved it (bogus) or neither (insecure).
// Every query has a deadline; a resolver that does not answer in time is "could not tell".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tlsrpt {

inline constexpr int kDnsA = 1;
inline constexpr int kDnsCname = 5;
inline constexpr int kDnsMx = 15;
inline constexpr int kDnsTxt = 16;
inline constexpr int kDnsAaaa = 28;
inline constexpr int kDnsTlsa = 52;

enum class DnsStatus {
  ok,        // records found
  nodata,    // the name exists, without records of this type
  nxdomain,  // the name does not exist
  servfail,  // the resolver failed (also: a DNSSEC failure it reports as SERVFAIL)
  bogus,     // DNSSEC validation failed: the answer must not be used
  error,     // no answer: timeout, network or resolver error (see `error`)
};

std::string_view dns_status_name(DnsStatus status);

struct DnsAnswer {
  DnsStatus status = DnsStatus::error;
  bool secure = false;             // DNSSEC-validated (ok, nodata and nxdomain can be)
  std::string error;               // why bogus, or why no answer came
  std::string canonical;           // the name after CNAMEs, without the trailing dot
  std::vector<std::string> rdata;  // each record's data, wire format
};

struct ResolverOptions {
  std::string forward;       // "ADDR[@PORT]"; empty: the system's resolvers (/etc/resolv.conf)
  std::string trust_anchor;  // a file of DS or DNSKEY records; empty: the system's root anchor
  double timeout_seconds = 10;
};

class Resolver {
 public:
  // Throws std::runtime_error when the options cannot be applied (an unreadable trust anchor
  // file, a bad address).
  explicit Resolver(const ResolverOptions& options);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  DnsAnswer query(const std::string& name, int type);

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  double timeout_seconds_;
};

// Record data decoders; each returns nullopt when the data is malformed.
// TXT: the character-strings concatenated (RFC 7208 §3.3, RFC 8460 §3: one record, many strings).
std::optional<std::string> txt_text(std::string_view rdata);
struct MxRecord {
  std::uint16_t preference = 0;
  std::string host;  // without the trailing dot; "" for the null MX "." (RFC 7505)
};
std::optional<MxRecord> mx_record(std::string_view rdata);
// A or AAAA data as text ("192.0.2.1", "2001:db8::1").
std::optional<std::string> address_text(std::string_view rdata);
struct TlsaRecord {
  std::uint8_t usage = 0;
  std::uint8_t selector = 0;
  std::uint8_t matching = 0;
  std::string data;  // the association data, binary
};
std::optional<TlsaRecord> tlsa_record(std::string_view rdata);

}  // namespace tlsrpt
