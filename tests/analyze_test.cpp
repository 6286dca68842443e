#include "tlsrpt/analyze.hpp"

#include <sstream>

#include <gtest/gtest.h>

#include "tlsrpt/render_json.hpp"

namespace tlsrpt {
namespace {

Policy make_policy(PolicyType type, const std::string& domain, std::uint64_t ok,
                   std::uint64_t failed) {
  Policy policy;
  policy.policy_type = type;
  policy.policy_type_text = std::string(policy_type_name(type));
  policy.policy_domain = domain;
  policy.total_successful_session_count = ok;
  policy.total_failure_session_count = failed;
  return policy;
}

FailureDetail make_detail(ResultType type, std::uint64_t failed,
                          const std::string& mx = "mx.example.com") {
  FailureDetail detail;
  detail.result_type = type;
  detail.result_type_text = std::string(result_type_name(type));
  detail.failed_session_count = failed;
  detail.receiving_mx_hostname = mx;
  return detail;
}

Report make_report(const std::string& org, const std::string& id, std::vector<Policy> policies) {
  Report report;
  report.organization_name = org;
  report.report_id = id;
  report.date_range = {1778198400, 1778198400 + 86399};
  report.policies = std::move(policies);
  return report;
}

TEST(Analyze, RateIsWeightedByVolumeNotAveraged) {
  Tally tally;
  tally.add(make_report("Big", "1", {make_policy(PolicyType::sts, "example.com", 9900, 100)}), "a");
  tally.add(make_report("Small", "2", {make_policy(PolicyType::sts, "example.com", 0, 10)}), "b");
  const Summary summary = tally.finish();
  EXPECT_EQ(summary.totals.successful, 9900u);
  EXPECT_EQ(summary.totals.failed, 110u);
  // (100 + 10) / 10010, not the mean of 1% and 100%.
  EXPECT_DOUBLE_EQ(failure_rate(summary.totals), 110.0 / 10010.0);
  EXPECT_DOUBLE_EQ(failure_rate(Counts{}), 0.0);
}

TEST(Analyze, CountsTlsaAndStsForOneDomainOnce) {
  Policy tlsa = make_policy(PolicyType::tlsa, "example.com", 950, 12);
  Policy sts = make_policy(PolicyType::sts, "Example.com", 950, 12);
  tlsa.failure_details = {make_detail(ResultType::validation_failure, 12)};
  sts.failure_details = {make_detail(ResultType::validation_failure, 12)};
  const Report report = make_report("Microsoft Corporation", "1", {tlsa, sts});
  EXPECT_EQ(counted_policies(report), (std::vector<bool>{false, true}));
  Tally tally;
  tally.add(report, "f");
  const Summary summary = tally.finish();
  EXPECT_EQ(summary.totals.successful, 950u);
  EXPECT_EQ(summary.totals.failed, 12u);
  ASSERT_EQ(summary.failure_types.size(), 1u);
  EXPECT_EQ(summary.failure_types[0].failed, 12u);
  // The policy-type view shows both.
  ASSERT_EQ(summary.policy_types.size(), 2u);
  EXPECT_EQ(summary.policy_types[0].counts.failed + summary.policy_types[1].counts.failed, 24u);
}

TEST(Analyze, CountsTheLargerOfTlsaAndSts) {
  const Report report = make_report("M", "1",
                                    {make_policy(PolicyType::sts, "example.com", 10, 0),
                                     make_policy(PolicyType::tlsa, "example.com", 20, 1)});
  EXPECT_EQ(counted_policies(report), (std::vector<bool>{false, true}));
}

TEST(Analyze, AddsUpPoliciesOfOtherKindsAndDomains) {
  const Report report = make_report("Google Inc.", "1",
                                    {make_policy(PolicyType::no_policy_found, "example.com", 40, 0),
                                     make_policy(PolicyType::sts, "example.com", 300, 0),
                                     make_policy(PolicyType::sts, "example.com", 1207, 23),
                                     make_policy(PolicyType::tlsa, "other.example", 5, 0)});
  EXPECT_EQ(counted_policies(report), (std::vector<bool>{true, true, true, true}));
  Tally tally;
  tally.add(report, "f");
  EXPECT_EQ(tally.finish().totals.successful, 1552u);
}

TEST(Analyze, CountsADuplicateOnceAndFlagsAConflict) {
  Tally tally;
  const Report first =
      make_report("Google Inc.", "id-1", {make_policy(PolicyType::sts, "example.com", 10, 1)});
  EXPECT_TRUE(tally.add(first, "first.json"));
  EXPECT_FALSE(tally.add(first, "copy.json"));
  Report conflicting = first;
  conflicting.policies[0].total_failure_session_count = 5;
  EXPECT_FALSE(tally.add(conflicting, "edited.json"));
  Report next_day = first;
  next_day.date_range.start += 86400;
  next_day.date_range.end += 86400;
  EXPECT_TRUE(tally.add(next_day, "next.json"));
  const Summary summary = tally.finish();
  EXPECT_EQ(summary.reports, 2u);
  EXPECT_EQ(summary.duplicates, 2u);
  EXPECT_EQ(summary.conflicting_duplicates, 1u);
  EXPECT_EQ(summary.totals.failed, 2u);
  ASSERT_EQ(summary.warnings.size(), 1u);
  EXPECT_EQ(
      format_location(summary.warnings[0]),
      "edited.json: conflicting duplicate: same organization-name, report-id and date-range as "
      "first.json, but different content; only the first one read is counted");
  ASSERT_EQ(summary.notes.size(), 1u);
  EXPECT_EQ(format_location(summary.notes[0]), "copy.json: duplicate of first.json; counted once");
}

TEST(Analyze, TakingTheSummaryGivesWhatFinishGivesAndEmptiesTheLists) {
  Tally tally;
  const Report first =
      make_report("Google Inc.", "id-1", {make_policy(PolicyType::sts, "example.com", 90, 10)});
  ASSERT_TRUE(tally.add(first, "first.json"));
  EXPECT_FALSE(tally.add(first, "copy.json"));
  tally.add_diagnostic(Diagnostic{Severity::error, "bad.json", "byte 3", "corrupt", "input_error"});
  tally.add_diagnostic(Diagnostic{Severity::warning, "w.json", "", "odd", "some_quirk"});
  const Summary finished = tally.finish();
  const Summary taken = tally.take_summary();
  std::ostringstream a, b;
  write_summary_json(finished, a);
  write_summary_json(taken, b);
  EXPECT_EQ(a.str(), b.str());
  ASSERT_EQ(taken.notes.size(), 1u);
  EXPECT_EQ(taken.errors.size(), 1u);
  EXPECT_EQ(taken.warnings.size(), 1u);
  // The lists went with the summary; the counts and the history stay.
  const Summary after = tally.finish();
  EXPECT_TRUE(after.errors.empty());
  EXPECT_TRUE(after.warnings.empty());
  EXPECT_TRUE(after.notes.empty());
  EXPECT_EQ(after.errors_total, 1u);
  EXPECT_EQ(after.reports, 1u);
  EXPECT_EQ(after.history.overall.days.size(), finished.history.overall.days.size());
}

TEST(Analyze, RefusesAReportThatWouldOverflowAndStaysUnchanged) {
  Tally tally;
  const std::uint64_t big = 1ull << 53;
  for (int i = 0; i < 2047; ++i) {
    ASSERT_TRUE(tally.add(
        make_report("S", std::to_string(i), {make_policy(PolicyType::sts, "e.com", big, 0)}), "f"));
  }
  const Report last = make_report("S", "last", {make_policy(PolicyType::sts, "e.com", big, big)});
  try {
    tally.add(last, "last.json");
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(),
                 "session counts would overflow the 64-bit totals; report not counted");
  }
  const Summary summary = tally.finish();
  EXPECT_EQ(summary.reports, 2047u);
  EXPECT_EQ(summary.totals.successful, 2047 * big);
  EXPECT_EQ(summary.totals.failed, 0u);
}

TEST(Analyze, KeepsUnknownTypesAndDrillsDownByHost) {
  Policy policy = make_policy(PolicyType::sts, "example.com", 10, 7);
  FailureDetail vendor;
  vendor.result_type_text = "tls-version-too-old";
  vendor.failed_session_count = 3;
  vendor.receiving_mx_hostname = "MX2.example.com";
  vendor.receiving_ip = "192.0.2.1";
  policy.failure_details = {make_detail(ResultType::certificate_expired, 4, "mx2.example.com"),
                            vendor};
  Tally tally;
  tally.add(make_report("S", "1", {policy}), "f");
  const Summary summary = tally.finish();
  ASSERT_EQ(summary.failure_types.size(), 2u);
  EXPECT_EQ(summary.failure_types[0].result_type, "certificate-expired");
  EXPECT_DOUBLE_EQ(summary.failure_types[0].share, 4.0 / 7.0);
  EXPECT_EQ(summary.failure_types[1].result_type, "tls-version-too-old");
  EXPECT_FALSE(summary.failure_types[1].known);
  EXPECT_EQ(summary.failure_types[1].hint_id, "unknown");
  ASSERT_EQ(summary.receiving_mx_hosts.size(), 1u);
  EXPECT_EQ(summary.receiving_mx_hosts[0].host, "mx2.example.com");
  EXPECT_EQ(summary.receiving_mx_hosts[0].failed, 7u);
  ASSERT_EQ(summary.receiving_ips.size(), 2u);
  EXPECT_EQ(summary.receiving_ips[0].host, "(not given)");
  EXPECT_EQ(summary.receiving_ips[1].host, "192.0.2.1");
}

TEST(Analyze, GroupsWarningsByCodeAndCapsTheList) {
  Tally tally;
  for (std::size_t i = 0; i < kMaxListedDiagnostics + 5; ++i) {
    tally.add_diagnostic(
        Diagnostic{Severity::warning, "f", "date-range", "no zone", "datetime_without_zone"});
  }
  tally.add_diagnostic(Diagnostic{Severity::note, "g", "", "not JSON", "not_a_report"});
  const Summary summary = tally.finish();
  EXPECT_EQ(summary.warnings.size(), kMaxListedDiagnostics);
  EXPECT_EQ(summary.warnings_total, kMaxListedDiagnostics + 5);
  ASSERT_EQ(summary.warning_groups.size(), 1u);
  EXPECT_EQ(summary.warning_groups[0].count, kMaxListedDiagnostics + 5);
  EXPECT_EQ(summary.not_reports, 1u);
}

}  // namespace
}  // namespace tlsrpt
