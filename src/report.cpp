#include "tlsrpt/report.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <utility>

#include "tlsrpt/text.hpp"

namespace tlsrpt {

namespace {

// A 64-bit hash over strings and integers, eight bytes at a time (MurmurHash3's mixing).
class Hasher {
 public:
  explicit Hasher(std::uint64_t seed) : hash_(seed) {}
  void add(std::string_view text) {
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      mix(word);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, text.data() + i, text.size() - i);
    mix(tail ^ (static_cast<std::uint64_t>(text.size()) << 56));  // the length ends each string
  }
  void add(std::uint64_t value) { mix(value); }
  std::uint64_t value() const {
    std::uint64_t h = hash_;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    return h ^ (h >> 33);
  }

 private:
  static std::uint64_t rotate(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
  void mix(std::uint64_t word) {
    word *= 0x87c37b91114253d5ull;
    word = rotate(word, 31);
    word *= 0x4cf5ad432745937full;
    hash_ ^= word;
    hash_ = rotate(hash_, 27) * 5 + 0x52dce729;
  }
  std::uint64_t hash_;
};

std::uint32_t fingerprint(const Report& report) {
  Hasher print(0x8460);
  print.add(report.contact_info);
  for (const Policy& policy : report.policies) {
    print.add(policy.policy_type_text);
    print.add(policy.policy_domain);
    for (const std::string& line : policy.policy_string) print.add(line);
    print.add(policy.total_successful_session_count);
    print.add(policy.total_failure_session_count);
    for (const FailureDetail& detail : policy.failure_details) {
      print.add(detail.result_type_text);
      print.add(detail.sending_mta_ip);
      print.add(detail.receiving_mx_hostname);
      print.add(detail.receiving_ip);
      print.add(detail.failed_session_count);
      print.add(detail.failure_reason_code);
    }
  }
  return static_cast<std::uint32_t>(print.value());
}

}  // namespace

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

ReportIdentity identify(const Report& report) {
  Hasher first(1), second(2);
  for (Hasher* hash : {&first, &second}) {
    hash->add(report.organization_name);
    hash->add(report.report_id);
    hash->add(static_cast<std::uint64_t>(report.date_range.start));
    hash->add(static_cast<std::uint64_t>(report.date_range.end));
  }
  return ReportIdentity{
      {static_cast<std::uint32_t>(first.value()), static_cast<std::uint32_t>(first.value() >> 32),
       static_cast<std::uint32_t>(second.value())},
      fingerprint(report)};
}

std::string_view policy_type_label(const Policy& policy) {
  if (policy.policy_type != PolicyType::unknown) return policy_type_name(policy.policy_type);
  if (policy.policy_type_text.empty()) return "(missing)";
  return policy.policy_type_text;
}

double failure_rate(const Counts& counts) {
  const double sessions =
      static_cast<double>(counts.successful) + static_cast<double>(counts.failed);
  return sessions == 0 ? 0.0 : static_cast<double>(counts.failed) / sessions;
}

std::vector<bool> counted_policies(const Report& report) {
  std::vector<bool> counted(report.policies.size(), true);
  // The rule needs an sts and a tlsa policy in one report: most reports have neither pair.
  const auto has = [&](PolicyType type) {
    return std::any_of(report.policies.begin(), report.policies.end(),
                       [type](const Policy& p) { return p.policy_type == type; });
  };
  if (!has(PolicyType::sts) || !has(PolicyType::tlsa)) return counted;
  struct Group {
    std::uint64_t sts = 0, tlsa = 0;
    bool has_sts = false, has_tlsa = false;
  };
  std::map<std::string, Group> groups;
  for (const Policy& policy : report.policies) {
    const std::uint64_t sessions =
        policy.total_successful_session_count + policy.total_failure_session_count;
    Group& group = groups[lowercase(policy.policy_domain)];
    if (policy.policy_type == PolicyType::sts) {
      group.has_sts = true;
      group.sts += sessions;
    } else if (policy.policy_type == PolicyType::tlsa) {
      group.has_tlsa = true;
      group.tlsa += sessions;
    }
  }
  for (std::size_t i = 0; i < report.policies.size(); ++i) {
    const Policy& policy = report.policies[i];
    const Group& group = groups[lowercase(policy.policy_domain)];
    if (!group.has_sts || !group.has_tlsa) continue;
    // Microsoft lists the same sessions under tlsa and under sts: count the larger view once,
    // sts on a tie.
    const bool tlsa_wins = group.tlsa > group.sts;
    if (policy.policy_type == PolicyType::sts && tlsa_wins) counted[i] = false;
    if (policy.policy_type == PolicyType::tlsa && !tlsa_wins) counted[i] = false;
  }
  return counted;
}

}  // namespace tlsrpt
