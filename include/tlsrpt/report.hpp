// The RFC 8460 §4 report model: plain structs, no behaviour beyond naming the enums.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tlsrpt/sts_policy.hpp"

namespace tlsrpt {

// RFC 8460 §4.3 and the IANA "STARTTLS Validation Result Types" registry, plus the two
// non-registry types real senders use. Anything else is `unknown` with the text kept.
enum class ResultType {
  starttls_not_supported,
  certificate_host_mismatch,
  certificate_expired,
  certificate_not_trusted,
  validation_failure,
  tlsa_invalid,
  dnssec_invalid,
  dane_required,
  sts_policy_fetch_error,
  sts_policy_invalid,
  sts_webpki_invalid,
  mx_mismatch,
  transient_network_error,
  unknown,
};

enum class PolicyType { sts, tlsa, no_policy_found, unknown };

// The wire name ("certificate-expired"); "" for unknown.
std::string_view result_type_name(ResultType type);
// Exact match on the wire name; unknown otherwise.
ResultType parse_result_type(std::string_view text);

std::string_view policy_type_name(PolicyType type);
PolicyType parse_policy_type(std::string_view text);

struct DateRange {
  std::int64_t start = 0;  // Unix seconds, UTC
  std::int64_t end = 0;
};

struct FailureDetail {
  ResultType result_type = ResultType::unknown;
  std::string result_type_text;  // as sent (verbatim, also for known types)
  std::string sending_mta_ip;
  std::string receiving_mx_hostname;
  std::string receiving_mx_helo;
  std::string receiving_ip;
  std::uint64_t failed_session_count = 0;
  std::string additional_information;
  std::string failure_reason_code;
};

struct Policy {
  PolicyType policy_type = PolicyType::unknown;
  std::string policy_type_text;  // as sent
  std::vector<std::string> policy_string;
  std::string policy_domain;
  std::vector<std::string> mx_host;
  // Parsed from policy_string when policy_type is sts.
  std::optional<StsPolicy> sts;
  std::uint64_t total_successful_session_count = 0;
  std::uint64_t total_failure_session_count = 0;
  std::vector<FailureDetail> failure_details;
};

struct Report {
  std::string organization_name;
  DateRange date_range;
  std::string contact_info;
  std::string report_id;
  std::vector<Policy> policies;
};

// What tells reports apart (analyze.hpp, deduplication): a 96-bit hash of organization-name +
// report-id + date-range, and a 32-bit hash of the content, to tell a conflicting duplicate.
struct ReportIdentity {
  std::uint32_t key[3] = {};
  std::uint32_t fingerprint = 0;
};
ReportIdentity identify(const Report& report);

// The name a report's sender goes by: organization-name, else contact-info, else "(unknown)".
// Successful and failed sessions.
struct Counts {
  std::uint64_t successful = 0;
  std::uint64_t failed = 0;
};

// failed / (successful + failed), 0 when there were no sessions.
double failure_rate(const Counts& counts);

// The counts a report contributes once the tlsa/sts rule is applied (docs/totals.md): `counted[i]`
// tells whether policy i counts towards totals. For one policy domain a `tlsa` group and an `sts`
// group describe the same sessions (Microsoft): only the group with more sessions counts.
std::vector<bool> counted_policies(const Report& report);

// The policy type as shown: the registry name, an unknown type verbatim, or "(missing)".
std::string_view policy_type_label(const Policy& policy);

std::string_view sender_label(const Report& report);
// A failure detail's type as counted: the registry name, an unknown type verbatim, or "(missing)".
std::string_view result_type_label(const FailureDetail& detail);
// A policy's domain as counted: lower-cased, "(none)" when absent.
std::string domain_label(const Policy& policy);
// The same without allocating: a view of the domain, or of its lower-cased copy in `scratch`.
std::string_view domain_label(const Policy& policy, std::string& scratch);

}  // namespace tlsrpt
