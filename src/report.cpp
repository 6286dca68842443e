#include "tlsrpt/report.hpp"

#include <array>
#include <utility>

#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {
constexpr std::array<std::pair<ResultType, std::string_view>, 13> kResultTypeNames{{
    {ResultType::starttls_not_supported, "starttls-not-supported"},
    {ResultType::certificate_host_mismatch, "certificate-host-mismatch"},
    {ResultType::certificate_expired, "certificate-expired"},
    {ResultType::certificate_not_trusted, "certificate-not-trusted"},
    {ResultType::validation_failure, "validation-failure"},
    {ResultType::tlsa_invalid, "tlsa-invalid"},
    {ResultType::dnssec_invalid, "dnssec-invalid"},
    {ResultType::dane_required, "dane-required"},
    {ResultType::sts_policy_fetch_error, "sts-policy-fetch-error"},
    {ResultType::sts_policy_invalid, "sts-policy-invalid"},
    {ResultType::sts_webpki_invalid, "sts-webpki-invalid"},
    {ResultType::mx_mismatch, "mx-mismatch"},
    {ResultType::transient_network_error, "transient-network-error"},
}};
}  // namespace

std::string_view result_type_name(ResultType type) {
  for (const auto& [known, name] : kResultTypeNames) {
    if (known == type) return name;
  }
  return "";
}

ResultType parse_result_type(std::string_view text) {
  for (const auto& [known, name] : kResultTypeNames) {
    if (name == text) return known;
  }
  return ResultType::unknown;
}

std::string_view policy_type_name(PolicyType type) {
  switch (type) {
    case PolicyType::sts:
      return "sts";
    case PolicyType::tlsa:
      return "tlsa";
    case PolicyType::no_policy_found:
      return "no-policy-found";
    case PolicyType::unknown:
      return "";
  }
  return "";
}

PolicyType parse_policy_type(std::string_view text) {
  if (text == "sts") return PolicyType::sts;
  if (text == "tlsa") return PolicyType::tlsa;
  if (text == "no-policy-found") return PolicyType::no_policy_found;
  return PolicyType::unknown;
}

std::string_view sender_label(const Report& report) {
  if (!report.organization_name.empty()) return report.organization_name;
  if (!report.contact_info.empty()) return report.contact_info;
  return "(unknown)";
}

std::string_view result_type_label(const FailureDetail& detail) {
  if (detail.result_type != ResultType::unknown) return result_type_name(detail.result_type);
  if (detail.result_type_text.empty()) return "(missing)";
  return detail.result_type_text;
}

std::string domain_label(const Policy& policy) {
  std::string scratch;
  return std::string(domain_label(policy, scratch));
}

std::string_view domain_label(const Policy& policy, std::string& scratch) {
  if (policy.policy_domain.empty()) return "(none)";
  return lowercase_view(policy.policy_domain, scratch);
}

}  // namespace tlsrpt
