// Reported failures joined with the live state: is what the reports show fixed now?
#include <algorithm>

#include <fmt/format.h>

#include "tlsrpt/live.hpp"
#include "tlsrpt/text.hpp"
#include "tlsrpt/timestamp.hpp"

namespace tlsrpt {

namespace {

bool same_host(std::string_view a, std::string_view b) {
  while (!a.empty() && a.back() == '.') a.remove_suffix(1);
  while (!b.empty() && b.back() == '.') b.remove_suffix(1);
  return iequals(a, b);
}

// The live findings of `type` about `mx` (its host or one of its addresses).
const Finding* finding_about(const DomainState& state, ResultType type, std::string_view mx) {
  for (const Finding& finding : state.findings) {
    if (finding.result_type != type || finding.severity != FindingSeverity::blocks) continue;
    const std::string_view subject = finding.subject;
    const std::string_view host = subject.substr(0, subject.find(' '));
    if (mx.empty() || same_host(host, mx)) return &finding;
  }
  return nullptr;
}

// Whether every address of `mx` was probed to the end of the TLS handshake (or told why not).
bool probed(const MxHost& mx) {
  return !mx.probes.empty() && std::all_of(mx.probes.begin(), mx.probes.end(),
                                           [](const SmtpProbe& p) { return !p.could_not_tell; });
}

void judge(ReportedFailure& failure, const DomainState& state) {
  const ResultType type = parse_result_type(failure.result_type);
  const bool named =
      failure.receiving_mx_hostname != "(not given)" && !failure.receiving_mx_hostname.empty();
  const std::string_view mx_name = named ? std::string_view(failure.receiving_mx_hostname) : "";
  if (const Finding* finding = finding_about(state, type, mx_name)) {
    failure.live = LiveStatus::still_failing;
    failure.reason = fmt::format("{}: {}", finding->subject, finding->message);
    return;
  }
  const MxHost* mx = nullptr;
  for (const MxHost& each : state.mx) {
    if (named && same_host(each.host, mx_name)) mx = &each;
  }
  switch (type) {
    case ResultType::sts_policy_fetch_error:
    case ResultType::sts_policy_invalid:
    case ResultType::sts_webpki_invalid:
      if (state.policy.policy && state.policy.policy->problems.empty()) {
        failure.live = LiveStatus::fixed;
        failure.reason = fmt::format("the policy at {} is fetched and valid now", state.policy.url);
      } else {
        failure.reason = "the policy could not be checked";
      }
      return;
    case ResultType::mx_mismatch:
      if (mx && mx->covered) {
        failure.live = LiveStatus::fixed;
        failure.reason = fmt::format("the live policy covers {} now", mx->host);
      } else if (named && !mx && !state.mx.empty()) {
        failure.live = LiveStatus::fixed;
        failure.reason = fmt::format("{} is no longer an MX of {}", mx_name, state.domain);
      } else {
        failure.reason = "the policy's coverage of this MX could not be checked";
      }
      return;
    case ResultType::starttls_not_supported:
    case ResultType::certificate_host_mismatch:
    case ResultType::certificate_expired:
    case ResultType::certificate_not_trusted:
    case ResultType::validation_failure:
    case ResultType::tlsa_invalid:
    case ResultType::dnssec_invalid:
    case ResultType::dane_required:
      if (!named) {
        failure.reason = "the reports name no MX for it";
      } else if (!mx) {
        if (state.mx.empty()) {
          failure.reason = "the domain's MX hosts could not be checked";
        } else {
          failure.live = LiveStatus::fixed;
          failure.reason = fmt::format("{} is no longer an MX of {}", mx_name, state.domain);
        }
      } else if (!probed(*mx)) {
        failure.reason = fmt::format("{} could not be probed from here", mx->host);
      } else {
        failure.live = LiveStatus::fixed;
        const SmtpProbe& probe = mx->probes.front();
        failure.reason =
            probe.chain.empty()
                ? fmt::format("{} passes this check now", mx->host)
                : fmt::format("{} passes this check now; its certificate is valid until {}",
                              mx->host, format_day(day_of(probe.chain.front().not_after)));
      }
      return;
    default:
      failure.reason = "the live check cannot see this kind of failure";
      return;
  }
}

}  // namespace

std::string_view live_status_name(LiveStatus status) {
  switch (status) {
    case LiveStatus::fixed:
      return "fixed";
    case LiveStatus::still_failing:
      return "still-failing";
    case LiveStatus::cannot_tell:
      return "cannot-tell";
  }
  return "cannot-tell";
}

std::vector<ReportedFailure> reconcile(std::vector<ReportedFailure> reported,
                                       const std::vector<DomainState>& live) {
  std::vector<ReportedFailure> judged;
  for (ReportedFailure& failure : reported) {
    const auto state = std::find_if(live.begin(), live.end(), [&](const DomainState& s) {
      return same_host(s.domain, failure.policy_domain);
    });
    if (state == live.end()) continue;  // a policy domain not checked live
    judge(failure, *state);
    judged.push_back(std::move(failure));
  }
  return judged;
}

}  // namespace tlsrpt
