// The live domain check: looks up and probes what a sending MTA would, and turns each result into
// findings (docs/live.md lists them all with their RFC section).
#include "tlsrpt/live.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

constexpr std::size_t kMaxProbedMx = 20;  // MX hosts probed, lowest preference first
constexpr std::size_t kMaxAddresses = 8;  // addresses probed per MX host
constexpr std::int64_t kShortMaxAge = 86400;

class Findings {
 public:
  explicit Findings(std::vector<Finding>& list) : list_(list) {}
  void add(std::string check, FindingSeverity severity, std::string subject,
           std::optional<ResultType> type, std::string message) {
    list_.push_back({std::move(check), severity, std::move(subject), type, std::move(message)});
  }
  // A check that could not be made: a warning that says so.
  void cannot_tell(std::string check, std::string subject, std::string message) {
    list_.push_back({std::move(check), FindingSeverity::warning, std::move(subject), std::nullopt,
                     std::move(message), true});
  }

 private:
  std::vector<Finding>& list_;
};

bool answered(const DnsAnswer& answer) {
  return answer.status == DnsStatus::ok || answer.status == DnsStatus::nodata ||
         answer.status == DnsStatus::nxdomain;
}

std::string dns_problem(const DnsAnswer& answer) {
  if (answer.status == DnsStatus::bogus) return "DNSSEC validation failed: " + answer.error;
  if (answer.status == DnsStatus::servfail) return "SERVFAIL: " + answer.error;
  return answer.error;
}

// The TXT records of `answer` that start with `prefix` (the others are discarded, as senders do).
std::vector<std::string> txt_records(const DnsAnswer& answer, std::string_view prefix) {
  std::vector<std::string> records;
  for (const std::string& rdata : answer.rdata) {
    if (auto text = txt_text(rdata); text && text->starts_with(prefix)) {
      // "v=STSv1" must be followed by ";" or the end, not "v=STSv10".
      const std::string_view rest = std::string_view(*text).substr(prefix.size());
      if (rest.empty() || rest.front() == ';' || rest.front() == ' ') records.push_back(*text);
    }
  }
  return records;
}

void check_tlsrpt(DomainState& state, Resolver& resolver, Findings& findings) {
  const std::string name = "_smtp._tls." + state.domain;
  state.tlsrpt_answer = resolver.query(name, kDnsTxt);
  if (!answered(state.tlsrpt_answer)) {
    findings.cannot_tell(
        "tlsrpt_record", name,
        fmt::format("cannot look up the TLSRPT record: {}", dns_problem(state.tlsrpt_answer)));
    return;
  }
  for (const std::string& text : txt_records(state.tlsrpt_answer, "v=TLSRPTv1")) {
    state.tlsrpt.push_back(parse_tlsrpt_record(text));
  }
  if (state.tlsrpt.empty()) {
    findings.add("tlsrpt_record", FindingSeverity::warning, name, std::nullopt,
                 "no v=TLSRPTv1 record: senders will not send TLS reports; publish one with "
                 "rua=mailto:…");
  } else if (state.tlsrpt.size() > 1) {
    findings.add("tlsrpt_record", FindingSeverity::warning, name, std::nullopt,
                 fmt::format("{} v=TLSRPTv1 records: senders use none and will not report; keep "
                             "exactly one",
                             state.tlsrpt.size()));
  } else if (!state.tlsrpt[0].problems.empty()) {
    findings.add("tlsrpt_record", FindingSeverity::warning, name, std::nullopt,
                 fmt::format("the TLSRPT record is invalid ({}): senders will not report",
                             fmt::join(state.tlsrpt[0].problems, "; ")));
  } else {
    findings.add("tlsrpt_record", FindingSeverity::ok, name, std::nullopt,
                 fmt::format("reports go to {}", fmt::join(state.tlsrpt[0].rua, ", ")));
  }
}

void check_sts_record(DomainState& state, Resolver& resolver, Findings& findings) {
  const std::string name = "_mta-sts." + state.domain;
  state.sts_answer = resolver.query(name, kDnsTxt);
  if (!answered(state.sts_answer)) {
    findings.cannot_tell(
        "sts_record", name,
        fmt::format("cannot look up the MTA-STS record: {}", dns_problem(state.sts_answer)));
    return;
  }
  for (const std::string& text : txt_records(state.sts_answer, "v=STSv1")) {
    state.sts.push_back(parse_sts_record(text));
  }
  if (state.sts.empty()) {
    findings.add("sts_record", FindingSeverity::blocks, name, std::nullopt,
                 "no v=STSv1 record: senders do not look for a policy; publish "
                 "\"v=STSv1; id=…\"");
  } else if (state.sts.size() > 1) {
    findings.add("sts_record", FindingSeverity::blocks, name, std::nullopt,
                 fmt::format("{} v=STSv1 records: senders treat the domain as having no policy; "
                             "keep exactly one",
                             state.sts.size()));
  } else if (!state.sts[0].problems.empty()) {
    findings.add(
        "sts_record", FindingSeverity::blocks, name, std::nullopt,
        fmt::format("the MTA-STS record is invalid: {}", fmt::join(state.sts[0].problems, "; ")));
  } else {
    findings.add("sts_record", FindingSeverity::ok, name, std::nullopt,
                 fmt::format("id {}", state.sts[0].id));
  }
}

std::vector<std::string> addresses_of(const DnsAnswer& a, const DnsAnswer& aaaa) {
  std::vector<std::string> addresses;
  for (const DnsAnswer* answer : {&a, &aaaa}) {
    if (answer->status != DnsStatus::ok) continue;
    for (const std::string& rdata : answer->rdata) {
      if (auto text = address_text(rdata)) addresses.push_back(*text);
    }
  }
  return addresses;
}

void check_policy(DomainState& state, Resolver& resolver, const LiveOptions& options,
                  Findings& findings) {
  const std::string host = "mta-sts." + state.domain;
  const DnsAnswer a = resolver.query(host, kDnsA);
  const DnsAnswer aaaa = resolver.query(host, kDnsAaaa);
  std::vector<std::string> addresses = addresses_of(a, aaaa);
  const bool redirected = connect_to_target(options.connect_to, host, 443).has_value();
  if (addresses.empty() && !redirected) {
    if (!answered(a) && !answered(aaaa)) {
      findings.cannot_tell("sts_policy", host,
                           fmt::format("cannot look up {}: {}", host, dns_problem(a)));
    } else {
      findings.add("sts_policy", FindingSeverity::blocks, host, ResultType::sts_policy_fetch_error,
                   fmt::format("{} has no address: senders cannot fetch the policy", host));
    }
    return;
  }
  state.policy = fetch_policy(state.domain, addresses, options);
  const PolicyFetch& fetch = state.policy;
  if (!fetch.error.empty()) {
    findings.add("sts_policy", FindingSeverity::blocks, fetch.url,
                 fetch.certificate_error ? ResultType::sts_webpki_invalid
                                         : ResultType::sts_policy_fetch_error,
                 fetch.certificate_error
                     ? fmt::format("the certificate of {} is not accepted: {}", host, fetch.error)
                     : fmt::format("cannot fetch the policy: {}", fetch.error));
    return;
  }
  std::string_view type = fetch.content_type;
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type != "text/plain") {
    findings.add("sts_policy_content_type", FindingSeverity::warning, fetch.url, std::nullopt,
                 fmt::format("served as \"{}\", not text/plain: some senders reject it",
                             fetch.content_type));
  }
  const StsPolicy& policy = *fetch.policy;
  std::vector<std::string> problems = policy.problems;
  if (!problems.empty()) {
    findings.add("sts_policy", FindingSeverity::blocks, fetch.url, ResultType::sts_policy_invalid,
                 fmt::format("the policy is invalid: {}", fmt::join(problems, "; ")));
    return;
  }
  findings.add("sts_policy", FindingSeverity::ok, fetch.url, std::nullopt,
               fmt::format("mode: {}, max_age: {}, mx: {}", policy.mode_text, *policy.max_age,
                           fmt::join(policy.mx, ", ")));
  if (policy.mode == StsMode::enforce &&
      static_cast<std::int64_t>(*policy.max_age) < kShortMaxAge) {
    findings.add("sts_policy_max_age", FindingSeverity::warning, fetch.url, std::nullopt,
                 fmt::format("max_age {} s is very short for mode: enforce: senders lose the "
                             "policy within a day of an outage of {}; use weeks (e.g. 604800 or "
                             "more)",
                             *policy.max_age, host));
  }
}

const StsPolicy* live_policy(const DomainState& state) {
  if (!state.policy.policy || !state.policy.policy->problems.empty()) return nullptr;
  return &*state.policy.policy;
}

void check_mx(DomainState& state, Resolver& resolver, Findings& findings) {
  state.mx_answer = resolver.query(state.domain, kDnsMx);
  if (!answered(state.mx_answer)) {
    findings.cannot_tell(
        "mx_records", state.domain,
        fmt::format("cannot look up the MX records: {}", dns_problem(state.mx_answer)));
    return;
  }
  std::vector<MxRecord> records;
  for (const std::string& rdata : state.mx_answer.rdata) {
    if (auto record = mx_record(rdata)) records.push_back(std::move(*record));
  }
  if (records.size() == 1 && records[0].host.empty()) {
    state.null_mx = true;
    findings.add("mx_records", FindingSeverity::info, state.domain, std::nullopt,
                 "null MX (RFC 7505): the domain accepts no mail; MTA-STS has nothing to protect");
    return;
  }
  if (records.empty()) {
    findings.add("mx_records", FindingSeverity::warning, state.domain, std::nullopt,
                 "no MX record: senders deliver to the domain's own address (RFC 5321 §5.1), "
                 "which MTA-STS does not cover");
    return;
  }
  std::sort(records.begin(), records.end(), [](const MxRecord& a, const MxRecord& b) {
    return a.preference != b.preference ? a.preference < b.preference : a.host < b.host;
  });
  if (records.size() > kMaxProbedMx) {
    findings.cannot_tell("mx_records", state.domain,
                         fmt::format("{} MX records: the {} of lowest preference are checked, the "
                                     "other {} are not",
                                     records.size(), kMaxProbedMx, records.size() - kMaxProbedMx));
    records.resize(kMaxProbedMx);
  }
  const StsPolicy* policy = live_policy(state);
  for (MxRecord& record : records) {
    MxHost mx;
    mx.host = std::move(record.host);
    mx.preference = record.preference;
    mx.a = resolver.query(mx.host, kDnsA);
    mx.aaaa = resolver.query(mx.host, kDnsAaaa);
    mx.addresses = addresses_of(mx.a, mx.aaaa);
    if (mx.addresses.size() > kMaxAddresses) mx.addresses.resize(kMaxAddresses);
    if (!mx.a.canonical.empty() && mx.a.canonical != mx.host) {
      findings.add("mx_records", FindingSeverity::info, mx.host, std::nullopt,
                   fmt::format("the MX name is a CNAME to {}: senders match the policy and the "
                               "certificate against {}",
                               mx.a.canonical, mx.host));
    }
    if (mx.host.find_first_not_of("0123456789.") == std::string::npos) {
      findings.add("mx_records", FindingSeverity::warning, mx.host, std::nullopt,
                   "the MX is an IP address, not a host name: no certificate can match it");
    }
    if (mx.addresses.empty()) {
      if (!answered(mx.a) && !answered(mx.aaaa)) {
        findings.cannot_tell("mx_address", mx.host,
                             fmt::format("cannot look up its address: {}", dns_problem(mx.a)));
      } else {
        findings.add("mx_address", FindingSeverity::warning, mx.host, std::nullopt,
                     "the MX has no address: senders skip it");
      }
    }
    if (policy && policy->mode != StsMode::none) {
      mx.covered = std::any_of(policy->mx.begin(), policy->mx.end(), [&](const std::string& p) {
        return mx_pattern_matches(p, mx.host);
      });
      if (!mx.covered) {
        findings.add("mx_covered", FindingSeverity::blocks, mx.host, ResultType::mx_mismatch,
                     fmt::format("no mx line of the policy matches {} ({}): under enforce, "
                                 "senders will not deliver to it; add \"mx: {}\"",
                                 mx.host, fmt::join(policy->mx, ", "), mx.host));
      } else {
        findings.add("mx_covered", FindingSeverity::ok, mx.host, std::nullopt,
                     "covered by the policy");
      }
    }
    state.mx.push_back(std::move(mx));
  }
}

void check_tlsa(DomainState& state, MxHost& mx, Resolver& resolver, Findings& findings) {
  const bool addresses_secure = (mx.a.status != DnsStatus::ok || mx.a.secure) &&
                                (mx.aaaa.status != DnsStatus::ok || mx.aaaa.secure);
  if (!state.mx_answer.secure || !addresses_secure || mx.addresses.empty()) return;
  const std::string name = "_25._tcp." + mx.host;
  mx.tlsa_answer = resolver.query(name, kDnsTlsa);
  const DnsAnswer& answer = *mx.tlsa_answer;
  if (answer.status == DnsStatus::bogus || answer.status == DnsStatus::servfail) {
    findings.add("dane_tlsa", FindingSeverity::blocks, name, ResultType::dnssec_invalid,
                 fmt::format("{}: DANE senders cannot tell whether TLSA applies and will not "
                             "deliver to {}",
                             dns_problem(answer), mx.host));
    return;
  }
  if (!answered(answer)) {
    findings.cannot_tell("dane_tlsa", name,
                         fmt::format("cannot look up TLSA: {}", dns_problem(answer)));
    return;
  }
  if (answer.status != DnsStatus::ok) return;  // no DANE for this MX
  if (!answer.secure) return;
  std::size_t unusable = 0;
  for (const std::string& rdata : answer.rdata) {
    auto record = tlsa_record(rdata);
    if (!record) continue;
    if (tlsa_usable(*record)) {
      mx.tlsa.push_back(std::move(*record));
    } else {
      ++unusable;
    }
  }
  if (mx.tlsa.empty()) {
    findings.add("dane_tlsa", FindingSeverity::warning, name, ResultType::tlsa_invalid,
                 fmt::format("{} TLSA record{} but none usable for SMTP (usages 0 and 1 are not, "
                             "RFC 7672 §3.1.3): senders still require TLS, unauthenticated",
                             unusable, unusable == 1 ? "" : "s"));
  }
}

void probe_all(DomainState& state, const LiveOptions& options) {
  std::vector<std::pair<std::size_t, std::size_t>> jobs;  // (mx, address)
  for (std::size_t m = 0; m < state.mx.size(); ++m) {
    state.mx[m].probes.resize(state.mx[m].addresses.size());
    for (std::size_t a = 0; a < state.mx[m].addresses.size(); ++a) jobs.emplace_back(m, a);
  }
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i; (i = next++) < jobs.size();) {
      MxHost& mx = state.mx[jobs[i].first];
      mx.probes[jobs[i].second] =
          probe_smtp(mx.host, mx.addresses[jobs[i].second], mx.tlsa, options);
    }
  };
  std::vector<std::thread> threads;
  const std::size_t count = std::min<std::size_t>(std::max(1u, options.parallel), jobs.size());
  for (std::size_t t = 1; t < count; ++t) threads.emplace_back(work);
  work();
  for (std::thread& thread : threads) thread.join();
}

void probe_findings(const DomainState& state, const LiveOptions& options, Findings& findings) {
  for (const MxHost& mx : state.mx) {
    for (const SmtpProbe& probe : mx.probes) {
      const std::string subject = fmt::format("{} ({})", mx.host, probe.address);
      if (probe.could_not_tell) {
        findings.cannot_tell(
            "smtp", subject,
            probe.connected ? probe.error
                            : fmt::format("{}; port 25 is often blocked from clouds and homes: "
                                          "run from a host that can send mail",
                                          probe.error));
        continue;
      }
      if (!probe.starttls_offered) {
        findings.add(
            "starttls", FindingSeverity::blocks, subject, ResultType::starttls_not_supported,
            probe.error.empty() ? "the server does not offer STARTTLS after EHLO" : probe.error);
        continue;
      }
      if (!probe.handshake) {
        findings.add("tls_handshake", FindingSeverity::blocks, subject,
                     ResultType::validation_failure, probe.error);
        continue;
      }
      if (probe.tls_version == "TLSv1" || probe.tls_version == "TLSv1.1" ||
          probe.tls_version == "SSLv3") {
        findings.add("tls_version", FindingSeverity::blocks, subject,
                     ResultType::validation_failure,
                     fmt::format("{} negotiated: MTA-STS senders require TLS 1.2 or later "
                                 "(RFC 8461 §4.2)",
                                 probe.tls_version));
      }
      bool good = true;
      if (!probe.trusted) {
        good = false;
        findings.add("certificate_trust", FindingSeverity::blocks, subject,
                     ResultType::certificate_not_trusted,
                     fmt::format("the certificate chain is not trusted: {}", probe.trust_error));
      }
      if (!probe.name_matches) {
        good = false;
        findings.add("certificate_name", FindingSeverity::blocks, subject,
                     ResultType::certificate_host_mismatch,
                     fmt::format("no name in the certificate matches {} ({})", mx.host,
                                 probe.chain.empty() ? "" : probe.chain[0].subject));
      }
      if (!probe.chain.empty()) {
        const CertificateInfo& leaf = probe.chain[0];
        const std::int64_t days = (leaf.not_after - options.now) / kSecondsPerDay;
        if (leaf.not_after <= options.now) {
          good = false;
          findings.add(
              "certificate_expiry", FindingSeverity::blocks, subject,
              ResultType::certificate_expired,
              fmt::format("the certificate expired on {}", format_day(day_of(leaf.not_after))));
        } else if (leaf.not_before > options.now) {
          good = false;
          findings.add("certificate_expiry", FindingSeverity::blocks, subject,
                       ResultType::certificate_expired,
                       fmt::format("the certificate is valid only from {}",
                                   format_day(day_of(leaf.not_before))));
        } else if (days < options.expiry_warning_days) {
          findings.add("certificate_expiry", FindingSeverity::warning, subject,
                       ResultType::certificate_expired,
                       fmt::format("the certificate expires in {} day{}, on {}: renew it", days,
                                   days == 1 ? "" : "s", format_day(day_of(leaf.not_after))));
        }
        if (good) {
          findings.add("certificate", FindingSeverity::ok, subject, std::nullopt,
                       fmt::format("{}, certificate valid for {} until {} ({} days), issued by {}",
                                   probe.tls_version, mx.host, format_day(day_of(leaf.not_after)),
                                   days, leaf.issuer));
        }
      }
      if (probe.dane_checked) {
        if (probe.dane_matched) {
          findings.add("dane", FindingSeverity::ok, subject, std::nullopt,
                       "the certificate matches a TLSA record (DANE)");
        } else {
          findings.add("dane", FindingSeverity::blocks, subject, ResultType::tlsa_invalid,
                       fmt::format("no TLSA record of _25._tcp.{} matches the certificate ({}): "
                                   "DANE senders will not deliver; publish the new key's TLSA "
                                   "before changing certificates",
                                   mx.host, probe.dane_error));
        }
      }
    }
  }
}

}  // namespace

bool DomainState::blocks() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == FindingSeverity::blocks; });
}

bool DomainState::could_not_tell() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.could_not_tell; });
}

DomainState check_domain(const std::string& domain, const LiveOptions& options) {
  DomainState state;
  state.domain = domain;
  while (!state.domain.empty() && state.domain.back() == '.') state.domain.pop_back();
  Resolver resolver(options.resolver);
  Findings findings(state.findings);
  check_tlsrpt(state, resolver, findings);
  check_sts_record(state, resolver, findings);
  check_policy(state, resolver, options, findings);
  check_mx(state, resolver, findings);
  bool dane = false;
  for (MxHost& mx : state.mx) {
    check_tlsa(state, mx, resolver, findings);
    dane = dane || !mx.tlsa.empty();
  }
  if (dane && live_policy(state)) {
    findings.add("dane_precedence", FindingSeverity::info, state.domain, std::nullopt,
                 "DANE and MTA-STS both apply: DANE senders use DANE and ignore the MTA-STS "
                 "policy (RFC 8461 §2)");
  }
  if (options.smtp) {
    probe_all(state, options);
    probe_findings(state, options, findings);
  }
  return state;
}

}  // namespace tlsrpt
