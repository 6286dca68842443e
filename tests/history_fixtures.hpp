// Shared by the history tests: reports of a few shapes, a clean ramp of the major senders.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tlsrpt/analyze.hpp"
#include "tlsrpt/history.hpp"
#include "tlsrpt/judge.hpp"
#include "tlsrpt/sts_policy.hpp"

namespace tlsrpt::testing {

inline constexpr std::int64_t kDay = 86400;
inline constexpr std::int64_t kFirstDay = 20500;  // 2026-02-16

struct Failure {
  std::string type;
  std::string mx;
  std::uint64_t count;
};

// One daily report from `org` for example.com on day `day` (days since the epoch).
inline Report daily(const std::string& org, const std::string& contact, std::int64_t day,
                    std::uint64_t ok, std::vector<Failure> failures = {},
                    const std::string& mode = "testing",
                    std::vector<std::string> mx = {"mx1.example.com", "mx2.example.com"}) {
  Report report;
  report.organization_name = org;
  report.contact_info = contact;
  report.report_id = org + std::to_string(day);
  report.date_range = {day * kDay, day * kDay + kDay - 1};
  Policy policy;
  policy.policy_type = PolicyType::sts;
  policy.policy_type_text = "sts";
  policy.policy_domain = "example.com";
  policy.policy_string = {"version: STSv1", "mode: " + mode, "max_age: 604800"};
  for (const std::string& pattern : mx) policy.policy_string.push_back("mx: " + pattern);
  policy.sts = parse_sts_policy(policy.policy_string);
  policy.total_successful_session_count = ok;
  for (const Failure& failure : failures) {
    FailureDetail detail;
    detail.result_type = parse_result_type(failure.type);
    detail.result_type_text = failure.type;
    detail.receiving_mx_hostname = failure.mx;
    detail.failed_session_count = failure.count;
    policy.total_failure_session_count += failure.count;
    policy.failure_details.push_back(detail);
  }
  report.policies.push_back(policy);
  return report;
}

// A clean ramp: the four major senders and a small one report every day for `days` days.
inline Tally clean_ramp(int days) {
  Tally tally;
  for (int d = 0; d < days; ++d) {
    const std::int64_t day = kFirstDay + d;
    tally.add(daily("Google Inc.", "smtp-tls-reporting@google.com", day, 5000,
                    {{"validation-failure", "mx1.example.com", 3}}),
              "g");
    tally.add(daily("Microsoft Corporation", "tlsrpt-noreply@microsoft.com", day, 3000), "m");
    tally.add(daily("Yahoo", "tlsrpt@yahooinc.com", day, 1000), "y");
    tally.add(daily("Apple Inc.", "tls-reporting@apple.com", day, 800), "a");
    tally.add(daily("small.example", "postmaster@small.example", day, 20), "s");
  }
  return tally;
}

inline std::vector<std::string> codes(const std::vector<Alert>& alerts) {
  std::vector<std::string> list;
  for (const Alert& alert : alerts) list.push_back(alert.code);
  return list;
}

// The gate's defaults, judged at `now`.
inline GateOptions at(std::int64_t now) {
  GateOptions options;
  options.time.now = now;
  return options;
}

}  // namespace tlsrpt::testing
