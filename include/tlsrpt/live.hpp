// The live state of a domain as a sending MTA sees it now (RFC 8460 §3, RFC 8461, RFC 7672):
// its TLSRPT and MTA-STS records, its MTA-STS policy fetched as a sender fetches it, its MX hosts
// matched against the policy, each MX address probed over STARTTLS, and DANE where DNSSEC
// allows it. Every result is a finding in the RFC 8460 result-type vocabulary, so that a live
// finding and a reported failure speak the same language.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tlsrpt/dns.hpp"
#include "tlsrpt/report.hpp"
#include "tlsrpt/sts_policy.hpp"

namespace tlsrpt {

// blocks: senders would refuse mail under mode: enforce (or will not report); warning: fix
// soon; info: worth knowing; ok: checked and fine.
enum class FindingSeverity { blocks, warning, info, ok };

std::string_view finding_severity_name(FindingSeverity severity);

struct Finding {
  std::string check;  // what was checked: "tlsrpt_record", "sts_policy", "starttls"…
  FindingSeverity severity = FindingSeverity::info;
  std::string subject;                    // the domain, host or address it is about
  std::optional<ResultType> result_type;  // the RFC 8460 type, when one applies
  std::string message;
  bool could_not_tell = false;  // the check could not be made (a warning): never a pass
};

// A `v=TLSRPTv1` record (RFC 8460 §3).
struct TlsrptRecord {
  std::string text;
  std::vector<std::string> rua;
  std::vector<std::pair<std::string, std::string>> extensions;
  std::vector<std::string> problems;  // empty: valid
};
TlsrptRecord parse_tlsrpt_record(std::string_view text);

// A `v=STSv1` record (RFC 8461 §3.1).
struct StsRecord {
  std::string text;
  std::string id;
  std::vector<std::string> problems;  // empty: valid
};
StsRecord parse_sts_record(std::string_view text);

struct CertificateInfo {
  std::string subject;
  std::string issuer;
  std::int64_t not_before = 0;  // Unix seconds
  std::int64_t not_after = 0;
};

// One MX address probed as a sending MTA would: port 25, EHLO, STARTTLS, a TLS handshake with
// SNI = the MX name.
struct SmtpProbe {
  std::string address;
  std::string dialed;  // address:port actually dialed (differs with --connect-to)
  bool connected = false;
  std::string banner;
  bool starttls_offered = false;
  bool handshake = false;  // the TLS handshake completed
  std::string tls_version;
  std::vector<CertificateInfo> chain;  // as the server sent it, leaf first
  bool trusted = false;                // the chain verifies to a trusted root (time aside)
  std::string trust_error;
  bool name_matches = false;  // a SAN dNSName matches the MX host
  bool dane_checked = false;
  bool dane_matched = false;
  std::string dane_error;
  std::string error;            // what stopped the probe, if it stopped
  bool could_not_tell = false;  // stopped before the server said anything about TLS
};

struct MxHost {
  std::string host;
  std::uint16_t preference = 0;
  bool covered = false;  // by the live policy's mx patterns
  DnsAnswer a;
  DnsAnswer aaaa;
  std::vector<std::string> addresses;
  std::optional<DnsAnswer> tlsa_answer;  // looked up only when MX and addresses are secure
  std::vector<TlsaRecord> tlsa;
  std::vector<SmtpProbe> probes;
};

struct PolicyFetch {
  std::string url;
  bool attempted = false;
  long http_status = 0;
  std::string content_type;
  std::string location;  // a redirect's target, not followed
  std::string body;      // at most kMaxPolicyBytes
  std::string error;
  bool certificate_error = false;
  std::optional<StsPolicy> policy;
};

inline constexpr std::size_t kMaxPolicyBytes = 64 * 1024;

struct LiveOptions {
  ResolverOptions resolver;
  std::string ca_file;                  // extra roots for HTTPS and SMTP
  std::vector<std::string> connect_to;  // HOST:PORT:ADDR:PORT, as curl's --connect-to
  double timeout_seconds = 10;          // per step
  bool smtp = true;                     // probe the MX hosts
  int expiry_warning_days = 14;
  unsigned parallel = 8;  // probes at once
  std::int64_t now = 0;   // Unix seconds: certificate expiry is judged at this time
};

struct DomainState {
  std::string domain;
  DnsAnswer tlsrpt_answer;
  std::vector<TlsrptRecord> tlsrpt;  // the v=TLSRPTv1 records
  DnsAnswer sts_answer;
  std::vector<StsRecord> sts;  // the v=STSv1 records
  PolicyFetch policy;
  DnsAnswer mx_answer;
  bool null_mx = false;
  std::vector<MxHost> mx;
  std::vector<Finding> findings;

  bool blocks() const;
  bool could_not_tell() const;
};

// Looks everything up and probes; throws only when the resolver cannot be set up.
DomainState check_domain(const std::string& domain, const LiveOptions& options);

// The parts, for tests and reuse.
PolicyFetch fetch_policy(const std::string& domain, const std::vector<std::string>& addresses,
                         const LiveOptions& options);
SmtpProbe probe_smtp(const std::string& mx_host, const std::string& address,
                     const std::vector<TlsaRecord>& tlsa, const LiveOptions& options);
// "HOST:PORT:ADDR:PORT" entries of --connect-to: where to dial for (host, port), if anywhere else.
std::optional<std::pair<std::string, int>> connect_to_target(
    const std::vector<std::string>& entries, std::string_view host, int port);
// Usage 2 or 3, selector 0 or 1, matching 0, 1 or 2 (RFC 7672 §3.1).
bool tlsa_usable(const TlsaRecord& record);

}  // namespace tlsrpt

namespace tlsrpt {

// A failure type the reports show on one MX of one policy domain, and what the live state says
// of it now.
enum class LiveStatus { fixed, still_failing, cannot_tell };
std::string_view live_status_name(LiveStatus status);

struct ReportedFailure {
  std::string result_type;  // as reported
  std::string policy_domain;
  std::string receiving_mx_hostname;  // "(not given)" when the reports named none
  std::uint64_t failed = 0;           // failed sessions in the reports' window
  LiveStatus live = LiveStatus::cannot_tell;
  std::string reason;  // why fixed, still failing or cannot tell
};

// Each reported (type, policy domain, MX) judged against the live state of its domain; those of
// domains not checked live are left out.
std::vector<ReportedFailure> reconcile(std::vector<ReportedFailure> reported,
                                       const std::vector<DomainState>& live);

// What `domain`, `check --live` and `summary --live` print about the live state.
struct LiveCheck {
  std::int64_t now = 0;
  std::vector<DomainState> domains;
  std::vector<ReportedFailure> reported;  // empty without report paths
  bool with_reports = false;
};

}  // namespace tlsrpt
