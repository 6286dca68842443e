#include "tlsrpt/remedy.hpp"

#include <array>
#include <string>

namespace tlsrpt {

namespace {

constexpr Remedy kGeneric{
    "unknown", "A failure type outside the IANA registry; its meaning is the sender's.",
    "Read the failure-reason-code and additional-information; ask the sender (contact-info) what "
    "it means if it persists."};

// Well-known failure-reason-code values and the sharper hint they deserve. Matched as a
// case-insensitive substring of the code, first entry wins.
struct ReasonHint {
  std::string_view needle;
  Remedy remedy;
};

constexpr std::array<ReasonHint, 14> kReasonHints{{
    {"CERT_HAS_EXPIRED",
     {"reason-cert-expired", "The MX certificate is past its validity (OpenSSL).",
      "Renew the certificate on the MX named in the detail and automate renewal."}},
    {"DEPTH_ZERO_SELF_SIGNED",
     {"reason-self-signed", "The MX presents a self-signed certificate.",
      "Install a certificate from a public CA on every MX listed in the MTA-STS policy."}},
    {"self-signed",
     {"reason-self-signed", "The MX presents a self-signed certificate.",
      "Install a certificate from a public CA on every MX listed in the MTA-STS policy."}},
    {"SELF_SIGNED_CERT_IN_CHAIN",
     {"reason-self-signed-chain", "The chain ends in a self-signed certificate no client trusts.",
      "Serve the chain up to a public root; do not include a private root."}},
    {"UNABLE_TO_GET_ISSUER_CERT",
     {"reason-incomplete-chain", "The MX does not send the intermediate certificate(s).",
      "Configure the MX to serve the full chain (leaf + intermediates), e.g. fullchain.pem."}},
    {"UNABLE_TO_VERIFY_LEAF_SIGNATURE",
     {"reason-incomplete-chain", "The MX does not send the intermediate certificate(s).",
      "Configure the MX to serve the full chain (leaf + intermediates), e.g. fullchain.pem."}},
    {"HOSTNAME_MISMATCH",
     {"reason-hostname-mismatch", "No name in the certificate matches the MX hostname.",
      "Add every MX hostname to the certificate's SAN list (a wildcard covers one label)."}},
    {"MX_HOSTS_MISMATCH",
     {"reason-mx-not-in-policy",
      "The MX the sender reached is not in the policy's mx list (Microsoft).",
      "Add the MX to the policy's mx: lines, then bump the id= in the _mta-sts TXT record."}},
    {"bad https response code",
     {"reason-policy-http-status", "The policy host answered the policy fetch with an HTTP error.",
      "Make https://mta-sts.<domain>/.well-known/mta-sts.txt return 200 with the policy."}},
    {"context deadline exceeded",
     {"reason-policy-timeout", "Fetching the policy or connecting timed out.",
      "Check that mta-sts.<domain> and the MX answer quickly from the internet (firewall, DNS)."}},
    {"no such host",
     {"reason-dns-nxdomain", "A name did not resolve (often mta-sts.<domain>).",
      "Publish the A/AAAA record for mta-sts.<domain> or the MX host named in the detail."}},
    {"connection refused",
     {"reason-connection-refused", "The host refused the connection.",
      "Open the port (443 on mta-sts.<domain>, 25 on the MX) and check the service runs."}},
    {"PROXY_PATH_LENGTH_EXCEEDED",
     {"reason-chain-too-long",
      "The certificate chain is longer than a path-length constraint allows.",
      "Serve the chain issued by your CA without extra cross-signed certificates."}},
    {"tlsa",
     {"reason-tlsa", "A TLSA record did not match the certificate the MX presented.",
      "Publish the TLSA hash of the new key before rotating; check with a DANE checker."}},
}};

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
  const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
  if (needle.size() > haystack.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < needle.size() && match; ++j) {
      match = lower(haystack[i + j]) == lower(needle[j]);
    }
    if (match) return true;
  }
  return false;
}

}  // namespace

Remedy remedy_for(ResultType type) {
  switch (type) {
    case ResultType::starttls_not_supported:
      return {
          "starttls-not-supported",
          "The MX did not offer STARTTLS, or failed before the TLS handshake.",
          "Enable STARTTLS on the MX named in the detail (often a forgotten backup MX). If only "
          "one sender reports it, the problem may be on their side."};
    case ResultType::certificate_host_mismatch:
      return {
          "certificate-host-mismatch",
          "The certificate is valid, but none of its names matches the MX hostname.",
          "Issue a certificate that names every MX hostname (a wildcard covers one label only)."};
    case ResultType::certificate_expired:
      return {"certificate-expired", "The MX certificate is past its validity.",
              "Renew it, automate renewal, and monitor expiry on every MX."};
    case ResultType::certificate_not_trusted:
      return {"certificate-not-trusted",
              "Untrusted or unknown CA, a broken chain, or violated name constraints.",
              "Serve the full chain from a public CA; the failure-reason-code tells which part."};
    case ResultType::validation_failure:
      return {"validation-failure", "A general failure not covered by the other types.",
              "Read the failure-reason-code; reproduce with `openssl s_client -starttls smtp "
              "-connect <mx>:25 -servername <mx>`."};
    case ResultType::tlsa_invalid:
      return {
          "tlsa-invalid", "No TLSA record in the RRset matched the MX certificate (DANE).",
          "Fix the TLSA records; when rotating keys or certificates, publish the new hash first."};
    case ResultType::dnssec_invalid:
      return {"dnssec-invalid", "The sender's resolver got no valid DNSSEC answer.",
              "Fix the DNSSEC chain: DS at the parent, DNSKEY, expired signatures."};
    case ResultType::dane_required:
      return {"dane-required", "The sender requires DANE but found no validated TLSA records.",
              "Publish DNSSEC-signed TLSA records for each MX."};
    case ResultType::sts_policy_fetch_error:
      return {
          "sts-policy-fetch-error",
          "The sender could not fetch https://mta-sts.<domain>/.well-known/mta-sts.txt.",
          "Make the policy host highly available with a valid HTTPS certificate and correct DNS."};
    case ResultType::sts_policy_invalid:
      return {"sts-policy-invalid", "The policy was fetched but is not a valid MTA-STS policy.",
              "Validate the file against RFC 8461: `version: STSv1` first, then mode, mx and "
              "max_age lines."};
    case ResultType::sts_webpki_invalid:
      return {"sts-webpki-invalid", "The HTTPS certificate of the policy host failed validation.",
              "Fix the certificate of mta-sts.<domain> (name, chain, expiry)."};
    case ResultType::mx_mismatch:
      return {"mx-mismatch", "The sender connected to an MX not in the policy's mx list.",
              "Update the policy's mx: lines to cover every MX, then bump the id= in the "
              "_mta-sts TXT record."};
    case ResultType::transient_network_error:
      return {"transient-network-error", "A network problem, not specific to TLS.",
              "Act only if it persists from one sender over several days."};
    case ResultType::unknown:
      return kGeneric;
  }
  return kGeneric;
}

Remedy remedy_for(ResultType type, std::string_view failure_reason_code) {
  if (!failure_reason_code.empty()) {
    for (const ReasonHint& hint : kReasonHints) {
      if (contains_ignoring_case(failure_reason_code, hint.needle)) return hint.remedy;
    }
  }
  return remedy_for(type);
}

}  // namespace tlsrpt
